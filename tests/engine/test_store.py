"""The SQLite save store: its file checks, migrations, writer, cache and speed."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from tests.helpers.played import turn_of
from tests.helpers.save_files import BAD_FILES, query, sha256
from textrealms.llm.cache import CacheStore
from textrealms.store import schema
from textrealms.store.codec import encode_state
from textrealms.store.database import FILENAME, SaveStore
from textrealms.store.schema import StoreError
from textrealms.world.saved import SavedLine
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState, new_game


async def played(store: SaveStore, state: GameState, turns: int) -> str:
    """A new slot holding `turns` turns from `state`; its name."""
    slot = await store.create(state)
    for t in range(turns):
        store.record(slot.name, turn_of(state, t), "The Square")
    return slot.name


async def saved(folder: Path, state: GameState, turns: int) -> str:
    """A store in `folder` with a slot of `turns` turns, written and closed; the slot."""
    store = await SaveStore.open(folder)
    name = await played(store, state, turns)
    await store.aclose()
    return name


async def test_a_new_database_is_ours_in_wal_with_the_current_schema(tmp_path: Path) -> None:
    store = await SaveStore.open(tmp_path / "saves")
    await store.aclose()
    path = tmp_path / "saves" / FILENAME
    assert query(path, "PRAGMA journal_mode") == [("wal",)]
    assert query(path, "PRAGMA user_version") == [(schema.VERSION,)]
    assert query(path, "PRAGMA application_id") == [(schema.APPLICATION_ID,)]
    assert [p.name for p in (tmp_path / "saves").iterdir()] == [FILENAME]


async def test_turns_round_trip_and_truncate(tmp_path: Path, pack: WorldPack) -> None:
    store = await SaveStore.open(tmp_path)
    start = new_game(pack, 3)
    name = await played(store, start, 4)
    store.truncate(name, 2, "The Inn")
    resumed = await store.resume(name, keep=1)
    story = await store.story(name)
    listed = await store.slots()
    await store.aclose()
    assert [t for t, _ in resumed.recent] == [1, 2]
    assert resumed.recent[-1][1] == start.model_copy(update={"turn": 2})
    assert [t.turn for t in story] == [0, 1, 2]
    assert story[1].lines[1] == SavedLine(0, "refined", "later")
    assert (listed[0].name, listed[0].turn, listed[0].location) == (name, 2, "The Inn")


@pytest.mark.parametrize("case", BAD_FILES)
async def test_a_file_that_is_not_our_database_is_refused_and_left_untouched(
    tmp_path: Path, case: str
) -> None:
    make, message = BAD_FILES[case]
    path = tmp_path / FILENAME
    make(path)
    before, files = sha256(path), sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(StoreError, match=message):
        await SaveStore.open(tmp_path)
    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files


async def test_migrations_run_forward_from_version_1(tmp_path: Path, pack: WorldPack) -> None:
    path = tmp_path / FILENAME
    state = new_game(pack, 5)
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        schema.migrate(db, 0, 1)
        db.execute(
            "INSERT INTO games (name, world_id, world_version, seed, created, played)"
            " VALUES ('old', 'testvale', '1.0.0', 5, 0, 0)"
        )
        blob, digest = encode_state(state)
        db.execute(
            "INSERT INTO turns VALUES (1, 0, '', '[]', ?, ?)",
            (blob, digest),
        )
        db.commit()
    assert query(path, "PRAGMA user_version") == [(1,)]
    store = await SaveStore.open(tmp_path)
    resumed = await store.resume("old")
    store.save("k", "v")
    await store.flush()
    assert await store.load("k") == "v"
    await store.aclose()
    assert resumed.recent == ((0, state),)
    assert query(path, "PRAGMA user_version") == [(schema.VERSION,)]
    assert query(path, "SELECT name FROM sqlite_schema WHERE name = 'games_played'") == [
        ("games_played",)
    ]


async def test_a_damaged_state_is_refused_and_the_save_kept(
    tmp_path: Path, pack: WorldPack
) -> None:
    name = await saved(tmp_path, new_game(pack, 1), 1)
    path = tmp_path / FILENAME
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("UPDATE turns SET state_hash = 'f00d'")
        db.commit()
    rows = query(path, "SELECT * FROM turns")
    store = await SaveStore.open(tmp_path)
    with pytest.raises(StoreError, match="damaged: the state of turn 0 does not match its hash"):
        await store.resume(name)
    await store.aclose()
    assert query(path, "SELECT * FROM turns") == rows


async def test_the_store_is_a_cache_store(tmp_path: Path) -> None:
    store = await SaveStore.open(tmp_path)
    cache: CacheStore = store
    assert await cache.load("describe:square") is None
    cache.save("describe:square", "A square, cobbled.")
    cache.save("describe:square", "A square, cobbled and wet.")
    await store.flush()
    assert await cache.load("describe:square") == "A square, cobbled and wet."
    await store.aclose()


async def test_copying_a_missing_slot_says_so(tmp_path: Path) -> None:
    store = await SaveStore.open(tmp_path)
    with pytest.raises(StoreError, match="no saved game named 'ghost'"):
        await store.copy("ghost", "alpha")
    await store.aclose()


async def test_close_writes_everything_queued(tmp_path: Path, pack: WorldPack) -> None:
    await saved(tmp_path, new_game(pack, 1), 300)
    assert query(tmp_path / FILENAME, "SELECT count(*), max(turn) FROM turns") == [(300, 299)]


async def test_a_10000_turn_game_resumes_its_last_states(tmp_path: Path, pack: WorldPack) -> None:
    """How fast is the bench's to say (`textrealms bench --only saves`: resume_10k_ms)."""
    name = await saved(tmp_path, new_game(pack, 9), 10_000)
    store = await SaveStore.open(tmp_path)
    try:
        resumed = await store.resume(name)
    finally:
        await store.aclose()
    assert len(resumed.recent) == 51
    assert resumed.recent[-1][0] == 9_999


async def test_delete_takes_the_slot_and_all_its_turns(tmp_path: Path, pack: WorldPack) -> None:
    store = await SaveStore.open(tmp_path)
    try:
        state = new_game(pack, 1)
        kept = await played(store, state, 3)
        gone = await played(store, state, 4)  # still queued when the delete is asked for
        await store.delete(gone)
        assert [slot.name for slot in await store.slots()] == [kept]
        with pytest.raises(StoreError, match=f"no saved game named '{gone}'"):
            await store.delete(gone)
        with pytest.raises(StoreError, match=f"no saved game named '{gone}'"):
            await store.resume(gone)
    finally:
        await store.aclose()
    path = tmp_path / FILENAME
    assert query(path, "SELECT DISTINCT game FROM turns") == [(1,)]
    assert query(path, "SELECT count(*) FROM turns") == [(3,)]
