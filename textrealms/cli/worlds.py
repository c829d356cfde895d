"""`textrealms worlds` and `validate`: the world packs found, and every problem in a pack."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from textrealms.cli.common import EXIT_BAD_INPUT, EXIT_OK
from textrealms.llm.clean import clean
from textrealms.world.catalog import discover, search_dirs
from textrealms.world.loader import load_pack
from textrealms.world.problems import PackError


def run_worlds(args: argparse.Namespace) -> int:
    packs = discover(search_dirs())
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": p.id,
                        "name": p.name,
                        "version": p.version,
                        "description": p.description,
                        "genre": p.genre,
                        "path": str(p.path),
                        "valid": p.valid,
                        "problems": [str(x) for x in p.problems],
                    }
                    for p in packs
                ],
                indent=2,
            )
        )
        return EXIT_OK
    console = Console(highlight=False)
    if not packs:
        console.print(
            "No world packs found in: " + ", ".join(str(d) for d in search_dirs()),
            markup=False,
            soft_wrap=True,
        )
        return EXIT_OK
    table = Table("id", "name", "version", "description", "path")
    for p in packs:
        if p.valid:
            cells = [p.id, p.name, p.version, p.description, str(p.path)]
            table.add_row(*(Text(clean(cell)) for cell in cells))
        else:
            table.add_row(
                Text(clean(p.id)),
                Text("invalid", style="red"),
                Text(""),
                Text(f"{len(p.problems)} problem(s): run textrealms validate"),
                Text(clean(str(p.path))),
            )
    _print(console, table)
    return EXIT_OK


UNBOUNDED = 1 << 20
"""Columns enough for any row of a table: to a file, a row is never wrapped."""


def _print(console: Console, table: Table) -> None:
    """In a terminal, the table boxed and wrapped to fit; to a pipe or a file, each row
    on one line of plain columns however long, and no spaces at the ends of lines."""
    if console.is_terminal:
        console.print(table)
        return
    table.box = None
    table.pad_edge = False
    width = Measurement.get(console, console.options.update_width(UNBOUNDED), table).maximum
    wide = Console(highlight=False, width=width)
    with wide.capture() as captured:
        wide.print(table)
    console.file.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def run_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for raw in args.paths:
        try:
            pack = load_pack(Path(raw))
        except PackError as exc:
            for problem in exc.problems:
                print(clean(str(problem)))
            status = EXIT_BAD_INPUT
            continue
        print(
            f"{raw}: ok ({pack.world.name} {pack.world.version}: {len(pack.locations)} "
            f"locations, {len(pack.npcs)} NPCs, {len(pack.quests)} quests, "
            f"{len(pack.endings)} endings)"
        )
    return status
