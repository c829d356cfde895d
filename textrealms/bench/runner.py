"""Runs the chosen scenarios one after another, so none competes with another for the CPU."""

from __future__ import annotations

import gc
import time

from textrealms.bench import cache, fanout, hot_path, saves, sessions, stream
from textrealms.bench.scenario import Options, Outcome, Scenario

SCENARIOS: dict[str, Scenario] = {
    "hot_path": hot_path.run,
    "fanout": fanout.run,
    "stream": stream.run,
    "sessions": sessions.run,
    "cache": cache.run,
    "saves": saves.run,
}
"""Every scenario by name, in the order a full run takes them."""


async def run(options: Options, only: list[str] | None = None) -> list[Outcome]:
    names = [name for name in SCENARIOS if not only or name in only]
    outcomes = []
    for name in names:
        options.progress(name)
        gc.collect()
        began = time.perf_counter()
        outcome = await SCENARIOS[name](options)
        outcomes.append(
            Outcome(outcome.scenario, outcome.data, outcome.rows, time.perf_counter() - began)
        )
    return outcomes
