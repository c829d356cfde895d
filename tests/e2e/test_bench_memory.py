"""The memory scenario at its quick size: the TUI and plain mode, each a child process
played back to back. How much either grew depends on the machine: the bench judges it
against its target; this checks that it runs and reports every field."""

from __future__ import annotations

import pytest

from tests.helpers.bench import reports
from tests.helpers.paths import TESTVALE
from textrealms.bench import memory
from textrealms.bench.scenario import Options
from textrealms.world.catalog import ENV_VAR
from textrealms.world.schema import WorldPack

GAME = ("turns", "from_turn", "rss_start_mb", "rss_end_mb", "growth_mb")


@pytest.fixture(autouse=True)
def _child_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The children find their world by id, and run at full speed (asyncio's debug mode,
    on for this suite, is not what a player runs)."""
    monkeypatch.setenv(ENV_VAR, str(TESTVALE))
    monkeypatch.delenv("PYTHONASYNCIODEBUG")


@pytest.mark.slow
async def test_the_tui_and_plain_mode_report_their_growth(pack: WorldPack) -> None:
    outcome = await memory.run(Options((pack,), quick=True))
    found = outcome.data["memory"]
    numbers = ("tui_growth_mb", "plain_growth_mb", "from_turn", "load_before", "load_after")
    reports(found, numbers, other=["tui", "plain"])
    reports(found["tui"], (*GAME, "sweeps"))
    reports(found["plain"], GAME)
    for game in (found["tui"], found["plain"]):
        assert game["from_turn"] == memory.FROM_TURN < game["turns"]
    assert found["tui_growth_mb"] == found["tui"]["growth_mb"]
    assert found["plain_growth_mb"] == found["plain"]["growth_mb"]
    assert [row.met is not None for row in outcome.rows] == [True, True]
