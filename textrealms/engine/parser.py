"""From what the player types to a `Command`: verbs, synonyms, directions, noun phrases.

The verbs, their phrases and how their words split into slots are the registry's
(`textrealms.engine.verbs.registry`); the parser knows words, not the world: it does not
decide what "key" refers to (that is `textrealms.engine.scope`). It accepts any string
and never raises. What it cannot place (an unknown verb, a noun that names nothing in
reach) is for the interpreter (`textrealms.engine.interpret`) to read, or to answer.
"""

from __future__ import annotations

import re

from textrealms.engine.command import Command
from textrealms.engine.verbs import names
from textrealms.engine.verbs.registry import BY_NAME, VERBS
from textrealms.engine.verbs.verb import Kind, Verb
from textrealms.llm.clean import valid
from textrealms.world.schema import DIRECTIONS, Direction

DIRECTION_WORDS: dict[str, Direction] = {
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
    "ne": "northeast",
    "nw": "northwest",
    "se": "southeast",
    "sw": "southwest",
    "u": "up",
    "d": "down",
    "enter": "in",
    "inside": "in",
    "exit": "out",
    "leave": "out",
    "outside": "out",
    "upstairs": "up",
    "downstairs": "down",
    **{d: d for d in DIRECTIONS},
}

_ARTICLES = frozenset({"the", "a", "an", "some", "my"})
_CLEAN = re.compile(r"[^\w\s'?-]+")
_QUOTES = "\"'“”‘’"


def _words(text: str) -> list[str]:
    """The words of a line without articles; a question mark ends a word ("who am i?")
    but is a word of its own ("?" asks for help)."""
    found = (w.rstrip("?") or w for w in _CLEAN.sub(" ", text.lower()).split())
    return [w for w in found if w not in _ARTICLES]


def _phrases() -> dict[str, list[tuple[list[str], Verb]]]:
    """Each verb phrase as a line's words are read (without articles: "what are my
    quests"), by its first word, longest first: a line is matched only against the
    phrases that start as it does."""
    by_first: dict[str, list[tuple[list[str], Verb]]] = {}
    every = ((_words(phrase), verb) for verb in VERBS for phrase in verb.phrases)
    for said, verb in sorted(every, key=lambda pv: -len(pv[0])):
        by_first.setdefault(said[0], []).append((said, verb))
    return by_first


_PHRASES = _phrases()
_FREE_TEXT = {
    phrase: verb.name
    for verb in VERBS
    for phrase in verb.phrases
    if verb.syntax.slots and verb.syntax.slots[0].kind is Kind.TEXT
}
"""Phrases of verbs whose slot is free text: the rest of the line is kept as typed."""


def _split(words: list[str], *separators: str) -> tuple[str | None, str | None]:
    for i, word in enumerate(words):
        if word in separators:
            return " ".join(words[:i]) or None, " ".join(words[i + 1 :]) or None
    return " ".join(words) or None, None


def parse(typed: str) -> Command:
    """Parse one line of player input. Any string gives a `Command`, whose `raw` is the
    line as typed, made valid Unicode (this is where a player's text enters the game)."""
    raw = valid(typed)
    line = raw.strip()
    if not line:
        return Command(names.EMPTY, raw)
    head, _, tail = line.partition(" ")
    if line[0] in _QUOTES:
        return Command(names.SAY, raw, text=line.strip(_QUOTES + " "))
    if head.lower() in _FREE_TEXT:
        return Command(_FREE_TEXT[head.lower()], raw, text=tail.strip(_QUOTES + " ") or None)
    words = _words(line)
    if not words:
        return Command(names.UNKNOWN, raw, noun=line)
    if len(words) == 1 and words[0] in DIRECTION_WORDS:
        return Command(names.GO, raw, direction=DIRECTION_WORDS[words[0]])
    for phrase, verb in _PHRASES.get(words[0], ()):
        if words[: len(phrase)] == phrase:
            return _structure(verb, raw, words[len(phrase) :])
    return Command(names.UNKNOWN, raw, noun=words[0])


def _structure(verb: Verb, raw: str, rest: list[str]) -> Command:
    """The words after the verb's phrase, in the slots its syntax declares."""
    syntax = verb.syntax
    for handover in syntax.handovers:
        other = BY_NAME[handover.verb]
        if handover.where == "first" and rest[:1] and rest[0] in handover.words:
            return _structure(other, raw, rest[1:])
        if handover.where == "last" and len(rest) > 1 and rest[-1] in handover.words:
            return _structure(other, raw, rest[:-1])
        if handover.where == "within" and any(w in handover.words for w in rest[1:]):
            return _structure(other, raw, rest)
    rest = [w for w in rest if w not in syntax.fillers]
    slots = syntax.slots
    if slots and slots[0].kind is Kind.DIRECTION and len(rest) == 1 and rest[0] in DIRECTION_WORDS:
        return Command(verb.name, raw, direction=DIRECTION_WORDS[rest[0]])
    if len(slots) == 2:
        noun, second = _split(rest, *slots[1].opened_by)
        return Command(verb.name, raw, noun=noun, second=second)
    return Command(verb.name, raw, noun=" ".join(rest) or None)
