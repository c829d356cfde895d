"""Scenario 5: many players' games in one process, as a server hosting them would run.

Each game is a real `GameMaster` on the real HTTP client, talking to loopback model
servers in child processes (so this process holds only the games and its numbers are
theirs alone). Every player types a command every 1–3 s, from the scripted tour with a
few random commands mixed in, while a monitor measures how late the event loop wakes.
At the end the games settle, and every job they started must have ended in one of the
outcomes: a job that did not is lost. The games share one HTTP session (one connection
pool), as a server hosting many players should, and the process tunes its garbage
collector as such a server must (see `COLLECTOR`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import random
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

from textrealms.bench.model import MODEL, game, loopback_model
from textrealms.bench.scenario import Options, Outcome, Row, ms
from textrealms.bench.script import Tour, random_command
from textrealms.engine.events import NarrationDelta
from textrealms.engine.gm import GameMaster
from textrealms.engine.metrics import percentiles
from textrealms.llm.openai import OpenAICompatible, shared_session
from textrealms.llm.presets import PRESETS, LlmConfig
from textrealms.llm.testing import Latency

TARGET_P99_MS = 50.0
SIZES = {"quick": (20, 100), "full": (100, 1000)}
"""Games played at once, one run after another: a quick run's and a full run's."""
PAUSE = (1.0, 3.0)
"""Seconds a player takes between two commands, uniformly."""
QUICK_PLAY = 3
"""Seconds of play in a quick run: the longest pause, so that every player plays."""
RANDOM_SHARE = 0.2
"""Commands typed at random rather than taken from the tour."""
TICK = 0.01
"""The loop-lag monitor's sleep: how late it wakes is the lag."""
SERVERS = 1
"""Loopback model servers (child processes); the games are dealt among them in turn."""
SETTLE = 60.0
"""The most the games get to finish their background work after the players stop."""
COLLECTOR = (20_000, 50, 100)
"""The collector's thresholds while the games play. With Python's defaults (700, 10, 10)
the objects of calls in flight (a streamed answer lives a second or two) survive into
the oldest generation, whose full scans of every game's objects then took up to 1.5 s
each and about 30% of the CPU at 1,000 games; collected less often, they die first."""
PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


async def run(options: Options) -> Outcome:
    sizes = SIZES["quick" if options.quick else "full"]
    ramp = options.size(1, 10)
    play = options.size(QUICK_PLAY, 30)
    entries = []
    async with _servers(options.latency, options.seed) as urls:
        for n in sizes:
            options.progress(f"sessions: {n} games")
            gc.collect()
            with _collector() as collections:
                entry = await _measure(options, urls, n, ramp * n / sizes[-1], play)
            entries.append(
                entry | {"gc_seconds": collections.seconds, "gc_max_ms": collections.longest * 1000}
            )
    rows = [row for entry in entries for row in _rows(entry)]
    return Outcome("5 sessions", {"sessions": entries}, rows)


def _rows(e: dict[str, Any]) -> list[Row]:
    n, lost, p99 = e["n"], e["lost_jobs"], e["hot_path_p99_ms"]
    return [
        Row(f"{n} games: commands", f"{e['commands']} in {e['seconds']:.0f} s"),
        Row(f"{n} games: submit p50", ms(e["hot_path_p50_ms"])),
        Row(f"{n} games: submit p99", ms(p99), f"< {TARGET_P99_MS:g} ms", p99 < TARGET_P99_MS),
        Row(
            f"{n} games: loop lag p99 / max",
            f"{ms(e['loop_lag_p99_ms'])} / {ms(e['loop_lag_max_ms'])}",
        ),
        Row(
            f"{n} games: first text p50 / p99",
            f"{ms(e['first_text_p50_ms'])} / {ms(e['first_text_p99_ms'])}",
        ),
        Row(
            f"{n} games: jobs lost",
            f"{lost} of {e['jobs_started']} ({e['failed']} failed, {e['timeout']} timed out)",
            "0",
            lost == 0,
        ),
        Row(f"{n} games: memory per game", f"{e['rss_mb_per_session']:.2f} MB"),
        Row(f"{n} games: CPU per command", ms(e["cpu_ms_per_command"])),
        Row(
            f"{n} games: garbage collection",
            f"{e['gc_seconds']:.1f} s, longest {ms(e['gc_max_ms'])}",
        ),
    ]


class _Collections:
    """How long the garbage collector held the loop, from `gc.callbacks`."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.longest = 0.0
        self._began = 0.0

    def __call__(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
            return
        pause = time.perf_counter() - self._began
        self.seconds += pause
        self.longest = max(self.longest, pause)


@contextlib.contextmanager
def _collector() -> Iterator[_Collections]:
    """`COLLECTOR`'s thresholds and a clock on every collection, both undone after."""
    clock = _Collections()
    thresholds = gc.get_threshold()
    gc.set_threshold(*COLLECTOR)
    gc.callbacks.append(clock)
    try:
        yield clock
    finally:
        gc.callbacks.remove(clock)
        gc.set_threshold(*thresholds)


@dataclass
class _Tally:
    """What the players and the monitor measured, shared by them all."""

    hot: list[float] = field(default_factory=list)
    lag: list[float] = field(default_factory=list)
    first_text: list[float] = field(default_factory=list)
    events: int = 0


async def _measure(
    options: Options, urls: list[str], n: int, ramp: float, play: float
) -> dict[str, Any]:
    tally = _Tally()
    before = _rss()
    session = shared_session()
    gms: list[GameMaster] = []
    followers: list[asyncio.Task[None]] = []
    stop = asyncio.Event()
    monitor = asyncio.create_task(_monitor(tally, stop))
    began = time.perf_counter()
    cpu = time.process_time()
    until = began + ramp + play
    try:
        players = []
        for i in range(n):
            pack = options.packs[i % len(options.packs)]
            config = LlmConfig(PRESETS["vllm"], urls[i % len(urls)], MODEL)
            client = OpenAICompatible(config, pack, seed=options.seed + i, session=session)
            gm = game(client, pack, options.seed + i)
            gms.append(gm)
            submitted: dict[int, float] = {}
            followers.append(asyncio.create_task(_follow(gm, submitted, tally)))
            rng = random.Random(f"{options.seed}:{n}:{i}")
            players.append(
                _play(gm, rng, delay=i * ramp / n, until=until, submitted=submitted, tally=tally)
            )
        await asyncio.gather(*players)
        played = time.perf_counter() - began
        cpu = time.process_time() - cpu
        rss = (_rss() - before) / n
        files = len(os.listdir("/proc/self/fd"))
        stop.set()
        await monitor
        settled = await _settle(gms)
        snapshots = [gm.snapshot() for gm in gms]
    finally:
        stop.set()
        await monitor
        await asyncio.gather(*(gm.aclose() for gm in gms))
        await asyncio.gather(*followers)
        await session.close()
    started = sum(s.jobs_started for s in snapshots)
    outcomes = {k: sum(s.outcomes[k] for s in snapshots) for k in snapshots[0].outcomes}
    done = sum(outcomes.values())
    hot, lag, text = (percentiles(x) for x in (tally.hot, tally.lag, tally.first_text))
    return {
        "n": n,
        "seconds": round(played, 1),
        "commands": hot.count,
        "hot_path_p50_ms": hot.p50,
        "hot_path_p99_ms": hot.p99,
        "hot_path_max_ms": hot.max,
        "cpu_ms_per_command": cpu * 1000 / max(hot.count, 1),
        "loop_lag_p99_ms": lag.p99,
        "loop_lag_max_ms": lag.max,
        "first_text_p50_ms": text.p50,
        "first_text_p99_ms": text.p99,
        "jobs_started": started,
        "jobs_done": done,
        "lost_jobs": started - done,
        **outcomes,
        "fallback_calls": sum(s.fallback_calls for s in snapshots),
        "model_calls": sum(s.model_calls for s in snapshots),
        "events": tally.events,
        "settled": settled,
        "rss_mb_per_session": rss / MB,
        "open_files": files,
        "servers": len(urls),
    }


async def _play(
    gm: GameMaster,
    rng: random.Random,
    *,
    delay: float,
    until: float,
    submitted: dict[int, float],
    tally: _Tally,
) -> None:
    """One player: the opening, then a command every 1–3 s until `until`."""
    await asyncio.sleep(delay)
    gm.opening()
    tour = Tour(gm.pack)
    while True:
        pause = rng.uniform(*PAUSE)
        if time.perf_counter() + pause > until:
            return
        await asyncio.sleep(pause)
        if rng.random() < RANDOM_SHARE:
            command = random_command(gm.pack, gm.state, rng)
        else:
            command = tour.next(gm.state)
        began = time.perf_counter()
        result = gm.submit(command)
        tally.hot.append((time.perf_counter() - began) * 1000)
        submitted[result.state.turn] = began


async def _follow(gm: GameMaster, submitted: dict[int, float], tally: _Tally) -> None:
    """A front end's share of the work: every event read, and how long after its command
    the first refined text of a turn arrived."""
    async for event in gm.events():
        tally.events += 1
        if isinstance(event, NarrationDelta):
            began = submitted.pop(event.turn, None)
            if began is not None:
                tally.first_text.append((time.perf_counter() - began) * 1000)


async def _monitor(tally: _Tally, stop: asyncio.Event) -> None:
    while not stop.is_set():
        began = time.perf_counter()
        await asyncio.sleep(TICK)
        tally.lag.append(max(0.0, time.perf_counter() - began - TICK) * 1000)


async def _settle(gms: list[GameMaster]) -> bool:
    """Let every game finish its background work; False if some did not in time."""
    try:
        async with asyncio.timeout(SETTLE):
            await asyncio.gather(*(gm.quiet() for gm in gms))
    except TimeoutError:
        return False
    return True


def _rss() -> int:
    """This process's resident memory in bytes, from /proc/self/statm."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * PAGE


@contextlib.asynccontextmanager
async def _servers(latency: Latency, seed: int) -> AsyncIterator[list[str]]:
    """`SERVERS` loopback model servers in child processes; their base URLs."""
    async with contextlib.AsyncExitStack() as stack:
        urls = []
        for i in range(SERVERS):
            served = await stack.enter_async_context(loopback_model(latency, seed + i))
            urls.append(served.address)
        yield urls
