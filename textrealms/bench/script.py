"""Commands to play without a person: a scripted tour of any pack, and random commands.

The tour is made from the pack itself (every room, its items, its people and their
topics), so the bench plays every shipped world, and any an author points it at, the
same way each run; random commands mix in what players really type: verbs aimed at
nouns in scope, bare directions and the odd typo.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter, deque
from typing import Protocol

from textrealms.engine.complete import nouns
from textrealms.engine.gm import GameMaster
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

SETTLE_SECONDS = 120.0
"""Longest a turn may take to settle at a model's pace before the scenario fails loudly."""
TOPICS_ASKED = 2
"""Topics asked of each person met: enough to start conversations and gossip."""
RANDOM_VERBS = ("examine", "take", "drop", "talk to", "use", "look at", "give")
RANDOM_ALONE = ("look", "inventory", "wait", "quests", "rumours", "reputation", "time")
SIDES = ("support", "oppose")
"""Taken in turn with each stakeholder met: conflict choices are what NPCs react to."""
TYPOS = ("lok", "examien lamp", "xyzzy", "go nowhere", "take the", "")


class Tour:
    """A deterministic walk: on first entering a room, look at and ask about everything
    there, take a side with the people in a conflict, then leave by the exit to the
    least-visited room. `next` never ends."""

    def __init__(self, pack: WorldPack) -> None:
        self.pack = pack
        self.visits: Counter[str] = Counter()
        self.queue: deque[str] = deque()
        self.sides = 0
        self.tried: Counter[tuple[str, str]] = Counter()
        """Attempts at each (room, exit): a locked door is not tried for ever."""

    def next(self, state: GameState) -> str:
        if not self.queue:
            self._plan(state)
        return self.queue.popleft()

    def _plan(self, state: GameState) -> None:
        here = state.location
        self.visits[here] += 1
        if self.visits[here] == 1:
            self.queue.append("look")
            for item in state.items_in(self.pack, here):
                name = self.pack.items[item].name.lower()
                self.queue.append(f"examine {name}")
                if self.pack.items[item].portable:
                    self.queue.append(f"take {name}")
            for npc in state.npcs_in(here):
                name = self.pack.npcs[npc].name.lower()
                self.queue.append(f"talk to {name}")
                for topic in list(self.pack.npcs[npc].topics)[:TOPICS_ASKED]:
                    self.queue.append(f"ask {name} about {topic}")
                if state.npcs[npc].role is not None:
                    self.queue.append(f"{SIDES[self.sides % len(SIDES)]} {name}")
                    self.sides += 1
        exits = self.pack.locations[here].exits
        if exits:
            way = min(exits, key=lambda d: (self.visits[exits[d].to] + self.tried[here, d], d))
            self.tried[here, way] += 1
            self.queue.append(way)
        else:
            self.queue.append("wait")


def random_command(pack: WorldPack, state: GameState, rng: random.Random) -> str:
    """One command a player might type here, valid or not."""
    roll = rng.random()
    scope = nouns(pack, state)
    exits = list(pack.locations[state.location].exits)
    if roll < 0.05:
        return rng.choice(TYPOS)
    if roll < 0.30 and exits:
        return rng.choice(exits)
    if roll < 0.45 or not scope:
        return rng.choice(RANDOM_ALONE)
    return f"{rng.choice(RANDOM_VERBS)} {rng.choice(scope)}"


def crowded(pack: WorldPack, state: GameState) -> str:
    """The room where most stakeholders of one conflict stand at the start: where a
    choice draws the most reactions at once."""

    def stakeholders(room: str) -> int:
        here = set(state.npcs_in(room))
        return max((len(here & set(c.stakeholders)) for c in pack.conflicts.values()), default=0)

    return max(sorted(pack.locations), key=stakeholders)


class Crowd:
    """Conflict choices made in front of everyone in the room, round and round: the turns
    that fan out the most background work (narration, every stakeholder's reaction,
    gossip, the world's moves). `next` never ends."""

    def __init__(self, pack: WorldPack, state: GameState) -> None:
        here = state.npcs_in(state.location)
        names = [pack.npcs[n].name.lower() for n in here if state.npcs[n].role is not None]
        names = names or [pack.npcs[n].name.lower() for n in here]
        rounds = [
            [f"support {name}", f"talk to {name}", f"oppose {name}", "escalate", "calm"]
            for name in names
        ]
        self.script = [c for r in rounds for c in r] or ["escalate", "calm", "wait"]
        self.turn = 0

    def next(self, _state: GameState) -> str:
        command = self.script[self.turn % len(self.script)]
        self.turn += 1
        return command


class Script(Protocol):
    def next(self, state: GameState) -> str: ...


async def play_through(gm: GameMaster, script: Script, turns: int, *, quiet: bool = False) -> None:
    """The opening, then `turns` commands from `script`, each turn let settle before the
    next (or, `quiet`, let idle prefetch finish too, as while a player reads)."""
    wait = gm.quiet if quiet else gm.settled
    gm.opening()
    await asyncio.wait_for(wait(), SETTLE_SECONDS)
    for _ in range(turns):
        gm.submit(script.next(gm.state))
        await asyncio.wait_for(wait(), SETTLE_SECONDS)
