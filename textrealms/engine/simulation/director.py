"""The pacing director: keeps tension moving along an arc and picks the dramatic beats.

In the spirit of Left 4 Dead's AI Director and Façade's drama manager, the story moves
through build-up, peak, fade and relax. Beats fire when the numbers really cross a
threshold (a conflict reaching its climax, momentum swinging past ±0.5, a stakeholder
breaking, a secret getting out), at most one per turn and not too often; when the
build-up stalls the director adds a complication to get things moving. A beat that tells
an event (a betrayal, a twist, a revelation) comes only from that event in the state (a
stakeholder's new part, a secret out): the director never invents one.
"""

from __future__ import annotations

from dataclasses import dataclass

from textrealms.engine.simulation.stakeholders import Break
from textrealms.world import effects as fx
from textrealms.world.rng import Dice
from textrealms.world.schema import PHASES, BeatType, Phase
from textrealms.world.state import GameState, Stage

SWING = 0.5
"""Momentum past which a swing is a beat: escalation upward, reconciliation downward."""
COOLDOWN = 2
"""Turns after a beat before an ordinary one may fire again."""
URGENT: frozenset[BeatType] = frozenset({"climax", "betrayal"})
"""Beats that ignore the cooldown."""
STALL = 3
"""Turns of flat tension in the build-up before the director adds a complication."""
PEAK, CALM = 0.7, 0.35
"""Tension that makes a peak, and below which a fade becomes rest."""
STAGE_TURNS: dict[Stage, int] = {"build": 0, "peak": 3, "fade": 4, "relax": 4}
"""Turns a stage lasts at least before the arc moves on."""


@dataclass(frozen=True, slots=True)
class BeatPlan:
    beat: BeatType
    conflict: str | None = None
    npc: str | None = None


@dataclass(frozen=True, slots=True)
class Direction:
    effects: list[fx.Effect]
    beat: BeatPlan | None
    push: tuple[str, float] | None
    """(conflict, momentum) the director adds to break a stall, if any."""


def tension(state: GameState) -> float:
    """How tense the story is: the hottest live conflict's intensity, lifted by its drive."""
    live = [c for c in state.conflicts.values() if c.phase != "aftermath"]
    if not live:
        return 0.0
    return max(min(1.0, 0.75 * c.intensity + 0.25 * max(c.momentum, 0.0)) for c in live)


def _next_stage(state: GameState, now: float, turn: int) -> Stage:
    d = state.director
    held = turn - d.since
    if d.stage == "build" and (now >= PEAK or _any_climax(state)):
        return "peak"
    if d.stage == "peak" and held >= STAGE_TURNS["peak"] and not _any_climax(state):
        return "fade"
    if d.stage == "fade" and (now < CALM or held >= STAGE_TURNS["fade"]):
        return "relax"
    if d.stage == "relax" and held >= STAGE_TURNS["relax"]:
        return "build"
    return d.stage


def _any_climax(state: GameState) -> bool:
    return any(c.phase == "climax" for c in state.conflicts.values())


def _thresholds(before: GameState, after: GameState, breaks: list[Break]) -> list[BeatPlan]:
    """Beats whose thresholds the turn crossed, most dramatic first."""
    found: list[BeatPlan] = []
    for b in breaks:
        found.append(BeatPlan(b.beat, b.conflict, b.npc))
    climax = PHASES.index("climax")
    for cid, now in after.conflicts.items():
        was = before.conflicts[cid]
        if now.phase == "climax" and PHASES.index(was.phase) < climax:
            found.insert(0, BeatPlan("climax", cid))
        if was.momentum < SWING <= now.momentum and not _settling(now.phase):
            found.append(BeatPlan("escalation", cid))
        if was.momentum > -SWING >= now.momentum:
            found.append(BeatPlan("reconciliation", cid))
        if now.phase != was.phase and now.phase == "confrontation":
            found.append(BeatPlan("escalation", cid))
    seen = {g.id for g in before.gossip}
    for g in after.gossip:
        if g.type == "secret" and g.id not in seen:
            found.append(BeatPlan("revelation", npc=g.about))
    return found


def direct(
    before: GameState,
    after: GameState,
    breaks: list[Break],
    dice: Dice,
) -> Direction:
    """The director's turn: record tension, move along the arc, and pick at most one beat.

    `before` is the state before the player's command, `after` the projected state once
    this turn's moves are made; beats come from what changed between them.
    """
    turn = after.turn
    now = tension(after)
    d = after.director
    effects: list[fx.Effect] = [fx.RecordTension(now)]
    stage = _next_stage(after, now, turn)
    if stage != d.stage:
        effects.append(fx.SetStage(stage, turn))
    candidates = _thresholds(before, after, breaks)
    push: tuple[str, float] | None = None
    if stage == "build" and _stalled(after, now):
        live = [cid for cid, c in after.conflicts.items() if not _settling(c.phase)]
        if live:
            cid = dice.choice(live)
            push = (cid, 0.2)
            candidates.append(BeatPlan("complication", cid))
    if stage == "relax" and d.stage != "relax":
        candidates.append(BeatPlan("moment"))
    beat = next((c for c in candidates if due(after, turn, c.beat)), None)
    if beat is not None:
        effects.append(fx.MarkBeat(turn))
    return Direction(effects, beat, push)


def due(state: GameState, turn: int, beat: BeatType) -> bool:
    """Whether a beat may be told on `turn` as `state` stands: an urgent one always, any
    other once the last beat is `COOLDOWN` turns behind."""
    return beat in URGENT or turn - state.director.last_beat > COOLDOWN


def _settling(phase: Phase) -> bool:
    """Past its height, where only the player or the pack's events heat a conflict again:
    the world's own swings there are no escalation, and it needs no complication."""
    return PHASES.index(phase) > PHASES.index("climax")


def _stalled(state: GameState, now: float) -> bool:
    recent = state.director.tension[-STALL:]
    return len(recent) == STALL and max(recent) - min(recent) < 0.02 and now < PEAK
