"""Hints: what to do next, in the pack's own words where it has them.

`hint` looks at the first objective not yet met of the first unfinished quest, in pack
order. The pack's hints for it (`quests.<id>.hints`) that hold in the state come one at
a time, gentle to direct, the last one repeating; an objective without them gets a hint
made from its condition, in the world's words (a place, a person, a thing), and more
direct when asked again. With every quest done it says what would settle each conflict still alive,
else the `hint_none` template.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from textrealms.engine import stakes
from textrealms.world import effects as fx
from textrealms.world import flags
from textrealms.world.conditions import all_hold
from textrealms.world.schema import Condition, WorldPack
from textrealms.world.state import GONE, PLAYER, GameState, part_key

GENERAL = "Keep looking about you; the people here know more than they have said."
"""For an objective whose condition names nothing a hint could point to."""


@dataclass(frozen=True, slots=True)
class Hint:
    text: str
    given: fx.Effect | None = None
    """What remembers it was given, so the next one is more direct."""


def pending(pack: WorldPack, state: GameState) -> tuple[str, int] | None:
    """(quest, objective index) of the first objective not yet met, in pack order."""
    for qid in pack.quests:
        progress = state.quests[qid]
        if progress.done:
            continue
        for index, met in enumerate(progress.met):
            if not met:
                return qid, index
    return None


def hint(pack: WorldPack, state: GameState) -> Hint | None:
    """The next hint, or None when there is nothing left to hint at (`hint_none`); once
    the story has ended, how to play on."""
    if state.ending is not None:
        title = pack.endings[state.ending].title
        return Hint(
            f"The story has ended ({title}). Type undo to step back into it, restart to "
            "begin again, or load another game."
        )
    found = pending(pack, state)
    if found is None:
        settles = [
            stakes.settle(pack.conflicts[cid], state.conflicts[cid])
            for cid in stakes.live(pack, state)
        ]
        return Hint(" ".join(settles)) if settles else None
    qid, index = found
    quest = pack.quests[qid]
    given = state.hints.get(part_key(qid, index), 0)
    pool = [h.text for h in quest.hints[index] if all_hold(h.when, state)] if quest.hints else []
    if pool:
        text = pool[min(given, len(pool) - 1)]
    else:
        text = derived(pack, state, quest.objectives[index], direct=given > 0)
    return Hint(f"{quest.title}: {text}", fx.CountHint(qid, index))


def derived(pack: WorldPack, state: GameState, cond: Condition, *, direct: bool) -> str:
    """A hint for an objective the pack gave no hints for, made from its condition."""
    match cond.test:
        case "at":
            return _visit(pack, state, cond.at or "", direct=direct)
        case "has":
            return _fetch(pack, state, cond.has or "", direct=direct)
        case "flag":
            return _flag(pack, state, cond.flag or "", direct=direct)
        case "quest_done":
            quest = pack.quests[cond.quest_done or ""]
            return f'First see "{quest.title}" through.'
        case "phase":
            conflict = pack.conflicts[cond.conflict or ""]
            flow = state.conflicts[cond.conflict or ""]
            if direct or conflict.settle is None:
                return stakes.needs(conflict, flow, cond.phase or "resolution")
            return conflict.settle
        case "disposition":
            npc = pack.npcs[cond.disposition or ""].name
            return f"{npc} has to think {'better' if cond.above is not None else 'worse'} of you."
        case "reputation":
            more = "more" if cond.above is not None else "less"
            return f"People have to see you as {more} {cond.reputation} than they do."
        case "npc":
            person, place = pack.npcs[cond.npc or ""].name, pack.locations[cond.in_ or ""].name
            return f"{person} has to be at {place}."
        case "event":
            event = pack.events[cond.event or ""]
            return f"This waits on {event.title or 'something yet to happen'}."
        case "after":
            return f"It is a matter of time: after {cond.after}."
    return GENERAL


def _visit(pack: WorldPack, state: GameState, place: str, *, direct: bool) -> str:
    name = pack.locations[place].name
    way = route(pack, state.location, place) if direct else None
    if not way:
        return f"Perhaps visit {name}."
    return f"Go to {name}: {', then '.join(way)} from here."


def route(pack: WorldPack, start: str, goal: str) -> list[str] | None:
    """The directions of the shortest way from `start` to `goal`, if there is one."""
    came: dict[str, tuple[str, str] | None] = {start: None}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        if here == goal:
            way: list[str] = []
            while (step := came[here]) is not None:
                here, direction = step
                way.insert(0, direction)
            return way
        for direction, exit_ in pack.locations[here].exits.items():
            if exit_.to not in came:
                came[exit_.to] = (here, direction)
                queue.append(exit_.to)
    return None


def _fetch(pack: WorldPack, state: GameState, item: str, *, direct: bool) -> str:
    name = pack.items[item].name
    place = state.items.get(item)
    if not direct or place in (None, PLAYER, GONE):
        return f"You will need the {name}."
    kind, _, where = place.partition(":")
    if kind == "npc":
        return f"{pack.npcs[where].name} has the {name}."
    return f"The {name} is at {pack.locations[where].name}."


def _flag(pack: WorldPack, state: GameState, flag: str, *, direct: bool) -> str:
    """A flag play sets (talked, asked, gave, used, visited, sided) in the world's words;
    a flag an item's use sets, by that item; any other, in general terms."""
    for npc_id, npc in pack.npcs.items():
        name = npc.name
        if flag == flags.talked(npc_id):
            return f"Talk to {name}." if direct else f"{name} may have something to say."
        for topic in npc.topics:
            if flag == flags.asked(npc_id, topic):
                return f"Ask {name} about {topic}." if direct else f"{name} knows about {topic}."
        for wanted in npc.wants:
            if flag == flags.gave(wanted, npc_id):
                thing = pack.items[wanted].name
                return f"Give the {thing} to {name}." if direct else f"{name} wants the {thing}."
        if flag in (flags.supported(npc_id), flags.opposed(npc_id)):
            side = "with" if flag == flags.supported(npc_id) else "against"
            return f"Take a stand {side} {name}."
    for loc in pack.locations:
        if flag == flags.visited(loc):
            return _visit(pack, state, loc, direct=direct)
    for item_id, item in pack.items.items():
        if item.use is not None and flag in (item.use.sets_flag, flags.used(item_id)):
            on = _target(pack, item.use.target)
            return f"Use the {item.name}{on}." if direct else f"The {item.name} has a use."
    return GENERAL


def _target(pack: WorldPack, target: str | None) -> str:
    if target is None:
        return ""
    if target in pack.npcs:
        return f" on {pack.npcs[target].name}"
    return f" on the {pack.items[target].name}"
