"""What a player can ever reach in a pack: a static walk of exits, locks and the flags
that open them, over every effect the format has.

The walk grows one set of facts (places entered, things held, flags set, people met
where they stand, events happened, quests done) until nothing new follows, and is
generous where play is: a condition the walk cannot settle (a phase, a reputation, the
clock, a `not`) is taken to be able to hold. So whatever it finds out of reach truly is:
a place no open exit leads to (unless it is where people are put: a cell, off stage),
a thing only there, a quest that waits on itself, an ending that needs what cannot be
had. It runs on a pack that is otherwise valid.

A new effect in the format (something that sets a flag, moves a person or an item, opens
a way) is one more rule in `_Walk.step`; a new condition is one more case in `holds`.
"""

from __future__ import annotations

from collections.abc import Iterable

from textrealms.world import flags
from textrealms.world.problems import Problem
from textrealms.world.raw import RawPack
from textrealms.world.responses import Responses
from textrealms.world.schema import Condition, WorldPack


class _Walk:
    def __init__(self, pack: WorldPack) -> None:
        self.pack = pack
        self.places = {pack.start.location}
        self.held = set(pack.start.inventory)
        self.flags = set(pack.start.flags)
        self.events: set[str] = set()
        self.done: set[str] = set()
        self.where = {npc_id: {npc.location} for npc_id, npc in pack.npcs.items()}
        """Where each person can be: where they start, and where events move them."""

    def run(self) -> None:
        while self.step():
            pass

    def step(self) -> bool:
        """Everything that follows from the facts so far; whether anything new did."""
        before = self.size()
        pack = self.pack
        for place in list(self.places):
            self.flags.add(flags.visited(place))
            for exit_ in pack.locations[place].exits.values():
                if exit_.requires_flag is None or exit_.requires_flag in self.flags:
                    self.places.add(exit_.to)
            for item in pack.locations[place].items:
                if pack.items[item].portable:
                    self.held.add(item)
        for npc_id, npc in pack.npcs.items():
            if not self.where[npc_id] & self.places:
                continue
            self.flags |= {flags.talked(npc_id), flags.supported(npc_id), flags.opposed(npc_id)}
            self.flags |= {flags.asked(npc_id, topic) for topic in npc.topics}
            self.flags |= {flags.gave(item, npc_id) for item in npc.wants if item in self.held}
        for item_id, thing in pack.items.items():
            use = thing.use
            if use is None or not self.in_reach(item_id):
                continue
            if use.target is None or self.in_reach(use.target):
                self.flags.add(flags.used(item_id))
                if use.sets_flag is not None:
                    self.flags.add(use.sets_flag)
        self._responses()
        for event_id, event in pack.events.items():
            if event_id not in self.events and self.all_hold(event.when):
                self.events.add(event_id)
                self.flags |= set(event.sets_flags)
                for person, place in event.moves.items():
                    self.where[person].add(place)
        for quest_id, quest in pack.quests.items():
            if self.all_hold(quest.objectives):
                self.done.add(quest_id)
        return self.size() != before

    def _responses(self) -> None:
        """What the things and people in reach do when acted on (`on`): the flags they
        set, the things they give, where they send people."""
        pack = self.pack
        owners: list[tuple[str, Responses]] = [(i, x.on) for i, x in pack.items.items()]
        owners += [(i, n.on) for i, n in pack.npcs.items()]
        for owner, on in owners:
            if not self.in_reach(owner):
                continue
            for response in (r for responses in on.values() for r in responses):
                if response.with_ is not None and not self.in_reach(response.with_):
                    continue
                if self.all_hold(response.when):
                    self.flags |= set(response.sets_flags)
                    self.held |= set(response.gives)
                    for person, place in response.moves.items():
                        self.where[person].add(place)

    def size(self) -> int:
        moved = sum(len(places) for places in self.where.values())
        parts = (self.places, self.held, self.flags, self.events, self.done)
        return sum(len(part) for part in parts) + moved

    def in_reach(self, thing: str) -> bool:
        """Whether the player can ever be where `thing` (an item or a person) is."""
        if thing in self.pack.npcs:
            return bool(self.where[thing] & self.places)
        placed = any(thing in self.pack.locations[place].items for place in self.places)
        return thing in self.held or placed

    def holds(self, cond: Condition) -> bool:
        """Whether `cond` can ever hold, as far as the walk knows."""
        match cond.test:
            case "at":
                return cond.at in self.places
            case "has":
                return cond.has in self.held
            case "flag":
                return cond.flag in self.flags
            case "quest_done":
                return cond.quest_done in self.done
            case "event":
                return cond.event in self.events
            case "npc":
                return cond.npc is not None and cond.in_ in self.where[cond.npc]
        return True  # not_flag, not, phase, reputation, disposition, after: play may get there

    def all_hold(self, conds: Iterable[Condition]) -> bool:
        return all(self.holds(cond) for cond in conds)


def unreachable(pack: WorldPack, raw: RawPack) -> list[Problem]:
    """A problem for each place, thing, quest and ending no play of `pack` can reach."""
    walk = _Walk(pack)
    walk.run()
    problems: list[Problem] = []

    def add(section: str, entry: str, message: str) -> None:
        problems.append(Problem(raw.file_of(section, entry), f"{section}.{entry}", message))

    peopled = set().union(*walk.where.values())
    for place in pack.locations:
        if place not in walk.places and place not in peopled:  # off-stage, for people
            add("locations", place, "no way in: no exit from the start reaches it, unlocked")
    for item_id in pack.items:
        if not walk.in_reach(item_id) and any(
            item_id in loc.items for loc in pack.locations.values()
        ):
            add("items", item_id, "out of reach: it lies only where the player can never go")
    for quest_id, quest in pack.quests.items():
        if quest_id not in walk.done:
            add("quests", quest_id, _never(walk, quest.objectives, "objectives", "completed"))
    for ending_id, ending in pack.endings.items():
        if not walk.all_hold(ending.when):
            add("endings", ending_id, _never(walk, ending.when, "when", "reached"))
    return problems


def _never(walk: _Walk, conds: list[Condition], key: str, what: str) -> str:
    failing = [f"{key}[{i}]" for i, cond in enumerate(conds) if not walk.holds(cond)]
    return f"can never be {what}: {', '.join(failing)} can never hold"
