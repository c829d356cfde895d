"""Saves that never fail silently: odd text, a full disk, odd files, damaged rows."""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import shutil
import sqlite3
import subprocess
from pathlib import Path

import aiosqlite
import pytest

from tests.conftest import TESTVALE
from tests.scripted import say, scripted
from tests.test_cli import SCRIPT, _quiet, run_cli
from tests.test_saves_cli import PLAY, integrity, lines, saves_env
from tests.test_store import query, turn_of
from textrealms.cli.main import main
from textrealms.engine.events import StoryEvent
from textrealms.engine.gm import GameMaster
from textrealms.engine.session import Session
from textrealms.engine.text import entry_text
from textrealms.llm.openai import OpenAICompatible
from textrealms.store.database import FILENAME, SaveStore
from textrealms.world.schema import WorldPack
from textrealms.world.state import new_game

TIMEOUT = 10.0
FULL = "Your game is not being saved: the disk is full."
AGAIN = "Your game is being saved again."


class Played:
    """A saved game on `store`, with every entry its events told, as plain text."""

    def __init__(self, gm: GameMaster, store: SaveStore, slot: str) -> None:
        self.session = Session(gm, store, slot=slot)
        self.told: list[str] = []
        self._task = asyncio.create_task(self._follow())

    async def _follow(self) -> None:
        async for event in self.session.events():
            self.note(event)

    def note(self, event: StoryEvent) -> None:
        entry = event.entry()
        if entry is not None:
            self.told.append(entry_text(entry))

    async def play(self, *commands: str) -> None:
        for command in commands:
            self.session.submit(command)
            await asyncio.wait_for(self.session.settled(), TIMEOUT)

    async def heard(self, text: str) -> None:
        async with asyncio.timeout(TIMEOUT):
            while not any(text in told for told in self.told):
                await asyncio.sleep(0.01)

    async def aclose(self) -> None:
        await self.session.aclose()
        await asyncio.wait_for(self._task, TIMEOUT)


async def new_played(store: SaveStore, gm: GameMaster) -> Played:
    slot = await store.create(gm.state)
    game = Played(gm, store, slot.name)
    game.session.opening()
    return game


# Item 1: text that is not valid Unicode, and one bad row in a batch


async def test_a_lone_surrogate_from_the_model_loses_no_turn(
    pack: WorldPack, tmp_path: Path
) -> None:
    async with scripted(lambda _: say("Half a pair: \ud800 and the rest.")) as server:
        client = OpenAICompatible(server.config(), pack, seed=1)
        store = await SaveStore.open(tmp_path)
        game = await new_played(store, GameMaster(pack, seed=1, provider=client, prefetch=False))
        await game.play("look", "e", "w", "say hello")
        await game.aclose()
    story = await store.story("game-1")
    await store.aclose()
    assert [t.command for t in story] == ["", "look", "e", "w", "say hello"]
    refined = [x.text for t in story for x in t.lines if x.kind == "refined"]
    assert refined and all("Half a pair: \ufffd and the rest." in text for text in refined)


async def test_a_lone_surrogate_typed_by_the_player_loses_no_turn(
    pack: WorldPack, tmp_path: Path
) -> None:
    store = await SaveStore.open(tmp_path)
    game = await new_played(store, GameMaster(pack, seed=1, prefetch=False))
    await game.play("look", "say half \ud800 a pair", "e")
    await game.aclose()
    story = await store.story("game-1")
    await store.aclose()
    assert [t.command for t in story] == ["", "look", "say half \ufffd a pair", "e"]


async def test_one_failing_write_never_takes_its_batch_down(
    pack: WorldPack, tmp_path: Path
) -> None:
    store = await SaveStore.open(tmp_path)
    state = new_game(pack, 1)
    kept, gone = (await store.create(state)).name, (await store.create(state)).name
    with contextlib.closing(sqlite3.connect(tmp_path / FILENAME)) as other:
        other.execute("PRAGMA foreign_keys = ON")
        other.execute("DELETE FROM games WHERE name = ?", (gone,))  # another process
        other.commit()
    for turn in range(4):
        store.record(gone, turn_of(state, turn), "The Square")
        store.record(kept, turn_of(state, turn), "The Square")
    store.save("a-key", "an answer")
    await store.aclose()
    assert query(tmp_path / FILENAME, "SELECT turn FROM turns ORDER BY turn") == [
        (0,),
        (1,),
        (2,),
        (3,),
    ]
    assert query(tmp_path / FILENAME, "SELECT value FROM cache") == [("an answer",)]


# Item 2: a full disk


async def _full_store(folder: Path) -> tuple[SaveStore, aiosqlite.Connection]:
    """A store whose file cannot grow past its pages now (SQLite's own full disk)."""
    await (await SaveStore.open(folder)).aclose()
    db = await aiosqlite.connect(folder / FILENAME, isolation_level=None)
    await db.execute("PRAGMA busy_timeout = 10000")
    await db.execute("PRAGMA foreign_keys = ON")
    ((pages,),) = list(await db.execute_fetchall("PRAGMA page_count"))
    await db.execute(f"PRAGMA max_page_count = {pages + 2}")
    return SaveStore(folder / FILENAME, db, retry=0.01), db


async def test_a_full_disk_is_told_and_every_turn_saved_when_there_is_room(
    pack: WorldPack, tmp_path: Path
) -> None:
    store, db = await _full_store(tmp_path)
    game = await new_played(store, GameMaster(pack, seed=2, prefetch=False))
    commands = ["look", "e", "talk to oda", "w", "escalate", "wait"] * 3
    await game.play(*commands)
    await game.heard(FULL)
    await db.execute("PRAGMA max_page_count = 1073741823")  # room again
    await game.heard(AGAIN)
    await game.aclose()
    story = await store.story("game-1")
    await store.aclose()
    assert [t.command for t in story] == ["", *commands]


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
        env={**_quiet(os.environ), **env},
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
    from textrealms.world.loader import load_pack

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
    env = {**_quiet(os.environ), **saves_env(tmp_path)}
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
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("UPDATE turns SET entries = '{not json' WHERE turn = 3")
        db.commit()
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
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("UPDATE turns SET command = CAST(X'65FF' AS TEXT) WHERE turn = 2")
        db.commit()
    result = _export(tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert "> e\ufffd\n" in result.stdout
    resumed = run_cli("continue", "--plain", stdin="look\n", env=saves_env(tmp_path))
    assert (resumed.returncode, resumed.stderr) == (0, "")


@pytest.mark.parametrize("shift", [-1, 0], ids=["space", "column"])
def test_a_damaged_schema_is_refused_by_every_command_in_one_line(
    tmp_path: Path, shift: int
) -> None:
    path = _game(tmp_path)
    data = bytearray(path.read_bytes())
    data[data.index(b"id INTEGER PRIMARY KEY") + shift] = 0xFF  # in the games table's SQL
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    env = {**_quiet(os.environ), **saves_env(tmp_path)}
    for argv in COMMANDS:
        result = subprocess.run(
            [str(SCRIPT), *argv], capture_output=True, text=True, env=env, timeout=60, check=False
        )
        assert result.returncode == 2, (argv, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
        assert "is damaged" in result.stderr, result.stderr
    assert path.read_bytes() == before
