"""Conflict flow rules: forward through the arc, backwards when momentum collapses."""

from __future__ import annotations

from textrealms.engine.simulation.flow import advance
from textrealms.world.rng import Dice
from textrealms.world.schema import PHASES, Phase
from textrealms.world.state import ConflictState


def run(flow: ConflictState, pushes: list[float]) -> list[Phase]:
    """The phase after each push, at the steady pace."""
    dice = Dice(1, 0)
    phases = []
    for push in pushes:
        flow = advance(flow, "steady", 0.1 if push > 0 else -0.1, push, dice).flow
        phases.append(flow.phase)
    return phases


def test_escalation_climbs_to_climax_then_calm_resolves() -> None:
    start = ConflictState(phase="seeds", intensity=0.1, momentum=0.0)
    phases = run(start, [0.25] * 18 + [-0.25] * 12)
    order = [p for i, p in enumerate(phases) if i == 0 or phases[i - 1] != p]
    assert order == list(PHASES)


def test_collapsing_momentum_falls_back_a_phase() -> None:
    start = ConflictState(phase="confrontation", intensity=0.6, momentum=0.0, progress=0.3)
    phases = run(start, [-0.3] * 8)
    assert "rising" in phases
    assert "climax" not in phases


def test_mild_calm_before_the_climax_holds_the_phase() -> None:
    start = ConflictState(phase="rising", intensity=0.5, momentum=0.1, progress=0.5)
    step = advance(start, "steady", -0.1, -0.1, Dice(1, 0))
    assert step.flow.phase == "rising"
    assert step.flow.progress == 0.5
    assert step.left is None


def test_a_fresh_push_in_falling_relapses_into_climax() -> None:
    start = ConflictState(phase="falling", intensity=0.8, momentum=0.5)
    step = advance(start, "steady", 0.15, 0.25, Dice(1, 0))
    assert step.flow.phase == "climax"
    assert step.left == "falling"


def test_pacing_sets_the_speed() -> None:
    start = ConflictState(phase="rising", intensity=0.4, momentum=0.2)
    slow = advance(start, "slow_burn", 0.15, 0.25, Dice(1, 0)).flow.progress
    fast = advance(start, "rapid_escalation", 0.15, 0.25, Dice(1, 0)).flow.progress
    assert fast > slow > 0


def test_erratic_pacing_is_seeded() -> None:
    start = ConflictState(phase="rising", intensity=0.4, momentum=0.2)
    a = [advance(start, "erratic", 0.1, 0.2, Dice(9, n)).flow.progress for n in range(5)]
    b = [advance(start, "erratic", 0.1, 0.2, Dice(9, n)).flow.progress for n in range(5)]
    assert a == b
    assert len(set(a)) > 1
