"""The world job's own rules: who a dramatic beat is about, what a stakeholder says, how
stakeholders' pushes carry conflicts through their phases, when a reputation is told.

Plain functions of the pack and a state, with no model in them: kept out of `gm` so the
world job there reads as what it asks the model and when it commits.
"""

from __future__ import annotations

from textrealms.engine.events import ReputationChange, StoryEvent
from textrealms.engine.phrases import phrase
from textrealms.engine.simulation import director, flow
from textrealms.world import effects as fx
from textrealms.world.reducer import reduce
from textrealms.world.rng import Dice
from textrealms.world.schema import DIMENSIONS, WorldPack
from textrealms.world.state import GameState

TOLD = 0.1
"""A reputation moved further than this from what the player was last told is narrated."""
DRIFT = 0.35
"""How far stakeholders' own moves carry a conflict's phase, against a player's choice (1)."""


def beat_cast(
    pack: WorldPack, beat: director.BeatPlan, state: GameState
) -> tuple[str | None, dict[str, str]]:
    """Who is at the heart of a beat, and what its template is filled with: always a
    person, a conflict and a topic."""
    cid = beat.conflict or next(iter(pack.conflicts), None)
    conflict = pack.conflicts[cid] if cid else None
    npc = beat.npc
    if npc is None and conflict is not None:
        npc = max(conflict.stakeholders, key=lambda n: (state.npcs[n].stress, n))
    if npc is None and pack.npcs:
        npc = next(iter(pack.npcs))
    secret = next(
        (g.topic for g in reversed(state.gossip) if g.type == "secret" and g.about == npc),
        None,
    )
    name = pack.npcs[npc].name if npc else "someone"
    conflict_name = conflict.name if conflict else "the trouble"
    return npc, {
        "npc": name,
        "conflict": conflict_name,
        "topic": secret or f"there is more to {conflict_name} than anyone admitted",
        **(_faction_of(pack, npc) if npc else {}),
    }


def role_line(pack: WorldPack, npc: str, role: str, conflict: str, dice: Dice) -> str:
    """The pack's `reaction.<role>` line for an NPC acting in a conflict."""
    return phrase(
        pack,
        f"reaction.{role}",
        dice,
        npc=pack.npcs[npc].name,
        conflict=pack.conflicts[conflict].name,
        **_faction_of(pack, npc),
    )


def _faction_of(pack: WorldPack, npc: str) -> dict[str, str]:
    faction = pack.npcs[npc].faction
    return {"faction": pack.factions[faction].name} if faction else {}


def push(
    pack: WorldPack, state: GameState, pushes: dict[str, tuple[float, float]], dice: Dice
) -> tuple[GameState, list[tuple[str, str, str, str, str]]]:
    """Conflicts moved by stakeholders' pushes: the new state and the phase changes."""
    changes: list[fx.Effect] = []
    moved: list[tuple[str, str, str, str, str]] = []
    for cid, (intensity, momentum) in sorted(pushes.items()):
        conflict = pack.conflicts[cid]
        step = flow.advance(
            state.conflicts[cid], conflict.pacing, intensity, momentum, dice, weight=DRIFT
        )
        new = step.flow
        changes.append(
            fx.SetConflictFlow(cid, new.phase, new.intensity, new.momentum, new.progress)
        )
        if step.left is not None:
            text = phrase(pack, f"transition.{new.phase}", dice, conflict=conflict.name)
            moved.append((cid, step.left, new.phase, text, conflict.name))
    return reduce(pack, state, changes), moved


def tell(
    pack: WorldPack, state: GameState, turn: int, index: int
) -> tuple[GameState, list[StoryEvent]]:
    """Narrate each reputation that moved more than `TOLD` since the player last heard."""
    events: list[StoryEvent] = []
    changes: list[fx.Effect] = []
    for dim in DIMENSIONS:
        now, was = state.reputation[dim], state.told.get(dim, state.reputation[dim])
        if abs(now - was) > TOLD:
            way = "more" if now > was else "less"
            text = f"Word of you is changing: people now think you {way} {dim} than they did."
            events.append(ReputationChange(turn, index, dim, was, now, text))
            changes.append(fx.TellReputation(dim, now))
    return reduce(pack, state, changes), events
