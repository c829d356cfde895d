"""Runs the chosen scenarios one after another, so none competes with another for the CPU."""

from __future__ import annotations

import dataclasses
import gc
import importlib
import time
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textrealms.bench.scenario import Options, Outcome, Scenario

SCENARIOS = (
    "hot_path",
    "fanout",
    "stream",
    "ui",
    "sessions",
    "cache",
    "saves",
    "startup",
    "cost",
    "serve",
    "understanding",
    "memory",
)
"""Every scenario, in the order a full run takes them: each is the module of this package
whose `run` it is. A module is imported only when its scenario runs, so that
`textrealms --help` and `--version` list the names without loading the engine."""


def scenario(name: str) -> Scenario:
    module = importlib.import_module(f"{__package__}.{name}")
    return cast("Scenario", module.run)


async def run(options: Options, only: list[str] | None = None) -> list[Outcome]:
    names = [name for name in SCENARIOS if not only or name in only]
    outcomes = []
    for name in names:
        play = scenario(name)
        options.progress(name)
        gc.collect()
        began = time.perf_counter()
        outcome = await play(options)
        outcomes.append(dataclasses.replace(outcome, seconds=time.perf_counter() - began))
    return outcomes
