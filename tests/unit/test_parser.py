"""The parser: verbs, synonyms, directions, structure; any input parses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textrealms.engine.parser import parse


@pytest.mark.parametrize(
    ("text", "verb", "fields"),
    [
        ("n", "go", {"direction": "north"}),
        ("SW", "go", {"direction": "southwest"}),
        ("u", "go", {"direction": "up"}),
        ("out", "go", {"direction": "out"}),
        ("enter", "go", {"direction": "in"}),
        ("go north", "go", {"direction": "north"}),
        ("Walk to the West", "go", {"direction": "west"}),
        ("go tavern", "go", {"noun": "tavern"}),
        ("look", "look", {}),
        ("l", "look", {}),
        ("look at the iron key", "examine", {"noun": "iron key"}),
        ("x key", "examine", {"noun": "key"}),
        ("examine an apple", "examine", {"noun": "apple"}),
        ("i", "inventory", {}),
        ("inventory", "inventory", {}),
        ("take the lamp", "take", {"noun": "lamp"}),
        ("get lamp", "take", {"noun": "lamp"}),
        ("pick up the lamp", "take", {"noun": "lamp"}),
        ("drop mug", "drop", {"noun": "mug"}),
        ("give the apple to Oda", "give", {"noun": "apple", "second": "oda"}),
        ("use key", "use", {"noun": "key"}),
        ("use the key on the door", "use", {"noun": "key", "second": "door"}),
        ("use flint with lamp", "use", {"noun": "flint", "second": "lamp"}),
        ("talk to Oda", "talk", {"noun": "oda"}),
        ("talk oda", "talk", {"noun": "oda"}),
        ("ask oda about the lantern", "ask", {"noun": "oda", "second": "lantern"}),
        ('say "Hello there"', "say", {"text": "Hello there"}),
        ('"Who put out the light?"', "say", {"text": "Who put out the light?"}),
        ("wait", "wait", {}),
        ("z", "wait", {}),
        ("again", "again", {}),
        ("g", "again", {}),
        ("help", "help", {}),
        ("quit", "quit", {}),
        ("quests", "quests", {}),
        ("escalate", "escalate", {}),
        ("de-escalate", "deescalate", {}),
        ("calm", "deescalate", {}),
        ("calm down", "deescalate", {}),
        ("negotiate", "negotiate", {}),
        ("submit", "submit", {}),
        ("resist", "resist", {}),
        ("support Bren", "support", {"noun": "bren"}),
        ("side with mira", "support", {"noun": "mira"}),
        ("oppose bren", "oppose", {"noun": "bren"}),
    ],
)
def test_verbs_and_synonyms(text: str, verb: str, fields: dict[str, str]) -> None:
    command = parse(text)
    assert command.verb == verb
    for name, value in fields.items():
        assert getattr(command, name) == value


def test_an_unknown_verb_is_left_for_the_interpreter_to_read() -> None:
    command = parse("tkae key")
    assert command.verb == "unknown"
    assert command.suggestion is None


def test_nonsense_is_unknown_without_suggestion() -> None:
    assert parse("xyzzy").verb == "unknown"
    assert parse("!!!").verb == "unknown"
    assert parse("   ").verb == "empty"


@given(st.text())
def test_any_text_parses(text: str) -> None:
    assert parse(text).raw == text
