"""Idle prefetch: while the player reads, the rooms they can walk into next are described.

Each description is asked as the room's narration will be, so the broker's cache holds
the answer when the player walks in: the room's richer prose then arrives at once. Only
rooms not seen yet are described ahead: a first sight is what the richer prose is for,
and a room come back to is told in short, when the player walks in (or from the cache,
if it is as it was). Described ahead, those were nearly never walked into before they
changed: in the bench's sessions a third of the prefetches, for 4 % of the hits. The
rooms next door are worked out again only when the player moves or a flag changes (one
opening a way): a room next door that changes while the player stays (someone walks in,
a clock runs down) is not described again, and is told afresh when walked into. Worked
out at every turn, they cost about what a `look` does, and a fifth of the prefetches
were of a room described ahead already.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from textrealms.engine import rules
from textrealms.engine.jobs.planning import describe_task
from textrealms.engine.model_calls import ModelCalls
from textrealms.engine.verbs.movement import revisiting
from textrealms.llm.tasks import Describe, Narrate
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

MEMORY = 512
"""Prefetched descriptions remembered for counting hits; past this many, memory starts afresh."""


class Prefetch:
    """The game's prefetching: what runs, what was made, and how often it was used."""

    def __init__(
        self,
        calls: ModelCalls,
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]],
        *,
        enabled: bool,
    ) -> None:
        """`spawn` starts a task the game master tracks, so that it cancels it too."""
        self._enabled = enabled
        self.started = 0
        self.hits = 0
        """Room narrations that found their description prefetched."""
        self.cancelled = 0
        self.room_narrations = 0
        self._calls = calls
        self._spawn = spawn
        self._made: set[str] = set()
        self._running: dict[str, asyncio.Task[None]] = {}
        self._rooms: tuple[str, frozenset[str], dict[str, Describe]] | None = None
        """Where the rooms next door were worked out (location, flags), and they."""

    def start(self, pack: WorldPack, state: GameState) -> None:
        """The player is reading: describe the rooms they can walk into next."""
        if not self._enabled or state.ending is not None:
            return
        for key, task in self._next_rooms(pack, state).items():
            if key in self._running or key in self._made:
                continue
            if len(self._made) >= MEMORY:
                self._made.clear()
            self._made.add(key)
            self.started += 1
            running = self._spawn(self._calls.warm(task))
            running.add_done_callback(functools.partial(self._ended, key))
            self._running[key] = running

    def keep(
        self,
        pack: WorldPack,
        state: GameState,
        narrations: Iterable[Describe | Narrate],
        room: int,
    ) -> None:
        """A turn began in `state` that narrates `narrations`, leaving the model `room`
        for more calls beside its own. Where the rooms next door are worked out again (the
        player moved, a flag changed), a room no longer next door, or no longer as it was
        described, is prefetched no more; with no room left (a local server's one slot),
        no other room is either, so that the turn's own calls do not wait behind them."""
        if not self._running:
            return
        keep = {task.key() for task in narrations}
        if room >= 0 and state.ending is None:
            keep |= self._next_rooms(pack, state).keys()
        for key, task in list(self._running.items()):
            if key not in keep:
                task.cancel()
                # Forgotten now, not once the task has ended: the turn may settle first,
                # and its idle moment must be free to start the room again.
                del self._running[key]
                self._made.discard(key)

    def narrated(self, task: Describe) -> None:
        """A room is being narrated: count it, and whether it was prefetched. What was
        made is kept after use: a look around the room just entered is served by it too."""
        self.room_narrations += 1
        self.hits += task.key() in self._made

    async def finished(self) -> None:
        """Wait until the prefetching running now has ended."""
        await asyncio.gather(*self._running.values(), return_exceptions=True)

    def _next_rooms(self, pack: WorldPack, state: GameState) -> dict[str, Describe]:
        """The rooms not seen yet that the player can walk into from where they stand,
        each as its narration would have asked for it when the player came, or when a
        flag last changed, by key."""
        known = self._rooms
        if known is not None and known[0] == state.location and known[1] == state.flags:
            return known[2]
        rooms = {}
        for exit_ in pack.locations[state.location].exits.values():
            if exit_.requires_flag is not None and exit_.requires_flag not in state.flags:
                continue
            if revisiting(state, exit_.to):
                continue
            entry = rules.room_entry(pack, state, exit_.to)
            task = describe_task(pack, state, exit_.to, entry.text)
            rooms[task.key()] = task
        self._rooms = (state.location, frozenset(state.flags), rooms)
        return rooms

    def _ended(self, key: str, done: asyncio.Task[None]) -> None:
        """A prefetch ended: one cancelled (even before it began) or failed is no head start."""
        if done.cancelled():
            self.cancelled += 1
        if self._running.get(key, done) is not done:
            return  # the room is being prefetched again: the newer task owns its key
        self._running.pop(key, None)
        if done.cancelled() or done.exception() is not None:
            self._made.discard(key)
