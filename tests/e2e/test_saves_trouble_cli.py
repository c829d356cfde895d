"""Saves that never fail silently, from the command line: a full disk said in the story,
a save whose pages are in its WAL, a save "file" that is no file, damaged rows and schema."""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.helpers.cli import PLAY, SCRIPT, lines, quiet, run_cli, saves_env
from tests.helpers.paths import TESTVALE
from tests.helpers.played import turn_of
from tests.helpers.save_files import change, integrity, query
from textrealms.cli.main import main
from textrealms.store.database import FILENAME, SaveStore
from textrealms.world.loader import load_pack
from textrealms.world.state import new_game


def test_a_full_disk_is_said_in_the_story_and_never_on_stderr(tmp_path: Path) -> None:
    """Files may not grow past a few pages (the WAL soon cannot), and the log is /dev/full."""
    env = saves_env(tmp_path)
    assert run_cli(*PLAY, "--seed", "3", stdin=lines("e", "w"), env=env).returncode == 0
    (tmp_path / "textrealms.log").symlink_to("/dev/full")
    limit = (tmp_path / FILENAME).stat().st_size + 16_384

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [str(SCRIPT), "continue", "--plain", "--wait"],
        input=lines(*(["e", "talk to oda", "w", "escalate"] * 5)),
        capture_output=True,
        text=True,
        env={**quiet(os.environ), **env},
        timeout=60,
        check=False,
        preexec_fn=small_files,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert "-- Your game is not being saved: the disk could not be written." in result.stdout


def _wal_only(folder: Path) -> Path:
    """A save whose pages are all in its WAL, its main file shorter than its header says:
    as a checkpoint cut short by a full disk leaves it, copied elsewhere."""
    source, copy = folder / "live", folder / "copy"
    source.mkdir()
    copy.mkdir()
    path = source / FILENAME
    asyncio.run(_write_game(source))
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA wal_autocheckpoint = 0")
        db.execute("UPDATE games SET location = 'In the WAL'")
        db.execute("INSERT INTO cache VALUES ('k', ?, 0)", ("x" * 20_000,))
        for suffix in ("", "-wal"):
            shutil.copyfile(f"{path}{suffix}", copy / f"{FILENAME}{suffix}")
    main_file = copy / FILENAME
    data = bytearray(main_file.read_bytes())
    pages = int.from_bytes(data[28:32], "big")
    data[28:32] = (pages + 8).to_bytes(4, "big")
    main_file.write_bytes(bytes(data))
    return copy


async def _write_game(folder: Path) -> None:
    store = await SaveStore.open(folder)
    state = new_game(load_pack(TESTVALE), 1)
    slot = await store.create(state)
    for turn in range(3):
        store.record(slot.name, turn_of(state, turn), "The Square")
    await store.aclose()


def test_a_save_whose_pages_are_in_its_wal_is_not_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _wal_only(tmp_path)
    assert main(["saves", "--saves-dir", str(folder)]) == 0, capsys.readouterr().err
    assert "game-1: testvale, turn 2, In the WAL" in capsys.readouterr().out
    assert integrity(folder / FILENAME) == "ok"


# Item 3: a save "file" that is no file


COMMANDS = (
    ("saves",),
    ("saves", "--delete", "game-1"),
    ("export", "game-1"),
    ("continue", "--plain"),
    ("play", "--plain", "--world", str(TESTVALE)),
)


@pytest.mark.parametrize("make", ["fifo", "folder"])
def test_a_save_file_that_is_not_a_file_is_refused_at_once(tmp_path: Path, make: str) -> None:
    path = tmp_path / FILENAME
    if make == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    env = {**quiet(os.environ), **saves_env(tmp_path)}
    for argv in COMMANDS:
        try:
            result = subprocess.run(
                [str(SCRIPT), *argv],
                input="look\n",
                capture_output=True,
                text=True,
                env=env,
                timeout=20,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"{' '.join(argv)} hangs on a save file that is a {make}")
        assert result.returncode == 2, (argv, result.stderr)
        assert result.stderr == f"{path}: not a TextRealms save file (not a regular file).\n"


# Item 5: damaged rows and schema bytes


def _game(folder: Path) -> Path:
    commands = ("look", "e", "talk to oda", "w", "wait")
    result = run_cli(*PLAY, "--seed", "5", stdin=lines(*commands), env=saves_env(folder))
    assert result.returncode == 0, result.stderr
    return folder / FILENAME


def _export(folder: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("export", "game-1", env=saves_env(folder))


def test_a_turn_whose_story_is_damaged_is_left_out_of_the_export_with_a_message(
    tmp_path: Path,
) -> None:
    path = _game(tmp_path)
    change(path, "UPDATE turns SET entries = '{not json' WHERE turn = 3")
    result = _export(tmp_path)
    assert result.returncode == 2
    assert result.stderr == "'game-1': the story of turn 3 is damaged; the export leaves it out.\n"
    assert [x for x in result.stdout.split("\n") if x.startswith("> ")] == [
        "> look",
        "> e",
        "> talk to oda",
        "> w",
        "> wait",
    ]
    assert "(Turn 3 is damaged in the save file: its story could not be read.)" in result.stdout


def test_text_that_is_not_utf8_in_a_row_is_read_with_what_can_be_read(tmp_path: Path) -> None:
    path = _game(tmp_path)
    change(path, "UPDATE turns SET command = CAST(X'65FF' AS TEXT) WHERE turn = 2")
    result = _export(tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert "> e\ufffd\n" in result.stdout
    resumed = run_cli("continue", "--plain", stdin="look\n", env=saves_env(tmp_path))
    assert (resumed.returncode, resumed.stderr) == (0, "")


def test_a_save_whose_last_state_is_damaged_plays_on_in_a_copy_from_the_turn_before(
    tmp_path: Path,
) -> None:
    path = _game(tmp_path)
    change(path, "UPDATE turns SET state = X'00ff' WHERE turn = 5")
    kept = query(path, "SELECT * FROM turns WHERE game = 1")
    result = run_cli("continue", "--plain", stdin="wait\n", env=saves_env(tmp_path))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith(
        "Resumed 'game-2' at turn 4.\n\nA copy of 'game-1', which stays as it was.\n\n"
        "The save file is damaged: turn 5 could not be read, so the game goes on from turn 4."
    )
    assert query(path, "SELECT * FROM turns WHERE game = 1") == kept
    assert _export(tmp_path).stdout.count("\n> ") == 5


@pytest.mark.parametrize("shift", [-1, 0], ids=["space", "column"])
def test_a_damaged_schema_is_refused_by_every_command_in_one_line(
    tmp_path: Path, shift: int
) -> None:
    path = _game(tmp_path)
    data = bytearray(path.read_bytes())
    data[data.index(b"id INTEGER PRIMARY KEY") + shift] = 0xFF  # in the games table's SQL
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    env = {**quiet(os.environ), **saves_env(tmp_path)}
    for argv in COMMANDS:
        result = subprocess.run(
            [str(SCRIPT), *argv], capture_output=True, text=True, env=env, timeout=60, check=False
        )
        assert result.returncode == 2, (argv, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
        assert "is damaged" in result.stderr, result.stderr
    assert path.read_bytes() == before
