"""What examining something a place's prose names shows, when it is no item of the pack:
the pack's `scenery` entry for it, else the sentence of the description (or brief) that
names it, so a player is never told the porthole in the room's own words is not there.
"""

from __future__ import annotations

from textrealms.engine.scope import words
from textrealms.engine.simulation.timeline import until
from textrealms.world.conditions import first_line
from textrealms.world.prose import sentences
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

SHORTEST = 3
"""A word shorter than this ("of", "in") names nothing by itself."""


def described(pack: WorldPack, state: GameState, phrase: str) -> str | None:
    """What examining `phrase` shows where the player stands, if the place names it."""
    said = [_stem(w) for w in words(phrase) if len(w) >= SHORTEST]
    if not said:
        return None
    place = pack.locations[state.location]
    for name, lines in place.scenery.items():
        if set(said) <= {_stem(w) for w in words(name)}:
            line = first_line(lines, state)
            if line:
                return until(pack, state, line)
    for text in (place.description, place.brief or ""):
        for sentence in sentences(text):
            if set(said) <= {_stem(w) for w in words(sentence)}:
                return until(pack, state, sentence)
    return None


def _stem(word: str) -> str:
    """A word without its plural ending: "cots" and "cot" name the same."""
    return word[:-1] if word.endswith("s") and len(word) > SHORTEST else word
