"""Handling things: opening and closing, locking and unlocking, pushing and pulling,
knocking and ringing.

Without a response of the pack's (`on.<verb>`), a door answers for the way it shuts: a
thing called a door, gate or hatch, where one way out of the place is shut, says what
that way says when tried, and opens by its own `use` when that use is what opens the
way. A key opens what its `use` names. Anything else says plainly that nothing happens.
"""

from __future__ import annotations

from textrealms.engine.scope import Thing, words
from textrealms.engine.turn import Turn
from textrealms.engine.verbs.acts import Act, Default, refuse, respond
from textrealms.engine.verbs.things import used_on, using
from textrealms.engine.verbs.verb import Family, Kind, Slot, Syntax, Verb
from textrealms.world.schema import Exit

DOORS = frozenset(
    {"door", "doors", "gate", "gates", "hatch", "grille", "grate", "trapdoor", "shutter", "lid"}
)
"""Words that make a thing a door, for the way out it shuts."""


def _is_door(t: Turn, found: Thing) -> bool:
    if found.kind != "item":
        return False
    item = t.pack.items[found.id]
    return bool(DOORS & {w for name in (item.name, *item.aliases) for w in words(name)})


def _opened(t: Turn) -> bool:
    """Whether a way out of here that was shut is open now."""
    exits = t.pack.locations[t.state.location].exits.values()
    return any(e.requires_flag and e.requires_flag in t.state.flags for e in exits)


def shut_way(t: Turn, found: Thing) -> Exit | None:
    """The one way out of here that is shut, when `found` is a door."""
    if not _is_door(t, found):
        return None
    exits = t.pack.locations[t.state.location].exits.values()
    shut = [e for e in exits if e.requires_flag and e.requires_flag not in t.state.flags]
    return shut[0] if len(shut) == 1 else None


def _opens(t: Turn, found: Thing, way: Exit) -> bool:
    """Open `way` by using `found`, when its `use` sets the flag the way needs."""
    spec = t.pack.items[found.id].use
    if spec is None or spec.sets_flag != way.requires_flag:
        return False
    using(t, found, None)
    return True


def door(key: str) -> Default:
    """A door's answer: its way's `blocked` line (after opening it by its own use, if
    that opens it), or that it stands open once the way is; anything else, template
    `key`."""

    def answer(t: Turn, found: Thing) -> None:
        way = shut_way(t, found)
        if way is not None and _opens(t, found, way):
            return
        t.minutes = 0
        if way is not None:
            t.say(way.blocked or t.text(key, item=found.name))
        elif _is_door(t, found) and _opened(t):
            t.say(f"The way past the {found.name} is open.")
        else:
            refuse(key)(t, found)

    return answer


def _objects(t: Turn) -> tuple[Thing, Thing | None] | None:
    """What `lock X with Y` names, found in reach; None when something is missing."""
    if t.command.noun is None:
        t.minutes = 0
        t.notice(f"{t.command.verb.capitalize()} what?")
        return None
    found = t.find(t.command.noun, t.reachable())
    if found is None:
        return None
    if t.command.second is None:
        return found, None
    key = t.find(t.command.second, t.reachable())
    return None if key is None else (found, key)


def unlock(t: Turn) -> None:
    """`unlock X with Y`: what Y's `use` on X does; without Y, the one key carried whose
    use names X; else as a door."""
    objects = _objects(t)
    if objects is None or respond(t, *objects):
        return
    found, key = objects
    if key is not None:
        if not used_on(t, found, key):
            refuse("unlock")(t, found)
        return
    keys = [x for x in t.carried() if (spec := t.pack.items[x.id].use) and spec.target == found.id]
    if len(keys) == 1:
        using(t, keys[0], found)
    else:
        door("unlock")(t, found)


def lock(t: Turn) -> None:
    objects = _objects(t)
    if objects is not None and not respond(t, *objects):
        refuse("lock")(t, objects[0])


def _knock_alone(t: Turn) -> None:
    """`knock`: on the one door here, if there is one."""
    doors = [x for x in t.in_room() if _is_door(t, x)]
    if len(doors) == 1:
        t.remember(doors[0])
        if not respond(t, doors[0]):
            refuse("knock")(t, doors[0])
        return
    t.minutes = 0
    t.notice("Knock on what?")


ON_IT = Syntax((Slot(Kind.IN_REACH),))
WITH_IT = Syntax((Slot(Kind.IN_REACH), Slot(Kind.IN_REACH, ("with", "using"))))

OPEN = Verb("open", ("open", "unbar"), Act(door("open")), syntax=ON_IT, help="open THING")
CLOSE = Verb("close", ("close", "shut"), Act(refuse("close")), syntax=ON_IT, help="close THING")
UNLOCK = Verb(
    "unlock", ("unlock", "unbolt"), unlock, syntax=WITH_IT, help="unlock THING [with THING]"
)
LOCK = Verb("lock", ("lock", "bolt"), lock, syntax=WITH_IT, help="lock THING [with THING]")
PUSH = Verb(
    "push", ("push", "shove", "press"), Act(refuse("push")), syntax=ON_IT, help="push THING"
)
PULL = Verb("pull", ("pull", "tug", "yank"), Act(refuse("pull")), syntax=ON_IT, help="pull THING")
KNOCK = Verb(
    "knock",
    ("knock", "rap", "bang"),
    Act(refuse("knock"), _knock_alone),
    syntax=Syntax((Slot(Kind.IN_REACH),), fillers=frozenset({"on", "at"})),
    help="knock [on THING]",
)
RING = Verb("ring", ("ring", "toll", "chime"), Act(refuse("ring")), syntax=ON_IT, help="ring THING")

FAMILY = Family("Handle", (OPEN, CLOSE, UNLOCK, LOCK, PUSH, PULL, KNOCK, RING))
