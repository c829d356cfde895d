"""`save NAME` never overwrites another game: a name that belongs to another is refused."""

from __future__ import annotations

from pathlib import Path

from tests.test_saves_trouble import new_played
from textrealms.engine.gm import GameMaster
from textrealms.store.database import SaveStore
from textrealms.world.schema import WorldPack


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
    refusal = next(t for t in other.told if "'game-1'" in t)
    assert refusal == (
        "The game could not be saved as 'game-1': 'game-1' is another game "
        "(testvale, turn 2, The Low Inn). Save under another name, or delete it first "
        "(textrealms saves --delete game-1) and save again."
    )
    assert [t.command for t in mine] == ["", "w", "e"]
