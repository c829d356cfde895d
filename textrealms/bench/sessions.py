"""Scenario 5: many players' games in one process, as a server hosting them would run.

Each game is a real `GameMaster` on the real HTTP client, talking to loopback model
servers in child processes (so this process holds only the games, and its CPU time is
theirs alone; see `players`). Every player types a command every 1–3 s while a monitor
measures how late the event loop wakes, and the process runs its garbage collector as a
host of games must (`textrealms.engine.collector`). What a player feels is counted: jobs
that ran out of time (the player read template text), the time from a command to its
first narration word beyond the model's own, and the collector's longest pause. At the
end the games settle, and every job they started must have ended in one of the
outcomes: a job that did not is lost. Last, the rate of commands is raised step by step
until jobs begin to time out: where one process tops out.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from textrealms.bench.model import loopback_model
from textrealms.bench.players import Player, Tally, players
from textrealms.bench.scenario import Options, Outcome, Row, ms
from textrealms.engine.collector import hosting
from textrealms.engine.gm import GameMaster
from textrealms.engine.metrics import percentiles, rank
from textrealms.llm.testing import Latency

TARGET_P99_MS = 50.0
TARGET_LAG_MS = 50.0
TARGET_OVERHEAD_MS = 100.0
TARGET_GC_MS = 100.0
SIZES = {"quick": (20, 100), "full": (100, 1000)}
"""Games played at once, one run after another: a quick run's and a full run's."""
PAUSE = (1.0, 3.0)
"""Seconds a player takes between two commands, uniformly."""
QUICK_PLAY = 3
"""Seconds of play in a quick run: the longest pause, so that every player plays."""
TICK = 0.01
"""The loop-lag monitor's sleep: how late it wakes is the lag."""
SERVERS = 1
"""Loopback model servers (child processes); the games are dealt among them in turn."""
SETTLE = 60.0
"""The most the games get to finish their background work after the players stop."""
CEILING_START = 5.0
"""The ceiling's first rate: each game a command every this many seconds."""
CEILING_STEP = 1.5
"""Each step of the ceiling plays this many times as many commands a second."""
CEILING_STEPS = 6
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
            entries.append(await _measure(options, urls, n, ramp * n / sizes[-1], play))
        options.progress(f"sessions: {sizes[-1]} games, faster and faster")
        ceiling, found = await _ceiling(options, urls, sizes[-1], options.size(1, 20))
    rows = [row for entry in entries for row in _rows(entry)]
    rows.append(
        Row(
            f"{sizes[-1]} games: commands/s before jobs time out",
            f"{ceiling:.0f}" if found else f"over {ceiling:.0f}",
        )
    )
    data = {
        "sessions": entries,
        "sessions_ceiling_cmd_per_s": ceiling,
        "sessions_ceiling_found": found,
    }
    return Outcome("5 sessions", data, rows)


def _rows(e: dict[str, Any]) -> list[Row]:
    n, lost, p99 = e["n"], e["lost_jobs"], e["hot_path_p99_ms"]
    lag, text, overhead = e["loop_lag_ms"], e["first_text_ms"], e["first_text_overhead_ms"]
    timeouts, pause = e["job_timeouts"], e["gc_pause_max_ms"]
    return [
        Row(f"{n} games: commands", f"{e['commands']} in {e['seconds']:.0f} s"),
        Row(f"{n} games: submit p50", ms(e["hot_path_p50_ms"])),
        Row(f"{n} games: submit p99", ms(p99), f"< {TARGET_P99_MS:g} ms", p99 < TARGET_P99_MS),
        Row(f"{n} games: submit p99.9", ms(e["hot_path_p999_ms"])),
        Row(
            f"{n} games: loop lag p99 / max",
            f"{ms(lag['p99'])} / {ms(lag['max'])}",
            f"p99 < {TARGET_LAG_MS:g} ms",
            lag["p99"] < TARGET_LAG_MS,
        ),
        Row(f"{n} games: first text p50 / p99", f"{ms(text['p50'])} / {ms(text['p99'])}"),
        Row(
            f"{n} games: first text beyond the model's p50 / p99",
            f"{ms(overhead['p50'])} / {ms(overhead['p99'])} ({overhead['turns']} turns)",
            f"p99 < {TARGET_OVERHEAD_MS:g} ms",
            overhead["p99"] < TARGET_OVERHEAD_MS,
        ),
        Row(
            f"{n} games: jobs timed out (template text shown)",
            f"{timeouts} of {e['jobs_started']}",
            "0",
            timeouts == 0,
        ),
        Row(
            f"{n} games: jobs lost",
            f"{lost} of {e['jobs_started']} ({e['failed']} failed)",
            "0",
            lost == 0,
        ),
        Row(f"{n} games: memory per game", f"{e['rss_mb_per_session']:.2f} MB"),
        Row(f"{n} games: loop CPU per command", ms(e["loop_cpu_ms_per_command"])),
        Row(
            f"{n} games: garbage collection, longest pause",
            f"{e['gc_seconds']:.1f} s, longest {ms(pause)} ({ms(e['gc_pause_max_cpu_ms'])} CPU)",
            f"< {TARGET_GC_MS:g} ms",
            pause < TARGET_GC_MS,
        ),
    ]


class _Collections:
    """How long the garbage collector held the loop, from `gc.callbacks`: by the clock,
    and in CPU time, which other work on a busy machine does not stretch."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.longest = 0.0
        self.longest_cpu = 0.0
        self._began = (0.0, 0.0)

    def __call__(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._began = (time.perf_counter(), time.thread_time())
            return
        pause = time.perf_counter() - self._began[0]
        self.seconds += pause
        self.longest = max(self.longest, pause)
        self.longest_cpu = max(self.longest_cpu, time.thread_time() - self._began[1])


@contextlib.contextmanager
def _collections() -> Iterator[_Collections]:
    """A clock on every collection, taken off after."""
    clock = _Collections()
    gc.callbacks.append(clock)
    try:
        yield clock
    finally:
        gc.callbacks.remove(clock)


async def _measure(
    options: Options, urls: list[str], n: int, ramp: float, play: float
) -> dict[str, Any]:
    tally = Tally()
    lags: list[float] = []
    gc.collect()
    before = _rss()
    async with players(options, urls, n, tally) as games:
        stop = asyncio.Event()
        with hosting(), _collections() as collections:
            monitor = asyncio.create_task(_monitor(lags, stop))
            began = time.perf_counter()
            cpu = time.process_time()
            until = began + ramp + play
            try:
                await asyncio.gather(
                    *(_play(p, delay=i * ramp / n, until=until) for i, p in enumerate(games))
                )
                played = time.perf_counter() - began
                rss = (_rss() - before) / n
                files = len(os.listdir("/proc/self/fd"))
            finally:
                stop.set()
                await monitor
            settled = await _settle([p.gm for p in games])
            # Through the settling: a loop that fell behind does the rest of the
            # commands' work after the players stop.
            cpu = time.process_time() - cpu
        snapshots = [p.gm.snapshot() for p in games]
    started = sum(s.jobs_started for s in snapshots)
    outcomes = {k: sum(s.outcomes[k] for s in snapshots) for k in snapshots[0].outcomes}
    done = sum(outcomes.values())
    hot, lag, text, overhead = (
        percentiles(x) for x in (tally.hot, lags, tally.first_text, tally.overhead)
    )
    return {
        "n": n,
        "seconds": round(played, 1),
        "commands": hot.count,
        "hot_path_p50_ms": hot.p50,
        "hot_path_p99_ms": hot.p99,
        "hot_path_p999_ms": rank(sorted(tally.hot), 99.9),
        "hot_path_max_ms": hot.max,
        "loop_cpu_ms_per_command": cpu * 1000 / max(hot.count, 1),
        "loop_lag_ms": {"p50": lag.p50, "p99": lag.p99, "max": lag.max},
        "first_text_ms": {"p50": text.p50, "p99": text.p99},
        "first_text_overhead_ms": {
            "p50": overhead.p50,
            "p99": overhead.p99,
            "turns": overhead.count,
        },
        "job_timeouts": outcomes["timeout"],
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
        "gc_seconds": collections.seconds,
        "gc_pause_max_ms": collections.longest * 1000,
        "gc_pause_max_cpu_ms": collections.longest_cpu * 1000,
    }


async def _play(player: Player, *, delay: float, until: float) -> None:
    """One player: the opening, then a command every 1–3 s until `until`."""
    await asyncio.sleep(delay)
    player.gm.opening()
    while True:
        pause = player.rng.uniform(*PAUSE)
        if time.perf_counter() + pause > until:
            return
        await asyncio.sleep(pause)
        player.type()


async def _ceiling(options: Options, urls: list[str], n: int, seconds: float) -> tuple[float, bool]:
    """The most commands a second that `n` games took, step by step, before one of their
    jobs timed out; and whether one did (if not, the last rate is only a floor)."""
    rate, reached = n / CEILING_START, 0.0
    async with players(options, urls, n, Tally()) as games:
        for player in games:
            player.gm.opening()
        with hosting():
            for _ in range(CEILING_STEPS):
                timeouts = _timeouts(games)
                played = await _drive(games, rate, seconds)
                await _settle([p.gm for p in games])
                if _timeouts(games) > timeouts:
                    return reached, True
                reached, rate = played, rate * CEILING_STEP
    return reached, False


async def _drive(games: list[Player], rate: float, seconds: float) -> float:
    """Commands to the games in turn at `rate` a second for `seconds`, as many at once as
    are due when the loop comes round; the rate they were taken at."""
    began = time.perf_counter()
    sent = 0
    while (now := time.perf_counter()) < began + seconds:
        for _ in range(int((now - began) * rate) - sent):
            games[sent % len(games)].type()
            sent += 1
        await asyncio.sleep(TICK)
    return sent / (time.perf_counter() - began)


def _timeouts(games: list[Player]) -> int:
    """Jobs of these games that have timed out so far, from the engine's own counters."""
    return sum(p.gm.metrics.outcomes[kind, "timeout"] for p in games for kind in p.gm.metrics.jobs)


async def _monitor(lags: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        began = time.perf_counter()
        await asyncio.sleep(TICK)
        lags.append(max(0.0, time.perf_counter() - began - TICK) * 1000)


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
