"""The pack's events on the clock: which happen at the end of a turn, which warnings fall
due, and how long is left until a timed one.

Decided on the hot path from the state alone (its clock, its turn and the events'
conditions) at the end of every turn that takes time, in pack order: never in a
background job, so the same commands bring the same events on every seed. Each event
happens once, at the end of the first such turn at which all its triggers hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.simulation.flow import entered
from textrealms.engine.simulation.stakeholders import settled
from textrealms.world import effects as fx
from textrealms.world import story
from textrealms.world.conditions import all_hold, first_line
from textrealms.world.reducer import reduce
from textrealms.world.schema import Event, WorldPack
from textrealms.world.state import GameState, part_key


def until(pack: WorldPack, state: GameState, text: str) -> str:
    """A description as it reads now: each `{until:EVENT}` shown as the time left."""
    return story.until(text, pack.events, state.clock)


@dataclass(frozen=True, slots=True)
class Deadline:
    """A timed event still to come, for the side panel's countdown."""

    title: str
    left: str


def deadlines(pack: WorldPack, state: GameState) -> list[Deadline]:
    """Timed events yet to happen whose conditions hold now, soonest first."""
    found = [
        (story.time_left(event, state.clock), eid, event)
        for eid, event in pack.events.items()
        if eid not in state.events and all_hold(event.when, state)
    ]
    return [
        Deadline(event.title or eid.replace("_", " "), story.hours(minutes))
        for minutes, eid, event in sorted(found, key=lambda f: (f[0], f[1]))
        if minutes > 0
    ]


def next_stop(pack: WorldPack, state: GameState, until: int) -> int | None:
    """The first minute after now and by `until` at which a timed event whose conditions
    hold happens, or one of its warnings is given: where a long wait stops, so the player
    sees it come."""
    stops: list[int] = []
    for eid, event in pack.events.items():
        minute = event.minute
        if minute is None or eid in state.events or not all_hold(event.when, state):
            continue
        stops.append(minute)
        stops += [
            minute - warning.before
            for index, warning in enumerate(event.warnings)
            if part_key(eid, index) not in state.warned
        ]
    return min((s for s in stops if state.clock < s <= until), default=None)


def _due(event: Event, state: GameState) -> bool:
    if event.minute is not None and state.clock < event.minute:
        return False
    if event.after_turns is not None and state.turn < event.after_turns:
        return False
    return all_hold(event.when, state)


def _effects(pack: WorldPack, event_id: str, event: Event, state: GameState) -> list[fx.Effect]:
    changes: list[fx.Effect] = [fx.Happen(event_id)]
    changes += [fx.SetFlag(flag) for flag in event.sets_flags]
    changes += [fx.ClearFlag(flag) for flag in event.clears_flags]
    if event.conflict is not None and event.phase is not None:
        new = entered(state.conflicts[event.conflict], event.phase, 0.0)
        changes.append(
            fx.SetConflictFlow(event.conflict, new.phase, new.intensity, new.momentum, new.progress)
        )
        changes += settled(pack, state, event.conflict, event.phase)
    changes += [fx.MoveNpc(npc, place) for npc, place in event.moves.items()]
    return changes


def happen(pack: WorldPack, state: GameState) -> tuple[GameState, list[Entry]]:
    """The end of a turn that took time: the events now due happen, in pack order (each
    sees what the ones before it did), then the warnings now due are given."""
    entries: list[Entry] = []
    for eid, event in pack.events.items():
        if eid in state.events or not _due(event, state):
            continue
        text = first_line(event.text, state)
        state = reduce(pack, state, _effects(pack, eid, event, state))
        if text:
            entries.append(Entry(EntryKind.EVENT, text, title=event.title))
    warned: list[fx.Effect] = []
    for eid, event in pack.events.items():
        minute = event.minute
        if minute is None or eid in state.events or not all_hold(event.when, state):
            continue
        for index, warning in enumerate(event.warnings):
            if part_key(eid, index) in state.warned:
                continue
            if minute - warning.before <= state.clock < minute:
                warned.append(fx.Warn(eid, index))
                entries.append(Entry(EntryKind.EVENT, warning.text))
    return (reduce(pack, state, warned) if warned else state), entries
