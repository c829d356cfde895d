"""A damaged row costs only the turns stored against it, and the player is told which;
saves of formats 4 and 5 (whole states, entries as JSON text) load, read as they are and
migrated, and play on with keyframes."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers.played import new_played, turn_of
from tests.helpers.save_files import AGAIN, FULL, change, full_store, query, sha256
from textrealms.engine.gm import GameMaster
from textrealms.engine.saved_games import SavedGames
from textrealms.store import schema
from textrealms.store.codec import encode_state
from textrealms.store.database import FILENAME, SaveStore
from textrealms.store.frames import EVERY
from textrealms.store.schema import StoreError
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState, new_game

TIP = 2 * EVERY + 6
"""A game of turns 0 to 70: keyframes at 0, 32 and 64."""
JUNK = b"\x00damaged\xff" * 4


async def _game(folder: Path, start: GameState) -> Path:
    store = await SaveStore.open(folder)
    name = (await store.create(start)).name
    for turn in range(TIP + 1):
        store.record(name, turn_of(start, turn), "The Square")
    await store.aclose()
    return folder / FILENAME


def _damage(path: Path, table: str, turn: int) -> None:
    change(path, f"UPDATE {table} SET state = ? WHERE turn = ?", JUNK, turn)


def _games(store: SaveStore, pack: WorldPack) -> SavedGames:
    return SavedGames(
        store,
        lambda _: pack,
        lambda p, seed, state: GameMaster(p, seed=seed, state=state, prefetch=False),
    )


async def test_a_damaged_turn_row_costs_that_turn_alone(tmp_path: Path, pack: WorldPack) -> None:
    path = await _game(tmp_path, new_game(pack, 1))
    _damage(path, "turns", TIP - 3)
    rows = query(path, "SELECT * FROM turns")
    store = await SaveStore.open(tmp_path)
    resumed = await store.resume("game-1")
    story = await store.story("game-1")
    session = await _games(store, pack).open("game-1", copy=False)
    opening = session.opening()[0].text
    await session.aclose()
    await store.aclose()
    assert resumed.lost == (TIP - 3,)
    assert [t for t, _ in resumed.recent] == [t for t in range(TIP - 50, TIP + 1) if t != TIP - 3]
    assert [t.turn for t in story] == list(range(TIP + 1))  # the story is all there
    assert opening == (
        f"Resumed 'game-1' at turn {TIP}.\n\nThe save file is damaged: the state of turn "
        f"{TIP - 3} could not be read, so undo skips it."
    )
    assert query(path, "SELECT * FROM turns") == rows


async def test_a_damaged_last_keyframe_costs_the_turns_after_it_and_plays_on_in_a_copy(
    tmp_path: Path, pack: WorldPack
) -> None:
    path = await _game(tmp_path, new_game(pack, 1))
    _damage(path, "keyframes", 2 * EVERY)
    rows = query(path, "SELECT * FROM turns WHERE game = 1")
    store = await SaveStore.open(tmp_path)
    resumed = await store.resume("game-1")
    session = await _games(store, pack).open("game-1", copy=False)
    opening = session.opening()[0].text
    session.submit("wait")
    await session.aclose()
    copy = await store.story(session.slot or "")
    await store.aclose()
    assert resumed.lost == tuple(range(2 * EVERY, TIP + 1))
    assert resumed.recent[-1][0] == 2 * EVERY - 1
    assert opening == (
        f"Resumed '{session.slot}' at turn {2 * EVERY - 1}.\n\nA copy of 'game-1', which "
        f"stays as it was.\n\nThe save file is damaged: turns {2 * EVERY}–{TIP} could not "
        f"be read, so the game goes on from turn {2 * EVERY - 1}."
    )
    assert query(path, "SELECT * FROM turns WHERE game = 1") == rows
    assert [t.turn for t in copy] == list(range(2 * EVERY + 1))
    assert copy[-1].command == "wait"


async def test_a_damaged_keyframe_before_the_last_leaves_a_gap_that_undo_skips(
    tmp_path: Path, pack: WorldPack
) -> None:
    path = await _game(tmp_path, new_game(pack, 1))
    _damage(path, "keyframes", EVERY)
    store = await SaveStore.open(tmp_path)
    session = await _games(store, pack).open("game-1", copy=False)
    opening = session.opening()[0].text
    undone = [session.submit("undo").entries[0].text for _ in range(TIP - 2 * EVERY + 1)]
    await session.aclose()
    await store.aclose()
    assert opening.endswith(
        f"the state of turns {EVERY}–{2 * EVERY - 1} could not be read, so undo skips them."
    )
    assert undone[-2:] == [
        f"Undone: back to turn {2 * EVERY}.",
        f"Undone: back to turn {EVERY - 1}.",
    ]


async def test_a_save_whose_every_state_is_damaged_is_refused_and_kept(
    tmp_path: Path, pack: WorldPack
) -> None:
    path = await _game(tmp_path, new_game(pack, 1))
    for turn in (0, EVERY, 2 * EVERY):
        _damage(path, "keyframes", turn)
    before = sha256(path)
    store = await SaveStore.open(tmp_path)
    with pytest.raises(StoreError, match=r"damaged: no turn's state can be read \(the state of"):
        await store.resume("game-1")
    await store.aclose()
    assert sha256(path) == before


def _old_save(path: Path, version: int, start: GameState, turns: int) -> None:
    """A save as format `version` (4 or 5) wrote it: whole states, entries as JSON text."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        schema.migrate(db, 0, version)
        db.execute(
            "INSERT INTO games (id, name, world_id, world_version, seed, turn, created,"
            " played, world_folder) VALUES (1, 'old', 'testvale', '1.0.0', 1, ?, 0, 0, '')",
            (turns - 1,),
        )
        for turn in range(turns):
            blob, digest = encode_state(start.model_copy(update={"turn": turn}))
            lines = json.dumps([[-1, "narration", f"turn {turn}", None, None]])
            db.execute(
                "INSERT INTO turns VALUES (1, ?, 'wait', ?, ?, ?)", (turn, lines, blob, digest)
            )
        db.commit()


@pytest.mark.parametrize("version", [4, 5])
async def test_an_older_save_reads_as_it_is_and_plays_on_with_keyframes(
    tmp_path: Path, pack: WorldPack, version: int
) -> None:
    path = tmp_path / FILENAME
    start = new_game(pack, 1)
    _old_save(path, version, start, 40)
    read = await SaveStore.read(tmp_path)  # not migrated: a read-only save reads the same
    unmigrated = await read.resume("old")
    await read.aclose()
    assert query(path, "PRAGMA user_version") == [(version,)]
    store = await SaveStore.open(tmp_path)
    resumed = await store.resume("old", keep=5)
    for turn in range(40, 40 + EVERY + 2):
        store.record("old", turn_of(start, turn), "The Square")
    await store.copy("old", "kept")
    after = await store.resume("kept", keep=80)
    story = await store.story("kept")
    await store.aclose()
    assert (
        unmigrated.recent[-1] == resumed.recent[-1] == (39, start.model_copy(update={"turn": 39}))
    )
    assert [t for t, _ in resumed.recent] == [34, 35, 36, 37, 38, 39]
    assert dict(after.recent) == {t: start.model_copy(update={"turn": t}) for t in range(74)}
    assert story[39].lines[0].text == "turn 39" and story[40].lines[1].text == "later"
    assert query(path, "PRAGMA user_version") == [(schema.VERSION,)]
    assert query(path, "SELECT count(*) FROM turns WHERE base IS NULL AND game = 1") == [(40,)]
    assert query(path, "SELECT turn FROM keyframes WHERE game = 1") == [(40,), (72,)]


async def test_a_full_disk_loses_no_state_nor_keyframe(pack: WorldPack, tmp_path: Path) -> None:
    """Keyframes made in a transaction the full disk failed are made again with it."""
    store, db = await full_store(tmp_path)
    game = await new_played(store, GameMaster(pack, seed=2, prefetch=False))
    await game.play(*["wait", "e", "w"] * 12)
    await game.heard(FULL)
    await db.execute("PRAGMA max_page_count = 1073741823")  # room again
    await game.heard(AGAIN)
    await game.aclose()
    resumed = await store.resume("game-1", keep=100)
    await store.aclose()
    assert resumed.lost == ()
    assert [t for t, _ in resumed.recent] == list(range(37))


async def test_keyframes_of_a_batch_that_failed_are_made_again_when_it_is_retried(
    pack: WorldPack, tmp_path: Path
) -> None:
    """A write bad in itself fails its batch, which is then written one change at a time:
    the keyframes the failed batch made are gone with it, and made again."""
    store = await SaveStore.open(tmp_path)
    state = new_game(pack, 1)
    kept, gone = (await store.create(state)).name, (await store.create(state)).name
    change(tmp_path / FILENAME, "DELETE FROM games WHERE name = ?", gone)  # another process
    for turn in range(EVERY + 4):
        store.record(kept, turn_of(state, turn), "The Square")
        store.record(gone, turn_of(state, turn), "The Square")
    resumed = await store.resume(kept, keep=100)
    await store.aclose()
    assert resumed.lost == ()
    assert [t for t, _ in resumed.recent] == list(range(EVERY + 4))
