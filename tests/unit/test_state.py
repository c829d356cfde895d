"""Game state: canonical JSON, stable hash, and the reducer's guard rails."""

from __future__ import annotations

from textrealms.world import effects as fx
from textrealms.world.reducer import reduce
from textrealms.world.rng import Dice
from textrealms.world.schema import WorldPack
from textrealms.world.state import GONE, PLAYER, GameState, fitted, new_game


def test_new_game_places_everything(pack: WorldPack) -> None:
    state = new_game(pack, seed=5)
    assert state.location == "square"
    assert state.items["flint"] == PLAYER
    assert state.items["iron_key"] == "room:inn"
    assert state.flags == {"arrived", "visited_square"}
    assert state.npcs["bren"].role == "instigator"
    assert state.conflicts["feud"].phase == "rising"
    assert state.quests["light"].met == [False, False]
    assert state.clock == 480


def test_canonical_json_round_trips_with_a_stable_hash(pack: WorldPack) -> None:
    state = reduce(
        pack,
        new_game(pack, seed=5),
        [fx.SetFlag("zeta"), fx.SetFlag("alpha"), fx.MovePlayer("inn")],
    )
    text = state.canonical_json()
    assert '"flags":["alpha","arrived","visited_square","zeta"]' in text
    again = GameState.model_validate_json(text)
    assert again == state
    assert again.state_hash() == state.state_hash()
    assert GameState.model_validate(state.model_dump(mode="json")).canonical_json() == text


def test_hash_changes_with_the_state(pack: WorldPack) -> None:
    state = new_game(pack, seed=5)
    assert reduce(pack, state, [fx.NextTurn()]).state_hash() != state.state_hash()


def test_reducer_clamps_and_ignores_unknown_ids(pack: WorldPack) -> None:
    state = new_game(pack, seed=5)
    after = reduce(
        pack,
        state,
        [
            fx.AdjustDisposition("oda", 99.0),
            fx.AdjustDisposition("nobody", 1.0),
            fx.AdjustReputation("dangerous", -5.0),
            fx.AdjustReputation("charisma", 1.0),
            fx.SetConflictFlow("feud", "climax", 7.0, -3.0, 2.0),
            fx.SetConflictFlow("war", "climax", 0.5, 0.5, 0.5),
            fx.MovePlayer("atlantis"),
            fx.PlaceItem("ghost", PLAYER),
            fx.PlaceItem("mug", "room:atlantis"),
            fx.MeetObjective("light", 9),
            fx.EndGame("no-such-ending"),
            fx.AdvanceClock(-60),
            fx.DrawRandom(-1),
        ],
    )
    assert after.npcs["oda"].disposition == 1.0
    assert after.reputation["dangerous"] == 0.0
    assert "charisma" not in after.reputation
    flow = after.conflicts["feud"]
    assert (flow.phase, flow.intensity, flow.momentum, flow.progress) == ("climax", 1, -1, 1)
    assert set(after.conflicts) == {"feud"}
    assert after.location == "square"
    assert "ghost" not in after.items
    assert after.items["mug"] == "room:inn"
    assert after.quests["light"].met == [False, False]
    assert after.ending is None
    assert after.clock == state.clock
    assert after.rng == state.rng
    assert GameState.model_validate(after.model_dump())


def test_reduce_leaves_the_old_state_alone(pack: WorldPack) -> None:
    state = new_game(pack, seed=5)
    reduce(pack, state, [fx.SetFlag("x"), fx.PlaceItem("flint", None)])
    assert "x" not in state.flags
    assert state.items["flint"] == PLAYER


def test_an_item_out_of_play_stays_out_when_a_saved_game_is_fitted(pack: WorldPack) -> None:
    """Emberfall's writ, used on Pell, lay on the Reeve's table again after a resume:
    a state fitted to its pack took the item that had left play for one the pack gained."""
    state = reduce(pack, new_game(pack, seed=5), [fx.PlaceItem("flint", None)])
    after = fitted(pack, state)
    assert after.items["flint"] == GONE
    assert "flint" not in after.inventory(pack)


def test_dice_is_deterministic_and_advances() -> None:
    a, b = Dice(3, 0), Dice(3, 0)
    draws = [a.random() for _ in range(5)]
    assert draws == [b.random() for _ in range(5)]
    assert a.counter == 5
    assert all(0 <= x < 1 for x in draws)
    assert Dice(4, 0).random() != draws[0]
