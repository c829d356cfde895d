"""What a phrase asks a person about: one of their own topics (by its key or an alias),
or anything of the pack by name or alias (a person, a thing, a place, a faction, a quest,
a conflict, an event, the player), which a topic of theirs may stand for ("ask hobb about
wenna": Wenna Rooke is the witch, and Hobb has a word about the witch); else another
person's topic, which they can point the player to.

Matching reads words, not letters: "tesk's shoulder" names Tesk, "the Ashbys" the Ashby
topic, and a name inside a longer phrase ("the witch is innocent") counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from textrealms.engine.packwise import per_pack
from textrealms.world.schema import WorldPack

RefKind = Literal["npc", "item", "location", "faction", "quest", "conflict", "event", "player"]
_WORD = re.compile(r"[\w']+")
_SKIP = frozenset(
    {"the", "a", "an", "some", "any", "my", "your", "his", "her", "its", "their", "our"}
    | {"this", "that", "these", "those"}
)
"""Words before a name that are no part of it."""
PLAYER_WORDS = frozenset({"me", "myself", "i"})
PREFIX = 4
"""Words at least this long match a word they start, or that starts them ("ashbys")."""


def words(text: str) -> list[str]:
    """The words that carry a name: no articles or possessive words, no "'s"."""
    return bare(_WORD.findall(text.lower()))


def bare(said: list[str]) -> list[str]:
    """Words said, lowercased, without what carries no name: "his daughter's" is
    "daughter"."""
    found = (w.removesuffix("'s").removesuffix("’s") for w in said)
    return [w for w in found if w and w not in _SKIP]


@dataclass(frozen=True, slots=True)
class Ref:
    """Something of the pack (or the player) a phrase names."""

    kind: RefKind
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Subject:
    """What a person is asked about: their own `topic` (a key with a written reply),
    what it names (`about`), and `elsewhere`: the other people who have a topic of that
    name."""

    topic: str | None = None
    about: Ref | None = None
    elsewhere: tuple[str, ...] = ()


def topic_names(pack: WorldPack, npc: str) -> dict[str, str]:
    """Each name of a person's own topics, lowercased, with its key: keys and aliases."""
    found: dict[str, str] = {}
    for key, topic in pack.npcs[npc].topics.items():
        for name in (key, *topic.aliases):
            found.setdefault(" ".join(words(name)), key)
    return found


def topic_for(names: Mapping[str, str], phrase: str, *, loose: bool = True) -> str | None:
    """The topic a phrase asks about: a name that is the whole phrase; `loose`, also a
    name among its words, or a word that starts it or that it starts."""
    said = words(phrase)
    if " ".join(said) in names:
        return names[" ".join(said)]
    if not loose:
        return None
    for name, key in names.items():
        if name and set(name.split()) <= set(said):
            return key
    for word in said:
        if len(word) >= PREFIX - 1:
            for name, key in names.items():
                if name and (name.startswith(word) or word.startswith(name)):
                    return key
    return None


def refs(pack: WorldPack) -> Iterator[tuple[Ref, list[str]]]:
    """Everything of the pack that can be asked about, with its names, in the order ties
    are settled: people, things, places, factions, quests, conflicts, events."""
    for npc_id, npc in pack.npcs.items():
        yield Ref("npc", npc_id, npc.name), [npc.name, *npc.aliases, npc_id.replace("_", " ")]
    for item_id, item in pack.items.items():
        yield Ref("item", item_id, item.name), [item.name, *item.aliases]
    for loc_id, loc in pack.locations.items():
        yield Ref("location", loc_id, loc.name), [loc.name]
    for fid, faction in pack.factions.items():
        yield Ref("faction", fid, faction.name), [faction.name]
    for qid, quest in pack.quests.items():
        yield Ref("quest", qid, quest.title), [quest.title]
    for cid, conflict in pack.conflicts.items():
        yield Ref("conflict", cid, conflict.name), [conflict.name]
    for eid, event in pack.events.items():
        if event.title:
            yield Ref("event", eid, event.title), [event.title]


def index(pack: WorldPack) -> dict[tuple[str, ...], Ref]:
    """Every name of everything that can be asked about, as its words, with what it names;
    a name two share names the first in `refs`' order (a person before a thing)."""
    found: dict[tuple[str, ...], Ref] = {}
    for ref, names in refs(pack):
        for name in names:
            key = tuple(words(name))
            if key:
                found.setdefault(key, ref)
    return found


def _score(said: Sequence[str], name: Sequence[str]) -> int:
    """How well the words said name something: 4 the very name, 3 the name among the
    words, 2 the words all in the name, 1 by the starts of words, 0 not at all."""
    if not said or not name:
        return 0
    if said == name:
        return 4
    if set(name) <= set(said):
        return 3
    if set(said) <= set(name):
        return 2
    if all(any(_starts(w, n) for n in name) for w in said):
        return 1
    return 0


def _starts(said: str, name: str) -> bool:
    short = min(len(said), len(name))
    return short >= PREFIX and (name.startswith(said) or said.startswith(name))


def named(pack: WorldPack, phrase: str) -> tuple[Ref, int] | None:
    """The one thing of the pack the phrase names best, with how well (see `_score`);
    of those named as well, the first in `refs`' order."""
    said = tuple(words(phrase))
    if said and set(said) <= PLAYER_WORDS:
        return Ref("player", "player", "you"), 4
    ordered, by_head = _names(pack)
    scores: dict[int, int] = {}
    for head in {_head(w) for w in said}:
        for order, name in by_head.get(head, ()):
            score = _score(said, name)
            if score > scores.get(order, 0):
                scores[order] = score
    if not scores:
        return None
    best = min(scores, key=lambda order: (-scores[order], order))
    return ordered[best], scores[best]


@per_pack
def _names(pack: WorldPack) -> tuple[list[Ref], dict[str, list[tuple[int, tuple[str, ...]]]]]:
    """What `refs` lists, in its order, and each of their names' words by the head of
    each word (`_head`): a phrase can only name what shares a head with it, so a
    question weighs a few names rather than every name of the world."""
    ordered: list[Ref] = []
    by_head: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for order, (ref, names) in enumerate(refs(pack)):
        ordered.append(ref)
        for name in names:
            said = tuple(words(name))
            for head in {_head(w) for w in said}:
                by_head.setdefault(head, []).append((order, said))
    return ordered, by_head


def _head(word: str) -> str:
    """What a word said and a word of a name share when one names the other (`_score`):
    the same word, or (from `PREFIX` letters) one the start of the other."""
    return word[:PREFIX]


def _link(pack: WorldPack, ref: Ref, names: Mapping[str, str]) -> str | None:
    """A person's topic that stands for `ref`: one named by one of its names, else by the
    last word of one ("tower" for the Lantern Tower, not "tamsin" for Tamsin's locket)."""
    said = [words(name) for name in dict(refs(pack)).get(ref, [ref.name])]
    for found in [" ".join(name) for name in said] + [name[-1] for name in said if name]:
        if found in names:
            return names[found]
    return None


def subject(pack: WorldPack, npc: str, phrase: str) -> Subject | None:
    """What `phrase` asks person `npc` about, if it names anything they can answer."""
    own = topic_names(pack, npc)
    key = topic_for(own, phrase, loose=False)
    found = named(pack, phrase)
    if key is not None:
        return Subject(key, found[0] if found and found[1] == 4 else None)
    if found is None or found[1] < 2:
        key = topic_for(own, phrase)
        if key is not None:
            return Subject(key)
    elsewhere = _elsewhere(pack, npc, phrase, found[0] if found else None)
    if found is not None:
        return Subject(_link(pack, found[0], own), found[0], elsewhere)
    return Subject(elsewhere=elsewhere) if elsewhere else None


def _elsewhere(pack: WorldPack, npc: str, phrase: str, ref: Ref | None) -> tuple[str, ...]:
    """The others with a topic that the phrase, or what it names, is the name of."""
    return tuple(
        other
        for other in pack.npcs
        if other != npc
        and (
            topic_for(names := topic_names(pack, other), phrase, loose=False)
            or (ref is not None and _link(pack, ref, names))
        )
    )
