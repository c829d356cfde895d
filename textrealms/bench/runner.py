"""Runs the chosen scenarios one after another, so none competes with another for the CPU."""

from __future__ import annotations

import gc
import time

from textrealms.bench import hot_path, sessions
from textrealms.bench.scenario import Options, Outcome, Scenario

SCENARIOS: dict[str, Scenario] = {
    "hot_path": hot_path.run,
    "sessions": sessions.run,
}
"""Every scenario by name, in the order a full run takes them."""


async def run(options: Options, only: list[str] | None = None) -> list[Outcome]:
    names = only or list(SCENARIOS)
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
