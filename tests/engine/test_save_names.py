"""`save NAME` never overwrites another game: a name that belongs to another is refused,
also in a save of format 4 (before slots knew their game), migrated."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from tests.helpers.played import new_played
from tests.helpers.save_files import query
from textrealms.engine.gm import GameMaster
from textrealms.store import schema
from textrealms.store.codec import encode_state
from textrealms.store.database import FILENAME, SaveStore
from textrealms.store.schema import StoreError
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState, new_game


async def test_save_refuses_a_name_that_belongs_to_another_game(
    pack: WorldPack, tmp_path: Path
) -> None:
    store = await SaveStore.open(tmp_path)
    first = await new_played(store, GameMaster(pack, seed=1, prefetch=False))
    await first.play("e", "talk to oda")
    other = await new_played(store, GameMaster(pack, seed=2, prefetch=False))
    await other.play("w", "save game-1")
    await other.heard("could not be saved as 'game-1'")
    await other.play("save mine", "e", "save mine")
    await first.aclose()
    await other.aclose()
    kept = await store.story("game-1")
    mine = await store.story("mine")
    await store.aclose()
    assert [t.command for t in kept] == ["", "e", "talk to oda"]
    refusal = next(t for t in other.told() if "'game-1'" in t)
    assert refusal == (
        "The game could not be saved as 'game-1': 'game-1' is another game "
        "(testvale, turn 2, The Low Inn). Save under another name, or delete it first "
        "(textrealms saves --delete game-1) and save again."
    )
    assert [t.command for t in mine] == ["", "w", "e"]


def _format_4(path: Path, state: GameState) -> None:
    """A save as format 4 wrote it (each game's pack folder, no lineage): two games."""
    blob, digest = encode_state(state)
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        schema.migrate(db, 0, 4)
        for game, name in ((1, "game-1"), (2, "game-2")):
            db.execute(
                "INSERT INTO games (id, name, world_id, world_version, seed, turn, created,"
                " played, world_folder) VALUES (?, ?, 'testvale', '1.0.0', 1, 1, 0, ?, ?)",
                (game, name, game, f"/packs/{name}"),
            )
            for turn in (0, 1):
                db.execute(
                    "INSERT INTO turns VALUES (?, ?, 'wait', '[]', ?, ?)",
                    (game, turn, blob, digest),
                )
        db.commit()


async def test_a_format_4_save_is_read_as_it_is_and_migrated_when_played(
    pack: WorldPack, tmp_path: Path
) -> None:
    path = tmp_path / FILENAME
    _format_4(path, new_game(pack, 1))
    read = await SaveStore.read(tmp_path)
    listed = await read.slots()
    await read.aclose()
    assert [(s.name, s.world_folder) for s in listed] == [
        ("game-2", "/packs/game-2"),
        ("game-1", "/packs/game-1"),
    ]
    assert query(path, "PRAGMA user_version") == [(4,)]
    store = await SaveStore.open(tmp_path)
    with pytest.raises(StoreError, match="'game-1' is another game"):
        await store.copy("game-2", "game-1")
    await store.copy("game-1", "kept")
    await store.copy("game-1", "kept")  # a save of its own game: replaced
    kept = await store.slot("kept")
    await store.aclose()
    assert kept.world_folder == "/packs/game-1"
    assert query(path, "PRAGMA user_version") == [(schema.VERSION,)]
