"""Evaluating quest objectives and ending conditions against a game state."""

from __future__ import annotations

from textrealms.world.schema import Condition
from textrealms.world.state import PLAYER, GameState


def holds(cond: Condition, state: GameState) -> bool:
    test = cond.test
    if test == "at":
        return state.location == cond.at
    if test == "has":
        return cond.has is not None and state.items.get(cond.has) == PLAYER
    if test == "flag":
        return cond.flag in state.flags
    if test == "not_flag":
        return cond.not_flag not in state.flags
    if test == "quest_done":
        quest = state.quests.get(cond.quest_done or "")
        return quest is not None and quest.done
    if test == "phase":
        conflict = state.conflicts.get(cond.conflict or "")
        return conflict is not None and conflict.phase == cond.phase
    if test == "reputation":
        return cond.reputation is not None and _compare(state.reputation[cond.reputation], cond)
    npc = state.npcs.get(cond.disposition or "")
    return npc is not None and _compare(npc.disposition, cond)


def _compare(value: float, cond: Condition) -> bool:
    if cond.above is not None:
        return value > cond.above
    return cond.below is not None and value < cond.below
