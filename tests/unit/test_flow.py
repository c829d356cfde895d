"""Conflict flow: the player's choices step it through its phases, the world only drifts."""

from __future__ import annotations

import itertools

import pytest

from textrealms.engine.simulation.drift import PACES, WAVE, drift
from textrealms.engine.simulation.flow import CHOICES, choose
from textrealms.engine.verbs import names
from textrealms.world.rng import Dice
from textrealms.world.schema import PHASES, Conflict, Pacing, Phase
from textrealms.world.state import ConflictState


def phases(flow: ConflictState, choices: list[str]) -> list[Phase]:
    """The phase after each choice."""
    seen = []
    for name in choices:
        c = CHOICES[name]
        flow = choose(flow, c.intensity, c.momentum, c.step).flow
        seen.append(flow.phase)
    return seen


def changes(seen: list[Phase]) -> list[Phase]:
    return [p for i, p in enumerate(seen) if i == 0 or seen[i - 1] != p]


def test_pressing_climbs_to_the_climax_and_holds_there_then_calm_carries_it_on() -> None:
    start = ConflictState(phase="seeds", intensity=0.1, momentum=0.0)
    seen = phases(start, [names.ESCALATE] * 12 + [names.DEESCALATE] * 6)
    assert changes(seen) == list(PHASES)
    assert seen[7:12] == ["climax"] * 5, "pressing harder holds a conflict at its height"


def test_each_choice_moves_a_fixed_step() -> None:
    start = ConflictState(phase="confrontation", intensity=0.6, momentum=0.3)
    assert phases(start, [names.RESIST] * 3) == ["confrontation", "confrontation", "climax"]
    assert phases(start, [names.ESCALATE] * 2) == ["confrontation", "climax"]
    climax = ConflictState(phase="climax", intensity=0.9, momentum=0.8)
    assert phases(climax, [names.NEGOTIATE] * 3) == ["climax", "climax", "falling"]


def test_the_step_does_not_depend_on_intensity_or_momentum() -> None:
    script = [names.ESCALATE, names.RESIST, names.NEGOTIATE, names.SUBMIT, names.ESCALATE] * 3
    runs = {
        tuple(phases(ConflictState(phase="rising", intensity=i, momentum=m), script))
        for i, m in itertools.product((0.0, 0.5, 1.0), (-1.0, 0.0, 1.0))
    }
    assert len(runs) == 1


def test_calm_before_the_climax_falls_back_a_phase_to_halfway() -> None:
    start = ConflictState(phase="confrontation", intensity=0.6, momentum=0.3)
    step = choose(start, -0.15, -0.25, -0.5)
    assert (step.flow.phase, step.flow.progress, step.left) == ("rising", 0.5, "confrontation")
    seeds = ConflictState(phase="seeds", intensity=0.1, momentum=0.0)
    assert choose(seeds, -0.15, -0.25, -0.5).flow.phase == "seeds"


def test_heat_after_the_climax_throws_it_back_and_aftermath_stays_over() -> None:
    falling = ConflictState(phase="falling", intensity=0.7, momentum=-0.2, progress=0.2)
    assert choose(falling, 0.15, 0.25, 0.5).flow.phase == "climax"
    over = ConflictState(phase="aftermath", intensity=0.1, momentum=0.0)
    assert phases(over, [names.ESCALATE, names.DEESCALATE]) == ["aftermath", "aftermath"]


def conflict(pacing: Pacing, phase: Phase = "rising", limit: Phase = "climax") -> Conflict:
    return Conflict.model_validate(
        {
            "name": "the test",
            "description": "A test.",
            "stakes": "Nothing.",
            "kind": "test",
            "phase": phase,
            "pacing": pacing,
            "intensity": 0.5,
            "momentum": 0.2,
            "stakeholders": {},
            "drift_limit": limit,
        }
    )


Seen = list[tuple[Phase, float]]


def idle(c: Conflict, turns: int, seed: int = 1, push: tuple[float, float] = (0.05, 0.1)) -> Seen:
    """The world pushing `c` every turn for `turns` turns: (phase, intensity) after each."""
    flow = ConflictState(phase=c.phase, intensity=c.intensity, momentum=c.momentum)
    carried = 0.0
    dice = Dice.derived(seed, "drift")
    seen: Seen = []
    for turn in range(1, turns + 1):
        drifted = drift(c, flow, carried, push, turn=turn, dice=dice, held=False)
        flow, carried = drifted.step.flow, drifted.drift
        seen.append((flow.phase, flow.intensity))
    return seen


def first_change(seen: Seen) -> int:
    return next(i for i, (phase, _) in enumerate(seen) if phase != seen[0][0])


def test_the_world_drifts_forward_up_to_its_limit_and_never_back() -> None:
    for pacing in PACES:
        seen = idle(conflict(pacing, "seeds", limit="confrontation"), 1000)
        order = changes([phase for phase, _ in seen])
        assert order[-1] == "confrontation", pacing
        assert order == sorted(order, key=PHASES.index), pacing
    pushed_down = idle(conflict("steady", "confrontation"), 300, push=(-0.1, -0.3))
    assert {phase for phase, _ in pushed_down} == {"confrontation"}


def test_a_limit_past_the_climax_lets_calming_moves_carry_it_on() -> None:
    past = conflict("rapid_escalation", "climax", limit="resolution")
    calmed = idle(past, 300, push=(-0.05, -0.1))
    assert changes([phase for phase, _ in calmed]) == ["climax", "falling", "resolution"]
    assert {phase for phase, _ in idle(past, 300)} == {"climax"}, "heat never carries it on"


def test_a_conflict_the_player_moved_this_turn_gets_no_drift() -> None:
    c = conflict("rapid_escalation")
    flow = ConflictState(phase="rising", intensity=1.0, momentum=1.0)
    held = drift(c, flow, 0.99, (0.1, 0.2), turn=1, dice=Dice(1, 0), held=True)
    assert held.drift == 0.99 and held.step.left is None
    free = drift(c, flow, 0.99, (0.1, 0.2), turn=1, dice=Dice(1, 0), held=False)
    assert free.step.left == "rising" and free.drift == 0.0


def test_each_pacing_drifts_its_own_way() -> None:
    slow, steady, rapid = (
        first_change(idle(conflict(p), 2000)) for p in ("slow_burn", "steady", "rapid_escalation")
    )
    assert rapid < steady < slow
    assert slow >= 120 and rapid >= 15
    waves = idle(conflict("waves", limit="rising"), 4 * WAVE, push=(0.02, 0.0))
    levels = [intensity for _, intensity in waves]
    rising, ebbing = levels[WAVE - 1] - levels[0], levels[2 * WAVE - 1] - levels[WAVE]
    assert rising > 0 > ebbing, "a wave's tension rises, then ebbs"
    erratic = [first_change(idle(conflict("erratic"), 2000, seed=s)) for s in range(1, 6)]
    assert erratic == [first_change(idle(conflict("erratic"), 2000, seed=s)) for s in range(1, 6)]
    assert len(set(erratic)) > 1, "erratic drift depends on the seed"


@pytest.mark.parametrize("pacing", list(PACES))
def test_no_pacing_moves_more_than_a_phase_in_fifteen_turns(pacing: Pacing) -> None:
    seen = [phase for phase, _ in idle(conflict(pacing, "seeds"), 15, push=(1.0, 1.0))]
    assert len(set(seen)) <= 2
