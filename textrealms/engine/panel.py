"""The game at a glance: what a side panel shows beside the story, from the state alone.

Built with the same words the `look`, `inventory` and `reputation` commands use, so a
front end's panel and the game's own answers never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from textrealms.engine import stakes
from textrealms.engine.scope import carried, people
from textrealms.engine.simulation.timeline import Deadline, deadlines
from textrealms.engine.verbs.looking import clock_text, mood, standings
from textrealms.world import flags
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState


@dataclass(frozen=True, slots=True)
class Way:
    direction: str
    place: str | None
    """Where it leads, once the player has been there; None until then."""


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    mood: str


@dataclass(frozen=True, slots=True)
class Conflict:
    name: str
    phase: str
    standing: str
    """The phase in a word or two ("at its height")."""
    leaning: str
    """Which way it leans, in the pack's words, after an arrow ("↑ toward trouble"); once
    the story has ended, how it ended."""
    intensity: float
    momentum: float


@dataclass(frozen=True, slots=True)
class Panel:
    place: str
    clock: str
    exits: list[Way]
    people: list[Person]
    inventory: list[str]
    conflicts: list[Conflict]
    deadlines: list[Deadline]
    """Timed events to come, soonest first, each with the time left."""
    tension: list[float]
    """The story's tension at the end of recent turns, oldest first."""
    reputation: dict[str, float]
    standing: list[tuple[str, str]]
    """(faction, how its people feel about the player)."""


def panel(pack: WorldPack, state: GameState) -> Panel:
    here = pack.locations[state.location]
    how = stakes.ended(pack, state)
    return Panel(
        place=here.name,
        clock=clock_text(state.clock),
        exits=[
            Way(d, pack.locations[e.to].name if flags.visited(e.to) in state.flags else None)
            for d, e in here.exits.items()
        ],
        people=[Person(p.name, mood(state.npcs[p.id].disposition)) for p in people(pack, state)],
        inventory=[t.name for t in carried(pack, state)],
        conflicts=[
            Conflict(
                pack.conflicts[cid].name,
                c.phase,
                stakes.SHORT["aftermath" if how else c.phase],
                how or stakes.arrow(pack.conflicts[cid], c),
                c.intensity,
                c.momentum,
            )
            for cid, c in state.conflicts.items()
        ],
        deadlines=deadlines(pack, state),
        tension=list(state.director.tension),
        reputation={str(dim): value for dim, value in state.reputation.items()},
        standing=standings(pack, state),
    )
