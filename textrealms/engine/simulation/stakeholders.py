"""Stakeholders: how the people in a conflict take the player's choices, and act on their own.

Numbers come from rules here; a model may only nudge them (clamped) and narrate them.
Stress builds as a conflict hurts someone; at the breaking point their role changes, and a
change of side is a betrayal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textrealms.engine.verbs import names
from textrealms.world import effects as fx
from textrealms.world.rng import Dice
from textrealms.world.schema import (
    PHASES,
    BeatType,
    DecisionStyle,
    Phase,
    StakeholderRole,
    WorldPack,
)
from textrealms.world.state import GameState, relation_key

BREAKING_POINT = 0.85
"""Stress at which a stakeholder breaks and takes a new role."""
RELIEF = 0.45
"""Stress shed at the breaking point."""
TRUCE = -0.5
"""Where factions that were sworn enemies over a conflict stand once it settles: at odds,
no longer at war."""

SIDES: dict[StakeholderRole, str] = {
    "instigator": "push",
    "escalator": "push",
    "defender": "hold",
    "victim": "hold",
    "mediator": "calm",
    "peacemaker": "calm",
    "opportunist": "none",
    "bystander": "none",
}
"""Which way each role pulls; a break that changes between pulling sides is a betrayal."""

BREAKS: dict[StakeholderRole, StakeholderRole] = {
    "instigator": "opportunist",
    "escalator": "peacemaker",
    "defender": "escalator",
    "victim": "escalator",
    "mediator": "bystander",
    "peacemaker": "defender",
    "opportunist": "instigator",
    "bystander": "defender",
}
"""The role a stakeholder takes at their breaking point."""

PUSH: dict[StakeholderRole, tuple[float, float]] = {
    "instigator": (0.05, 0.12),
    "escalator": (0.06, 0.15),
    "defender": (0.03, 0.05),
    "victim": (0.0, 0.0),
    "mediator": (-0.04, -0.12),
    "peacemaker": (-0.05, -0.15),
    "opportunist": (0.03, 0.08),
    "bystander": (0.0, 0.0),
}
"""(intensity, momentum) a stakeholder's own move adds, before commitment scales it."""

EAGERNESS: dict[DecisionStyle, float] = {
    "emotional": 0.35,
    "reactive": 0.3,
    "instinctive": 0.3,
    "rational": 0.2,
    "principled": 0.2,
    "calculating": 0.15,
}
"""Base chance per turn that a stakeholder of each decision style makes a move."""

STRAIN: dict[str, dict[str, tuple[float, float]]] = {
    names.ESCALATE: {
        "push": (0.0, 0.06),
        "hold": (0.12, 0.0),
        "calm": (0.1, -0.03),
        "none": (0.05, 0),
    },
    names.RESIST: {
        "push": (0.1, 0.0),
        "hold": (-0.03, 0.08),
        "calm": (0.04, 0.0),
        "none": (0.02, 0),
    },
    names.SUBMIT: {
        "push": (-0.05, 0.08),
        "hold": (0.1, -0.05),
        "calm": (0.0, 0.0),
        "none": (0.0, 0),
    },
    names.DEESCALATE: {"push": (0.04, -0.03), "hold": (-0.06, 0.0), "calm": (-0.05, 0.06)},
    names.NEGOTIATE: {"push": (0.02, -0.02), "hold": (-0.04, 0.03), "calm": (-0.06, 0.08)},
}
"""(stress, commitment) a player's choice puts on each side of a conflict."""


def side(role: StakeholderRole | None) -> str:
    return SIDES[role] if role is not None else "none"


def reaction(state: GameState, npc: str, deed: str, target: str | None) -> list[fx.Effect]:
    """How a stakeholder's stress and commitment move when the player makes a choice."""
    ns = state.npcs[npc]
    if deed in (names.SUPPORT, names.OPPOSE):
        if npc == target:
            stress, commit = (-0.05, 0.1) if deed == names.SUPPORT else (0.15, -0.05)
        else:
            allied = side(ns.role) == side(state.npcs[target].role) if target else False
            stress, commit = (0.0, 0.03) if allied == (deed == names.SUPPORT) else (0.06, 0.0)
    else:
        stress, commit = STRAIN.get(deed, {}).get(side(ns.role), (0.0, 0.0))
    return [fx.AdjustStress(npc, stress), fx.AdjustCommitment(npc, commit)]


@dataclass(frozen=True, slots=True)
class Move:
    """A stakeholder's own move in a conflict between turns."""

    npc: str
    conflict: str
    role: StakeholderRole


@dataclass(frozen=True, slots=True)
class Break:
    npc: str
    conflict: str
    old: StakeholderRole
    new: StakeholderRole

    @property
    def beat(self) -> BeatType:
        """The beat that tells this change, and only it: a change of side is a betrayal,
        but a victim pushed into fighting back betrays nobody, so theirs is an escalation;
        any other new part (an instigator turned opportunist, a bystander stepping in) is
        a twist."""
        before, after = side(self.old), side(self.new)
        if after == "calm":
            return "reconciliation"
        if "none" not in (before, after) and before != after:
            return "escalation" if self.old == "victim" else "betrayal"
        return "twist"


@dataclass
class Plan:
    """What the stakeholders do this turn: effects on them, and pushes on each conflict."""

    moves: list[Move] = field(default_factory=list)
    breaks: list[Break] = field(default_factory=list)
    effects: list[fx.Effect] = field(default_factory=list)
    pushes: dict[str, tuple[float, float]] = field(default_factory=dict)


def act(pack: WorldPack, state: GameState, dice: Dice) -> Plan:
    """Every stakeholder's turn: break if at breaking point, else maybe make a move."""
    plan = Plan()
    for cid, conflict in pack.conflicts.items():
        flow = state.conflicts[cid]
        if flow.phase == "aftermath":
            continue
        intensity = momentum = 0.0
        for npc in conflict.stakeholders:
            ns = state.npcs[npc]
            if ns.role is None:
                continue
            if ns.stress >= BREAKING_POINT:
                new = BREAKS[ns.role]
                plan.breaks.append(Break(npc, cid, ns.role, new))
                plan.effects += [
                    fx.SetRole(npc, new),
                    fx.AdjustStress(npc, -RELIEF),
                    *_falling_out(pack, npc, conflict.stakeholders, state),
                ]
                continue
            style = pack.npcs[npc].decision_style
            chance = EAGERNESS[style] * (0.5 + ns.commitment) * (1.0 + ns.stress)
            if dice.random() >= min(chance, 0.9):
                continue
            plan.moves.append(Move(npc, cid, ns.role))
            scale = 0.5 + ns.commitment
            di, dm = PUSH[ns.role]
            if ns.role == "opportunist" and flow.momentum < 0:
                di, dm = -di, -dm
            intensity += di * scale
            momentum += dm * scale
            plan.effects += _strain_from(npc, ns.role, conflict.stakeholders, state)
        if intensity or momentum:
            plan.pushes[cid] = (intensity, momentum)
            plan.effects += _rivalry(pack, conflict.stakeholders, state, momentum)
    return plan


def _strain_from(
    npc: str, role: StakeholderRole, stakeholders: dict[str, StakeholderRole], state: GameState
) -> list[fx.Effect]:
    """A push hurts those holding the line; a calming move eases them."""
    if side(role) == "push":
        delta = 0.05
    elif side(role) == "calm":
        delta = -0.04
    else:
        return []
    return [
        fx.AdjustStress(other, delta)
        for other in stakeholders
        if other != npc and side(state.npcs[other].role) == "hold"
    ]


def _rivalry(
    pack: WorldPack, stakeholders: dict[str, StakeholderRole], state: GameState, momentum: float
) -> list[fx.Effect]:
    """Factions on opposite sides drift apart as a conflict heats, together as it cools."""
    delta = -0.03 if momentum > 0 else 0.03
    pushers = {pack.npcs[n].faction for n in stakeholders if side(state.npcs[n].role) == "push"}
    holders = {pack.npcs[n].faction for n in stakeholders if side(state.npcs[n].role) == "hold"}
    return [
        fx.AdjustRelation(a, b, delta)
        for a in sorted(f for f in pushers if f)
        for b in sorted(f for f in holders if f)
        if a != b
    ]


def _falling_out(
    pack: WorldPack, npc: str, stakeholders: dict[str, StakeholderRole], state: GameState
) -> list[fx.Effect]:
    """A breaking point sours the breaker's faction with the side they leave."""
    own = pack.npcs[npc].faction
    before = side(state.npcs[npc].role)
    others = {
        pack.npcs[n].faction
        for n in stakeholders
        if n != npc and side(state.npcs[n].role) == before
    }
    return [
        fx.AdjustRelation(own, f, -0.2) for f in sorted(o for o in others if o) if own and f != own
    ]


def settled(pack: WorldPack, state: GameState, cid: str, phase: Phase) -> list[fx.Effect]:
    """A conflict entering its settling (`resolution` or later, from before it): the
    factions of its stakeholders that were sworn enemies have sat down together, and are
    told so (Rainmouth: "sworn enemies" just after the truce)."""
    settling = PHASES.index("resolution")
    if PHASES.index(phase) < settling or PHASES.index(state.conflicts[cid].phase) >= settling:
        return []
    factions = sorted(
        {f for n in pack.conflicts[cid].stakeholders if (f := pack.npcs[n].faction) is not None}
    )
    return [
        fx.AdjustRelation(a, b, TRUCE - state.relations[relation_key(a, b)])
        for i, a in enumerate(factions)
        for b in factions[i + 1 :]
        if state.relations.get(relation_key(a, b), 0.0) < TRUCE
    ]
