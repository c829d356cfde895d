"""The world's own turn: stakeholders move and break, the director paces and picks a beat,
and which of it the player sees; then how the turn is committed (pushes carry conflicts
through their phases, a moved reputation is told).

Pure functions of the pack, the states and the dice: the world job only asks a model to
word (and, for a real model, assess) what these decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from textrealms.engine.events import DramaticBeat, PhaseTransition, ReputationChange, StoryEvent
from textrealms.engine.phrases import options, phrase
from textrealms.engine.simulation import director, lines, social, stakeholders
from textrealms.engine.simulation.drift import drift
from textrealms.world import effects as fx
from textrealms.world.reducer import clamp, reduce
from textrealms.world.rng import Dice
from textrealms.world.schema import DIMENSIONS, BeatType, Phase, WorldPack
from textrealms.world.state import GameState

TOLD = 0.1
"""A reputation moved further than this from what the player was last told is narrated."""
VISIBLE_MOVES = 2
"""Stakeholder moves shown per turn when they happen in front of the player (one each)."""

Pushes = dict[str, tuple[float, float]]
"""(intensity, momentum) pushed onto each conflict this turn, by conflict id."""


@dataclass(frozen=True, slots=True)
class Shown:
    """A stakeholder's move made in front of the player, in the pack's words for it."""

    npc: str
    line: str


@dataclass(frozen=True, slots=True)
class CastBeat:
    """The dramatic beat the director picked, cast, and worded by the pack's templates."""

    beat: BeatType
    conflict: str | None
    npc: str | None
    """Who is at the heart of it."""
    phase: Phase | None
    """The beat's conflict's phase once the turn's moves are made."""
    fallback: str
    location: str
    """Where it is felt: where the player is."""


@dataclass(frozen=True, slots=True)
class WorldTurn:
    """What the world does in one turn, decided before any model is asked."""

    turn: int
    effects: list[fx.Effect]
    """The stakeholders' moves and breaks, and the scandal each break makes."""
    direction: list[fx.Effect]
    """The director's record of the turn (tension, stage, beat), applied last."""
    pushes: Pushes
    held: frozenset[str]
    """Conflicts the player's turn moved: the world follows their lead, and adds no drift."""
    shown: list[Shown]
    beat: CastBeat | None
    drive: dict[str, float] = field(default_factory=dict)
    """Momentum a model's assessment adds to the conflict the player moved: the player's
    doing, so it moves the lean, where the world's own pushes never do."""


def world_turn(
    pack: WorldPack, before: GameState, after: GameState, dice: Dice, flow_dice: Dice
) -> WorldTurn:
    """The world's turn after the player's command turned `before` into `after`.

    `dice` makes every choice in order (the stakeholders', the director's, then the
    words of the moves shown and of the beat); `flow_dice` moves the conflicts' phases,
    here to see where this turn's pushes would take them.
    """
    turn = after.turn
    held = frozenset(cid for cid, now in after.conflicts.items() if now != before.conflicts[cid])
    plan = stakeholders.act(pack, after, dice)
    effects = list(plan.effects)
    for b in plan.breaks:
        near = social.neighbours(pack, after, b.npc) or [b.npc]
        effects.append(fx.AddGossip(social.broken(pack, b.npc, b.new, turn, near[0])))
    projected = reduce(pack, after, effects)
    projected, _ = _push(pack, projected, plan.pushes, flow_dice, turn=turn, held=held)
    direction = director.direct(before, projected, plan.breaks, dice)
    pushes = _nudged(plan.pushes, *direction.push) if direction.push else plan.pushes
    here = set(after.npcs_in(after.location))
    shown: list[Shown] = []
    for move in plan.moves:
        seen = any(s.npc == move.npc for s in shown)  # a part in two conflicts: one move told
        if move.npc in here and not seen and len(shown) < VISIBLE_MOVES:
            line = lines.move(pack, after, move, dice)
            if line is not None:
                shown.append(Shown(move.npc, line))
    beat = _worded(pack, direction.beat, projected, dice) if direction.beat else None
    return WorldTurn(turn, effects, direction.effects, pushes, held, shown, beat)


def _worded(pack: WorldPack, beat: director.BeatPlan, state: GameState, dice: Dice) -> CastBeat:
    npc, values = _cast(pack, beat, state)
    fallback, _ = lines.least_said(options(pack, f"beat.{beat.beat}"), values, state, dice)
    phase = state.conflicts[beat.conflict].phase if beat.conflict else None
    return CastBeat(beat.beat, beat.conflict, npc, phase, fallback, state.location)


def _nudged(pushes: Pushes, conflict: str, momentum: float) -> Pushes:
    """`pushes` with `momentum` more drive on `conflict`."""
    intensity, drive = pushes.get(conflict, (0.0, 0.0))
    return {**pushes, conflict: (intensity, drive + momentum)}


def assessed(
    world: WorldTurn, conflict: str | None, momentum: float, reputation: list[fx.Effect]
) -> WorldTurn:
    """The turn with a model's assessment added: drive on the conflict the player moved,
    and changes to their reputation (both already bounded by the job)."""
    drive = (
        {**world.drive, conflict: world.drive.get(conflict, 0.0) + momentum}
        if conflict is not None and momentum
        else world.drive
    )
    return replace(world, effects=world.effects + reputation, drive=drive)


def commit(
    pack: WorldPack,
    state: GameState,
    world: WorldTurn,
    flow_dice: Dice,
    index: int,
    *,
    beat: DramaticBeat | None = None,
) -> tuple[GameState, list[StoryEvent]]:
    """The world's turn applied to `state` as it is at commit time, and what it tells (as
    job `index`): its `beat` as worded, the phases the pushes moved, then the reputations
    moved far enough to tell.

    The beat was picked on the state the turn was played on; a turn played before the
    one ahead of it committed did not see that one's beat. It is told only if still due
    as `state` stands (else one escalation was told twice, on two turns in a row)."""
    turn = world.turn
    direction = world.direction
    if world.beat is not None and not director.due(state, turn, world.beat.beat):
        beat = None
        direction = [e for e in direction if not isinstance(e, fx.MarkBeat)]
    told = [lines.told(beat.text)] if beat is not None else []
    new = reduce(pack, state, world.effects + told + direction + _driven(state, world.drive))
    new, moved = _push(pack, new, world.pushes, flow_dice, turn=turn, held=world.held)
    new, reputed = _tell(pack, new, turn, index)
    return new, [
        *([beat] if beat is not None else []),
        *[
            PhaseTransition(turn, index, cid, old, now, text, title)
            for cid, old, now, text, title in moved
        ],
        *reputed,
    ]


def _driven(state: GameState, drive: dict[str, float]) -> list[fx.Effect]:
    """The assessment's drive on each conflict's momentum."""
    driven: list[fx.Effect] = []
    for cid, more in sorted(drive.items()):
        c = state.conflicts[cid]
        momentum = clamp(c.momentum + more, -1.0, 1.0)
        driven.append(fx.SetConflictFlow(cid, c.phase, c.intensity, momentum, c.progress))
    return driven


def _cast(
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
    conflict_name = conflict.name if conflict else "the trouble"
    person = (
        lines.values(pack, npc, cid)
        if npc
        else {"npc": "someone", "their": "their", "them": "them"}
    )
    return npc, {
        "conflict": conflict_name,
        **person,
        "topic": secret or f"there is more to {conflict_name} than anyone admitted",
    }


def _push(
    pack: WorldPack,
    state: GameState,
    pushes: Pushes,
    dice: Dice,
    *,
    turn: int,
    held: frozenset[str],
) -> tuple[GameState, list[tuple[str, str, str, str, str]]]:
    """Conflicts carried by the world's pushes: the new state and the phase changes."""
    changes: list[fx.Effect] = []
    moved: list[tuple[str, str, str, str, str]] = []
    for cid, push in sorted(pushes.items()):
        conflict = pack.conflicts[cid]
        carried = state.drift.get(cid, 0.0)
        flow = state.conflicts[cid]
        drifted = drift(conflict, flow, carried, push, turn=turn, dice=dice, held=cid in held)
        new = drifted.step.flow
        changes += [
            fx.SetConflictFlow(cid, new.phase, new.intensity, new.momentum, new.progress),
            fx.Drift(cid, drifted.drift),
        ]
        if drifted.step.left is not None:
            text = phrase(pack, f"transition.{new.phase}", dice, conflict=conflict.name)
            moved.append((cid, drifted.step.left, new.phase, text, conflict.name))
    return reduce(pack, state, changes), moved


def _tell(
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
