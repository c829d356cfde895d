"""Saves that never fail silently, in process: text that is not valid Unicode, one bad
write in a batch, a full disk told and every turn saved once there is room."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.played import new_played, turn_of
from tests.helpers.save_files import AGAIN, FULL, change, full_store, query
from tests.helpers.scripted import say, scripted
from textrealms.engine.gm import GameMaster
from textrealms.llm.openai import OpenAICompatible
from textrealms.store.database import FILENAME, SaveStore
from textrealms.world.schema import WorldPack
from textrealms.world.state import new_game

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
    change(tmp_path / FILENAME, "DELETE FROM games WHERE name = ?", gone)  # another process
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


async def test_a_full_disk_is_told_and_every_turn_saved_when_there_is_room(
    pack: WorldPack, tmp_path: Path
) -> None:
    store, db = await full_store(tmp_path)
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
