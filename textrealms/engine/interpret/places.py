"""Which way a phrase leads: "go to the tavern", "climb the ladder", "go through the green
door". A direction said outright wins; then the places the exits lead to, by name, then by
what they are ("the jazz club"); then what the room's own description says lies that way
("a ladder-well north climbs to the comms shack")."""

from __future__ import annotations

import re

from textrealms.engine.interpret.scene import Scene
from textrealms.engine.interpret.words import DETERMINERS, slip, wordset
from textrealms.engine.parser import DIRECTION_WORDS
from textrealms.engine.scope import words
from textrealms.world.schema import Direction

WAY_WORDS: dict[str, Direction] = {
    **DIRECTION_WORDS,
    "into": "in",
    "outdoors": "out",
    "indoors": "in",
    "aboard": "in",
    "onboard": "in",
}
"""Words that say a direction, as in "go downstairs" or "can i go inside"."""

ROUTE_WORDS = wordset(
    """to toward towards through into onto on along across over past via back the up
    down way path road track steps stairs stair at him her them me us it"""
)
"""Words about going that name no place: "go back down the steps to the street",
"follow him to the green"."""

_PARTS = (re.compile(r"[,.;:!?]\s+"), re.compile(r"[.;:!?]\s+"), re.compile(r"[.!?]\s+"))
"""A description's parts, finest first: down to commas, to semicolons, to full stops."""
_FIRST = re.compile(r"(?<=[.!?])\s")
_SHORT = wordset("n s e w u d ne nw se sw in into inside outside enter exit leave indoors outdoors")
"""Direction words too short or too common to read as a way in a description."""


def ways(scene: Scene, said: list[str]) -> list[Direction]:
    """The exits from here that `said` can mean, best reading first found."""
    exits = scene.location.exits
    told = [WAY_WORDS[w] for w in said if w in WAY_WORDS and w != "in"]
    told = [d for d in dict.fromkeys(told) if d in exits]
    place = place_words(said)
    if not told and not place and "in" in said and "in" in exits:  # "go back in"
        return ["in"]
    if place and scene.is_place(place):  # "the lab annex", standing in it
        return []
    if told:  # "down the steps to the green": the green is where the player means to be
        named = _by_name(scene, place) if place else []
        if named and not set(named) & set(told):
            return named
        if place and not named and _elsewhere(scene, place, told):
            return []
        return told
    slips = {d for w in place for d in exits if len(w) > 2 and slip(w, d)}
    if len(slips) == 1:
        return list(slips)
    if not place:
        return []
    found = _read(scene, place)
    if found or len(place) == 1 or _elsewhere(scene, place, []):
        return found  # a place further off by its name is walked to, not guessed at
    each = {d for w in place for d in _read(scene, [w])}  # "the goat path ... the river":
    return list(each) if len(each) == 1 else []  # every word that leads anywhere, one way


def _elsewhere(scene: Scene, place: list[str], told: list[Direction]) -> bool:
    """Whether `place` names a place of the world, not here, that none of the ways `told`
    lead to: "down to the green" from inside the temple, whose way down is to the crypt."""
    led = {scene.state.location, *(scene.location.exits[d].to for d in told)}
    return any(
        i not in led and all(w in words(p.name) for w in place)
        for i, p in scene.pack.locations.items()
    )


def _read(scene: Scene, place: list[str]) -> list[Direction]:
    """The exits the words of a place lead to, by the first reading that finds any."""
    for reading in (_by_name, _by_description, _by_nature):
        found = reading(scene, place)
        if found:
            return found
    return []


def place_words(said: list[str]) -> list[str]:
    """The words of a way said that may name a place: no route or direction words."""
    return [w for w in said if w not in ROUTE_WORDS and w not in DETERMINERS and w not in WAY_WORDS]


def _by_name(scene: Scene, place: list[str]) -> list[Direction]:
    exits = scene.location.exits
    named = {d: words(scene.pack.locations[e.to].name) for d, e in exits.items()}
    return _distinct(scene, [d for d, name in named.items() if all(w in name for w in place)])


def _by_nature(scene: Scene, place: list[str]) -> list[Direction]:
    """The exits to a place whose description opens by saying it is `place`."""
    exits = scene.location.exits
    found = []
    for direction, exit_ in exits.items():
        first = _FIRST.split(scene.pack.locations[exit_.to].description, maxsplit=1)[0]
        if all(w in words(first) for w in place):
            found.append(direction)
    return _distinct(scene, found)


def named_way(scene: Scene, said: list[str]) -> list[Direction]:
    """The exits to a place whose name has every word said, as `go tavern` reads them."""
    exits = scene.location.exits
    named = {d: words(scene.pack.locations[e.to].name) for d, e in exits.items()}
    return [d for d, name in named.items() if said and all(w in name for w in said)]


def _by_description(scene: Scene, place: list[str]) -> list[Direction]:
    """The exits named in the one part of this room's description that speaks of `place`."""
    exits = scene.location.exits
    for parts in _PARTS:
        for part in parts.split(scene.location.description):
            said = words(part.replace("-", " "))
            if not all(w in said for w in place):
                continue
            found = [WAY_WORDS[w] for w in said if w in WAY_WORDS and w not in _SHORT]
            found += [
                d for d, e in exits.items() if _names(words(scene.pack.locations[e.to].name), said)
            ]
            ways = _distinct(scene, [d for d in dict.fromkeys(found) if d in exits])
            if ways:
                return ways
    return []


def _names(name: list[str], said: list[str]) -> bool:
    """Whether `said` speaks of a place called `name`: one of its longer words will do
    ("a ladder climbs to Command" speaks of the Command Deck)."""
    return any(w in said for w in name if len(w) > 3 and w not in DETERMINERS)


def _distinct(scene: Scene, found: list[Direction]) -> list[Direction]:
    """Several exits to the same place are one way: the first of them."""
    exits = scene.location.exits
    seen: dict[str, Direction] = {}
    for direction in found:
        seen.setdefault(exits[direction].to, direction)
    return list(seen.values())
