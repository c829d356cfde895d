"""What is at stake in each conflict, in words: where it stands, which way it leans, who
wants what, and what would settle it. The conflict verbs, `quests`, `hint` and the side
panel all say it the same way."""

from __future__ import annotations

from textrealms.engine.simulation.flow import CLIMAX
from textrealms.world.conditions import all_hold
from textrealms.world.schema import PHASES, Conflict, Phase, WorldPack
from textrealms.world.state import ConflictState, GameState

STANDING: dict[Phase, str] = {
    "seeds": "is only brewing",
    "emerging": "is stirring",
    "rising": "is heating up",
    "confrontation": "has come to open confrontation",
    "climax": "is at its height",
    "falling": "is past its worst",
    "resolution": "is being settled",
    "aftermath": "is over",
}
"""Where a conflict stands, after its name ("the feud is heating up")."""
SHORT: dict[Phase, str] = {
    "seeds": "brewing",
    "emerging": "stirring",
    "rising": "heating up",
    "confrontation": "confrontation",
    "climax": "at its height",
    "falling": "past its worst",
    "resolution": "being settled",
    "aftermath": "over",
}
"""The same in a word or two, for the side panel."""
BALANCE = 0.05
"""Momentum within this of zero leans neither way."""


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def leans(flow: ConflictState) -> int:
    """Which way it leans: 1 with momentum of at least `BALANCE`, -1 with at most minus
    that, 0 (poised) between."""
    if flow.momentum >= BALANCE:
        return 1
    return -1 if flow.momentum <= -BALANCE else 0


def leaning(conflict: Conflict, flow: ConflictState) -> str:
    """Which way it leans, in the pack's words: "leaning toward trouble"."""
    way = leans(flow)
    if way == 0:
        return "poised to go either way"
    return f"leaning {conflict.leaning.up if way > 0 else conflict.leaning.down}"


def arrow(conflict: Conflict, flow: ConflictState) -> str:
    """The same for the side panel, short: "↑ toward trouble"."""
    way = leans(flow)
    if way == 0:
        return "↕ either way"
    return f"↑ {conflict.leaning.up}" if way > 0 else f"↓ {conflict.leaning.down}"


def standing(conflict: Conflict, flow: ConflictState) -> str:
    """ "The feud is heating up, leaning toward trouble." """
    if flow.phase == "aftermath":
        return f"{capital(conflict.name)} {STANDING[flow.phase]}."
    return f"{capital(conflict.name)} {STANDING[flow.phase]}, {leaning(conflict, flow)}."


def stuck(flow: ConflictState, step: float) -> str:
    """Why a choice moved a conflict not at all: it is over, at its height and pressed
    harder, or as calm as it gets and calmed."""
    if flow.phase == "aftermath":
        return "Nothing you do will stir it again."
    if step > 0:
        return "It can burn no hotter; only calming it will move it on now."
    return "It can cool no further."


def needs(conflict: Conflict, flow: ConflictState, goal: Phase = "resolution") -> str:
    """What would bring the conflict to `goal`: the choices that move it there from here."""
    now, target = PHASES.index(flow.phase), PHASES.index(goal)
    name = conflict.name
    if now == target:
        return f"{capital(name)} {STANDING[goal]}; keep it there."
    if now > target:
        return (
            f"{capital(name)} has gone past that; stirring it up again (escalate) throws it back."
        )
    if now < CLIMAX <= target:
        return (
            f"{capital(name)} has to come to a head before it can be settled: press it "
            "(escalate, resist, or back whoever pushes it), then calm it "
            "(de-escalate, negotiate)."
        )
    if now < target <= CLIMAX:
        return f"{capital(name)} needs pressing (escalate, resist)."
    return f"Calmer heads could settle {name} now (de-escalate, negotiate)."


def settle(conflict: Conflict, flow: ConflictState) -> str:
    """What would settle it: the pack's `settle` line, else what it needs to be resolved."""
    return conflict.settle or needs(conflict, flow)


def live(pack: WorldPack, state: GameState) -> list[str]:
    """The conflicts not yet over, in pack order."""
    return [cid for cid in pack.conflicts if state.conflicts[cid].phase != "aftermath"]


def ended(pack: WorldPack, state: GameState) -> str | None:
    """How the story ended, once it has: every conflict ends with it."""
    return pack.endings[state.ending].title if state.ending is not None else None


def met(pack: WorldPack, state: GameState, cid: str, npc: str) -> bool:
    """Whether what `npc` wanted from the conflict is met or dropped: their matter is
    settled (the pack's `met`), or the conflict is over."""
    conflict = pack.conflicts[cid]
    if ended(pack, state) is not None or state.conflicts[cid].phase == "aftermath":
        return True
    when = conflict.met.get(npc, [])
    return bool(when) and all_hold(when, state)


def at_stake(pack: WorldPack, state: GameState, cid: str) -> list[str]:
    """A conflict's stakes for `quests`: where it stands, what is at stake, who wants
    what (format 2), and what would settle it; once the story has ended, how it ended."""
    conflict, flow = pack.conflicts[cid], state.conflicts[cid]
    how = ended(pack, state)
    if how is not None:
        return [f"{capital(conflict.name)} {STANDING['aftermath']}: {how}."]
    lines = [standing(conflict, flow), f"  At stake: {conflict.stakes}"]
    for npc, wants in conflict.wants.items():
        if npc in pack.npcs:
            name = pack.npcs[npc].name
            told = (
                f"wanted {wants}; that is settled now"
                if met(pack, state, cid, npc)
                else (f"wants {wants}")
            )
            lines.append(f"  {name} {told}.")
    lines.append(f"  What would settle it: {settle(conflict, flow)}")
    return lines
