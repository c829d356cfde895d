"""Moving: from room to room by a direction, or by naming where an exit leads."""

from __future__ import annotations

from textrealms.engine.scope import words
from textrealms.engine.turn import Turn
from textrealms.engine.verbs import names
from textrealms.engine.verbs.looking import describe_room
from textrealms.engine.verbs.verb import Family, Kind, Slot, Syntax, Verb
from textrealms.world import effects as fx
from textrealms.world import flags
from textrealms.world.schema import Direction
from textrealms.world.state import GameState

MOVE_MINUTES = 10


def go(t: Turn) -> None:
    loc = t.pack.locations[t.state.location]
    direction = t.command.direction
    if direction is None and t.command.noun:
        direction = _direction_to(t, t.command.noun)
    if direction is None:
        t.notice("Which way? Try a direction such as north, or 'out'.")
        return
    exit_ = loc.exits.get(direction)
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


GO = Verb(
    names.GO,
    ("go", "walk", "run", "move", "head", "travel", "climb"),
    go,
    syntax=Syntax((Slot(Kind.DIRECTION),), fillers=frozenset({"to", "towards", "toward"})),
    help="north/south/east/west (n s e w ne nw se sw), up/down (u d), in/out, go DIR",
)

FAMILY = Family("Move", (GO,))
