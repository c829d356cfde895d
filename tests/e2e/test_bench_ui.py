"""Scenario 4 at its quick size: the real TUI in a child process, timed under streaming.

How many narrations were streaming as each Enter was timed, and how fast the screen
answered, depend on how busy the machine is: the bench reports them, and judges them
against its targets; this checks that it runs and reports every field."""

from __future__ import annotations

import pytest

from tests.helpers.bench import ordered, reports
from tests.helpers.paths import TESTVALE
from textrealms.bench import ui
from textrealms.bench.child import ChildFailed, probe
from textrealms.bench.scenario import Options
from textrealms.world.catalog import ENV_VAR
from textrealms.world.schema import WorldPack

NUMBERS = (
    "p50",
    "p95",
    "p99",
    "max",
    "samples",
    "key_to_game_p50",
    "key_to_game_p99",
    "token_to_screen_p50",
    "token_to_screen_p99",
    "token_samples",
    "tokens_offscreen",
    "streams",
    "streams_live_min",
    "streams_live_median",
    "streams_live_max",
    "frames",
)


@pytest.fixture(autouse=True)
def _child_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe finds its world by id, as the bench's child does, and runs at full speed
    (asyncio's debug mode, on for this suite, would be what it measures)."""
    monkeypatch.setenv(ENV_VAR, str(TESTVALE))
    monkeypatch.delenv("PYTHONASYNCIODEBUG")


@pytest.mark.slow
async def test_enter_and_tokens_are_timed_while_narrations_stream(pack: WorldPack) -> None:
    outcome = await ui.run(Options((pack,), quick=True))
    found, aligned = outcome.data["ui_ms"], outcome.data["ui_aligned_ms"]
    for report, press in ((found, "random"), (aligned, "aligned")):
        reports(report, NUMBERS, other=["press"])
        assert report["press"] == press
        assert report["samples"] == 30  # every Enter the quick run times
        assert report["streams"] == ui.STREAMS
        assert report["frames"] >= report["samples"]  # each timed on the frame that showed it
        ordered(report, "p50", "p95", "p99", "max")
        ordered(report, "token_to_screen_p50", "token_to_screen_p99")
        ordered(report, "streams_live_min", "streams_live_median", "streams_live_max")
    repeated = outcome.data["ui"]
    p99s = ("p99_median_ms", "aligned_p99_median_ms", "runs", "load_before", "load_after")
    runs = ("p99_runs_ms", "p99_spread_ms", "aligned_p99_runs_ms", "aligned_p99_spread_ms")
    reports(repeated, p99s, other=runs)
    assert repeated["runs"] == ui.RUNS >= 3
    for name in ("p99", "aligned_p99"):
        each = repeated[f"{name}_runs_ms"]
        assert len(each) == ui.RUNS
        assert repeated[f"{name}_spread_ms"] == [min(each), max(each)]
        assert repeated[f"{name}_median_ms"] in each
    assert found["p99"] == repeated["p99_median_ms"]  # the median run's report
    assert aligned["p99"] == repeated["aligned_p99_median_ms"]
    met = [row.measure for row in outcome.rows if row.met is not None]
    assert met == ["Enter to screen p99: median run (spread)"]


async def test_a_probe_that_cannot_start_says_why() -> None:
    with pytest.raises(ChildFailed, match="exited 2: no-such-world: no world pack"):
        await probe("ui", "--world", "no-such-world")
