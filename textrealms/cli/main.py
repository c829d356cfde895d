"""The `textrealms` command line: play, worlds, validate."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from textrealms import __version__
from textrealms.cli import plain
from textrealms.engine.gm import GameMaster
from textrealms.engine.text import clean
from textrealms.llm.offline import OfflineNarrator
from textrealms.tui.app import TextRealmsApp
from textrealms.tui.game import offline
from textrealms.world.catalog import discover, open_pack, search_dirs
from textrealms.world.loader import load_pack
from textrealms.world.problems import PackError
from textrealms.world.schema import WorldPack

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="textrealms", description="A terminal text-adventure game run by an AI game master."
    )
    parser.add_argument("--version", action="version", version=f"textrealms {__version__}")
    sub = parser.add_subparsers(dest="command")

    play = sub.add_parser("play", help="start a new game")
    play.add_argument(
        "--world",
        metavar="ID_OR_PATH",
        help="a world id from 'textrealms worlds', or a pack folder",
    )
    play.add_argument("--seed", type=int, help="fix the game's randomness (same seed, same story)")
    play.add_argument(
        "--plain",
        action="store_true",
        help="plain line mode: read commands from stdin, print the story to stdout",
    )
    play.add_argument(
        "--wait",
        action="store_true",
        help="let each turn's background story finish before reading the next command",
    )
    play.add_argument(
        "--pace",
        type=float,
        default=0.0,
        metavar="MS",
        help="milliseconds between the offline narrator's words (default 0: at once)",
    )

    worlds = sub.add_parser("worlds", help="list the world packs found")
    worlds.add_argument("--json", action="store_true", help="print JSON instead of a table")

    validate = sub.add_parser("validate", help="check world packs and report every problem")
    validate.add_argument("paths", nargs="+", metavar="PATH", help="pack folders")
    return parser


def _problems(exc: PackError) -> int:
    for problem in exc.problems:
        print(clean(str(problem)), file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_play(args: argparse.Namespace) -> int:
    try:
        pack = open_pack(args.world, search_dirs())
    except PackError as exc:
        return _problems(exc)
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if interactive and not args.plain:
        return _tui(start=pack, seed=seed, pace=args.pace)
    return asyncio.run(_play_plain(pack, seed, args, interactive=interactive))


def _tui(*, start: WorldPack | None = None, seed: int | None = None, pace: float = 0.0) -> int:
    """The full-screen game: straight into `start`, or the title screen without it."""
    factory = offline(pace=max(pace, 0.0) / 1000)
    TextRealmsApp(discover(search_dirs()), start=start, seed=seed, factory=factory).run()
    return EXIT_OK


async def _play_plain(
    pack: WorldPack, seed: int, args: argparse.Namespace, *, interactive: bool
) -> int:
    narrator = OfflineNarrator(pack, seed, pace=max(args.pace, 0.0) / 1000)
    gm = GameMaster(pack, seed=seed, provider=narrator)
    return await plain.run(gm, sys.stdin, sys.stdout, interactive=interactive, wait=args.wait)


def cmd_worlds(args: argparse.Namespace) -> int:
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
            "No world packs found in: " + ", ".join(str(d) for d in search_dirs()), markup=False
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
    console.print(table)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None and sys.stdin.isatty() and sys.stdout.isatty():
        return _tui()
    if args.command is None:
        args = _parser().parse_args(["play", *(argv or [])])
    handlers = {"play": cmd_play, "worlds": cmd_worlds, "validate": cmd_validate}
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
