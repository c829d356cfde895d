"""What a noun phrase refers to among the things in reach.

A phrase matches a name when each of its words is a word, or the start of a word, of the
name or an alias: "key", "iron key" and "iro" all find the iron key. The best matches
win; a tie between differently named things is for the player to settle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

Kind = Literal["item", "npc"]
_WORD = re.compile(r"[\w']+")
_FILLER = frozenset({"the", "a", "an", "one"})


@dataclass(frozen=True, slots=True)
class Thing:
    id: str
    kind: Kind
    name: str


def words(text: str) -> list[str]:
    """The words that name something: "the iron one" and "iron" are the same here."""
    return [w for w in _WORD.findall(text.lower()) if w not in _FILLER]


def thing(pack: WorldPack, kind: Kind, ident: str) -> Thing:
    name = pack.items[ident].name if kind == "item" else pack.npcs[ident].name
    return Thing(ident, kind, name)


def named(pack: WorldPack, ident: str) -> Thing:
    """The item or NPC with this id."""
    return thing(pack, "item" if ident in pack.items else "npc", ident)


def _names(pack: WorldPack, t: Thing) -> list[str]:
    entry = pack.items[t.id] if t.kind == "item" else pack.npcs[t.id]
    return [entry.name, *entry.aliases]


def _id_said(phrase: list[str], t: Thing) -> bool:
    """Whether `phrase` is a thing's id spelt out whole: an author's name for it, never
    shown to a player, so one of its words alone is no name ("loft" is not the
    `loft_slate`, a slate in the loft)."""
    return tuple(phrase) == _name_words(t.id.replace("-", " ").replace("_", " "))


@lru_cache(maxsize=4096)
def _name_words(name: str) -> tuple[str, ...]:
    """A name's words, worked out once: names are few and read on every command."""
    return tuple(words(name))


def _score(phrase: list[str], name: str) -> int:
    name_words = _name_words(name)
    if tuple(phrase) == name_words:
        return 3
    if all(w in name_words for w in phrase):
        return 2
    if all(any(n.startswith(w) for n in name_words) for w in phrase):
        return 1
    return 0


def resolve(pack: WorldPack, phrase: str, candidates: list[Thing]) -> list[Thing]:
    """The candidates `phrase` names best: none, one, or several to ask about."""
    target = words(phrase)
    if not target:
        return []
    scored = [
        (3 if _id_said(target, t) else max(_score(target, n) for n in _names(pack, t)), t)
        for t in candidates
    ]
    best = max((s for s, _ in scored), default=0)
    if best == 0:
        return []
    found = [t for s, t in scored if s == best]
    if len({t.name.lower() for t in found}) == 1:
        return found[:1]
    return found


def carried(pack: WorldPack, state: GameState) -> list[Thing]:
    return [thing(pack, "item", i) for i in state.inventory(pack)]


def in_room(pack: WorldPack, state: GameState) -> list[Thing]:
    return [thing(pack, "item", i) for i in state.items_in(pack, state.location)]


def people(pack: WorldPack, state: GameState) -> list[Thing]:
    return [thing(pack, "npc", n) for n in state.npcs_in(state.location)]


def reachable(pack: WorldPack, state: GameState) -> list[Thing]:
    """What the player can name in a command: things carried, things here, people here."""
    return carried(pack, state) + in_room(pack, state) + people(pack, state)
