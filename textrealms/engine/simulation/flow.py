"""Conflict flow: how the player's choices move a conflict through its phases, by rule.

The player drives. Each choice moves the conflict through its phase by a fixed step (no
dice, and nothing the world did between turns changes it), so the same choices from the
same phase give the same phases on every seed:

- before the climax, heat (escalate, resist, siding with those who push) carries it on
  and calm (de-escalate, negotiate, submit, siding with the rest) carries it back;
- at the climax heat holds it at its height, and only calm moves it on, to `falling`;
- after the climax calm carries it on to `resolution` and `aftermath`, and heat throws it
  back a phase; `aftermath` is over, and stays so.

Intensity and momentum move too (the director's tension, the panel's leaning, the
world's drift read them), but they never change the player's step. The world's own moves
are `textrealms.engine.simulation.drift`; docs/authoring.md has the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textrealms.engine.verbs import names
from textrealms.world.reducer import clamp
from textrealms.world.schema import PHASES, Phase, StakeholderRole
from textrealms.world.state import ConflictState

CLIMAX = PHASES.index("climax")
LAST = len(PHASES) - 1
DECAY = 0.85
"""Momentum kept from one push to the next: a drive fades unless it is fed."""
HALF, THIRD = 1 / 2, 1 / 3
"""Steps of a phase: a strong choice moves it in two, a measured one in three."""
BACK = 0.5
"""Where in a phase the conflict stands when it falls back into it: halfway."""
EPSILON = 1e-9
"""Three thirds make a whole phase, whatever floating point makes of them."""

PUSHERS: frozenset[StakeholderRole] = frozenset({"instigator", "escalator"})
"""Roles that drive a conflict on; siding with them heats it, siding against them calms it."""


@dataclass(frozen=True)
class Choice:
    intensity: float
    momentum: float
    step: float
    """A fraction of a phase: positive heats the conflict, negative calms it."""
    reputation: dict[str, float]
    dispositions: dict[StakeholderRole, float] = field(default_factory=dict)


CHOICES: dict[str, Choice] = {
    names.ESCALATE: Choice(
        0.15,
        0.25,
        HALF,
        {"dangerous": 0.08, "rebellious": 0.04},
        {"instigator": 0.1, "escalator": 0.1, "mediator": -0.1, "peacemaker": -0.1},
    ),
    names.DEESCALATE: Choice(
        -0.15,
        -0.25,
        -HALF,
        {"nurturing": 0.06, "trustworthy": 0.03},
        {"mediator": 0.1, "peacemaker": 0.1, "escalator": -0.05},
    ),
    names.NEGOTIATE: Choice(
        -0.08, -0.15, -THIRD, {"influential": 0.08, "trustworthy": 0.04}, {"mediator": 0.15}
    ),
    names.SUBMIT: Choice(
        -0.1,
        -0.3,
        -THIRD,
        {"submissive": 0.12, "influential": -0.05},
        {"instigator": 0.1, "defender": -0.1},
    ),
    names.RESIST: Choice(
        0.1,
        0.2,
        THIRD,
        {"rebellious": 0.1, "dangerous": 0.03},
        {"instigator": -0.15, "defender": 0.1, "victim": 0.1},
    ),
    names.SUPPORT: Choice(0.0, 0.15, THIRD, {"influential": 0.04, "trustworthy": 0.04}),
    names.OPPOSE: Choice(0.0, -0.15, -THIRD, {"rebellious": 0.05, "dangerous": 0.03}),
}
"""Support and oppose are written as for someone who pushes; `sided` turns them round."""


def sided(choice: str, role: StakeholderRole) -> tuple[float, float]:
    """(momentum, step) of supporting or opposing someone of `role`, as the pack cast them:
    toward their side of the conflict."""
    c = CHOICES[choice]
    sign = 1.0 if role in PUSHERS else -1.0
    return sign * c.momentum, sign * c.step


@dataclass(frozen=True)
class Step:
    """A conflict after one push, and the phase it left, if it changed."""

    flow: ConflictState
    left: Phase | None


def pushed(flow: ConflictState, intensity: float, momentum: float) -> ConflictState:
    """`flow` with a push's intensity added and its momentum on top of the faded drive."""
    return flow.model_copy(
        update={
            "intensity": clamp(flow.intensity + intensity, 0.0, 1.0),
            "momentum": clamp(flow.momentum * DECAY + momentum, -1.0, 1.0),
        }
    )


def heated(flow: ConflictState, intensity: float) -> ConflictState:
    """`flow` with the world's push on its intensity: its lean (momentum) is left alone."""
    return flow.model_copy(update={"intensity": clamp(flow.intensity + intensity, 0.0, 1.0)})


def entered(flow: ConflictState, phase: Phase, progress: float) -> ConflictState:
    """`flow` in a new phase: half its drive is spent, and past the climax none is left
    pushing upward."""
    momentum = flow.momentum * 0.5
    if PHASES.index(phase) > CLIMAX:
        momentum = min(momentum, 0.0)
    return flow.model_copy(update={"phase": phase, "progress": progress, "momentum": momentum})


def choose(flow: ConflictState, intensity: float, momentum: float, step: float) -> Step:
    """A player's choice: the push, then the phase moved by `step` by the rules above."""
    now = pushed(flow, intensity, momentum)
    index = PHASES.index(flow.phase)
    if step == 0 or index == LAST or (index == CLIMAX and step > 0):
        return Step(now, None)
    onward = step > 0 if index < CLIMAX else step < 0
    progress = flow.progress + (abs(step) if onward else -abs(step))
    if progress > 1.0 - EPSILON:
        return Step(entered(now, PHASES[index + 1], 0.0), flow.phase)
    if progress < -EPSILON and index > 0:
        return Step(entered(now, PHASES[index - 1], BACK), flow.phase)
    return Step(now.model_copy(update={"progress": round(max(progress, 0.0), 9)}), None)
