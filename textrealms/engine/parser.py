"""From what the player types to a `Command`: verbs, synonyms, directions, noun phrases.

The parser knows words, not the world: it does not decide what "key" refers to (that is
`textrealms.engine.scope`). It accepts any string and never raises.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

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
    **{d: d for d in DIRECTIONS},
}

VERBS: dict[str, tuple[str, ...]] = {
    "go": ("go", "walk", "run", "move", "head", "travel", "climb"),
    "look": ("look", "l", "look around"),
    "examine": ("examine", "x", "look at", "inspect", "check", "read", "study", "search"),
    "inventory": ("inventory", "i", "inv"),
    "take": ("take", "get", "grab", "pick up", "pick"),
    "drop": ("drop", "put down", "discard"),
    "give": ("give", "offer", "hand"),
    "use": ("use", "apply", "operate"),
    "talk": ("talk to", "talk with", "talk", "speak to", "speak with", "speak", "greet"),
    "ask": ("ask",),
    "say": ("say", "shout", "whisper"),
    "wait": ("wait", "z"),
    "again": ("again", "g"),
    "help": ("help", "h", "?", "commands"),
    "quit": ("quit", "q"),
    "save": ("save",),
    "load": ("load",),
    "saves": ("saves",),
    "undo": ("undo",),
    "restart": ("restart",),
    "quests": ("quests", "quest", "journal", "j"),
    "time": ("time", "clock", "t"),
    "rumors": ("rumors", "rumours", "rumor", "rumour", "gossip"),
    "reputation": ("reputation", "rep", "standing"),
    "escalate": ("escalate", "provoke"),
    "deescalate": ("de-escalate", "deescalate", "calm", "calm down", "soothe"),
    "negotiate": ("negotiate", "bargain", "parley", "mediate"),
    "submit": ("submit", "yield", "surrender", "concede"),
    "resist": ("resist", "defy", "refuse"),
    "support": ("support", "side with", "back", "defend"),
    "oppose": ("oppose", "denounce", "confront"),
}

_PHRASES = sorted(
    ((phrase.split(), verb) for verb, phrases in VERBS.items() for phrase in phrases),
    key=lambda pv: -len(pv[0]),
)
_ARTICLES = frozenset({"the", "a", "an", "some", "my"})
_CLEAN = re.compile(r"[^\w\s'?-]+")
_QUOTES = "\"'“”‘’"


@dataclass(frozen=True, slots=True)
class Command:
    """A parsed command. `noun` and `second` are noun phrases, not yet resolved to ids."""

    verb: str
    raw: str
    noun: str | None = None
    second: str | None = None
    direction: Direction | None = None
    text: str | None = None
    suggestion: str | None = None


def _words(text: str) -> list[str]:
    return [w for w in _CLEAN.sub(" ", text.lower()).split() if w not in _ARTICLES]


def _split(words: list[str], *separators: str) -> tuple[str | None, str | None]:
    for i, word in enumerate(words):
        if word in separators:
            return " ".join(words[:i]) or None, " ".join(words[i + 1 :]) or None
    return " ".join(words) or None, None


def parse(raw: str) -> Command:
    """Parse one line of player input. Any string gives a `Command`."""
    line = raw.strip()
    if not line:
        return Command("empty", raw)
    head, _, tail = line.partition(" ")
    if line[0] in _QUOTES:
        return Command("say", raw, text=line.strip(_QUOTES + " "))
    if head.lower() in VERBS["say"]:
        return Command("say", raw, text=tail.strip(_QUOTES + " ") or None)
    words = _words(line)
    if not words:
        return Command("unknown", raw, noun=line)
    if len(words) == 1 and words[0] in DIRECTION_WORDS:
        return Command("go", raw, direction=DIRECTION_WORDS[words[0]])
    for phrase, verb in _PHRASES:
        if words[: len(phrase)] == phrase:
            return _structure(verb, raw, words[len(phrase) :])
    guess = difflib.get_close_matches(
        words[0], [p for v in VERBS.values() for p in v if " " not in p and len(p) > 2], n=1
    )
    return Command("unknown", raw, noun=words[0], suggestion=guess[0] if guess else None)


def _structure(verb: str, raw: str, rest: list[str]) -> Command:
    if verb == "go":
        rest = [w for w in rest if w not in ("to", "towards", "toward")]
        if len(rest) == 1 and rest[0] in DIRECTION_WORDS:
            return Command("go", raw, direction=DIRECTION_WORDS[rest[0]])
        return Command("go", raw, noun=" ".join(rest) or None)
    if verb == "look" and rest and rest[0] in ("at", "in", "into", "inside", "under"):
        return Command("examine", raw, noun=" ".join(rest[1:]) or None)
    if verb == "give":
        noun, second = _split(rest, "to")
        return Command(verb, raw, noun=noun, second=second)
    if verb == "use":
        noun, second = _split(rest, "on", "with", "at", "in")
        return Command(verb, raw, noun=noun, second=second)
    if verb == "ask":
        noun, second = _split(rest, "about", "of")
        return Command(verb, raw, noun=noun, second=second)
    if verb == "talk":
        rest = [w for w in rest if w not in ("to", "with")]
    return Command(verb, raw, noun=" ".join(rest) or None)
