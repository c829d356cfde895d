"""Every verb on the test pack, scope and disambiguation, quests and endings."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.rules_game import Game, play, text_of
from textrealms.engine.entries import EntryKind
from textrealms.engine.rules import opening
from textrealms.world.schema import WorldPack
from textrealms.world.state import PLAYER


def test_opening_shows_intro_and_first_room(game: Game) -> None:
    entries = opening(game.pack, game.state)
    assert entries[0].text == "You arrive in Test Vale as the lantern goes dark."
    assert entries[1].kind is EntryKind.ROOM
    assert entries[1].title == "Village Square"
    assert "Bren and Mira are here." in entries[1].text
    assert "Exits: north, east, west." in entries[1].text


def test_look_describes_the_room(game: Game) -> None:
    out = play(game, "look")
    assert "== Village Square ==" in out
    assert "You notice: tower door." in out


def test_moving_changes_room_and_clock(game: Game) -> None:
    out = play(game, "e")
    assert game.state.location == "inn"
    assert "== The Low Inn ==" in out
    assert "visited_inn" in game.state.flags
    assert game.state.clock == 8 * 60 + 10
    assert game.state.turn == 1


def test_no_exit_and_locked_exit(game: Game) -> None:
    assert "south" in play(game, "s")
    assert game.state.location == "square"
    assert play(game, "north") == "The tower door is locked."
    assert game.state.location == "square"


def test_go_by_destination_name(game: Game) -> None:
    play(game, "go to the market")
    assert game.state.location == "market"


def test_examine_item_and_npc(game: Game) -> None:
    assert "Oak, bound in iron." in play(game, "x door")
    assert "A guildsman with ink on his cuffs." in play(game, "examine bren")
    assert "seems unfriendly toward you" in play(game, "x bren")


def test_take_uses_pack_template_and_moves_item(game: Game) -> None:
    assert play(game, "e", "take mug") == "You pocket the pewter mug."
    assert game.state.items["mug"] == PLAYER
    assert "pewter mug" in play(game, "i")
    assert "You already have the pewter mug." in play(game, "take mug")


def test_fixed_items_and_people_cannot_be_taken(game: Game) -> None:
    assert play(game, "take door") == "The tower door won't budge."
    assert play(game, "take mira") == "Mira would not appreciate that."


def test_take_missing_thing(game: Game) -> None:
    assert "unicorn" in play(game, "take unicorn")


def test_drop(game: Game) -> None:
    play(game, "drop flint")
    assert game.state.items["flint"] == "room:square"
    assert "aren't carrying any mug" in play(game, "drop mug")


def test_take_all_and_drop_all(game: Game) -> None:
    play(game, "w", "take all")
    assert game.state.items["apple"] == PLAYER
    assert game.state.items["statue"] == "room:market"
    play(game, "drop all")
    assert game.state.inventory(game.pack) == []


def test_disambiguation_question_and_answer(game: Game) -> None:
    assert play(game, "e", "take key") == "Which key: the iron key or the brass key?"
    assert play(game, "brass") == "You pocket the brass key."
    assert game.state.items["brass_key"] == PLAYER
    assert game.state.items["iron_key"] == "room:inn"


def test_answer_in_other_words(game: Game) -> None:
    play(game, "e", "take key")
    assert play(game, "the iron one") == "You pocket the iron key."
    assert play(game, "again") == "You already have the iron key."
    assert play(game, "g") == "You already have the iron key."


def test_a_new_command_instead_of_an_answer(game: Game) -> None:
    play(game, "e", "take key")
    play(game, "take mug")
    assert game.state.items["mug"] == PLAYER
    assert game.state.context.pending is None


def test_partial_names_and_it(game: Game) -> None:
    play(game, "e", "take bra")
    assert game.state.items["brass_key"] == PLAYER
    assert "Dented." in play(game, "x mug")
    play(game, "take it")
    assert game.state.items["mug"] == PLAYER


def test_give_wanted_item(game: Game) -> None:
    before = game.state.npcs["oda"].disposition
    out = play(game, "w", "take apple", "e", "e", "w", "e", "give apple to oda")
    assert "Oda" in out
    assert game.state.npcs["oda"].disposition == pytest.approx(before + 0.3)
    assert "gave_apple_oda" in game.state.flags
    assert game.state.quests["friend"].done
    assert "apple" not in game.state.items or game.state.items["apple"] == "npc:oda"


def test_give_unwanted_item_is_handed_back(game: Game) -> None:
    out = play(game, "e", "give flint to oda")
    assert "Oda" in out
    assert game.state.items["flint"] == PLAYER


def test_give_to_the_only_person_here(game: Game) -> None:
    play(game, "w", "take apple", "e", "e", "give apple")
    assert "gave_apple_oda" in game.state.flags


def test_use_needs_its_target_here(game: Game) -> None:
    play(game, "e", "take iron key")
    assert "tower_unlocked" not in game.state.flags
    play(game, "use iron key")
    assert "tower_unlocked" not in game.state.flags
    assert play(game, "w", "use iron key on door") == "The tower lock turns with a groan."
    assert {"tower_unlocked", "used_iron_key"} <= game.state.flags
    assert play(game, "use iron key") == "You have already done that."
    play(game, "n")
    assert game.state.location == "tower"


def test_use_reversed_order(game: Game) -> None:
    play(game, "e", "take iron key", "w", "use door with iron key")
    assert "tower_unlocked" in game.state.flags


def test_use_on_the_wrong_target(game: Game) -> None:
    play(game, "e", "take iron key", "w", "use iron key on bren")
    assert "tower_unlocked" not in game.state.flags


def test_use_item_without_use(game: Game) -> None:
    play(game, "e", "take mug", "use mug")
    assert game.state.flags == {"arrived", "visited_square", "visited_inn"}


def test_talk_and_ask(game: Game) -> None:
    out = play(game, "e", "talk to oda")
    assert 'Oda nods. "Dark night for it."' in out
    assert "talked_oda" in game.state.flags
    assert play(game, "ask oda about the lantern") == 'Oda: "Someone wanted it out," she says.'
    assert "asked_oda_lantern" in game.state.flags
    assert "Oda" in play(game, "ask oda about the weather")
    assert play(game, "ask about bren") == 'Oda: "Bren wants the tower for the guild."'


def test_say_answers_a_topic(game: Game) -> None:
    out = play(game, "e", 'say "What happened to the lantern?"')
    assert 'You say, "What happened to the lantern?"' in out
    assert "Someone wanted it out" in out


def test_wait_passes_time(game: Game) -> None:
    assert play(game, "time") == "It is Day 1, 08:00."
    play(game, "wait", "e", "take mug")
    assert play(game, "time") == "It is Day 1, 08:42."
    game.state.clock = 24 * 60 + 5
    assert play(game, "t") == "It is Day 2, 00:05."


def test_again_repeats_the_last_command(game: Game) -> None:
    play(game, "e", "w", "again")
    assert game.state.location == "market"
    assert play(Game(game.pack, seed=1), "g") == "There is nothing to repeat yet."


def test_help_quests_and_unknown(game: Game) -> None:
    assert "give THING to PERSON" in play(game, "help")
    assert "[0/2] Light the Lantern" in play(game, "quests")
    assert "help lists what you can do" in play(game, "tkae mug")


def test_quit(game: Game) -> None:
    assert game.submit("quit").quit


def test_empty_input_is_not_a_turn(game: Game) -> None:
    result = game.submit("   ")
    assert result.entries == []
    assert game.state.turn == 0


def test_conflict_choice_moves_the_flow(game: Game) -> None:
    before = game.state.conflicts["feud"].model_copy()
    play(game, "escalate")
    after = game.state.conflicts["feud"]
    assert after.intensity > before.intensity
    assert after.momentum > before.momentum
    assert after.progress > before.progress
    assert game.state.reputation["dangerous"] > 0.2


def test_support_and_oppose(game: Game) -> None:
    play(game, "support mira")
    assert "supported_mira" in game.state.flags
    assert game.state.npcs["mira"].disposition == pytest.approx(0.2)
    play(game, "oppose bren")
    assert "opposed_bren" in game.state.flags
    assert game.state.npcs["bren"].disposition == pytest.approx(-0.4)


def test_siding_with_someone_outside_the_conflict(pack: WorldPack) -> None:
    feud = pack.conflicts["feud"]
    without_mira = feud.model_copy(update={"stakeholders": {"bren": "instigator"}})
    game = Game(pack.model_copy(update={"conflicts": {"feud": without_mira}}), seed=7)
    before = game.state.conflicts["feud"]
    assert play(game, "support mira") == "You make your feelings about Mira plain."
    assert "supported_mira" in game.state.flags
    assert game.state.conflicts["feud"] == before
    assert play(game, "support bren").startswith("You stand with Bren in the tower feud.")
    assert game.state.conflicts["feud"].momentum > before.momentum
    game = Game(pack.model_copy(update={"conflicts": {}}), seed=7)
    assert play(game, "escalate") == "There is no conflict here for you to take part in."


def test_quest_completion_and_ending(game: Game) -> None:
    result = None
    for command in [
        "w",
        "take apple",
        "e",
        "e",
        "give apple to oda",
        "take iron key",
        "w",
        "use key on door",
        "n",
    ]:
        result = game.submit(command)
        assert result.state.ending is None
    result = game.submit("use flint on lamp")
    kinds = [e.kind for e in result.entries]
    assert EntryKind.QUEST in kinds
    assert kinds[-1] is EntryKind.ENDING
    assert result.entries[-1].title == "Light Returns"
    assert game.state.ending == "light"
    assert "The story has ended" in play(game, "n")
    assert "Village" not in play(game, "n")
    assert "Lantern Tower" in play(game, "look")


def test_peace_ending_by_calming_the_feud(game: Game) -> None:
    phases = []
    for _ in range(40):
        command = (
            "escalate"
            if game.state.conflicts["feud"].phase in ("rising", "confrontation")
            else "negotiate"
        )
        result = game.submit(command)
        phases.append(game.state.conflicts["feud"].phase)
        if result.ended:
            break
    assert game.state.ending == "peace"
    assert phases[-1] == "resolution"
    assert {"confrontation", "climax", "falling"} <= set(phases)


def test_same_seed_same_story(pack: WorldPack) -> None:
    commands = ["look", "e", "take key", "iron", "wait", "w", "escalate", "talk to bren", "z"]
    runs = []
    for _ in range(2):
        game = Game(pack, seed=42)
        runs.append([text_of(game.submit(c)) for c in commands])
        runs.append([game.state.state_hash()])
    assert runs[0] == runs[2]
    assert runs[1] == runs[3]


_COMMANDS = st.sampled_from(
    [
        "n",
        "s",
        "e",
        "w",
        "u",
        "d",
        "look",
        "x key",
        "take all",
        "drop all",
        "take key",
        "iron",
        "give apple to oda",
        "use key on door",
        "use flint",
        "talk to oda",
        "ask mira about feud",
        "say lantern",
        "escalate",
        "calm",
        "negotiate",
        "submit",
        "resist",
        "support bren",
        "oppose mira",
        "wait",
        "again",
        "it",
        "take it",
        "i",
        "quests",
        "help",
    ]
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(_COMMANDS, st.text(max_size=30)), max_size=40))
def test_any_commands_keep_the_state_valid(pack: WorldPack, commands: list[str]) -> None:
    game = Game(pack, seed=3)
    for command in commands:
        game.submit(command)
    state = game.state
    assert state.location in pack.locations
    assert all(-1 <= n.disposition <= 1 for n in state.npcs.values())
    assert all(0 <= v <= 1 for v in state.reputation.values())
    for flow in state.conflicts.values():
        assert 0 <= flow.intensity <= 1 and -1 <= flow.momentum <= 1 and 0 <= flow.progress <= 1
    assert all(item in pack.items for item in state.items)
    assert type(state).model_validate_json(state.canonical_json()) == state
