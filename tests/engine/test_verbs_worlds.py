"""The verbs players type, in the shipped worlds: issue 16's "missing verbs", each
answered by the world in its own voice (its `on.<verb>` responses) or by the engine's
sensible default, and changing the world only when the player meant it."""

from __future__ import annotations

import pytest

from tests.helpers.paths import ROOT
from tests.helpers.rules_game import Game, hand, play, stand, text_of
from textrealms.engine.interpret.line import play_line
from textrealms.engine.parser import parse
from textrealms.world.loader import load_pack
from textrealms.world.schema import WorldPack
from textrealms.world.state import PLAYER, GameState

PACKS: dict[str, WorldPack] = {}


def game(world: str, location: str | None = None, *items: str) -> Game:
    """A new game of `world` (seed 1), the player at `location` with `items`."""
    if world not in PACKS:
        PACKS[world] = load_pack(ROOT / "worlds" / world)
    played = Game(PACKS[world], seed=1)
    if location is not None:
        stand(played, location)
    for item in items:
        hand(played, item)
    return played


def unchanged(played: Game, command: str) -> str:
    """Play `command`, which must leave the world as it was and take no time."""
    before: GameState = played.state
    text = play(played, command)
    after = played.state
    assert (after.clock, after.items, after.flags, after.location) == (
        before.clock,
        before.items,
        before.flags,
        before.location,
    ), command
    assert after.npcs == before.npcs and after.conflicts == before.conflicts, command
    return text


def test_open_door() -> None:
    cobb = unchanged(game("emberfall", "granary_yard"), "open door")
    assert cobb.startswith("Dunstan Cobb shifts his bulk in front of the granary door.")
    seal = unchanged(game("kestrel-station", "lab_corridor"), "open the door")
    assert "MEDICAL OFFICER RELEASE REQUIRED" in seal


def test_unlock_door_with_key() -> None:
    pier = game("rainmouth", "pier_nine", "keyring")
    assert play(pier, "unlock door with key").startswith("The brass key goes into the Brotherhood")
    assert "warehouse_open" in pier.state.flags
    shut = unchanged(game("rainmouth", "pier_nine"), "open door")
    assert shut.startswith("Warehouse 12's door is chained shut with a fat Brotherhood padlock.")


def test_show_poppet_to_vesk() -> None:
    shown = play(game("emberfall", "temple_nave", "corn_poppet"), "show poppet to vesk")
    assert shown.startswith("Provost Aurelian Vesk's eyes touch the poppet and leave it")


@pytest.mark.parametrize("command", ["wear suit", "put on suit", "put the suit on"])
def test_wear_suit(command: str) -> None:
    locker = game("kestrel-station", "suit_locker")
    assert play(locker, command).startswith("You climb into the suit")
    assert "suit_sealed" in locker.state.flags
    assert locker.state.items["eva_suit"] == PLAYER  # worn, and carried as worn things are
    elsewhere = unchanged(game("kestrel-station", "engineering", "eva_suit"), command)
    assert "Suit up at the hatch" in elsewhere


def test_search_the_room_carefully() -> None:
    assert unchanged(game("emberfall"), "search the room carefully") == (
        "You search Thornstile Gate carefully. You turn up: ribboned sheaves."
    )


def test_climb_ladder() -> None:
    pier = game("rainmouth", "pier_nine")
    play(pier, "climb ladder")
    assert pier.state.location == "under_pier"
    assert unchanged(game("kestrel-station", "spine_hub"), "climb ladder") == "Up or down?"


def test_ring_bell() -> None:
    hall = game("emberfall", "moot_hall")
    assert unchanged(hall, "ring bell").startswith("Reeve Maud Oake's hand closes over yours")
    assert unchanged(hall, "pull the rope").startswith("Reeve Maud Oake's hand closes over")


def test_the_bell_rings_once_the_truth_is_in() -> None:
    hall = game("emberfall", "moot_hall")
    ready = {"gave_tally_book_maud", "blackspur_named", "pell_confessed"}
    hall.state = hall.state.model_copy(update={"flags": hall.state.flags | ready})
    play(hall, "wait")  # the proof is all in: the bell waits for the player
    result = hall.submit("ring bell")
    assert text_of(result).startswith("You reach for the rope, and Reeve Maud Oake's hands")
    assert "The Moot Bell" in [e.title for e in result.entries]
    assert unchanged(hall, "pull the rope").startswith("The rope hangs still.")


def test_knock_on_door() -> None:
    yard = unchanged(game("emberfall", "granary_yard"), "knock on door")
    assert "your knuckles land on his shoulder" in yard
    lab = unchanged(game("kestrel-station", "lab_corridor"), "knock on the door")
    assert lab.endswith("long, short, short, long.")


def test_accuse_mabry_takes_a_side() -> None:
    assert parse("accuse mabry").verb == "oppose"
    precinct = game("rainmouth", "precinct")
    assert play(precinct, "accuse mabry").startswith("You set yourself against Captain Roy Mabry")
    assert "opposed_mabry" in precinct.state.flags


def test_arrest_or_punch_mabry_harms_no_one() -> None:
    for command in ("arrest mabry", "punch the captain"):
        answer = unchanged(game("rainmouth", "precinct"), command)
        assert answer.startswith("Mabry doesn't even get up.")


def test_punch_hobb() -> None:
    answer = unchanged(game("emberfall", "village_green"), "punch hobb")
    assert answer.startswith("Hobb Corvell catches your fist")


def test_listen_hears_the_place() -> None:
    assert unchanged(game("rainmouth", "drowned_violin"), "listen").startswith("You listen. ")
    heard = unchanged(game("kestrel-station", "spine_hub"), "listen")
    assert "single boot" not in heard  # a thing seen is not a sound


def test_hello() -> None:
    green = game("emberfall", "village_green")
    assert play(green, "hello").startswith("You turn to Hobb Corvell.")
    assert "talked_hobb" in green.state.flags


@pytest.mark.parametrize("command", ["x me", "who am I?"])
def test_who_am_i(command: str) -> None:
    played = game("emberfall")
    me = unchanged(played, command)
    assert me.startswith(played.pack.world.intro.split("\n")[0])
    assert "You are carrying: crumpled letter." in me


def test_take_key_from_dunstan() -> None:
    answer = unchanged(game("emberfall", "granary_yard"), "take key from dunstan")
    assert answer.startswith("Dunstan Cobb's fist closes round the key")


def test_tell_hobb_the_witch_is_innocent() -> None:
    answer = play(game("emberfall", "village_green"), "tell hobb the witch is innocent")
    assert answer.startswith("Hobb Corvell hears you out")  # his own `on.tell`
    assert "Everyone knows what Wenna Rooke is." in answer


@pytest.mark.parametrize(
    ("world", "location", "line"),
    [
        ("kestrel-station", "medbay", "x cots"),
        ("kestrel-station", "medbay", "x porthole"),
        ("rainmouth", "office", "x desk"),
        ("rainmouth", "office", "x window"),
    ],
)
def test_blind_players_examine_what_the_room_describes(
    world: str, location: str, line: str
) -> None:
    """They were told "There's no porthole here" under the room's own porthole."""
    played = game(world, location)
    said = text_of(play_line(played.pack, played.state, parse(line)))
    place = played.pack.locations[location]
    written = [place.description, *(line.text for v in place.scenery.values() for line in v)]
    assert any(said in text for text in written), said


@pytest.mark.parametrize("world", ["emberfall", "kestrel-station", "rainmouth"])
def test_every_scenery_entry_answers_in_its_place(world: str) -> None:
    played = game(world)
    for location_id, location in played.pack.locations.items():
        stand(played, location_id)
        for noun, lines in location.scenery.items():
            said = text_of(play_line(played.pack, played.state, parse(f"x {noun}")))
            assert said in [line.text for line in lines], (location_id, noun, said)


def test_saying_hello_to_someone_greets_them() -> None:
    """Blind play, round 3: `say hello to the detective` was said aloud, to no one."""
    played = game("kestrel-station")
    text = play(played, "say hello to the doctor")
    assert "hello to the doctor" not in text
    assert "Penn" in text
    assert 'You say, "hello"' in play(played, "say hello")


def test_putting_what_someone_wants_into_them_hands_it_over() -> None:
    """Blind play, round 4: `plug the ethics module back into MOTH` got "That is not
    something to do to MOTH"; giving it worked."""
    played = game("kestrel-station", "command", "ethics_module")
    text = play(played, "put the ethics module in moth")
    assert "You give the ethics module to MOTH" in text
    assert played.state.items["ethics_module"] == "npc:moth"
