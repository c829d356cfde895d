"""The state of one game: everything a save needs to resume it exactly.

The state holds only what changes during play; the pack holds the rest. It is changed
only by `textrealms.world.reducer.reduce`, which returns a new state.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from textrealms.world.flags import visited
from textrealms.world.schema import (
    Dimension,
    GossipType,
    Phase,
    StakeholderRole,
    WorldPack,
)
from textrealms.world.story import clock_minutes

START_CLOCK = 8 * 60
"""Minutes since midnight of day 1 when a game begins."""

START_REPUTATION: dict[Dimension, float] = {
    "trustworthy": 0.5,
    "submissive": 0.3,
    "rebellious": 0.3,
    "mysterious": 0.6,
    "influential": 0.2,
    "scandalous": 0.1,
    "nurturing": 0.4,
    "dangerous": 0.2,
}

PLAYER = "player"
"""The place of an item the player carries (see `GameState.items`)."""
GONE = "gone"
"""The place of an item out of play (given up, used up): kept, so that fitting a saved
state to its pack (`fitted`) does not mistake it for a thing the world has gained."""


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class NpcState(Model):
    location: str
    disposition: float = Field(ge=-1.0, le=1.0)
    stress: float = Field(default=0.0, ge=0.0, le=1.0)
    commitment: float = Field(default=0.5, ge=0.0, le=1.0)
    role: StakeholderRole | None = None
    knows: list[str] = []


class ConflictState(Model):
    phase: Phase
    intensity: float = Field(ge=0.0, le=1.0)
    momentum: float = Field(ge=-1.0, le=1.0)
    progress: float = Field(default=0.0, ge=0.0, le=1.0)


class Gossip(Model):
    """One piece of gossip going round: what it says, how true it is, who holds it."""

    id: str
    type: GossipType
    about: str
    """The NPC id it is about, or `PLAYER`."""
    topic: str
    """A clause ("the stranger sided with Mira") that fits the `gossip.<type>` templates."""
    truth: float = Field(ge=0.0, le=1.0)
    spread: float = Field(ge=0.0, le=1.0)
    """How catchy it is: scales the chance it passes between two NPCs who meet."""
    origin: str | None = None
    turn: int = 0
    believers: list[str] = []
    deniers: list[str] = []
    heard: int | None = None
    """The turn the player heard it, if they have."""
    teller: str | None = None
    """The NPC the player heard it from."""


Stage = Literal["build", "peak", "fade", "relax"]
STAGES: tuple[Stage, ...] = get_args(Stage)


class Director(Model):
    """Where the pacing director has the story on its tension arc."""

    stage: Stage = "build"
    since: int = 0
    """The turn this stage began."""
    last_beat: int = -100
    """The turn of the last dramatic beat."""
    tension: list[Annotated[float, Field(ge=0.0, le=1.0)]] = []
    """Tension at the end of recent turns, oldest first (at most `TENSION_HISTORY`)."""


TENSION_HISTORY = 40


class QuestState(Model):
    met: list[bool]
    done: bool = False


class Pending(Model):
    """A question the game asked ("Which key: ...?"): the command waits for the answer."""

    command: str
    slot: str
    candidates: list[str]


class Context(Model):
    """What the parser remembers between commands."""

    last_noun: str | None = None
    last_command: str | None = None
    bindings: dict[str, str] = {}
    """How the last command's questions were answered: noun phrase -> id, for `again`."""
    pending: Pending | None = None


class GameState(Model):
    world_id: str
    world_version: str
    seed: int
    turn: int = 0
    clock: int = START_CLOCK
    location: str
    items: dict[str, str]
    """Where each item is: `PLAYER`, `room:<location>`, `npc:<npc>`, or `GONE` out of play."""
    flags: set[str]
    npcs: dict[str, NpcState]
    reputation: dict[Dimension, Annotated[float, Field(ge=0.0, le=1.0)]]
    conflicts: dict[str, ConflictState]
    quests: dict[str, QuestState]
    rng: int = 0
    """How many numbers the seeded RNG has drawn (see `textrealms.world.rng.Dice`)."""
    context: Context = Context()
    ending: str | None = None
    gossip: list[Gossip] = []
    relations: dict[str, Annotated[float, Field(ge=-1.0, le=1.0)]] = {}
    """How two factions stand with each other, keyed `a|b` with the ids sorted."""
    director: Director = Director()
    told: dict[Dimension, Annotated[float, Field(ge=0.0, le=1.0)]] = {}
    """Reputation as last narrated to the player; a move of more than 0.1 is told."""
    events: list[str] = []
    """The pack's events that have happened, in order."""
    warned: list[str] = []
    """Warnings of timed events already given, as `event#index` (`part_key`)."""
    hints: dict[str, int] = {}
    """How many hints the player has had for each objective, keyed `quest#index`."""
    drift: dict[str, Annotated[float, Field(ge=0.0, le=1.0)]] = {}
    """How far the world's own moves have carried each conflict toward its next phase
    (kept apart from the player's `progress`, so the player's steps never depend on it)."""

    said: list[str] = []
    """The sentences of beats and reactions told lately, as keys, oldest first (at most
    `textrealms.world.said.KEPT`): what a pool gives last."""

    ADDED: ClassVar[frozenset[str]] = frozenset({"events", "warned", "hints", "drift", "said"})
    """Fields added since saves were first written: left out of the hash while they hold
    their default, so a state saved before they existed keeps its hash. A field added
    later joins this set (and lives at the top level, where this rule can see it)."""

    @field_serializer("flags")
    def _sorted_flags(self, flags: set[str]) -> list[str]:
        return sorted(flags)

    def canonical_json(self) -> str:
        """The same state always gives the same bytes: sorted keys, no spaces."""
        data = self.model_dump(mode="json")
        for name in self.ADDED:
            if data[name] == _EMPTY[name]:
                del data[name]
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def state_hash(self) -> str:
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    def inventory(self, pack: WorldPack) -> list[str]:
        """Carried items in pack order."""
        return [i for i in pack.items if self.items.get(i) == PLAYER]

    def items_in(self, pack: WorldPack, location: str) -> list[str]:
        place = f"room:{location}"
        return [i for i in pack.items if self.items.get(i) == place]

    def npcs_in(self, location: str) -> list[str]:
        return [n for n, s in self.npcs.items() if s.location == location]


_EMPTY: dict[str, object] = {
    name: GameState.model_fields[name].get_default(call_default_factory=True)
    for name in GameState.ADDED
}
"""The default of each added field, as it dumps to JSON."""


def part_key(owner: str, index: int) -> str:
    """The key of part `index` of an event or quest (a warning, an objective): `owner#index`."""
    return f"{owner}#{index}"


def relation_key(a: str, b: str) -> str:
    """The key of the relation between factions `a` and `b` (the order does not matter)."""
    return "|".join(sorted((a, b)))


def new_game(pack: WorldPack, seed: int) -> GameState:
    """The state at the start of a new game of `pack`."""
    items: dict[str, str] = {}
    for loc_id, loc in pack.locations.items():
        for item in loc.items:
            items[item] = f"room:{loc_id}"
    for item in pack.start.inventory:
        items[item] = PLAYER
    roles: dict[str, StakeholderRole] = {}
    for conflict in pack.conflicts.values():
        for npc_id, role in conflict.stakeholders.items():
            roles.setdefault(npc_id, role)
    return GameState(
        clock=clock_minutes(pack.start.time),
        world_id=pack.world.id,
        world_version=pack.world.version,
        seed=seed,
        location=pack.start.location,
        items=items,
        flags=set(pack.start.flags) | {visited(pack.start.location)},
        npcs={
            npc_id: NpcState(
                location=npc.location, disposition=npc.disposition, role=roles.get(npc_id)
            )
            for npc_id, npc in pack.npcs.items()
        },
        reputation=dict(START_REPUTATION),
        told=dict(START_REPUTATION),
        relations={
            relation_key(fid, other): value
            for fid, faction in pack.factions.items()
            for other, value in faction.relations.items()
            if other != fid
        },
        conflicts={
            cid: ConflictState(phase=c.phase, intensity=c.intensity, momentum=c.momentum)
            for cid, c in pack.conflicts.items()
        },
        quests={qid: QuestState(met=[False] * len(q.objectives)) for qid, q in pack.quests.items()},
    )


def fitted(pack: WorldPack, state: GameState) -> GameState:
    """`state`, saved when its world had less, as `pack` plays it now: a person, thing,
    conflict, quest or faction's relation the world has gained since joins it as a new
    game would have it (what it has lost is refused before: `engine.session.fit`)."""
    fresh = new_game(pack, state.seed)
    gained = {
        name: {k: v for k, v in getattr(fresh, name).items() if k not in getattr(state, name)}
        for name in ("npcs", "items", "conflicts", "quests", "relations")
    }
    if not any(gained.values()):
        return state
    return state.model_copy(
        update={name: {**getattr(state, name), **new} for name, new in gained.items() if new}
    )
