"""The one place game state changes.

`reduce` applies effects in the order given to a copy of the state. Numbers are clamped
to their ranges and effects naming ids the pack does not have are dropped, so whatever
proposes an effect (rules today, model output later) cannot put the state out of range.
"""

from __future__ import annotations

from collections.abc import Iterable

from textrealms.world import effects as fx
from textrealms.world.schema import PHASES, WorldPack
from textrealms.world.state import PLAYER, ConflictState, Context, GameState


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _valid_place(pack: WorldPack, place: str) -> bool:
    kind, _, ident = place.partition(":")
    if place == PLAYER:
        return True
    return (kind == "room" and ident in pack.locations) or (kind == "npc" and ident in pack.npcs)


def reduce(pack: WorldPack, state: GameState, changes: Iterable[fx.Effect]) -> GameState:
    """A new state with `changes` applied; `state` itself is left as it was."""
    new = state.model_copy(deep=True)
    for change in changes:
        _apply(pack, new, change)
    return new


def _apply(pack: WorldPack, s: GameState, change: fx.Effect) -> None:
    match change:
        case fx.MovePlayer(to=to) if to in pack.locations:
            s.location = to
        case fx.PlaceItem(item=item, place=None) if item in pack.items:
            s.items.pop(item, None)
        case fx.PlaceItem(item=item, place=str(place)) if item in pack.items:
            if _valid_place(pack, place):
                s.items[item] = place
        case fx.SetFlag(flag=flag):
            s.flags.add(flag)
        case fx.AdjustDisposition(npc=npc, delta=delta) if npc in s.npcs:
            s.npcs[npc].disposition = clamp(s.npcs[npc].disposition + delta, -1.0, 1.0)
        case fx.AdjustReputation(dimension=dim, delta=delta) if dim in s.reputation:
            s.reputation[dim] = clamp(s.reputation[dim] + delta, 0.0, 1.0)
        case fx.SetConflictFlow(conflict=cid) if cid in s.conflicts and change.phase in PHASES:
            s.conflicts[cid] = ConflictState(
                phase=change.phase,
                intensity=clamp(change.intensity, 0.0, 1.0),
                momentum=clamp(change.momentum, -1.0, 1.0),
                progress=clamp(change.progress, 0.0, 1.0),
            )
        case fx.MeetObjective(quest=qid, index=index) if qid in s.quests:
            met = s.quests[qid].met
            if 0 <= index < len(met):
                met[index] = True
        case fx.CompleteQuest(quest=qid) if qid in s.quests:
            s.quests[qid].done = True
        case fx.EndGame(ending=ending) if ending in pack.endings:
            s.ending = ending
        case fx.NextTurn():
            s.turn += 1
        case fx.AdvanceClock(minutes=minutes) if minutes > 0:
            s.clock += minutes
        case fx.Remember():
            s.context = Context(
                last_noun=change.last_noun,
                last_command=change.last_command,
                bindings=dict(change.bindings),
                pending=change.pending,
            )
        case fx.DrawRandom(counter=counter) if counter >= s.rng:
            s.rng = counter
