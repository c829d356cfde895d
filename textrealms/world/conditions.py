"""Evaluating conditions (quest objectives, endings, events, lines) against a game state."""

from __future__ import annotations

from collections.abc import Iterable

from textrealms.world.schema import PHASES, Condition, Lines
from textrealms.world.state import PLAYER, GameState
from textrealms.world.story import clock_minutes


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
        return _phase(cond, state)
    if test == "reputation":
        return cond.reputation is not None and _compare(state.reputation[cond.reputation], cond)
    if test == "event":
        return cond.event in state.events
    if test == "not":
        return cond.not_ is not None and not holds(cond.not_, state)
    if test == "after":
        return cond.after is not None and state.clock >= clock_minutes(cond.after, cond.day or 1)
    if test == "npc":
        person = state.npcs.get(cond.npc or "")
        return person is not None and person.location == cond.in_
    npc = state.npcs.get(cond.disposition or "")
    return npc is not None and _compare(npc.disposition, cond)


def all_hold(conds: Iterable[Condition], state: GameState) -> bool:
    return all(holds(c, state) for c in conds)


def first_line(lines: Lines, state: GameState) -> str | None:
    """The line said now: the first whose conditions hold, or None if none does."""
    return next((line.text for line in lines if all_hold(line.when, state)), None)


def _phase(cond: Condition, state: GameState) -> bool:
    conflict = state.conflicts.get(cond.conflict or "")
    if conflict is None or cond.phase is None:
        return False
    if cond.or_later:
        return PHASES.index(conflict.phase) >= PHASES.index(cond.phase)
    return conflict.phase == cond.phase


def _compare(value: float, cond: Condition) -> bool:
    if cond.above is not None:
        return value > cond.above
    return cond.below is not None and value < cond.below
