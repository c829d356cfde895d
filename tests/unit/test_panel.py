"""The side panel's view of the game and command completion: both from the engine."""

from __future__ import annotations

from tests.helpers.rules_game import Game, play
from textrealms.engine.complete import common_prefix, complete, nouns, verbs
from textrealms.engine.panel import panel


def test_panel_shows_the_room_people_things_and_the_conflict(game: Game) -> None:
    view = panel(game.pack, game.state)
    assert view.place == "Village Square"
    assert [w.direction for w in view.exits] == ["north", "east", "west"]
    assert view.inventory == ["flint"]
    assert [c.name for c in view.conflicts] == ["the tower feud"]
    assert set(view.reputation) >= {"trustworthy", "dangerous"}
    assert ("east", None) in [(w.direction, w.place) for w in view.exits]  # not been yet
    play(game, "east")
    view = panel(game.pack, game.state)
    assert view.place == "The Low Inn"
    assert [(w.direction, w.place) for w in view.exits] == [("west", "Village Square")]
    play(game, "west")
    assert ("east", "The Low Inn") in [
        (w.direction, w.place) for w in panel(game.pack, game.state).exits
    ]


def test_panel_people_carry_the_mood_examine_reports(game: Game) -> None:
    for person in panel(game.pack, game.state).people:
        text = play(game, f"examine {person.name}")
        assert f"seems {person.mood} toward you" in text


def test_panel_standing_matches_the_reputation_command(game: Game) -> None:
    text = play(game, "reputation")
    for faction, feeling in panel(game.pack, game.state).standing:
        assert f"{faction}: {feeling}" in text


def test_panel_tension_follows_the_turns(game: Game) -> None:
    assert len(panel(game.pack, game.state).tension) == len(game.state.director.tension)


def test_verbs_are_whole_words_the_parser_knows() -> None:
    known = verbs()
    assert {"take", "talk to", "examine", "north", "inventory"} <= set(known)
    assert "x" not in known and "n" not in known


def test_completion_of_verbs_and_nouns_in_scope(game: Game) -> None:
    assert complete(game.pack, game.state, "exa") == ["examine"]
    assert "talk to" in complete(game.pack, game.state, "tal")
    assert complete(game.pack, game.state, "drop fl") == ["drop flint"]
    assert complete(game.pack, game.state, "take iron") == []  # the key is in the inn
    play(game, "east")
    assert "iron key" in nouns(game.pack, game.state)
    assert complete(game.pack, game.state, "take iron k") == ["take iron key"]
    assert complete(game.pack, game.state, "Take Iron") == ["Take iron key"]
    assert complete(game.pack, game.state, "") == []


def test_completion_offers_what_the_verb_takes_in_the_order_of_what_is_here(game: Game) -> None:
    def offered(text: str) -> list[str]:
        return complete(game.pack, game.state, text)

    assert offered("talk to ") == ["talk to bren", "talk to mira"]  # people, not the flint
    assert offered("examine ") == [
        "examine tower door",  # lying here
        "examine bren",  # standing here
        "examine mira",
        "examine flint",  # carried
    ]
    assert offered("take the t") == ["take the tower door"]
    assert offered("drop ") == ["drop flint"]
    assert offered("give ") == ["give flint"]
    assert offered("give flint ") == ["give flint to"]
    assert offered("give flint to ") == ["give flint to bren", "give flint to mira"]
    assert "use flint on flint" not in offered("use flint on ")
    assert offered("go ") == ["go north", "go east", "go west"]
    assert offered("ask ") == ["ask bren", "ask mira"]
    assert offered("ask mira ") == ["ask mira about"]
    assert offered("ask mira about ") == ["ask mira about feud"]
    assert offered("say h") == []  # free text
    play(game, "east")
    assert offered("ask about ") == ["ask about lantern", "ask about bren"]  # Oda, alone here
    assert offered("go ") == ["go west", "go village square"]  # been there


def test_common_prefix() -> None:
    assert common_prefix(["take iron key", "take iron kettle"]) == "take iron ke"
    assert common_prefix(["talk", "talk to"]) == "talk"
    assert common_prefix([]) == ""
