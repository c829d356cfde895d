"""Ways of saying "go" that do not start with a verb of going: "get in the shuttle",
"leave the granary", "keep going west", "cross the footbridge into the orchard", "take
the cart track to the mill". Each gives the words that say where, for `movement` to
read as it reads "go ..."; none is read when the words name a thing to act on instead
("take the ladder" where a ladder lies is taking it: the parser places that first)."""

from __future__ import annotations

from textrealms.engine.interpret import nouns
from textrealms.engine.interpret.scene import Scene
from textrealms.engine.interpret.words import DETERMINERS, wordset

_ON_AND_ON = wordset("keep continue carry press push")
_GOING = wordset("going walking moving heading on onward onwards ahead forward")
_GETTING = wordset("in into inside aboard onboard on onto out off back up down through")
_LEAVING = wordset("leave exit quit")
_ALONG = wordset("take follow use cross")
ROUTES = wordset(
    """path track road trail lane footbridge bridge stairs steps stair stairway staircase
    ladder ladderwell passage corridor tunnel way alley causeway gangway ramp"""
)
"""Nouns of ways to go, not of things to take: "take the goat path down to the river"."""


def where_to(scene: Scene, said: list[str]) -> list[str] | None:
    """The words that say where a line of going goes, with "go" before them; None if the
    line is not one."""
    head, rest = said[0], said[1:]
    if head in _ON_AND_ON and rest[:1] and rest[0] in _GOING:  # "keep going west"
        return ["go", *rest[1:]] if rest[1:] else None
    if head == "continue" and rest:
        return ["go", *rest]
    if head == "get" and rest[:1] and rest[0] in _GETTING:
        return ["go", *rest]
    if head in _LEAVING:  # not "leave the key": that is dropping it
        place = [w for w in rest if w not in DETERMINERS]
        exits = scene.location.exits
        away = "out" if "out" in exits else next(iter(exits)) if len(exits) == 1 else None
        if away is not None and (not place or not nouns.find(scene, place, scene.carried)):
            return ["go", away]
    if head in _ALONG and any(w in ROUTES for w in rest):
        return ["go", *rest]
    return None
