"""Conflict: the player's choices in the conflict at hand, each moving it by the rules of
`textrealms.engine.simulation.flow`, and taking a side with someone in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textrealms.engine import stakes
from textrealms.engine.entries import EntryKind
from textrealms.engine.scope import Thing
from textrealms.engine.simulation import flow
from textrealms.engine.simulation.stakeholders import settled
from textrealms.engine.turn import Turn
from textrealms.engine.verbs import names
from textrealms.engine.verbs.acts import respond, someone
from textrealms.engine.verbs.verb import Family, Kind, Slot, Syntax, Verb
from textrealms.world import effects as fx
from textrealms.world import flags
from textrealms.world.templates import render


def _active_conflict(t: Turn, npc: str | None) -> str | None:
    active = [cid for cid, c in t.state.conflicts.items() if c.phase != "aftermath"]
    if npc is not None:
        for cid in active:
            if npc in t.pack.conflicts[cid].stakeholders:
                return cid
    here = set(t.state.npcs_in(t.state.location))
    for cid in active:
        if here & set(t.pack.conflicts[cid].stakeholders):
            return cid
    return active[0] if active else None


@dataclass(frozen=True, slots=True)
class Side:
    """Taking a side with someone: the flag it sets, and how they take it."""

    flag: Callable[[str], str]
    feeling: float


@dataclass(frozen=True, slots=True)
class Choose:
    """The handler of a conflict choice: `line` tells it; with a `side`, it is taken with
    the person named. The choice's weight is `flow.CHOICES`, under the verb's name.

    Every choice ends by saying where the conflict stands now and which way it leans,
    and, if it did not move, why not."""

    line: str
    side: Side | None = None

    def __call__(self, t: Turn) -> None:
        verb = t.command.verb
        npc: Thing | None = None
        if self.side is not None:
            npc = someone(t, t.command.noun, f"{verb.capitalize()} whom?")
            if npc is None or respond(t, npc):
                return
        cid = _active_conflict(t, npc.id if npc else None)
        choice = flow.CHOICES[verb]
        for dimension, delta in choice.reputation.items():
            t.effects.append(fx.AdjustReputation(dimension, delta))
        if npc is not None and self.side is not None:
            t.effects += [
                fx.SetFlag(self.side.flag(npc.id)),
                fx.AdjustDisposition(npc.id, self.side.feeling),
            ]
        role = t.pack.conflicts[cid].stakeholders.get(npc.id) if cid and npc else None
        if cid is None or (npc is not None and role is None):
            if npc is None:
                t.say("There is no conflict here for you to take part in.")
            else:
                t.say(f"You make your feelings about {npc.name} plain.")
            return
        conflict = t.pack.conflicts[cid]
        momentum, step = flow.sided(verb, role) if role else (choice.momentum, choice.step)
        for stakeholder, stake_role in conflict.stakeholders.items():
            shift = choice.dispositions.get(stake_role)
            if shift:
                t.effects.append(fx.AdjustDisposition(stakeholder, shift))
        t.say(render(self.line, {"conflict": conflict.name, "npc": npc.name if npc else ""}))
        was = t.state.conflicts[cid]
        moved = flow.choose(was, choice.intensity, momentum, step)
        new = moved.flow
        t.effects.append(
            fx.SetConflictFlow(cid, new.phase, new.intensity, new.momentum, new.progress)
        )
        t.effects += settled(t.pack, t.state, cid, new.phase)
        if moved.left is not None:
            t.emit(
                EntryKind.CONFLICT,
                t.text(f"transition.{new.phase}", conflict=conflict.name),
                title=conflict.name,
            )
        still = moved.left is None and new.progress == was.progress
        t.say(
            " ".join(
                [stakes.standing(conflict, new), *([stakes.stuck(new, step)] if still else [])]
            )
        )


ON_SOMEONE = Syntax((Slot(Kind.PERSON),))

ESCALATE = Verb(
    names.ESCALATE,
    ("escalate", "provoke"),
    Choose("You press hard on {conflict}, and voices rise."),
    help="escalate",
)
DEESCALATE = Verb(
    names.DEESCALATE,
    ("de-escalate", "deescalate", "calm", "calm down", "soothe"),
    Choose("You try to cool the tempers around {conflict}."),
    help="de-escalate (calm)",
)
NEGOTIATE = Verb(
    names.NEGOTIATE,
    ("negotiate", "bargain", "parley", "mediate"),
    Choose("You look for terms everyone in {conflict} could live with."),
    help="negotiate",
)
SUBMIT = Verb(
    names.SUBMIT,
    ("submit", "yield", "surrender", "concede"),
    Choose("You give ground in {conflict}."),
    help="submit",
)
RESIST = Verb(
    names.RESIST,
    ("resist", "defy", "refuse"),
    Choose("You dig in your heels over {conflict}."),
    help="resist",
)
SUPPORT = Verb(
    names.SUPPORT,
    ("support", "side with", "stand with", "stand by", "back", "defend"),
    Choose("You stand with {npc} in {conflict}.", Side(flags.supported, 0.2)),
    syntax=ON_SOMEONE,
    help="support PERSON",
)
OPPOSE = Verb(
    names.OPPOSE,
    ("oppose", "denounce", "confront", "accuse"),
    Choose("You set yourself against {npc} in {conflict}.", Side(flags.opposed, -0.2)),
    syntax=ON_SOMEONE,
    help="oppose PERSON",
)

FAMILY = Family("Conflict", (ESCALATE, DEESCALATE, NEGOTIATE, SUBMIT, RESIST, SUPPORT, OPPOSE))
