"""Scenario 8 at its quick size (it runs and reports every field), and the start-up it
measures: light until a command runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers.bench import ordered, reports
from tests.helpers.paths import TESTVALE
from textrealms.bench import startup
from textrealms.bench.scenario import Options
from textrealms.world.catalog import ENV_VAR
from textrealms.world.schema import WorldPack

HEAVY = ("aiohttp", "aiosqlite", "textual", "pydantic", "textrealms.engine.gm", "textrealms.store")
LOADED = """
import sys
from textrealms.cli.main import main
try:
    main({argv!r})
except SystemExit:
    pass
print(" ".join(sys.modules), file=sys.stderr)
"""


@pytest.mark.slow
async def test_version_and_first_frames_are_timed(
    pack: WorldPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(TESTVALE))
    monkeypatch.delenv("PYTHONASYNCIODEBUG")  # the suite's debug mode would be timed too
    outcome = await startup.run(Options((pack,), quick=True))
    found = outcome.data["startup"]
    frames = ["first_frame_ms", "first_frame_min_ms", "first_frame_game_ms"]
    reports(found, [*frames, "version_ms", "version_min_ms", "runs"])
    assert found["runs"] == 2
    ordered(found, "version_min_ms", "version_ms")
    ordered(found, "first_frame_min_ms", "first_frame_ms")
    assert [row.measure for row in outcome.rows if row.met is not None] == ["title: first frame"]


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["bench", "--help"]])
def test_the_parser_answers_without_loading_the_game(argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", LOADED.format(argv=argv)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "textrealms" in done.stdout
    loaded = done.stderr.split()
    assert [m for m in loaded if m.startswith(HEAVY)] == []
