"""A verb done to something: the thing or person found, the pack's response to the verb
first (format 2, `on.<verb>`: "Instead of opening the door..."), else the verb's default.

Every verb that acts on something reads the responses through `respond`, so a pack can
give any item or person its own answer to any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textrealms.engine.scope import Thing, words
from textrealms.engine.simulation.timeline import changes
from textrealms.engine.turn import ACT_MINUTES, Turn
from textrealms.world import effects as fx
from textrealms.world.conditions import all_hold, first_line
from textrealms.world.schema import Response, WorldPack
from textrealms.world.state import PLAYER


def responses(pack: WorldPack, owner: Thing, verb: str) -> list[Response]:
    entry = pack.items[owner.id] if owner.kind == "item" else pack.npcs[owner.id]
    return entry.on.get(verb, [])


def respond(
    t: Turn, first: Thing | None, second: Thing | None = None, *, verb: str | None = None
) -> bool:
    """Play the pack's first response to the command's verb (or `verb`) that holds: one of
    `first`'s (whose `with`, if any, is `second`), then one of `second`'s (with `first`).
    Whether one was played."""
    name = verb or t.command.verb
    for owner, other in ((first, second), (second, first)):
        if owner is None:
            continue
        for response in responses(t.pack, owner, name):
            if response.with_ is not None and (other is None or other.id != response.with_):
                continue
            if all_hold(response.when, t.state):
                play(t, response)
                return True
    return False


def play(t: Turn, response: Response) -> None:
    """What a response says and does, in place of the verb's default."""
    text = first_line(response.text, t.state)
    if text:
        t.say(text)
    t.effects += changes(t.pack, response, t.state)
    t.effects += [fx.PlaceItem(item, PLAYER) for item in response.gives]
    t.effects += [fx.PlaceItem(item, None) for item in response.removes]
    t.minutes = ACT_MINUTES if response.takes_time else 0


def someone(t: Turn, phrase: str | None, question: str) -> Thing | None:
    """The NPC a phrase names, or the only one here when there is no phrase."""
    people = t.people()
    if phrase is not None:
        return t.find(phrase, people, missing="There is no {phrase} here.")
    if len(people) == 1:
        return t.remember(people[0])
    t.minutes = 0
    t.notice("There is no one here." if not people else question)
    return None


Default = Callable[[Turn, Thing], None]
"""What a verb does to a thing or person when the pack gives no response."""


def refuse(key: str) -> Default:
    """A default that only answers, with template `key` (about the thing, or the person),
    and takes no time: nothing changed."""

    def answer(t: Turn, found: Thing) -> None:
        t.minutes = 0
        if found.kind == "npc":
            t.say(t.text_about("person", found.id))
        else:
            t.say(t.text(key, item=found.name))

    return answer


HERE = frozenset({"room", "around", "here", "area", "place"})
"""Words that name the place the player stands in, whatever it is called."""


def names_here(t: Turn, noun: str) -> bool:
    """Whether `noun` names the place itself ("search the room", "x tavern")."""
    said = words(noun)
    return " ".join(said) in HERE or said == words(t.pack.locations[t.state.location].name)


@dataclass(frozen=True, slots=True)
class Act:
    """The handler of a verb done to one thing or person in reach: `default` when the pack
    gives no response; `alone` when nothing is named, or the place itself (else the player
    is asked what)."""

    default: Default
    alone: Callable[[Turn], None] | None = None

    def __call__(self, t: Turn) -> None:
        noun = t.command.noun
        if self.alone is not None and (noun is None or names_here(t, noun)):
            self.alone(t)
            return
        if noun is None:
            t.minutes = 0
            t.notice(f"{t.command.verb.replace('_', ' ').capitalize()} what?")
            return
        found = t.find(noun, t.reachable())
        if found is not None and not respond(t, found):
            self.default(t, found)
