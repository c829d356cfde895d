"""The game master: answers every command at once, then runs the turn's background jobs. `submit`
is synchronous and does no I/O: it plays the rules, plans the turn's jobs and starts them. The
jobs (narration, NPC reactions, gossip, the world's own moves; their bodies are in
`textrealms.engine.jobs`) run as isolated tasks whose results stream to every front end as
`StoryEvent`s. State changes they propose are committed in a fixed order (turn, then job), by
the one reducer, so the story does not depend on which job happens to finish first. The ending
is the last word: once the story has ended, every job is stopped and nothing more is told.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Coroutine
from typing import Any, Literal, TypeVar

from textrealms.engine import rules
from textrealms.engine.bookkeeping import JobRecord, Proposal, Slot, TurnTiming, TurnWork, job_label
from textrealms.engine.broadcast import Broadcast
from textrealms.engine.command import Command
from textrealms.engine.complete import complete as completions
from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.events import JobFailed, NarrationDone, Progress, StoryEvent, TurnSettled
from textrealms.engine.interpret.line import play_line
from textrealms.engine.jobs import dispatch
from textrealms.engine.jobs import planning as plans
from textrealms.engine.jobs.context import Batching, JobContext
from textrealms.engine.jobs.interpretation import Understanding
from textrealms.engine.jobs.narration import Recent
from textrealms.engine.metrics import Metrics, MetricsSnapshot
from textrealms.engine.model_calls import ModelCalls
from textrealms.engine.panel import Panel
from textrealms.engine.panel import panel as panel_of
from textrealms.engine.parser import parse
from textrealms.engine.prefetch import Prefetch
from textrealms.engine.saves import save_name as save_name_of
from textrealms.llm.broker import Broker, release
from textrealms.llm.budget import BUDGETS, Budget
from textrealms.llm.cache import CacheStore, LruCache
from textrealms.llm.circuit import Circuit
from textrealms.llm.clean import clean
from textrealms.llm.offline import OfflineNarrator
from textrealms.llm.provider import Provider, ProviderStatus
from textrealms.llm.usage import Price
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState, fitted, new_game

log = logging.getLogger(__name__)

T = TypeVar("T")
Strategy = Literal["concurrent", "sequential"]

TIMINGS = 1000


class GameMaster:
    """One game: its state, its provider, its background jobs and its event stream."""

    def __init__(
        self,
        pack: WorldPack,
        *,
        seed: int = 0,
        state: GameState | None = None,
        provider: Provider | None = None,
        strategy: Strategy = "concurrent",
        limit: int = 8,
        budgets: dict[str, Budget] | None = None,
        prefetch: bool = True,
        circuit: Circuit | None = None,
        store: CacheStore | None = None,
        batching: Batching = "off",
        price: Price | None = None,
    ) -> None:
        """With a `circuit`, a failing `provider` is bypassed for an offline narrator while
        degraded, and each turn's assessment is asked for too. A `store` keeps a model's
        cacheable answers across games (not an offline narrator's: seeded, and free)."""
        self.pack = pack
        self.state = fitted(pack, state) if state is not None else new_game(pack, seed)
        offline = OfflineNarrator(pack, self.state.seed)
        primary = provider or offline
        kept = None if isinstance(primary, OfflineNarrator) else store
        self.metrics = Metrics()
        self.calls = ModelCalls(
            Broker(primary, limit=limit, cache=LruCache(1024), store=kept),
            Broker(offline, limit=limit) if circuit is not None else None,
            circuit,
            budgets={**BUDGETS, **(budgets or {})},
            metrics=self.metrics,
            emit=self._emit,
        )
        self.prefetch = Prefetch(self.calls, self._spawn, enabled=prefetch)
        self._stream = Broadcast()
        self._understanding = Understanding(
            pack,
            self.calls,
            self._spawn,
            tell=self._stream.emit,
            now=lambda: self.state,
            play=self._played,
        )
        """The line the model is reading, to be played as the next turn (a newer drops it)."""
        self.batching: Batching = batching
        self.price = price
        self.strategy: Strategy = strategy
        self.timings: deque[TurnTiming] = deque(maxlen=TIMINGS)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._turns: dict[int, TurnWork] = {}
        self._slots: deque[Slot] = deque()
        self._running: dict[tuple[int, int], str] = {}
        self._superseding: set[tuple[int, int]] = set()
        self._recent = Recent()
        self._narrated: tuple[int, plans.NarrationJob, GameState, GameState] | None = None
        """The latest narration job, with its turn's states: what `regenerate` retells."""
        self._closed = False

    # The front ends' side

    def opening(self) -> list[Entry]:
        """The intro and the first room; the room's richer description follows as an event."""
        entries = rules.opening(self.pack, self.state)
        room = len(entries) - 1
        task = plans.describe_task(self.pack, self.state, self.state.location, entries[room].text)
        self._start(self.state, self.state, [plans.NarrationJob(room, task, entries[room].text)])
        return entries

    def submit(self, command: str) -> rules.TurnResult:
        """Play the line `command`, each of its commands a turn with its own jobs (started in
        the background). No I/O, never waits: call it on the loop that runs the game."""
        return self.play(parse(command))

    def play(self, command: Command) -> rules.TurnResult:
        """`submit` for a command already parsed (by the `Session`, say)."""
        if self._closed:
            raise RuntimeError("the game master is closed")
        started = time.perf_counter()
        self._understanding.drop()
        result = play_line(self.pack, self.state, command)
        for step in result.steps:
            self._played(self.state, step)
        self._understanding.ask(self.state, command.raw, result)
        self.metrics.hot_path.add((time.perf_counter() - started) * 1000)
        return result

    def _played(self, before: GameState, result: rules.TurnResult) -> None:
        """One command played: the game goes on from its state, and a turn starts its jobs."""
        self.state = result.state
        if result.state.turn == before.turn:
            return
        self._supersede()
        jobs: list[plans.JobDef] = []
        if result.ended:  # the ending is the last word: no job of any turn follows it
            self._stream.drop_pending()
            self._conclude()
        else:
            jobs = self._recent.told(
                plans.plan(self.pack, before, result.state, result.command, result.entries)
            )
        said = (result.command.raw, " ".join(clean(e.text) for e in result.entries))
        self._start(before, result.state, jobs, said=said)
        self._recent.remember(*said)

    def stop_narration(self) -> bool:
        """Stop the narration streaming now (the player has read enough): the template
        text stands, as when a newer command supersedes it. False if none was streaming."""
        return self._supersede() > 0

    def regenerate(self) -> bool:
        """Tell the latest narrated turn again, as a new attempt: neither the cache nor the
        offline narrator's dice give back the same words. False if nothing was narrated yet,
        or once the story has ended (nothing lands after the ending).
        """
        if self._closed or self._narrated is None or self.state.ending is not None:
            return False
        number, job, before, after = self._narrated
        self._supersede()
        again = dataclasses.replace(
            job, task=dataclasses.replace(job.task, attempt=job.task.attempt + 1)
        )
        self._narrated = (number, again, before, after)
        work = self._turns.get(number)
        if work is None:
            work = self._turns[number] = TurnWork(number, before, after, 0, time.perf_counter())
        index = work.jobs
        work.jobs += 1
        work.pending += 1
        work.narration_job = index
        work.narration = self._spawn(self._job(work, index, again))
        return True

    def events(self) -> AsyncIterator[StoryEvent]:
        """Every event from now on, until the game master closes."""
        return self._stream.follow()

    async def settled(self, turn: int | None = None) -> None:
        """Wait until turn `turn` (by default, every turn so far) has settled, and the line
        the model is reading, if any, has been played or answered."""
        await self._understanding.settled()
        for work in [t for n, t in list(self._turns.items()) if turn is None or n == turn]:
            await work.settled.wait()

    async def saved(self) -> None:
        """A game master alone saves nothing (and so `unsaved` has nothing to say)."""

    def unsaved(self) -> str | None:
        return None

    async def quiet(self) -> None:
        """Wait until every turn has settled and idle prefetch has finished too."""
        await self.settled()
        await self.prefetch.finished()

    def running(self) -> list[str]:
        """What the background is doing now, e.g. ["Mira is reacting", "gossip"]."""
        return list(dict.fromkeys(self._running.values()))

    def provider_status(self) -> ProviderStatus:
        """Who tells the story now; a `ProviderChanged` event follows every change."""
        return self.calls.status()

    def panel(self) -> Panel:
        return panel_of(self.pack, self.state)

    def complete(self, text: str) -> list[str]:
        return completions(self.pack, self.state, text)

    def save_name(self) -> str:
        return save_name_of(self.pack, self.state)

    def snapshot(self) -> MetricsSnapshot:
        prefetch = self.prefetch
        return self.calls.snapshot(
            running=len(self._running),
            prefetch=(prefetch.started, prefetch.hits, prefetch.room_narrations),
            price=self.price,
        )

    def replace(self, state: GameState) -> None:
        """Go on from `state` instead (undo, restart, load): the abandoned timeline's jobs
        are cancelled, their pending changes dropped and their undelivered events
        discarded, so nothing from it lands afterwards."""
        self._abandon()
        self.state = fitted(self.pack, state)
        self._stream.drop_pending()

    def _abandon(self) -> list[int]:
        """Cancel every job and drop every change still to commit; the turns they were
        for count as settled. Returns those turns."""
        for task in list(self._tasks):
            task.cancel()
        self._slots.clear()
        abandoned = list(self._turns)
        for work in self._turns.values():
            work.settled.set()
        self._turns.clear()
        self._running.clear()
        self._superseding.clear()
        return abandoned

    def _conclude(self) -> None:
        """The story has ended: every job still running is stopped and its changes are
        dropped, and from now on only the settling of turns is told (see `_emit`)."""
        for number in self._abandon():
            self._emit(TurnSettled(number, -1))

    async def aclose(self) -> None:
        """Cancel and await every task, close the provider, end every event stream."""
        if self._closed:
            return
        self._closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.calls.aclose()
        self._stream.close()

    # Running jobs

    def _spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(release)
        return task

    def _start(
        self,
        before: GameState,
        after: GameState,
        jobs: list[plans.JobDef],
        *,
        said: tuple[str, str] = ("", ""),
    ) -> None:
        """Start a turn's jobs; `said` is the command and its immediate text, as shown."""
        work = TurnWork(after.turn, before, after, len(jobs), time.perf_counter(), len(jobs))
        work.command, work.shown = said
        self._turns[work.number] = work
        for index, job in enumerate(jobs):
            if isinstance(job, plans.NarrationJob):
                work.narration_job = index
                self._narrated = (work.number, job, before, after)
            else:
                self._slots.append(Slot(work.number, index))
            if isinstance(job, plans.ReactionJob):
                work.reactions.append(job)
        narrations = [j.task for j in jobs if isinstance(j, plans.NarrationJob)]
        self.prefetch.keep(self.pack, after, narrations, self.calls.room() - len(jobs))
        if not jobs:
            self._settle_ready()
        elif self.strategy == "sequential":
            work.narration = self._spawn(self._one_by_one(work, jobs))
        else:
            for index, job in enumerate(jobs):
                task = self._spawn(self._job(work, index, job))
                if isinstance(job, plans.NarrationJob):
                    work.narration = task

    async def _one_by_one(self, work: TurnWork, jobs: list[plans.JobDef]) -> None:
        """The `sequential` strategy: the turn's jobs one after another, for comparison."""
        for index, job in enumerate(jobs):
            await self._job(work, index, job)

    def _supersede(self) -> int:
        """A new command makes older turns' narration stale: stop it (it is counted).

        Returns how many narrations were stopped.
        """
        stopped = 0
        for number, work in self._turns.items():
            if work.narrating and work.narration is not None and not work.narration.done():
                self._superseding.add((number, work.narration_job))
                work.narration.cancel()
                stopped += 1
        return stopped

    async def _job(self, work: TurnWork, index: int, job: plans.JobDef) -> None:
        """Run one job in isolation: whatever it does, its siblings and later turns go on."""
        kind, label = job_label(self.pack, job)
        key = (work.number, index)
        self._running[key] = label
        self.metrics.started += 1
        record = JobRecord()
        proposal: Proposal | None = None
        outcome = "cancelled"
        started = time.perf_counter()
        narration = isinstance(job, plans.NarrationJob)
        work.narrating |= narration
        try:
            context = JobContext(
                self.pack,
                self.calls,
                self._emit,
                self._spawn,
                self.metrics,
                self.prefetch,
                self.batching,
                work,
                index,
                record,
            )
            proposal = await dispatch.run(context, job)
            outcome = record.outcome
        except asyncio.CancelledError:
            if key not in self._superseding:
                raise
            self._superseding.discard(key)
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()
            outcome = "superseded"
            if isinstance(job, plans.NarrationJob):  # always: only narration is superseded
                self._emit(
                    NarrationDone(
                        work.number, index, job.index, job.template, refined=False, superseded=True
                    )
                )
        except Exception as exc:  # a bug in one job must not take the others down
            log.exception("job %s of turn %d failed", label, work.number)
            outcome = "failed"
            self._emit(JobFailed(work.number, index, kind, type(exc).__name__, None, label))
        finally:
            if narration:
                work.narrating = False
            ms = (time.perf_counter() - started) * 1000
            # Not live once `replace` abandoned the turn: it then commits and settles nothing.
            live = self._turns.get(work.number) is work
            if live:
                del self._running[key]
            self.metrics.job_done(kind, outcome, ms, fallback=record.timeout or record.failed)
            work.durations.append(ms)
            work.pending -= 1
            if live:
                self._fill(work.number, index, proposal)

    # Committing and settling

    def _fill(self, turn: int, job: int, proposal: Proposal | None) -> None:
        for slot in self._slots:
            if slot.turn == turn and slot.job == job:
                slot.proposal, slot.filled = proposal, True
                break
        self._commit_ready()
        self._settle_ready()

    def _commit_ready(self) -> None:
        """Apply proposals in commit order, as far as every earlier job has finished."""
        while self._slots and self._slots[0].filled:
            slot = self._slots.popleft()
            if slot.proposal is None or self._closed:
                continue
            try:
                new, events = slot.proposal(self.state)
            except Exception:  # a bad proposal is dropped; the story goes on
                log.exception("turn %d: a job's changes could not be applied", slot.turn)
                continue
            new, reached = rules.progress(self.pack, new)
            for event in events:
                self._emit(event)
            last = self._turns[slot.turn].jobs if slot.turn in self._turns else slot.job
            for entry in reached:  # an ending lands after everything else of its turn
                job = last if entry.kind is EntryKind.ENDING else slot.job
                self._emit(Progress(slot.turn, job, entry))
            self.state = new
            if new.ending is not None:
                self._conclude()
                return

    def _settle_ready(self) -> None:
        waiting = {slot.turn for slot in self._slots}
        for number, work in list(self._turns.items()):
            if work.pending > 0 or number in waiting:
                continue
            del self._turns[number]
            wall = (time.perf_counter() - work.started) * 1000
            self.timings.append(TurnTiming(number, work.jobs, wall, tuple(work.durations)))
            work.settled.set()
            self._emit(TurnSettled(number, -1))
        if not self._turns and not self._closed and self.state.ending is None:
            self.prefetch.start(self.pack, self.state)

    # Events

    def _emit(self, event: StoryEvent) -> None:
        """Tell every front end; once the story has ended, only that turns have settled."""
        if self.state.ending is None or isinstance(event, TurnSettled):
            self._stream.emit(event)
