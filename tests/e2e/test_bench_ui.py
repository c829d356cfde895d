"""Scenario 4 at its quick size: the real TUI in a child process, timed under streaming."""

from __future__ import annotations

import pytest

from tests.conftest import TESTVALE
from textrealms.bench import ui
from textrealms.bench.child import ChildFailed, probe
from textrealms.bench.scenario import Options
from textrealms.world.catalog import ENV_VAR
from textrealms.world.schema import WorldPack


@pytest.fixture(autouse=True)
def _child_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe finds its world by id, as the bench's child does, and runs at full speed
    (asyncio's debug mode, on for this suite, would be what it measures)."""
    monkeypatch.setenv(ENV_VAR, str(TESTVALE))
    monkeypatch.delenv("PYTHONASYNCIODEBUG")


async def test_enter_and_tokens_are_timed_while_narrations_stream(pack: WorldPack) -> None:
    outcome = await ui.run(Options((pack,), quick=True))
    found, aligned = outcome.data["ui_ms"], outcome.data["ui_aligned_ms"]
    assert (found["press"], aligned["press"]) == ("random", "aligned")
    assert found["samples"] == aligned["samples"] == 30
    assert aligned["p99"] >= aligned["p50"] > 0
    assert found["p99"] >= found["p50"] > 0
    assert found["token_to_screen_p99"] >= found["token_to_screen_p50"] > 0
    assert found["token_samples"] > found["samples"]  # many words per narration
    assert found["streams"] == ui.STREAMS
    assert found["streams_live_max"] >= found["streams_live_median"] >= ui.STREAMS - 2
    assert found["frames"] > found["samples"]
    assert [row.measure for row in outcome.rows if row.met is not None] == ["Enter to screen p99"]


async def test_a_probe_that_cannot_start_says_why() -> None:
    with pytest.raises(ChildFailed, match="exited 2: no-such-world: no world pack"):
        await probe("ui", "--world", "no-such-world")
