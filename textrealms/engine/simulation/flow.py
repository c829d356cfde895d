"""Conflict flow: how player choices move a conflict through its phases, by rule.

Momentum is the drive of a conflict: before the climax, positive momentum carries it
forward (rising tension), and a collapse of momentum lets it fall back a phase; after the
climax, negative momentum (calm) carries it on to resolution. The rates and the table of
choices are documented for authors in docs/authoring.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textrealms.engine.verbs import names
from textrealms.world.rng import Dice
from textrealms.world.schema import PHASES, Pacing, Phase, StakeholderRole
from textrealms.world.state import ConflictState

CLIMAX = PHASES.index("climax")
DECAY = 0.85
"""Momentum kept from one choice to the next: a drive fades unless it is fed."""
COLLAPSE = -0.6
"""Momentum at or below which a conflict before its climax runs backwards."""
RELAPSE = 0.6
"""Momentum at or above which a fresh push throws `falling` back into `climax`."""

RATES: dict[str, float] = {
    "slow_burn": 0.15,
    "steady": 0.25,
    "waves": 0.25,
    "rapid_escalation": 0.4,
}

PUSHERS: frozenset[StakeholderRole] = frozenset({"instigator", "escalator"})
"""Roles that drive a conflict on; supporting them adds momentum, opposing them removes it."""


@dataclass(frozen=True)
class Choice:
    intensity: float
    momentum: float
    reputation: dict[str, float]
    dispositions: dict[StakeholderRole, float] = field(default_factory=dict)


CHOICES: dict[str, Choice] = {
    names.ESCALATE: Choice(
        0.15,
        0.25,
        {"dangerous": 0.08, "rebellious": 0.04},
        {"instigator": 0.1, "escalator": 0.1, "mediator": -0.1, "peacemaker": -0.1},
    ),
    names.DEESCALATE: Choice(
        -0.15,
        -0.25,
        {"nurturing": 0.06, "trustworthy": 0.03},
        {"mediator": 0.1, "peacemaker": 0.1, "escalator": -0.05},
    ),
    names.NEGOTIATE: Choice(
        -0.08, -0.15, {"influential": 0.08, "trustworthy": 0.04}, {"mediator": 0.15}
    ),
    names.SUBMIT: Choice(
        -0.1,
        -0.3,
        {"submissive": 0.12, "influential": -0.05},
        {"instigator": 0.1, "defender": -0.1},
    ),
    names.RESIST: Choice(
        0.1,
        0.2,
        {"rebellious": 0.1, "dangerous": 0.03},
        {"instigator": -0.15, "defender": 0.1, "victim": 0.1},
    ),
    names.SUPPORT: Choice(0.0, 0.15, {"influential": 0.04, "trustworthy": 0.04}),
    names.OPPOSE: Choice(0.0, -0.15, {"rebellious": 0.05, "dangerous": 0.03}),
}


@dataclass(frozen=True)
class Step:
    """A conflict after one choice, and the phase it left, if it changed."""

    flow: ConflictState
    left: Phase | None


def side_momentum(choice: str, role: StakeholderRole | None) -> float:
    """Momentum of supporting/opposing someone: toward their side of the conflict."""
    base = CHOICES[choice].momentum
    if role is None:
        return 0.0
    return base if role in PUSHERS else -base


def advance(
    flow: ConflictState,
    pacing: Pacing,
    intensity: float,
    momentum: float,
    dice: Dice,
    *,
    weight: float = 1.0,
) -> Step:
    """Apply a choice's pushes to a conflict and move its phase by the rules above.

    `weight` scales how far the phase moves: 1 for the player's own choices, less for the
    stakeholders' moves between turns, so the world drifts but the player drives.
    """
    m = max(-1.0, min(1.0, flow.momentum * DECAY + momentum))
    i = max(0.0, min(1.0, flow.intensity + intensity))
    rate = dice.uniform(0.05, 0.5) if pacing == "erratic" else RATES[pacing]
    index = PHASES.index(flow.phase)
    step = weight * rate * (0.5 + abs(m)) * (2.0 if index == CLIMAX else 1.0)
    progress = flow.progress
    new_index = index
    if index < CLIMAX:
        if m <= COLLAPSE:
            progress -= step
            if progress <= 0.0 and index > 0:
                new_index, progress = index - 1, 0.5
        elif m > 0:
            progress += step
    elif index == CLIMAX:
        progress += step
    elif index == CLIMAX + 1 and momentum > 0 and m >= RELAPSE:
        new_index, progress = CLIMAX, 0.0
    elif m < 0:
        progress += step
    if progress >= 1.0 and new_index == index and index < len(PHASES) - 1:
        new_index, progress = index + 1, 0.0
        m = min(m * 0.5, 0.0) if new_index == CLIMAX + 1 else m * 0.5
    progress = max(0.0, min(1.0, progress))
    new = ConflictState(phase=PHASES[new_index], intensity=i, momentum=m, progress=progress)
    return Step(new, flow.phase if new_index != index else None)
