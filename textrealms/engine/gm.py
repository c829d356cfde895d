"""The game master: answers every command at once, then runs the turn's background jobs.

`submit` is synchronous and does no I/O: it plays the rules, plans the turn's jobs and
starts them. The jobs (narration, NPC reactions, gossip, the world's own moves) run as
isolated tasks whose results stream to every front end as `StoryEvent`s. State changes
they propose are committed in a fixed order (turn, then job), by the one reducer, so the
story does not depend on which job happens to finish first.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Coroutine
from typing import Any, Literal, TypeVar

from textrealms.engine import jobs as plans
from textrealms.engine import rules
from textrealms.engine.bookkeeping import (
    JobRecord,
    Proposal,
    Slot,
    TurnTiming,
    TurnWork,
    job_label,
)
from textrealms.engine.broadcast import Broadcast
from textrealms.engine.complete import complete as completions
from textrealms.engine.entries import Entry
from textrealms.engine.events import (
    DramaticBeat,
    GossipHeard,
    JobFailed,
    NarrationDelta,
    NarrationDone,
    NpcReaction,
    PhaseTransition,
    Progress,
    ProviderChanged,
    StoryEvent,
    TurnSettled,
)
from textrealms.engine.metrics import Metrics, MetricsSnapshot
from textrealms.engine.panel import Panel
from textrealms.engine.panel import panel as panel_of
from textrealms.engine.phrases import phrase
from textrealms.engine.saves import save_name as save_name_of
from textrealms.engine.simulation import director, social, stakeholders
from textrealms.engine.text import clean
from textrealms.engine.world_moves import beat_cast, push, role_line, tell
from textrealms.llm.broker import Broker
from textrealms.llm.budget import BUDGETS, Budget, within
from textrealms.llm.cache import CacheStore, LruCache
from textrealms.llm.circuit import Circuit
from textrealms.llm.offline import OfflineNarrator
from textrealms.llm.provider import Metered, Provider, ProviderStatus
from textrealms.llm.schemas import Answer, Assessment, Line, Reaction, Reactions
from textrealms.llm.tasks import Assess, Beat, Describe, Narrate, React, ReactAll, Rumour, Task
from textrealms.llm.usage import Price
from textrealms.world import effects as fx
from textrealms.world.reducer import clamp, reduce
from textrealms.world.rng import Dice
from textrealms.world.schema import DIMENSIONS, WorldPack
from textrealms.world.state import PLAYER, GameState, new_game

log = logging.getLogger(__name__)

A = TypeVar("A", bound=Answer)
Strategy = Literal["concurrent", "sequential"]
Batching = Literal["off", "on", "auto"]

NUDGE = 0.1
"""The most a model may move an NPC's disposition or stress beyond the rules' own change."""
REPUTATION_NUDGE = 0.05
"""The most a model's assessment may move one reputation dimension in a turn."""
BATCH_AUTO = 3
"""With batching "auto", a turn with at least this many reactions asks for them in one call."""
RECENT = 3
"""Earlier turns a narration prompt is shown, for continuity."""
RECENT_CHARS = 400
"""How much of each earlier turn the prompt shows."""
VISIBLE_MOVES = 2
"""Stakeholder moves shown per turn when they happen in front of the player."""
TIMINGS = 1000
PREFETCH_MEMORY = 512
"""Prefetched descriptions remembered for counting hits; past this many, memory starts afresh."""


def _nudge(value: float, most: float = NUDGE) -> float:
    """A model's proposed change, made safe: finite and within ±`most`."""
    return clamp(value, -most, most) if math.isfinite(value) else 0.0


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
        it is degraded, and the model's assessment of each turn is asked for too.

        A `store` keeps a model's cacheable answers across games; an offline narrator's
        are not stored, as they depend on the seed and cost nothing to make again.
        """
        self.pack = pack
        self.state = state if state is not None else new_game(pack, seed)
        offline = OfflineNarrator(pack, self.state.seed)
        primary = provider or offline
        kept = None if isinstance(primary, OfflineNarrator) else store
        self.broker = Broker(primary, limit=limit, cache=LruCache(1024), store=kept)
        self.fallback = Broker(offline, limit=limit) if circuit is not None else None
        """Where calls go while the circuit is open."""
        self.circuit = circuit
        self.batching: Batching = batching
        self.price = price
        self.batched_calls = 0
        self.strategy: Strategy = strategy
        self.budgets = {**BUDGETS, **(budgets or {})}
        self.metrics = Metrics()
        self.timings: deque[TurnTiming] = deque(maxlen=TIMINGS)
        self.prefetching = prefetch
        self.prefetch_started = 0
        self.prefetch_hits = 0
        self.prefetch_cancelled = 0
        self.room_narrations = 0
        self._prefetched: set[str] = set()
        self._prefetch: dict[str, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._stream = Broadcast()
        self._turns: dict[int, TurnWork] = {}
        self._slots: deque[Slot] = deque()
        self._running: dict[tuple[int, int], str] = {}
        self._superseding: set[tuple[int, int]] = set()
        self._recent: deque[str] = deque(maxlen=RECENT)
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
        """Play `command` and return its immediate entries; its jobs start in the background.

        Does no I/O and never waits: must be called on the loop that runs the game.
        """
        if self._closed:
            raise RuntimeError("the game master is closed")
        started = time.perf_counter()
        before = self.state
        result = rules.play(self.pack, before, command)
        self.state = result.state
        if result.state.turn != before.turn:
            self._supersede()
            jobs = self._contextual(
                plans.plan(self.pack, before, result.state, result.command, result.entries)
            )
            self._start(before, result.state, jobs, said=(command, result.entries))
            self._remember(command, result.entries)
        self.metrics.hot_path.add((time.perf_counter() - started) * 1000)
        return result

    def stop_narration(self) -> bool:
        """Stop the narration streaming now (the player has read enough): the template
        text stands, as when a newer command supersedes it. False if none was streaming."""
        return self._supersede() > 0

    def regenerate(self) -> bool:
        """Tell the latest narrated turn again, as a new attempt: neither the cache nor the
        offline narrator's dice give back the same words. False if nothing was narrated yet.
        """
        if self._closed or self._narrated is None:
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
        """Wait until turn `turn` (by default, every turn so far) has settled."""
        waits = [
            t.settled.wait() for n, t in list(self._turns.items()) if turn is None or n == turn
        ]
        for wait in waits:
            await wait

    async def quiet(self) -> None:
        """Wait until every turn has settled and idle prefetch has finished too."""
        await self.settled()
        await asyncio.gather(*self._prefetch.values(), return_exceptions=True)

    def running(self) -> list[str]:
        """What the background is doing now, e.g. ["Mira is reacting", "gossip"]."""
        return list(dict.fromkeys(self._running.values()))

    def provider_status(self) -> ProviderStatus:
        """Who tells the story now; a `ProviderChanged` event follows every change."""
        if self.circuit is not None:
            return self.circuit.status
        return ProviderStatus(self.broker.provider.name)

    def panel(self) -> Panel:
        return panel_of(self.pack, self.state)

    def complete(self, text: str) -> list[str]:
        return completions(self.pack, self.state, text)

    def save_name(self) -> str:
        return save_name_of(self.pack, self.state)

    def snapshot(self) -> MetricsSnapshot:
        stats = self.broker.stats()
        provider = self.broker.provider
        usage = provider.usage if isinstance(provider, Metered) else None
        return self.metrics.snapshot(
            cache_hits=stats.cache_hits,
            cache_misses=stats.cache_misses,
            shared_calls=stats.shared,
            model_calls=stats.calls,
            queue_depth=stats.waiting,
            running=len(self._running),
            prefetch=(self.prefetch_started, self.prefetch_hits, self.room_narrations),
            usage=usage,
            cost=usage.cost(self.price) if usage is not None else None,
            batched_calls=self.batched_calls,
            fallback_calls=self.fallback.stats().calls if self.fallback is not None else 0,
        )

    def replace(self, state: GameState) -> None:
        """Go on from `state` instead (undo, restart, load): the abandoned timeline's jobs
        are cancelled, their pending changes dropped and their undelivered events
        discarded, so nothing from it lands afterwards."""
        for task in list(self._tasks):
            task.cancel()
        self._slots.clear()
        for work in self._turns.values():
            work.settled.set()
        self._turns.clear()
        self._running.clear()
        self._superseding.clear()
        self.state = state
        self._stream.drop_pending()

    async def aclose(self) -> None:
        """Cancel and await every task, close the provider, end every event stream."""
        if self._closed:
            return
        self._closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.broker.aclose()
        if self.fallback is not None:
            await self.fallback.aclose()
        self._stream.close()

    # Running jobs

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _start(
        self,
        before: GameState,
        after: GameState,
        jobs: list[plans.JobDef],
        *,
        said: tuple[str, list[Entry]] = ("", []),
    ) -> None:
        work = TurnWork(after.turn, before, after, len(jobs), time.perf_counter(), len(jobs))
        work.command, work.shown = said[0], " ".join(clean(e.text) for e in said[1])
        self._turns[work.number] = work
        for index, job in enumerate(jobs):
            if isinstance(job, plans.NarrationJob):
                work.narration_job = index
                self._narrated = (work.number, job, before, after)
            else:
                self._slots.append(Slot(work.number, index))
            if isinstance(job, plans.ReactionJob):
                work.reactions.append(job)
        keep = {j.task.key() for j in jobs if isinstance(j, plans.NarrationJob)}
        for key, task in list(self._prefetch.items()):
            if key not in keep:
                task.cancel()
                # Forgotten now, not once the task has ended: the turn may settle first,
                # and its idle moment must be free to start the room again.
                del self._prefetch[key]
                self._prefetched.discard(key)
        if not jobs:
            self._settle_ready()
        elif self.strategy == "sequential":
            work.narration = self._spawn(self._one_by_one(work, jobs))
        else:
            for index, job in enumerate(jobs):
                task = self._spawn(self._job(work, index, job))
                if isinstance(job, plans.NarrationJob):
                    work.narration = task

    def _contextual(self, jobs: list[plans.JobDef]) -> list[plans.JobDef]:
        """Narration told with the last few turns, so a model keeps the story continuous."""
        recent = tuple(self._recent)
        return [
            dataclasses.replace(job, task=dataclasses.replace(job.task, recent=recent))
            if isinstance(job, plans.NarrationJob) and isinstance(job.task, Narrate)
            else job
            for job in jobs
        ]

    def _remember(self, command: str, entries: list[Entry]) -> None:
        shown = " ".join(clean(e.text) for e in entries)
        self._recent.append(f"> {clean(command)}\n{shown}"[:RECENT_CHARS])

    def _pick(self, *, probe: bool = True) -> Broker:
        """The broker for the next call: the model's, or the offline one while degraded.

        Only a call that reports its verdict may be the probe that tests a degraded model.
        """
        if self.circuit is None or self.fallback is None:
            return self.broker
        if self.circuit.allow() if probe else not self.circuit.status.degraded:
            return self.broker
        return self.fallback

    def _verdict(self, broker: Broker, turn: int, failure: str | None) -> None:
        """Tell the circuit how a model call went: "" for success, a reason for failure,
        None for no verdict (cancelled); announce a change of status."""
        circuit = self.circuit
        if circuit is None or broker is not self.broker:
            return
        if failure is None:
            circuit.abandon()
            return
        changed = circuit.failure(failure) if failure else circuit.success()
        if changed:
            self._emit(ProviderChanged(turn, -1, circuit.status))

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
            proposal = await self._dispatch(work, index, job, record)
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

    async def _dispatch(
        self, work: TurnWork, index: int, job: plans.JobDef, record: JobRecord
    ) -> Proposal | None:
        match job:
            case plans.NarrationJob():
                await self._narrate(work, index, job, record)
                return None
            case plans.ReactionJob():
                return await self._react(work, index, job, record)
            case plans.GossipJob():
                return await self._gossip(work, index, job, record)
            case plans.WorldJob():
                return await self._world(work, index, record)

    async def _answer(
        self,
        task: Task,
        schema: type[A],
        record: JobRecord,
        index: int,
        fallback: str | None,
        *,
        note: bool = True,
    ) -> A | None:
        """The model's structured answer, or None (and a `JobFailed` note) if it has none."""
        budget = self.budgets[task.kind]
        broker = self._pick()
        try:
            async with asyncio.timeout(budget.total):
                answer = await broker.complete(task, schema)
        except asyncio.CancelledError:
            self._verdict(broker, task.turn, None)
            raise
        except Exception as exc:  # whatever went wrong, the template stands
            reason = record.failure(exc, "the model")
            self._verdict(broker, task.turn, reason)
        else:
            self._verdict(broker, task.turn, "")
            return answer
        if note:
            label = task.kind.capitalize()
            self._emit(JobFailed(task.turn, index, task.kind, reason, fallback, label))
        return None

    async def _narrate(
        self, work: TurnWork, index: int, job: plans.NarrationJob, record: JobRecord
    ) -> None:
        task = job.task
        if isinstance(task, Describe):
            self.room_narrations += 1
            # Kept after use: a look around the room just entered is served by it too.
            self.prefetch_hits += task.key() in self._prefetched
        budget = self.budgets[task.kind]
        started = time.perf_counter()
        pieces: list[str] = []
        reason: str | None = None
        broker = self._pick()
        try:
            async with contextlib.aclosing(broker.stream(task)) as stream:
                async for piece in within(stream, budget, started):
                    if not pieces:
                        self.metrics.first_token.add((time.perf_counter() - started) * 1000)
                    pieces.append(clean(piece))
                    self._emit(NarrationDelta(work.number, index, job.index, pieces[-1]))
        except asyncio.CancelledError:
            self._verdict(broker, work.number, None)
            raise
        except Exception as exc:  # whatever went wrong, the template stands
            reason = record.failure(exc, "the narrator")
        text = "".join(pieces).strip()
        if reason is None and not text:
            reason = "the narrator said nothing"
        self._verdict(broker, work.number, reason or "")
        if reason is not None:
            record.failed |= not record.timeout
            self._emit(JobFailed(work.number, index, "narration", reason, job.template, "Narrator"))
            self._emit(NarrationDone(work.number, index, job.index, job.template, refined=False))
            return
        self._emit(NarrationDone(work.number, index, job.index, text, refined=True))

    def _react_task(self, work: TurnWork, job: plans.ReactionJob) -> React:
        after = work.after
        npc = after.npcs[job.npc]
        role = npc.role or "bystander"
        dice = Dice.derived(after.seed, work.number, "react", job.npc)
        return React(
            turn=work.number,
            npc=job.npc,
            deed=job.deed,
            fallback=role_line(self.pack, job.npc, role, job.conflict, dice),
            role=role,
            conflict=job.conflict,
            target=job.target,
            disposition=round(npc.disposition, 2),
            stress=round(npc.stress, 2),
        )

    def _batched(self, work: TurnWork) -> bool:
        count = len(work.reactions)
        return count > 1 and (
            self.batching == "on" or (self.batching == "auto" and count >= BATCH_AUTO)
        )

    async def _react(
        self, work: TurnWork, index: int, job: plans.ReactionJob, record: JobRecord
    ) -> Proposal:
        name = self.pack.npcs[job.npc].name
        task = self._react_task(work, job)
        fallback = task.fallback
        changes = stakeholders.reaction(work.after, job.npc, job.deed, job.target)
        if self._batched(work):
            answer = await self._from_batch(work, index, task, record)
        else:
            answer = await self._answer(task, Reaction, record, index, fallback)
        line = clean(answer.line).strip() if answer else ""
        self._emit(NpcReaction(work.number, index, job.npc, name, line or fallback))
        if answer is not None:
            changes += [
                fx.AdjustDisposition(job.npc, _nudge(answer.disposition)),
                fx.AdjustStress(job.npc, _nudge(answer.stress)),
            ]
        return self._applying(changes)

    async def _from_batch(
        self, work: TurnWork, index: int, task: React, record: JobRecord
    ) -> Reaction | None:
        """This NPC's part of the turn's one batched call (made by whichever job asks first).

        A failed batch fails every part; an NPC the answer leaves out gets its template.
        """
        if work.batch is None:
            batch = ReactAll(
                turn=work.number,
                reactions=tuple(self._react_task(work, job) for job in work.reactions),
            )
            self.batched_calls += 1
            failed = JobRecord()
            work.batch = asyncio.get_running_loop().create_task(
                self._answer(batch, Reactions, failed, index, None, note=False)
            )
            work.batch_record = failed
            self._tasks.add(work.batch)
            work.batch.add_done_callback(self._tasks.discard)
        answers = await asyncio.shield(work.batch)
        if answers is None:
            record.failed, record.timeout = work.batch_record.failed, work.batch_record.timeout
            reason = work.batch_record.reason or "the model failed"
        else:
            mine = next((r for r in answers.reactions if r.npc == task.npc), None)
            if mine is not None:
                return mine
            record.failed = True
            reason = "the model left this one out"
        label = self.pack.npcs[task.npc].name
        self._emit(JobFailed(task.turn, index, "reaction", reason, task.fallback, label))
        return None

    async def _gossip(
        self, work: TurnWork, index: int, job: plans.GossipJob, record: JobRecord
    ) -> Proposal:
        after, turn = work.after, work.number
        dice = Dice.derived(after.seed, turn, "gossip")
        born = social.witnessed(self.pack, after, job.deed, dice, turn)
        born += social.strained(self.pack, after, dice, turn)
        changes: list[fx.Effect] = []
        for g in born:
            changes.append(fx.AddGossip(g))
            for believer in g.believers:
                changes += social.belief_effects(self.pack, g, believer)
        changes += social.spread(self.pack, after, dice)
        heard = social.overheard(self.pack, after, dice, turn)
        if heard is not None:
            gid, teller = heard
            g = next(g for g in after.gossip if g.id == gid)
            about = "you" if g.about == PLAYER else self.pack.npcs[g.about].name
            fallback = phrase(self.pack, f"gossip.{g.type}", dice, npc=about, topic=g.topic)
            task = Rumour(
                turn=turn,
                teller=teller,
                gossip_type=g.type,
                about=g.about,
                topic=g.topic,
                fallback=fallback,
            )
            answer = await self._answer(task, Line, record, index, fallback)
            text = clean(answer.text).strip() if answer else ""
            name = self.pack.npcs[teller].name
            self._emit(GossipHeard(turn, index, gid, name, text or fallback))
            changes.append(fx.HearGossip(gid, turn, teller))
        return self._applying(changes)

    async def _world(self, work: TurnWork, index: int, record: JobRecord) -> Proposal:
        """Stakeholders make their own moves and break; the director paces and picks a beat."""
        before, after, turn = work.before, work.after, work.number
        dice = Dice.derived(after.seed, turn, "world")
        plan = stakeholders.act(self.pack, after, dice)
        changes = list(plan.effects)
        for b in plan.breaks:
            near = social.neighbours(self.pack, after, b.npc) or [b.npc]
            changes.append(fx.AddGossip(social.broken(self.pack, b.npc, b.new, turn, near[0])))
        projected = reduce(self.pack, after, changes)
        projected, _ = push(
            self.pack, projected, plan.pushes, Dice.derived(after.seed, turn, "flow")
        )
        direction = director.direct(self.pack, before, projected, plan.breaks, dice)
        pushes = dict(plan.pushes)
        if direction.push is not None:
            cid, momentum = direction.push
            intensity, drive = pushes.get(cid, (0.0, 0.0))
            pushes[cid] = (intensity, drive + momentum)
        here = set(after.npcs_in(after.location))
        for move in [m for m in plan.moves if m.npc in here][:VISIBLE_MOVES]:
            line = role_line(self.pack, move.npc, move.role, move.conflict, dice)
            self._emit(NpcReaction(turn, index, move.npc, self.pack.npcs[move.npc].name, line))
        if direction.beat is not None:
            await self._beat(work, index, direction.beat, state=projected, dice=dice, record=record)
        if self.circuit is not None:
            changes += await self._assess(work, index, pushes, record)

        def commit(state: GameState) -> tuple[GameState, list[StoryEvent]]:
            new = reduce(self.pack, state, changes + direction.effects)
            new, moved = push(self.pack, new, pushes, Dice.derived(after.seed, turn, "flow"))
            new, told = tell(self.pack, new, turn, index)
            return new, [
                PhaseTransition(turn, index, cid, old, now, text, title)
                for cid, old, now, text, title in moved
            ] + told

        return commit

    async def _assess(
        self,
        work: TurnWork,
        index: int,
        pushes: dict[str, tuple[float, float]],
        record: JobRecord,
    ) -> list[fx.Effect]:
        """A model's reading of the turn, as clamped nudges: momentum into `pushes`, the
        reputation changes returned. Only real models are asked (offline, none)."""
        before, after = work.before, work.after
        moved = next(
            (c for c in after.conflicts if after.conflicts[c] != before.conflicts[c]), None
        )
        task = Assess(
            turn=work.number,
            command=work.command,
            text=work.shown,
            location=after.location,
            conflict=moved,
            phase=after.conflicts[moved].phase if moved else None,
            reputation=tuple((d, round(after.reputation[d], 2)) for d in DIMENSIONS),
        )
        answer = await self._answer(task, Assessment, record, index, None, note=False)
        if answer is None:
            return []
        momentum = _nudge(answer.momentum)
        if moved is not None and momentum:
            intensity, drive = pushes.get(moved, (0.0, 0.0))
            pushes[moved] = (intensity, drive + momentum)
        seen: set[str] = set()
        changes: list[fx.Effect] = []
        for nudge in answer.reputation:
            delta = _nudge(nudge.delta, REPUTATION_NUDGE)
            if nudge.dimension in DIMENSIONS and nudge.dimension not in seen and delta:
                seen.add(nudge.dimension)
                changes.append(fx.AdjustReputation(nudge.dimension, delta))
        return changes

    async def _beat(
        self,
        work: TurnWork,
        index: int,
        beat: director.BeatPlan,
        *,
        state: GameState,
        dice: Dice,
        record: JobRecord,
    ) -> None:
        npc, values = beat_cast(self.pack, beat, state)
        fallback = phrase(self.pack, f"beat.{beat.beat}", dice, **values)
        task = Beat(
            turn=work.number,
            beat=beat.beat,
            fallback=fallback,
            conflict=beat.conflict,
            npc=npc,
            phase=state.conflicts[beat.conflict].phase if beat.conflict else None,
        )
        answer = await self._answer(task, Line, record, index, fallback)
        text = clean(answer.text).strip() if answer else ""
        self._emit(DramaticBeat(work.number, index, beat.beat, text or fallback, beat.conflict))

    def _applying(self, changes: list[fx.Effect]) -> Proposal:
        def commit(state: GameState) -> tuple[GameState, list[StoryEvent]]:
            return reduce(self.pack, state, changes), []

        return commit

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
            self.state = new
            for event in events:
                self._emit(event)
            for entry in reached:
                self._emit(Progress(slot.turn, slot.job, entry))

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
        if not self._turns and not self._closed:
            self._start_prefetch()

    # Idle prefetch

    def _start_prefetch(self) -> None:
        """While the player reads, describe the rooms they can walk into next."""
        if not self.prefetching or self.state.ending is not None:
            return
        here = self.pack.locations[self.state.location]
        for exit_ in here.exits.values():
            if exit_.requires_flag is not None and exit_.requires_flag not in self.state.flags:
                continue
            entry = rules.room_entry(self.pack, self.state, exit_.to)
            task = plans.describe_task(self.pack, self.state, exit_.to, entry.text)
            key = task.key()
            if key in self._prefetch or key in self._prefetched:
                continue
            if len(self._prefetched) >= PREFETCH_MEMORY:
                self._prefetched.clear()
            self._prefetched.add(key)
            self.prefetch_started += 1
            running = self._spawn(self._prefetch_one(task))
            running.add_done_callback(functools.partial(self._prefetched_one, key))
            self._prefetch[key] = running

    async def _prefetch_one(self, task: Describe) -> None:
        started = time.perf_counter()
        async with contextlib.aclosing(self._pick(probe=False).stream(task)) as stream:
            async for _ in within(stream, self.budgets[task.kind], started):
                pass

    def _prefetched_one(self, key: str, done: asyncio.Task[None]) -> None:
        """A prefetch ended: one cancelled (even before it began) or failed is no head start."""
        if done.cancelled():
            self.prefetch_cancelled += 1
        if self._prefetch.get(key, done) is not done:
            return  # the room is being prefetched again: the newer task owns its key
        self._prefetch.pop(key, None)
        if done.cancelled() or done.exception() is not None:
            self._prefetched.discard(key)

    # Events

    def _emit(self, event: StoryEvent) -> None:
        self._stream.emit(event)
