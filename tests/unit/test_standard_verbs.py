"""The standard verbs of parser IF: each answers by default in plain words (changing
nothing, taking no time, when it does nothing), and reads the pack's responses first."""

from __future__ import annotations

import pytest

from tests.helpers.rules_game import Game, play, text_of
from textrealms.engine.parser import parse
from textrealms.world.defaults import DEFAULT_TEMPLATES
from textrealms.world.schema import WorldPack
from textrealms.world.state import GONE, PLAYER
from textrealms.world.templates import render


def variants(key: str, **values: str) -> list[str]:
    """The engine's lines for template `key`, filled in (Test Vale's people are "they")."""
    fill = {"their": "their", "them": "them", **values}
    return [render(v, fill) for v in DEFAULT_TEMPLATES[key]]


def unchanged(game: Game, command: str) -> str:
    """Play `command`, which must change nothing in the world and take no time."""
    before = game.state
    text = play(game, command)
    after = game.state
    assert (after.clock, after.items, after.flags, after.npcs, after.location) == (
        before.clock,
        before.items,
        before.flags,
        before.npcs,
        before.location,
    ), command
    return text


@pytest.mark.parametrize(
    ("line", "verb", "noun", "second"),
    [
        ("open the door", "open", "door", None),
        ("unlock door with key", "unlock", "door", "key"),
        ("take key from oda", "take_from", "key", "oda"),
        ("take the suit off", "take_off", "suit", None),
        ("remove suit", "take_off", "suit", None),
        ("put the suit on", "wear", "suit", None),
        ("put on suit", "wear", "suit", None),
        ("put flint in lamp", "put", "flint", "lamp"),
        ("put the mug down", "drop", "mug", None),
        ("look in the sacks", "search", "sacks", None),
        ("look under the bed", "search", "bed", None),
        ("look behind the altar", "search", "altar", None),
        ("look at the altar", "examine", "altar", None),
        ("show poppet to vesk", "show", "poppet", "vesk"),
        ("tell hobb about wenna", "tell", "hobb", "wenna"),
        ("tell hobb that the witch is innocent", "tell", "hobb", "witch is innocent"),
        ("knock on the door", "knock", "door", None),
        ("listen to the piano", "listen", "piano", None),
        ("who am I?", "me", None, None),
        ("x me", "me", None, None),
        ("where am i", "where", None, None),
        ("what now?", "what_now", None, None),
        ("hello?", "greet", None, None),
        ("hi maud", "greet", "maud", None),
        ("punch hobb", "attack", "hobb", None),
        ("climb the ladder", "climb", "ladder", None),
        ("accuse mabry", "oppose", "mabry", None),
    ],
)
def test_the_words_players_use(line: str, verb: str, noun: str | None, second: str | None) -> None:
    command = parse(line)
    assert (command.verb, command.noun, command.second) == (verb, noun, second)


def test_a_door_answers_for_the_way_it_shuts(game: Game) -> None:
    assert unchanged(game, "open door") == "The tower door is locked."
    assert unchanged(game, "unlock door") == "The tower door is locked."
    play(game, "e", "take iron key", "w")
    assert play(game, "unlock door") == "The tower lock turns with a groan."
    assert "tower_unlocked" in game.state.flags
    assert unchanged(game, "open door") == "The way past the tower door is open."


def test_a_key_unlocks_what_its_use_names(game: Game) -> None:
    play(game, "e", "take iron key", "take brass key", "w")
    assert unchanged(game, "unlock door with brass key") in variants("unlock", item="tower door")
    assert play(game, "unlock door with iron key") == "The tower lock turns with a groan."


def test_a_thing_used_on_another_is_what_putting_or_showing_it_does(game: Game) -> None:
    play(game, "e", "take iron key", "w")
    assert play(game, "put key in door") == "The tower lock turns with a groan."
    play(game, "n")
    assert play(game, "put flint in lamp").startswith("Sparks catch; the great lamp blooms")


def test_putting_a_thing_leaves_it_here(game: Game) -> None:
    play(game, "w")
    text = play(game, "put flint on statue")
    assert text in variants("put", item="flint", target="stone statue")
    assert game.state.items["flint"] == "room:market"


@pytest.mark.parametrize(
    ("command", "key", "thing"),
    [
        ("close statue", "close", "stone statue"),
        ("lock statue", "lock", "stone statue"),
        ("open statue", "open", "stone statue"),
        ("push statue", "push", "stone statue"),
        ("pull statue", "pull", "stone statue"),
        ("touch statue", "touch", "stone statue"),
        ("ring statue", "ring", "stone statue"),
        ("knock on statue", "knock", "stone statue"),
        ("climb statue", "climb", "stone statue"),
        ("wear apple", "wear", "red apple"),
        ("take off apple", "take_off", "red apple"),
        ("eat apple", "eat", "red apple"),
        ("drink apple", "drink", "red apple"),
        ("smell statue", "smell", "stone statue"),
        ("listen to statue", "listen", "stone statue"),
        ("attack statue", "attack_thing", "stone statue"),
    ],
)
def test_a_verb_that_does_nothing_says_so_and_takes_no_time(
    game: Game, command: str, key: str, thing: str
) -> None:
    play(game, "w")
    assert unchanged(game, command) in variants(key, item=thing)


def test_people_are_not_things(game: Game) -> None:
    for command in ("open mira", "push bren", "wear mira", "eat bren"):
        assert unchanged(game, command) in variants("person", npc=command.split()[-1].title())


def test_attacking_hurts_no_one(game: Game) -> None:
    assert unchanged(game, "punch bren") in variants("attack", npc="Bren")
    assert game.state.npcs["bren"].disposition == game.pack.npcs["bren"].disposition


def test_taking_from_someone_takes_their_word_for_it(game: Game) -> None:
    assert unchanged(game, "take key from bren") in variants("take_from", npc="Bren")


def test_taking_from_a_thing_takes_what_is_here(game: Game) -> None:
    play(game, "e")
    play(game, "take mug from table")
    assert game.state.items["mug"] != PLAYER  # there is no table here
    play(game, "w", "w")
    play(game, "take apple from statue")
    assert game.state.items["apple"] == PLAYER


def test_search_and_read(game: Game) -> None:
    assert (
        unchanged(game, "search") == "You search Village Square carefully. You turn up: tower door."
    )
    assert unchanged(game, "search the room").startswith("You search Village Square")
    text = unchanged(game, "look under the door")
    assert text.startswith("Oak, bound in iron.")
    assert text.splitlines()[-1] in variants("search", item="tower door")
    assert unchanged(game, "read door") == "Oak, bound in iron."


def test_the_senses_read_the_place(game: Game) -> None:
    play(game, "e")
    assert unchanged(game, "smell") == "You breathe in. Woodsmoke curls along the rafters."
    assert unchanged(game, "listen") == "You listen. Nothing out of the ordinary reaches you."


def test_who_and_where_am_i_and_what_now(game: Game) -> None:
    me = unchanged(game, "who am I?")
    assert me.startswith(game.pack.world.intro)
    assert "You are carrying: flint." in me
    assert "People here see you as mysterious and trustworthy." in me
    where = unchanged(game, "where am i")
    assert where.startswith("You are at Village Square. Cobbles, a dry fountain")
    assert "Bren and Mira are here." in where
    assert where.endswith("Exits: north, east, west.")
    play(game, "e", "w")
    assert unchanged(game, "where am i").endswith("Exits: north, east to The Low Inn, west.")
    now = unchanged(game, "what now")
    assert now == unchanged(game, "what now")  # it does not use the hint up
    assert now.startswith("Light the Lantern: ") and now.endswith("(For more, type hint.)")
    assert game.state.hints == {}


def test_greeting(game: Game) -> None:
    assert unchanged(game, "hello") == "Greet whom?"
    play(game, "hi mira")
    assert "talked_mira" in game.state.flags
    play(game, "w")
    assert unchanged(game, "hello?") == "There is no one here to greet."


def test_climbing_goes_the_one_way_up_or_down(game: Game) -> None:
    assert unchanged(game, "climb") == "There is nothing here to climb."
    play(game, "e", "take iron key", "w", "unlock door", "n")
    play(game, "climb down the stairs")
    assert game.state.location == "square"


# The pack's responses (format 2: on.<verb>), on the ferry


def test_a_response_plays_in_place_of_the_default(ferry: WorldPack) -> None:
    game = Game(ferry, seed=1)
    play(game, "n")
    clock = game.state.clock
    rung = play(game, "ring bell")
    assert rung.startswith("The tide bell clangs out over the water")
    assert "bell_rung" in game.state.flags
    assert game.state.npcs["tam"].location == "shed"
    assert game.state.clock > clock
    again = unchanged(game, "ring bell")  # takes_time = false
    assert again == "You have rung it once already; Tam is glaring."


def test_a_response_gives_and_removes_things_and_moves_the_conflict(ferry: WorldPack) -> None:
    game = Game(ferry, seed=1)
    result = game.submit("push crate")
    assert game.state.items["crate"] == GONE
    assert "Splash" in [e.title for e in result.entries]  # its flag brings the event
    assert game.state.conflicts["crossing"].phase == "resolution"
    game = Game(ferry, seed=1)
    play(game, "n")
    assert play(game, "take coin from vell").startswith("Vell laughs")
    assert game.state.items["token"] == PLAYER
    assert "Vell laughs" not in play(game, "take coin from vell")  # it holds no longer
    play(game, "attack vell")
    assert game.state.conflicts["crossing"].phase == "confrontation"


def test_a_response_with_another_object(ferry: WorldPack) -> None:
    game = Game(ferry, seed=1)
    assert unchanged(game, "show ticket to tam") == 'Tam squints at the ticket. "Use it, then."'
    shown = text_of(game.submit("show crate to tam"))
    assert '"Contraband. Sink it or stay ashore."' in shown  # his word on the crate


def test_a_topic_answers_to_its_aliases(ferry: WorldPack) -> None:
    game = Game(ferry, seed=1)
    assert play(game, "ask tam about fish") == (
        'Tam the ferryman: "Contraband. Sink it or stay ashore."'
    )
    assert "asked_tam_crate" in game.state.flags


def test_help_is_no_turn(pack: WorldPack) -> None:
    game = Game(pack)
    game.submit("help")
    assert game.state.turn == 0


def test_telling_is_not_asking(ferry: WorldPack) -> None:
    """`tell X about Y` answered as `ask X about Y` did, after a line of its own: the
    pack's `on.tell` is read first, else the person takes in being told."""
    game = Game(ferry, seed=1)
    told = play(game, "tell tam about the crate")
    assert told == 'Tam\'s jaw sets. "Then it stays ashore, and so do you."'
    told = play(game, "tell tam about the ferry")
    assert told.startswith("You tell Tam the ferryman")
    assert "Nine sharp" not in told
    assert "asked_tam_ferry" not in game.state.flags
    assert told.split("\n\n")[1] in [
        render(v, {"npc": "Tam the ferryman", "their": "his", "them": "him", "topic": "ferry"})
        for v in DEFAULT_TEMPLATES["told"]
    ]


def test_what_a_place_describes_can_be_examined(ferry: WorldPack) -> None:
    """Blind players were refused `x desk`, `x porthole`, `x cots`: things the room's own
    description names. The pack's scenery answers first, else the description's sentence
    that names the thing; what it does not name is still not there."""
    game = Game(ferry, seed=1)
    assert (
        play(game, "x water")
        == "Black, and moving faster than it looks. Nobody swims the Lisk twice."
    )
    board = play(game, "examine the board")
    assert board.startswith("A board says LAST FERRY IN ")
    assert "{" not in board
    assert play(game, "look at stone") == "Wet stone running down into black water."
    assert play(game, "x unicorn") == text_of(Game(ferry, seed=1).submit("x unicorn"))
    assert "unicorn" in play(game, "x unicorn")
