"""The world's drift: how the stakeholders' own moves carry a conflict between turns.

The world may raise tension and carry a conflict forward, a phase at a time, up to its
`drift_limit` (the climax unless the pack says otherwise): never further, and never
back, so a phase the world reached stays until the player or the pack's events move it.
How far it has carried a conflict toward its next phase is kept apart from the player's
progress (`GameState.drift`), and a new phase, whoever made it, starts it afresh. While
the player acts on a conflict the world follows their lead: a turn in which the player
(or a pack event) moved a conflict adds no drift to it. The world's pushes move its
intensity (the tension) but never its momentum: which way a conflict leans is the
player's doing (and the pack's events'), so waiting never turns it round.

Each pacing style drifts its own way (docs/authoring.md has the numbers):
`slow_burn` barely, `steady` evenly, `rapid_escalation` fast and hard, `waves` in swells
that rise and ebb (the stakeholders' pushes turn round while a wave ebbs, and only a
rising wave carries the phase), `erratic` by fits, a seeded amount each turn.
"""

from __future__ import annotations

from dataclasses import dataclass

from textrealms.engine.simulation.flow import CLIMAX, Step, heated
from textrealms.world.reducer import clamp
from textrealms.world.rng import Dice
from textrealms.world.schema import PHASES, Conflict, Pacing
from textrealms.world.state import ConflictState


@dataclass(frozen=True)
class Pace:
    rate: float
    """Drift a turn at full pressure: a phase takes at least 1/rate turns of the world's."""
    scale: float
    """How hard the stakeholders' pushes land on intensity and momentum."""


PACES: dict[Pacing, Pace] = {
    "slow_burn": Pace(1 / 120, 0.5),
    "steady": Pace(1 / 40, 1.0),
    "waves": Pace(1 / 20, 1.25),
    "rapid_escalation": Pace(1 / 15, 1.5),
    "erratic": Pace(1 / 30, 1.0),
}
WAVE = 6
"""Turns a wave rises, then as many it ebbs."""


def swell(pacing: Pacing, turn: int, dice: Dice) -> float:
    """How this turn's pushes land, as a multiple: below 0 they turn round (tension ebbs)."""
    if pacing == "waves":
        return 1.0 if (turn // WAVE) % 2 == 0 else -1.0
    if pacing == "erratic":
        return dice.uniform(-0.5, 2.0)
    return 1.0


def pressure(flow: ConflictState) -> float:
    """How hard a conflict presses on, 0.25..1: before the climax its intensity and its
    drive upward; after it (a pack whose `drift_limit` lies past the climax) its calm and
    its drive downward."""
    if PHASES.index(flow.phase) < CLIMAX:
        heat, drive = flow.intensity, flow.momentum
    else:
        heat, drive = 1.0 - flow.intensity, -flow.momentum
    return clamp(0.25 + 0.5 * heat + 0.5 * max(drive, 0.0), 0.25, 1.0)


@dataclass(frozen=True)
class Drifted:
    step: Step
    drift: float
    """The world's progress toward the next phase, after this turn."""


def drift(
    conflict: Conflict,
    flow: ConflictState,
    carried: float,
    push: tuple[float, float],
    *,
    turn: int,
    dice: Dice,
    held: bool,
) -> Drifted:
    """The world's pushes (intensity, momentum) on a conflict this turn, and how far they
    carry it; `carried` is its drift so far, `held` whether the player moved it this turn.
    Only pushes that drive it on carry it: upward before the climax, downward after it."""
    pace = PACES[conflict.pacing]
    how = swell(conflict.pacing, turn, dice)
    intensity, momentum = push
    now = heated(flow, intensity * pace.scale * how)
    index = PHASES.index(flow.phase)
    onward = momentum * how > 0 if index < CLIMAX else momentum * how < 0
    if held or not onward or index >= PHASES.index(conflict.drift_limit):
        return Drifted(Step(now, None), carried)
    carried = round(carried + pace.rate * pressure(now) * how, 6)
    if carried < 1.0:
        return Drifted(Step(now, None), carried)
    onto = now.model_copy(update={"phase": PHASES[index + 1], "progress": 0.0})
    return Drifted(Step(onto, flow.phase), 0.0)
