"""Moving: from room to room by a direction, or by naming where an exit leads."""

from __future__ import annotations

from textrealms.engine.scope import resolve, words
from textrealms.engine.turn import Turn
from textrealms.engine.verbs import names
from textrealms.engine.verbs.acts import refuse, respond
from textrealms.engine.verbs.looking import describe_room
from textrealms.engine.verbs.verb import Family, Kind, Slot, Syntax, Verb
from textrealms.world import effects as fx
from textrealms.world import flags
from textrealms.world.schema import Direction
from textrealms.world.state import GameState

MOVE_MINUTES = 10


def go(t: Turn) -> None:
    direction = t.command.direction
    if direction is None and t.command.noun:
        direction = _direction_to(t, t.command.noun)
    if direction is None:
        t.notice("Which way? Try a direction such as north, or 'out'.")
        return
    go_to(t, direction)


def go_to(t: Turn, direction: Direction) -> None:
    """Follow the exit `direction`, if there is one and it is open."""
    exit_ = t.pack.locations[t.state.location].exits.get(direction)
    if exit_ is None:
        t.say(t.text("go_blocked", direction=direction))
        return
    if exit_.requires_flag is not None and exit_.requires_flag not in t.state.flags:
        t.say(exit_.blocked or t.text("go_blocked", direction=direction))
        return
    t.minutes = MOVE_MINUTES
    t.effects += [fx.MovePlayer(exit_.to), fx.SetFlag(flags.visited(exit_.to))]
    t.say(t.text("go", direction=direction, location=t.pack.locations[exit_.to].name))
    describe_room(t, exit_.to, revisit=revisiting(t.state, exit_.to))


def revisiting(state: GameState, location: str) -> bool:
    """Whether going to `location` from `state` comes back to a room already seen."""
    return flags.visited(location) in state.flags


def _direction_to(t: Turn, phrase: str) -> Direction | None:
    """`go tavern`: the exit whose destination the phrase names."""
    target = words(phrase)
    for direction, exit_ in t.pack.locations[t.state.location].exits.items():
        if target and all(w in words(t.pack.locations[exit_.to].name) for w in target):
            return direction
    return None


CLIMBING: dict[str, Direction] = {
    "up": "up",
    "u": "up",
    "down": "down",
    "d": "down",
    "in": "in",
    "into": "in",
    "inside": "in",
    "out": "out",
    "outside": "out",
}
"""Words of a `climb` that say which way."""
VERTICAL: tuple[Direction, ...] = ("up", "down")


def climb(t: Turn) -> None:
    """`climb X`: the pack's response for X; else up or down the way the words say, or
    the one way up or down from here ("climb the ladder" on a pier with a ladder down);
    with a way up and a way down, the player is asked which."""
    said = words(t.command.noun or "")
    way = next((CLIMBING[w] for w in said if w in CLIMBING), None)
    rest = " ".join(w for w in said if w not in CLIMBING)
    found = next(iter(resolve(t.pack, rest, t.reachable())), None) if rest else None
    if found is not None:
        t.remember(found)
        if respond(t, found):
            return
    exits = t.pack.locations[t.state.location].exits
    ways = [d for d in VERTICAL if d in exits]
    if found is None and way is None and len(ways) == 1:
        way = ways[0]
    if found is None and way is not None:
        go_to(t, way)
        return
    t.minutes = 0
    if found is not None:
        refuse("climb")(t, found)
    elif len(ways) > 1:
        t.notice("Up or down?")
    else:
        t.say("There is nothing here to climb.")


GO = Verb(
    names.GO,
    ("go", "walk", "run", "move", "head", "travel"),
    go,
    syntax=Syntax((Slot(Kind.DIRECTION),), fillers=frozenset({"to", "towards", "toward"})),
    help="north/south/east/west (n s e w ne nw se sw), up/down (u d), in/out, go DIR",
    judged=False,
)

CLIMB = Verb(
    "climb",
    ("climb", "scale", "clamber"),
    climb,
    syntax=Syntax((Slot(Kind.IN_REACH),), fillers=frozenset({"on", "onto", "over", "to"})),
    help="climb THING",
    judged=False,
)

FAMILY = Family("Move", (GO, CLIMB))
