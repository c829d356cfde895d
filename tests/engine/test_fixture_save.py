"""A saves database written by an earlier TextRealms keeps loading and playing.

`tests/fixtures/saves/textrealms.sqlite3` was written by the main branch of 2026-12-04
(save format 3): six games across the three worlds, two of them named saves. Every later
change must load it (migrated) or refuse it with a message and keep it untouched.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers.cli import run_cli
from tests.helpers.paths import ROOT, TESTS
from tests.helpers.save_files import sha256

FIXTURE = TESTS / "fixtures" / "saves" / "textrealms.sqlite3"
FIXTURE_SHA256 = "ee57ae26963e3a19f733b58700503df5cc2d533dc5f089559ed4db17fe0bbe2c"
GAMES = {
    "game-1": ("emberfall", 7),
    "ember-checkpoint": ("emberfall", 4),
    "game-3": ("rainmouth", 57),
    "game-4": ("kestrel-station", 4),
    "game-5": ("rainmouth", 3),
    "rain-office": ("rainmouth", 3),
}


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    folder = tmp_path / "saves"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / FIXTURE.name)
    return folder


def env(folder: Path) -> dict[str, str]:
    return {"TEXTREALMS_SAVES_DIR": str(folder), "TEXTREALMS_WORLDS": str(ROOT / "worlds")}


def test_the_fixture_is_the_one_written_then() -> None:
    """Tests play on copies: the committed file never changes."""
    assert sha256(FIXTURE) == FIXTURE_SHA256


def test_every_old_game_is_listed(saves: Path) -> None:
    listed = run_cli("saves", "--json", env=env(saves))
    assert listed.returncode == 0, listed.stderr
    found = {s["name"]: (s["world"], s["turn"]) for s in json.loads(listed.stdout)}
    assert found == GAMES


def test_the_latest_old_game_continues_and_plays_on(saves: Path) -> None:
    played = run_cli("continue", "--plain", "--wait", stdin="look\nwait\n", env=env(saves))
    assert played.returncode == 0, played.stderr
    assert played.stdout.startswith("Resumed 'game-5' at turn 3.")
    assert "> wait" in played.stdout
    again = run_cli("saves", "--json", env=env(saves))
    turns = {s["name"]: s["turn"] for s in json.loads(again.stdout)}
    assert turns["game-5"] == 5


@pytest.mark.parametrize("name", sorted(GAMES))
def test_each_old_game_loads_as_a_copy_and_exports(name: str, saves: Path) -> None:
    played = run_cli("play", "--load", name, "--plain", "--wait", stdin="look\n", env=env(saves))
    assert played.returncode == 0, played.stderr
    assert f"A copy of '{name}', which stays as it was." in played.stdout
    exported = run_cli("export", name, env=env(saves))
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith(f"TextRealms: {name}\n")
    assert exported.stdout.count("\n> ") >= GAMES[name][1] - 1
