"""The one place game state changes.

`reduce` applies effects in the order given to a copy of the state. Numbers are clamped
to their ranges and effects naming ids the pack does not have are dropped, so whatever
proposes an effect (rules today, model output later) cannot put the state out of range.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable

from textrealms.world import effects as fx
from textrealms.world.said import KEPT
from textrealms.world.schema import PHASES, STAKEHOLDER_ROLES, WorldPack
from textrealms.world.state import (
    GONE,
    PLAYER,
    STAGES,
    TENSION_HISTORY,
    ConflictState,
    Context,
    GameState,
    Gossip,
    NpcState,
    part_key,
    relation_key,
)

MAX_GOSSIP = 150
"""Gossip kept in the state; the oldest goes first, so saves stay small in long games."""


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _valid_place(pack: WorldPack, place: str) -> bool:
    kind, _, ident = place.partition(":")
    if place == PLAYER:
        return True
    return (kind == "room" and ident in pack.locations) or (kind == "npc" and ident in pack.npcs)


TOUCHES: dict[type, str] = {
    fx.PlaceItem: "items",
    fx.SetFlag: "flags",
    fx.ClearFlag: "flags",
    fx.MoveNpc: "npcs",
    fx.AdjustDisposition: "npcs",
    fx.AdjustStress: "npcs",
    fx.AdjustCommitment: "npcs",
    fx.SetRole: "npcs",
    fx.AdjustReputation: "reputation",
    fx.SetConflictFlow: "conflicts",
    fx.Drift: "drift",
    fx.MeetObjective: "quests",
    fx.CompleteQuest: "quests",
    fx.Happen: "events",
    fx.Warn: "warned",
    fx.CountHint: "hints",
    fx.AddGossip: "gossip",
    fx.Believe: "gossip",
    fx.HearGossip: "gossip",
    fx.AdjustRelation: "relations",
    fx.SetStage: "director",
    fx.MarkBeat: "director",
    fx.RecordTension: "director",
    fx.TellReputation: "told",
}
"""The part of the state each effect changes in place; other effects only assign fields."""
DEEP = frozenset({"conflicts", "quests", "director"})
"""Parts holding models that effects change in place: copied whole, deep. Every other
part is copied shallowly: it holds plain values (names, numbers), or models of their own
that are copied entry by entry, an entry only as an effect changes it (the people and
the gossip: see `_npc`, `_gossip`)."""


def reduce(pack: WorldPack, state: GameState, changes: Iterable[fx.Effect]) -> GameState:
    """A new state with `changes` applied; `state` itself is left as it was.

    Copy on write: the new state shares every part no effect touches, so a turn costs
    the same in a long game with a lot of gossip as in a new one.
    """
    new = state.model_copy()
    owned: set[str] = set()
    for change in changes:
        part = TOUCHES.get(type(change))
        if part is not None and part not in owned:
            value = getattr(new, part)
            setattr(new, part, copy.deepcopy(value) if part in DEEP else copy.copy(value))
            owned.add(part)
        _apply(pack, new, change)
    return new


def _npc(s: GameState, npc: str) -> NpcState:
    """`npc`'s state in `s`, replaced by a copy of its own to change."""
    person = s.npcs[npc] = s.npcs[npc].model_copy()
    return person


def _gossip(s: GameState, which: Callable[[Gossip], bool]) -> list[Gossip]:
    """The gossip in `s` that `which` picks, each replaced by a copy of its own to change."""
    picked = []
    for i, g in enumerate(s.gossip):
        if which(g):
            own = s.gossip[i] = g.model_copy()
            picked.append(own)
    return picked


def _apply(pack: WorldPack, s: GameState, change: fx.Effect) -> None:
    match change:
        case fx.MovePlayer(to=to) if to in pack.locations:
            s.location = to
        case fx.PlaceItem(item=item, place=None) if item in pack.items:
            s.items[item] = GONE
        case fx.PlaceItem(item=item, place=str(place)) if item in pack.items:
            if _valid_place(pack, place):
                s.items[item] = place
        case fx.SetFlag(flag=flag):
            s.flags.add(flag)
        case fx.ClearFlag(flag=flag):
            s.flags.discard(flag)
        case fx.MoveNpc(npc=npc, to=to) if npc in s.npcs and to in pack.locations:
            _npc(s, npc).location = to
        case fx.AdjustDisposition(npc=npc, delta=delta) if npc in s.npcs:
            person = _npc(s, npc)
            person.disposition = clamp(person.disposition + delta, -1.0, 1.0)
        case fx.AdjustReputation(dimension=dim, delta=delta) if dim in s.reputation:
            s.reputation[dim] = clamp(s.reputation[dim] + delta, 0.0, 1.0)
        case fx.SetConflictFlow(conflict=cid) if cid in s.conflicts and change.phase in PHASES:
            if change.phase != s.conflicts[cid].phase and cid in s.drift:
                s.drift = {k: v for k, v in s.drift.items() if k != cid}  # a new phase, afresh
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
        case fx.Drift(conflict=cid, value=value) if cid in s.conflicts:
            if value > 0:
                s.drift[cid] = clamp(value, 0.0, 1.0)
            else:
                s.drift.pop(cid, None)
        case fx.Happen(event=event) if event in pack.events and event not in s.events:
            s.events.append(event)
        case fx.Warn(event=event, index=index) if event in pack.events:
            key = part_key(event, index)
            if key not in s.warned:
                s.warned.append(key)
        case fx.CountHint(quest=qid, index=index) if qid in s.quests:
            key = part_key(qid, index)
            s.hints[key] = s.hints.get(key, 0) + 1
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
        case _:
            _apply_social(pack, s, change)


def _apply_social(pack: WorldPack, s: GameState, change: fx.Effect) -> None:
    """Effects of the living world: stakeholders, gossip, factions, pacing, reputation told."""
    match change:
        case fx.AdjustStress(npc=npc, delta=delta) if npc in s.npcs:
            person = _npc(s, npc)
            person.stress = clamp(person.stress + delta, 0.0, 1.0)
        case fx.AdjustCommitment(npc=npc, delta=delta) if npc in s.npcs:
            person = _npc(s, npc)
            person.commitment = clamp(person.commitment + delta, 0.0, 1.0)
        case fx.SetRole(npc=npc, role=role) if npc in s.npcs and (
            role is None or role in STAKEHOLDER_ROLES
        ):
            _npc(s, npc).role = role
        case fx.AddGossip(gossip=g) if _valid_gossip(pack, s, g.about, g.origin, g.id):
            item = g.model_copy(deep=True)
            item.truth = clamp(item.truth, 0.0, 1.0)
            item.spread = clamp(item.spread, 0.0, 1.0)
            item.believers = [n for n in dict.fromkeys(item.believers) if n in pack.npcs]
            item.deniers = [n for n in dict.fromkeys(item.deniers) if n in pack.npcs]
            s.gossip.append(item)
            del s.gossip[:-MAX_GOSSIP]
        case fx.Believe(gossip=gid, npc=npc, believes=believes) if npc in pack.npcs:
            for g in _gossip(s, lambda g: g.id == gid):
                g.believers = [n for n in g.believers if n != npc]
                g.deniers = [n for n in g.deniers if n != npc]
                (g.believers if believes else g.deniers).append(npc)
        case fx.HearGossip(gossip=gid, turn=turn, teller=teller) if teller in pack.npcs:
            for g in _gossip(s, lambda g: g.id == gid and g.heard is None):
                g.heard, g.teller = turn, teller
        case fx.AdjustRelation(a=a, b=b, delta=delta) if (
            a in pack.factions and b in pack.factions and a != b
        ):
            key = relation_key(a, b)
            s.relations[key] = clamp(s.relations.get(key, 0.0) + delta, -1.0, 1.0)
        case fx.SetStage(stage=stage, turn=turn) if stage in STAGES:
            s.director.stage = stage
            s.director.since = turn
        case fx.MarkBeat(turn=turn):
            s.director.last_beat = max(s.director.last_beat, turn)
        case fx.RecordTension(value=value):
            s.director.tension.append(clamp(value, 0.0, 1.0))
            del s.director.tension[:-TENSION_HISTORY]
        case fx.TellReputation(dimension=dim, value=value) if dim in s.reputation:
            s.told[dim] = clamp(value, 0.0, 1.0)
        case fx.Tell(said=said) if said:
            s.said = [*s.said, *said][-KEPT:]


def _valid_gossip(pack: WorldPack, s: GameState, about: str, origin: str | None, gid: str) -> bool:
    return (
        (about == PLAYER or about in pack.npcs)
        and (origin is None or origin in pack.npcs)
        and all(g.id != gid for g in s.gossip)
    )
