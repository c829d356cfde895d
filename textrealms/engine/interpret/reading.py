"""A reading of one command in free text: the commands it stands for, each as the parser
would place it, or the question to ask when it could mean several things.

A reading is made only of commands whose every slot names something here (checked with
`action`), written out in full ("take brass key ring") so that playing them, `again` and
a question's answer all go through the parser alone; each says what it understood.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from textrealms.engine.command import Command
from textrealms.engine.interpret import nouns, places, topics
from textrealms.engine.interpret.action import UNSURE, Action, action
from textrealms.engine.interpret.scene import PERSON_WORDS, Scene
from textrealms.engine.interpret.words import DETERMINERS
from textrealms.engine.parser import parse
from textrealms.engine.scope import Thing, resolve
from textrealms.engine.turn import PRONOUNS
from textrealms.engine.verbs.registry import BY_NAME
from textrealms.engine.verbs.verb import Kind, Verb
from textrealms.world.state import Pending

Object = Thing | str
"""What fills a slot: a thing or person, or the words of a direction, topic or text."""


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    pending: Pending | None = None
    """What the answer completes, when it is a choice of things."""


@dataclass(frozen=True, slots=True)
class Reading:
    commands: tuple[Command, ...] = ()
    question: Question | None = None
    idle: bool = False
    """Words that ask for nothing ("push past her" before "and go north")."""
    walk: bool = False
    """Steps of a walk: it stops where something happens on the way."""


NOTHING = Reading()
IDLE = Reading(idle=True)


class Reader:
    """Reads commands in one scene: builds them in full and checks they are placed."""

    def __init__(self, scene: Scene) -> None:
        self.scene = scene

    def command(
        self, verb: str, first: Object | None = None, second: Object | None = None
    ) -> Command | None:
        """`verb` with its slots filled, as the parser places it, saying what it understood;
        None if the registry has no such verb or the parser would read it otherwise."""
        found = BY_NAME.get(verb)
        if found is None:
            return None
        text = _spoken(found, first, second)
        command = parse(text)
        done = action(self.scene, command)
        if command.verb != verb or done is None or UNSURE in done.objects:
            return None
        if not _same(done, first, second):
            return None
        return replace(command, understood=_understood(found, first, second))

    def reading(
        self, verb: str, first: Object | None = None, second: Object | None = None
    ) -> Reading | None:
        command = self.command(verb, first, second)
        return None if command is None else Reading((command,))

    def things(self, said: list[str], kind: Kind) -> list[Thing]:
        return nouns.find(self.scene, said, self.scene.candidates(kind))

    def slots(self, verb: str, first: list[str] | None, second: list[str] | None) -> Reading | None:
        """`verb` with its slots read from words the parser could not place: the one thing
        each names, or a question when one names several."""
        found = BY_NAME.get(verb)
        if found is None:
            return None
        kinds = [slot.kind for slot in found.syntax.slots]
        if not kinds:
            return self.reading(verb) if not first else None
        if kinds == [Kind.PERSON] and first and not second:
            first = _before_reason(first)  # "accuse mabry of drowning danny"
        one = self._slot(verb, kinds[0], first, None)
        if one is None or isinstance(one, Question):
            return None if one is None else Reading(question=one)
        if len(kinds) == 1:
            return None if second else self.reading(verb, one or None)
        if kinds[1] is Kind.TOPIC and not second and _more_than(self.scene, first, one):
            asked = f"{found.phrases[0].capitalize()} {_shown(one)} about what?"
            return Reading(question=Question(asked))  # "tell tamsin her dad is looking..."
        two = self._slot(verb, kinds[1], second, one or None)
        if two is None or isinstance(two, Question):
            return None if two is None else Reading(question=two)
        if isinstance(two, Thing) and two == one:  # "the keys on the padlock": no padlock
            return None
        return self.reading(verb, one or None, two or None)

    def _slot(
        self, verb: str, kind: Kind, said: list[str] | None, before: Object | None
    ) -> Object | Question | None:
        """What one slot's words name: a thing, words, "" when there are none to read, a
        question, or None when they name nothing."""
        if not said:
            return ""
        if kind is Kind.DIRECTION:
            ways = places.ways(self.scene, said)
            if len(ways) > 1:
                return Question(f"Which way: {_either(ways)}?")
            return ways[0] if ways else None
        if kind is Kind.TEXT:
            return " ".join(said)
        if kind is Kind.TOPIC:
            npc = before.id if isinstance(before, Thing) else None
            return topics.mentioned(self.scene.pack, npc, said)
        if kind is not Kind.PERSON and self.scene.is_place(said, loose=True):
            return ""  # "search the squad room": here
        found = self.things(said, kind)
        if len(found) == 1:
            return found[0]
        if not found:
            return None
        return self.which(verb, said, found)

    def which(
        self, verb: str, said: list[str], found: list[Thing], after: Sequence[str] = ()
    ) -> Question:
        """Ask which of `found` the words `said` mean; the answer plays `verb` on it, with
        the words `after` them."""
        people = all(t.kind == "npc" for t in found)
        shown = [t.name if t.kind == "npc" else f"the {t.name}" for t in found]
        asked = f"{'Who' if people else 'Which'} do you mean: {_either(shown)}?"
        phrase = " ".join([*said, *after])
        command = parse(f"{BY_NAME[verb].phrases[0]} {phrase}")
        if command.verb != verb or command.noun is None:
            return Question(asked)
        pending = Pending(command=command.raw, slot=command.noun, candidates=[t.id for t in found])
        return Question(asked, pending)


_REASONS = frozenset({"of", "for", "because", "about", "over"})


def _before_reason(said: list[str]) -> list[str]:
    """The words that name a person, before what they are accused or thanked of."""
    cut = next((i for i, w in enumerate(said) if i and w in _REASONS), len(said))
    return said[:cut]


def _more_than(scene: Scene, said: list[str] | None, named: Object) -> bool:
    """Whether `said` says more than the name of the person or thing it was read as (or
    a word for them: "her", "the woman")."""
    if not isinstance(named, Thing):
        return False
    plain = {*DETERMINERS, *PERSON_WORDS, *PRONOUNS, "him", "he", "she"}
    return any(w not in plain and not resolve(scene.pack, w, [named]) for w in said or [])


def _either(options: Sequence[str]) -> str:
    return ", ".join(options[:-1]) + " or " + options[-1] if len(options) > 1 else options[0]


def _name(value: Object) -> str:
    return value.name.lower() if isinstance(value, Thing) else value


def _spoken(verb: Verb, first: Object | None, second: Object | None) -> str:
    """The command written out: "give jug of ember ale to dunstan cobb"."""
    parts = [verb.phrases[0]]
    if first is not None:
        parts.append(_name(first))
    if second is not None:
        parts += [verb.syntax.slots[1].opened_by[0], _name(second)]
    return " ".join(parts)


def _same(done: Action, first: Object | None, second: Object | None) -> bool:
    """Whether the command as placed names the things it was written for."""
    meant = [first, second][: len(done.objects)]
    return all(
        not isinstance(value, Thing) or value.id == got
        for value, got in zip(meant, done.objects, strict=False)
    )


def _understood(verb: Verb, first: Object | None, second: Object | None) -> str | None:
    """What the game says it read: "(taking the brass key ring)"; nothing for a command
    with nothing to name."""
    if first is None:
        return None
    head, *rest = verb.phrases[0].split()
    parts = [gerund(head), *rest, _shown(first)]
    if second is not None:
        parts += [verb.syntax.slots[1].opened_by[0], _shown(second)]
    return f"({' '.join(parts)})"


def _shown(value: Object) -> str:
    if isinstance(value, Thing):
        return value.name if value.kind == "npc" else f"the {value.name}"
    return value


_VOWELS = "aeiou"


def gerund(verb: str) -> str:
    """The -ing form of a verb: take -> taking, drop -> dropping, open -> opening."""
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")) and len(verb) > 2:
        return verb[:-1] + "ing"
    syllables = [
        i for i, ch in enumerate(verb) if ch in _VOWELS and (i == 0 or verb[i - 1] not in _VOWELS)
    ]
    if (
        len(syllables) == 1
        and len(verb) >= 3
        and verb[-1] not in _VOWELS + "wxy"
        and verb[-2] in _VOWELS
        and verb[-3] not in _VOWELS
    ):
        return verb + verb[-1] + "ing"
    return verb + "ing"
