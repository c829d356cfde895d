"""The `bench` command: run the scenarios, print the table, write the JSON if asked.

Only the standard library and the scenario names load with the parser; the rest is
imported when the bench runs (see `textrealms.cli.main`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from textrealms.bench import runner

EXIT_OK = 0
EXIT_BAD_INPUT = 2
WIDTH = 110
"""The table's width when piped: wide enough for one line per measure."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bench = sub.add_parser(
        "bench", help="measure latency, concurrency, saves and start-up on this machine"
    )
    bench.add_argument(
        "--quick", action="store_true", help="every scenario, small: about two minutes in all"
    )
    bench.add_argument("--json", metavar="FILE", type=Path, help="also write the numbers as JSON")
    bench.add_argument(
        "--only",
        metavar="NAME",
        action="append",
        choices=runner.SCENARIOS,
        help=f"run only this scenario (repeatable): {', '.join(runner.SCENARIOS)}",
    )
    bench.add_argument("--seed", type=int, default=7, help="seed for games and latency jitter")


def run(args: argparse.Namespace, argv: list[str]) -> int:
    """A missed target is a finding shown in the table, not a failure: exit 0."""
    import asyncio
    import json
    import os

    from rich.console import Console

    from textrealms.bench import report
    from textrealms.bench.scenario import Options
    from textrealms.engine.checks import CHECKS
    from textrealms.world.catalog import discover, search_dirs
    from textrealms.world.loader import load_pack
    from textrealms.world.problems import PackError

    err = Console(stderr=True)
    try:
        packs = tuple(load_pack(info.path, CHECKS) for info in discover(search_dirs(), CHECKS))
    except PackError as exc:
        for problem in exc.problems:
            err.print(str(problem), markup=False, highlight=False)
        return EXIT_BAD_INPUT
    if not packs:
        err.print("no world packs found: run the bench from the folder that holds worlds/")
        return EXIT_BAD_INPUT
    options = Options(
        packs,
        quick=args.quick,
        seed=args.seed,
        progress=lambda name: err.print(f"running {name}...", style="dim", highlight=False),
    )
    load = os.getloadavg()[0]
    outcomes = asyncio.run(runner.run(options, args.only))
    Console(width=None if sys.stdout.isatty() else WIDTH).print(report.table(outcomes))
    if args.json is not None:
        doc = report.document(outcomes, options, argv, load_before=load)
        args.json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        err.print(f"wrote {args.json}", highlight=False)
    return EXIT_OK
