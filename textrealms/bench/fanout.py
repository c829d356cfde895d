"""Scenario 2: a turn's background wall time over its slowest job, concurrent and sequential.

Each world is played from its most crowded room, making conflict choices in front of
its stakeholders (the turns that fan out the most), against the same model with the
turn's jobs run concurrently,
then one after another. With perfect concurrency a turn takes as long as its slowest job
(ratio 1); run in sequence it takes the sum of its jobs. A third pass, concurrent with
every turn's reactions asked in one call (`--llm-batch on`), weighs batching: fewer
calls against one longer answer.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable

from textrealms.bench.model import QUICK_SCALE, chats, client, game, scaled, server
from textrealms.bench.scenario import Options, Outcome, Row
from textrealms.bench.script import Crowd, crowded, play_through
from textrealms.engine.bookkeeping import TurnTiming
from textrealms.engine.gm import GameMaster, Strategy
from textrealms.engine.jobs.context import Batching
from textrealms.engine.metrics import percentiles
from textrealms.world.schema import WorldPack
from textrealms.world.state import new_game

TARGET = 1.05
PASSES: dict[str, tuple[Strategy, Batching]] = {
    "concurrent": ("concurrent", "off"),
    "sequential": ("sequential", "off"),
    "batched": ("concurrent", "on"),
}
MODEL_BOUND_MS = 10.0
"""A job this long made a model call: no job the rules answer alone comes near it."""


async def run(options: Options) -> Outcome:
    turns = options.size(4, 12)
    latency = scaled(options.latency, QUICK_SCALE) if options.quick else options.latency
    results: dict[str, dict[tuple[str, int], TurnTiming]] = {name: {} for name in PASSES}
    calls: dict[str, int] = dict.fromkeys(PASSES, 0)
    async with server(latency, options.seed) as served:
        for pack in options.packs:
            for name, (strategy, batching) in PASSES.items():
                options.progress(f"fanout: {pack.world.id}, {turns} turns, {name}")
                before = chats(served)
                start = new_game(pack, options.seed)
                start = start.model_copy(update={"location": crowded(pack, start)})
                gm = game(
                    client(served, pack, options.seed),
                    pack,
                    options.seed,
                    state=start,
                    strategy=strategy,
                    batching=batching,
                    prefetch=False,
                )
                for timing in await _play(gm, pack, turns):
                    results[name][pack.world.id, timing.turn] = timing
                calls[name] += chats(served) - before
    concurrent = _ratios(results["concurrent"].values())
    sequential = _ratios(results["sequential"].values())
    same = [k for k, t in results["concurrent"].items() if _model_bound(t)]
    walls = {s: sum(r[k].wall_ms for k in same if k in r) for s, r in results.items()}
    every = {s: sum(t.wall_ms for t in r.values()) for s, r in results.items()}
    cut = 1 - walls["concurrent"] / walls["sequential"] if walls["sequential"] else 0.0
    jobs = [results["concurrent"][k].jobs for k in same]
    mean_jobs = statistics.mean(jobs) if jobs else 0.0
    over = statistics.median(concurrent) if concurrent else 0.0
    over_p95 = percentiles(concurrent).p95
    seq = statistics.median(sequential) if sequential else 0.0
    seq_p95 = percentiles(sequential).p95
    data = {
        "fanout": {
            "concurrent_over_max": over,
            "sequential_over_max": seq,
            "concurrent_over_max_p95": over_p95,
            "sequential_over_max_p95": seq_p95,
            "wall_cut": cut,
            "turns": len(concurrent),
            "jobs_per_turn": mean_jobs,
            "concurrent_wall_ms": walls["concurrent"],
            "sequential_wall_ms": walls["sequential"],
            "model_scale": QUICK_SCALE if options.quick else 1.0,
            "batching": {
                name: {"http_calls": calls[name], "background_ms": every[name]}
                for name in ("concurrent", "batched")
            },
        }
    }
    rows = [
        Row("turns with 2+ model jobs", f"{len(concurrent)} (mean {mean_jobs:.1f} jobs)"),
        Row(
            "concurrent wall / slowest job",
            f"{over:.3f} (p95 {over_p95:.3f})",
            f"< {TARGET}",
            over < TARGET,
        ),
        Row("sequential wall / slowest job", f"{seq:.2f} (p95 {seq_p95:.2f})"),
        Row("background time cut", f"{cut:.0%}", "50–70 %", cut >= 0.5),
        Row(
            "batching off / on: calls",
            f"{calls['concurrent']} / {calls['batched']}",
        ),
        Row(
            "batching off / on: background time",
            f"{every['concurrent'] / 1000:.1f} s / {every['batched'] / 1000:.1f} s",
        ),
    ]
    return Outcome("2 fan-out", data, rows)


def _model_bound(timing: TurnTiming) -> bool:
    """Two or more jobs waited on the model: with one, wall over slowest says nothing,
    and a job the rules answer alone takes microseconds, not model time."""
    return sum(ms >= MODEL_BOUND_MS for ms in timing.durations_ms) >= 2


def _ratios(timings: Iterable[TurnTiming]) -> list[float]:
    return [t.wall_ms / t.slowest_ms for t in timings if _model_bound(t)]


async def _play(gm: GameMaster, pack: WorldPack, turns: int) -> list[TurnTiming]:
    """Each turn settles before the next command, so no turn waits on another's jobs."""
    try:
        await play_through(gm, Crowd(pack, gm.state), turns)
        return list(gm.timings)
    finally:
        await gm.aclose()
