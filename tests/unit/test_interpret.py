"""The offline interpreter, on the test pack: free text read as the game's commands, what it
says it understood, several commands in a line, and what takes no turn."""

from __future__ import annotations

import pytest

from tests.helpers.rules_game import Game, text_of
from textrealms.engine.interpret.line import play_line, starts
from textrealms.engine.interpret.nouns import typo
from textrealms.engine.interpret.reading import gerund
from textrealms.engine.interpret.words import clauses, plain, slip, tokens
from textrealms.engine.parser import parse
from textrealms.engine.rules import TurnResult
from textrealms.engine.verbs.registry import BY_NAME
from textrealms.world.state import PLAYER


def typed(game: Game, line: str) -> TurnResult:
    """Play `line` as the game reads a typed line."""
    result = play_line(game.pack, game.state, parse(line))
    game.state = result.state
    return result


def said(result: TurnResult) -> str:
    return "\n\n".join(text_of(step) for step in result.steps)


@pytest.mark.parametrize(
    ("line", "plainly"),
    [
        ("I'd like to quietly take the mug please", "take the mug"),
        ("can i go north", "go north"),
        ("Let's look around carefully", "look around"),
        ("i", "i"),
        ("read the note again", "read the note"),
        ("i'd like to have a look at the board please", "look at the board"),
        ("take a look around", "look around"),
    ],
)
def test_politeness_and_filler_go(line: str, plainly: str) -> None:
    assert " ".join(plain(tokens(line))) == plainly


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("take key, then go north", ["take key", "go north"]),
        ("n. e. take mug", ["n", "e", "take mug"]),
        ("grab the mug and go west", ["grab the mug", "go west"]),
        ("take the mug and the apple", ["take the mug and the apple"]),
        ("talk to dr. penn", ["talk to dr penn"]),
    ],
)
def test_a_line_splits_into_its_commands(line: str, parts: list[str]) -> None:
    assert [" ".join(c) for c in clauses(line, starts)] == parts


def test_a_slip_is_a_letter_swapped_added_or_lost_never_changed() -> None:
    assert slip("tkae", "take")
    assert slip("nrth", "north")
    assert slip("takee", "take")
    assert not slip("sneak", "speak")
    assert not slip("take", "take")


def test_a_typo_in_a_noun_is_a_slip_or_two_in_a_long_word_never_another_word() -> None:
    assert typo("kye", "key")
    assert typo("pewtr", "pewter")
    assert typo("harmonca", "harmonica")
    assert typo("lantren", "lantern")
    assert not typo("ladder", "ledger")
    assert not typo("it", "ix")


@pytest.mark.parametrize(
    ("verb", "ing"),
    [("take", "taking"), ("drop", "dropping"), ("open", "opening"), ("go", "going")],
)
def test_gerunds(verb: str, ing: str) -> None:
    assert gerund(verb) == ing


def test_a_typo_in_a_noun_is_read_and_said(game: Game) -> None:
    typed(game, "e")
    result = typed(game, "take the pewtr mug")
    assert said(result).startswith("(taking the pewter mug)")
    assert game.state.items["mug"] == PLAYER


def test_a_slip_in_a_verb_is_read(game: Game) -> None:
    typed(game, "e")
    assert "(taking the pewter mug)" in said(typed(game, "tkae mug"))
    assert game.state.items["mug"] == PLAYER


def test_what_the_parser_places_is_played_as_typed(game: Game) -> None:
    result = typed(game, "e")
    assert result.command.raw == "e"
    assert result.command.understood is None
    assert not result.earlier


def test_several_commands_are_several_turns(game: Game) -> None:
    result = typed(game, "e. take mug, then go west")
    assert [step.command.raw for step in result.steps] == ["e", "take mug", "go west"]
    assert game.state.turn == 3
    assert game.state.location == "square"
    assert game.state.items["mug"] == PLAYER


def test_a_line_stops_at_the_first_command_that_fails(game: Game) -> None:
    result = typed(game, "go south, then go east")
    assert len(result.steps) == 1
    assert game.state.location == "square"


def test_what_cannot_be_placed_takes_no_turn(game: Game) -> None:
    for line in ("xyzzy", "take the moon", "sing to bren"):
        result = typed(game, line)
        assert game.state.turn == 0, line
        assert result.entries


def test_an_unknown_verb_points_to_help(game: Game) -> None:
    assert "help" in said(typed(game, "xyzzy"))


def test_when_unsure_it_asks_and_the_answer_completes_it(game: Game) -> None:
    typed(game, "e")
    result = typed(game, "take the key thing")
    assert said(result) == "Which do you mean: the iron key or the brass key?"
    assert game.state.turn == 1
    typed(game, "brass")
    assert game.state.items["brass_key"] == PLAYER


def test_a_question_of_the_rules_takes_no_turn(game: Game) -> None:
    typed(game, "e")
    assert said(typed(game, "take key")) == "Which key: the iron key or the brass key?"
    assert game.state.turn == 1


def test_asking_someone_what_they_know(game: Game) -> None:
    typed(game, "e")
    result = typed(game, "ask oda what she knows about the lantern")
    assert result.command.raw == "ask oda about lantern"
    assert said(result).startswith("(asking Oda about lantern)")


def test_going_to_a_place_by_its_name(game: Game) -> None:
    result = typed(game, "I'd like to walk over to the inn")
    assert game.state.location == "inn"
    assert said(result).startswith("(going east)")


def test_giving_someone_a_thing_in_their_words(game: Game) -> None:
    typed(game, "e")
    typed(game, "take mug")
    result = typed(game, "hand oda the mug")
    assert result.command.raw == "give pewter mug to oda"


def test_her_alone_is_the_person_here(game: Game) -> None:
    typed(game, "e")
    result = typed(game, "talk to her")
    assert result.command.raw == "talk to oda"
    assert said(result).startswith("(talking to Oda)")


@pytest.mark.parametrize("line", ["hand bren the mug", "ask bren what he knows about the lantern"])
def test_someone_not_here_is_not_taken_for_the_one_who_is(game: Game, line: str) -> None:
    typed(game, "e")
    typed(game, "take mug")
    result = typed(game, line)
    assert said(result) == "Bren isn't here."
    assert game.state.turn == 2
    assert game.state.items["mug"] == PLAYER


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("give oda the mug", "You aren't carrying any mug."),  # the gift, not "oda mug"
        ("take the key off oda", "Which do you mean: the iron key or the brass key?"),
    ],
)
def test_the_thing_of_a_sentence_is_the_thing_not_the_person(
    game: Game, line: str, answer: str
) -> None:
    typed(game, "e")
    assert said(typed(game, line)) == answer
    assert game.state.turn == 1


def test_a_greeting_to_no_one_in_particular_is_to_the_one_here(game: Game) -> None:
    typed(game, "e")
    for line in ("hello there", "good evening everyone"):
        answer = said(typed(game, line))
        assert answer.startswith("(") and "Oda)" in answer


STANDARD = ("open", "knock", "show", "tell", "attack", "what_now", "greet")
standard_verbs = pytest.mark.skipif(
    not set(STANDARD) <= set(BY_NAME),
    reason="the standard verbs of parser IF come with the verbs branch of issue 16",
)
"""Tests of free text read as the standard verbs: they run once the registry has them."""


@standard_verbs
@pytest.mark.parametrize(
    ("setup", "line", "played"),
    [
        ([], "I'd like to carefully open the tower door", "open tower door"),
        ([], "knock on the door please", "knock tower door"),
        (["e", "take mug"], "show oda the mug", "show pewter mug to oda"),
        (["e"], "tell oda the lantern is lit", "tell oda about lantern"),
        (["e"], "i'd like to punch oda in the face", "attack oda"),
        (["e"], "hello there", "greet oda"),
    ],
)
def test_free_text_is_read_as_the_standard_verbs(
    game: Game, setup: list[str], line: str, played: str
) -> None:
    for command in setup:
        typed(game, command)
    result = typed(game, line)
    assert result.command.raw == played
    assert said(result).startswith("(")


@standard_verbs
def test_what_should_i_do_is_asking_what_now(game: Game) -> None:
    result = typed(game, "what should i do now")
    assert result.command.verb == "what_now"
    assert game.state.turn == 0


def test_asking_for_advice_is_no_order_to_act(game: Game) -> None:
    typed(game, "e")
    typed(game, "should i take the mug?")
    assert game.state.turn == 1
    assert game.state.items["mug"] != PLAYER


def test_a_short_word_is_read_as_a_verb_only_with_its_letters_swapped(game: Game) -> None:
    typed(game, "e")
    assert typed(game, "hit the lamp with the mug").command.verb != "hint"
    typed(game, "gte mug")
    assert game.state.items["mug"] == PLAYER


def test_quitting_something_is_not_quitting_the_game(game: Game) -> None:
    result = typed(game, "quit talking to bren")
    assert not result.quit
    assert "help" in said(result)
    assert game.state.turn == 0


def test_words_after_a_name_that_name_no_topic_are_asked_about(game: Game) -> None:
    typed(game, "e")
    assert said(typed(game, "ask oda the weather is fine")) == "Ask Oda about what?"
    assert game.state.turn == 1


def test_going_to_a_place_further_off_walks_there_a_turn_a_step(game: Game) -> None:
    """`go to the inn` from the market was refused: the inn is two rooms away."""
    typed(game, "e")
    typed(game, "w")
    typed(game, "w")
    turn = game.state.turn
    result = typed(game, "go to the inn")
    assert game.state.location == "inn"
    assert game.state.turn == turn + 2
    assert said(result).startswith("(walking: east, east)")
    assert "Village Square" in said(result)  # the room walked through is seen


def test_a_place_not_seen_or_out_of_reach_is_no_walk(game: Game) -> None:
    """A place next to one seen is walked to (its way is in the seen place's prose); one
    beyond them, or shut off, is not."""
    typed(game, "e")
    result = typed(game, "go to the market")
    assert game.state.location == "market"
    assert said(result).startswith("(walking: west, west)")
    before = game.state
    result = typed(game, "walk to the lantern tower")
    assert game.state == before
    assert "Lantern Tower" in said(result) and "haven't been" in said(result)
    game.state = game.state.model_copy(update={"flags": game.state.flags | {"visited_tower"}})
    typed(game, "w")
    typed(game, "w")
    turn = game.state.turn
    result = typed(game, "walk to the lantern tower")
    assert game.state.turn == turn
    assert "no open way" in said(result)
