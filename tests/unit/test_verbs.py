"""The verb registry is the one table of verbs: help, the parser, the palette, the README
and the offline narrator all agree with it."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.helpers.paths import ROOT
from textrealms.engine.parser import parse
from textrealms.engine.verbs import names
from textrealms.engine.verbs.game import without_session
from textrealms.engine.verbs.registry import BY_NAME, FAMILIES, HELP, PALETTE, VERBS
from textrealms.engine.verbs.verb import Kind, Verb
from textrealms.llm.offline import narrate, react
from textrealms.tui.app import GAME_COMMANDS

TYPED = [v for v in VERBS if v.phrases]
"""The verbs a player types (not `unknown`, which is what a line without one parses to)."""
EXAMPLES = {
    "THING": "lamp",
    "PERSON": "mira",
    "TOPIC": "well",
    "NAME": "mine",
    "DIR": "north",
    "PLACE": "market",
    '"..."': '"hello"',
}
"""A word for each placeholder that help and the README write."""
NARRATOR_TABLES = (
    narrate.CHOICE_AFTERMATH,
    narrate.PLACE_KEYS,
    react.DEEDS,
    react.HOT,
    react.COOL,
)
"""The offline narrator's tables keyed by a task's verb or deed (`textrealms.llm.offline`)."""


def example(usage: str) -> str:
    """A command as a player would type it, from a usage such as `give THING to PERSON`."""
    line = usage.replace("[", "").replace("]", "")
    return " ".join(EXAMPLES.get(word, word) for word in line.split())


def usage_of(verb: Verb) -> str:
    """The part of a verb's help that shows how it is typed (go's ends its help)."""
    assert verb.help is not None
    firsts = {phrase.split()[0] for phrase in verb.phrases}
    return next(p for p in verb.help.split(", ") if p.split()[0] in firsts).split(" (")[0]


def test_one_object_per_verb() -> None:
    assert len({v.name for v in VERBS}) == len(VERBS)
    assert all(isinstance(v, Verb) for v in VERBS)
    assert BY_NAME.keys() == {v.name for v in VERBS}


def test_aliases_are_unique_across_verbs() -> None:
    counts = Counter(phrase for verb in VERBS for phrase in verb.phrases)
    assert [phrase for phrase, n in counts.items() if n > 1] == []


def test_every_verb_has_a_handler_or_is_a_session_command() -> None:
    for verb in VERBS:
        assert callable(verb.handler)
        assert verb.session == (verb.handler is without_session), verb.name


def test_the_names_module_names_registered_verbs() -> None:
    named = {v for k, v in vars(names).items() if k.isupper() and isinstance(v, str)}
    assert named - set(BY_NAME) == {names.EMPTY}


@pytest.mark.parametrize("verb", TYPED, ids=lambda v: v.name)
def test_every_phrase_parses_to_its_verb(verb: Verb) -> None:
    for phrase in verb.phrases:
        assert parse(phrase).verb == verb.name, phrase


@pytest.mark.parametrize("verb", TYPED, ids=lambda v: v.name)
def test_slots_parse_as_declared(verb: Verb) -> None:
    command = parse(example(usage_of(verb)))
    assert command.verb == verb.name
    slots = verb.syntax.slots
    first = (
        {
            Kind.DIRECTION: command.direction,
            Kind.TEXT: command.text,
        }.get(slots[0].kind, command.noun)
        if slots
        else command.noun
    )
    assert (first is not None) == bool(slots)
    assert (command.second is not None) == (len(slots) == 2)


def test_help_reads_as_it_always_has() -> None:
    assert HELP == (
        "Move: north/south/east/west (n s e w ne nw se sw), up/down (u d), in/out, go DIR\n"
        "Look: look (l), examine THING (x), inventory (i), quests, time, rumors, reputation, "
        "hint\n"
        "Things: take THING, drop THING, give THING to PERSON, use THING [on THING]\n"
        'People: talk to PERSON, ask PERSON about TOPIC, say "..."\n'
        "Conflict: escalate, de-escalate (calm), negotiate, submit, resist, support PERSON, "
        "oppose PERSON\n"
        "Other: wait (z), wait until TIME, again (g), help, quit\n"
        "Game: save NAME, load NAME, saves, undo, restart"
    )


def test_help_has_a_row_per_family_and_shows_every_verb_a_player_types() -> None:
    rows = HELP.splitlines()
    assert [row.split(":")[0] for row in rows] == [f.title for f in FAMILIES]
    assert all(v.help is not None for v in TYPED)
    for family, row in zip(FAMILIES, rows, strict=True):
        for verb in family.verbs:
            assert verb.help is None or verb.help in row


@pytest.mark.parametrize("verb", TYPED, ids=lambda v: v.name)
def test_every_word_help_shows_parses_to_its_verb(verb: Verb) -> None:
    """`north/south`, `(n s e w)`, `examine THING (x)`: each is a way to type the verb."""
    assert verb.help is not None
    for part in verb.help.split(", "):
        typed, _, short = part.partition(" (")
        for way in [*typed.split("/"), *short.rstrip(")").split()]:
            assert parse(example(way)).verb == verb.name, way


def test_the_palette_offers_the_verbs_that_say_so() -> None:
    assert GAME_COMMANDS == PALETTE
    for command, what in GAME_COMMANDS:
        verb = BY_NAME[parse(command).verb]
        assert verb.palette == what
        assert verb.syntax.slots == ()  # played as is, with nothing to name
    assert {c for c, _ in GAME_COMMANDS} == {v.name for v in VERBS if v.palette}


def readme_commands() -> list[str]:
    """Every `command` in the README's table of commands."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("Commands (type `help` in the game):", 1)[1].split("\n\n")[1]
    return [c for row in table.splitlines() for c in re.findall(r"`([^`]+)`", row)]


def test_the_readme_command_table_agrees_with_the_registry() -> None:
    documented = set()
    for command in readme_commands():
        verb = parse(example(command)).verb
        assert verb in BY_NAME and verb != names.UNKNOWN, command
        documented.add(verb)
    assert documented == {v.name for v in TYPED}


def test_the_offline_narrator_knows_only_registered_verbs() -> None:
    for table in NARRATOR_TABLES:
        keys = set(table)
        assert keys <= set(BY_NAME), keys - set(BY_NAME)
