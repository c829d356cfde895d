"""The `textrealms` command line: play, continue, saves, export, worlds, validate, bench."""

from __future__ import annotations

import argparse
import asyncio
import functools
import io
import json
import os
import secrets
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.table import Table
from rich.text import Text

from textrealms import __version__
from textrealms.cli import bench, llm_server, plain
from textrealms.cli.logs import logging_to
from textrealms.cli.storyteller import storyteller
from textrealms.engine.gm import GameMaster
from textrealms.engine.saved_games import Refused, SavedGames
from textrealms.engine.session import Session, describe
from textrealms.engine.text import clean
from textrealms.engine.transcript import render
from textrealms.llm import presets
from textrealms.store.database import FILENAME, SaveStore
from textrealms.store.schema import StoreError
from textrealms.world.catalog import discover, open_pack, search_dirs
from textrealms.world.loader import load_pack
from textrealms.world.problems import PackError
from textrealms.world.saved import SlotInfo
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

EXIT_OK = 0
EXIT_BAD_INPUT = 2
SAVES_ENV = "TEXTREALMS_SAVES_DIR"
T = TypeVar("T")


def _saves_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--saves-dir",
        metavar="DIR",
        type=Path,
        help=f"where saved games are kept (default: ${SAVES_ENV}, else ./saves)",
    )


def _game_options(parser: argparse.ArgumentParser) -> None:
    """The options of every command that plays: `play` and `continue` share one path."""
    parser.add_argument(
        "--plain",
        action="store_true",
        help="plain line mode: read commands from stdin, print the story to stdout",
    )
    parser.add_argument(
        "--wait",
        action="store_true",
        help="let each turn's background story finish before reading the next command",
    )
    parser.add_argument(
        "--pace",
        type=float,
        default=0.0,
        metavar="MS",
        help="milliseconds between the offline narrator's words (default 0: at once)",
    )
    parser.add_argument(
        "--llm",
        choices=presets.NAMES,
        metavar="PRESET",
        help=f"who tells the story: {', '.join(presets.NAMES)} (default: $TEXTREALMS_LLM, offline)",
    )
    parser.add_argument(
        "--llm-base-url",
        metavar="URL",
        help="the model server's /v1 address (overrides the preset)",
    )
    parser.add_argument(
        "--llm-model", metavar="NAME", help="the model to ask (overrides the preset)"
    )
    parser.add_argument(
        "--llm-cooldown",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="after a failing model is bypassed, wait this long before trying it again (30)",
    )
    parser.add_argument(
        "--llm-batch",
        choices=("off", "on", "auto"),
        default="auto",
        help="ask for several NPCs' reactions in one call: off, on, or auto (3 or more)",
    )
    _saves_option(parser)


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
    play.add_argument("--load", metavar="NAME", help="play on from the saved game NAME")
    play.set_defaults(title=False)
    _game_options(play)

    resume = sub.add_parser("continue", help="play on from the most recently played game")
    resume.add_argument(
        "--world", metavar="ID_OR_PATH", help="where its world pack is, if not found by id"
    )
    resume.set_defaults(seed=None, load=None, title=False)  # its game has its own seed
    _game_options(resume)

    saves = sub.add_parser("saves", help="list saved games, or delete one")
    saves.add_argument("--json", action="store_true", help="print JSON instead of a table")
    saves.add_argument("--delete", metavar="NAME", help="delete the saved game NAME for good")
    _saves_option(saves)

    export = sub.add_parser("export", help="write a saved game's whole story")
    export.add_argument("name", metavar="NAME", help="the saved game (see 'textrealms saves')")
    export.add_argument("--format", choices=("md", "txt"), default="txt", help="default: txt")
    export.add_argument("--output", metavar="FILE", type=Path, help="default: standard output")
    _saves_option(export)

    worlds = sub.add_parser("worlds", help="list the world packs found")
    worlds.add_argument("--json", action="store_true", help="print JSON instead of a table")

    validate = sub.add_parser("validate", help="check world packs and report every problem")
    validate.add_argument("paths", nargs="+", metavar="PATH", help="pack folders")
    llm_server.add_parser(sub)
    bench.add_parser(sub)
    return parser


def _problems(exc: PackError) -> int:
    for problem in exc.problems:
        print(clean(str(problem)), file=sys.stderr)
    return EXIT_BAD_INPUT


def _saves_dir(args: argparse.Namespace) -> Path:
    folder: Path | None = args.saves_dir
    return folder or Path(os.environ.get(SAVES_ENV) or "saves")


def _fail(message: str) -> int:
    print(clean(message), file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_play(args: argparse.Namespace) -> int:
    """`play` and `continue`: one path, whether the game is new or resumed."""
    resuming = args.command == "continue" or args.load is not None
    pack: WorldPack | None = None
    if not resuming and not args.title:
        try:
            pack = open_pack(args.world, search_dirs())
        except PackError as exc:
            return _problems(exc)
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    with logging_to(_saves_dir(args)):
        return asyncio.run(_play(pack, args, interactive=interactive))


async def _play(pack: WorldPack | None, args: argparse.Namespace, *, interactive: bool) -> int:
    try:
        store = await SaveStore.open(_saves_dir(args))
    except StoreError as exc:
        return _fail(str(exc))
    games = SavedGames(
        store,
        lambda world: open_pack(world, search_dirs()),
        lambda pack, seed, state: _game_master(pack, seed, args, store, state),
    )
    try:
        session: Session | None = None
        if pack is not None:
            seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
            session = await games.new(pack, seed)
        elif not args.title:
            session = await games.open(args.load, copy=args.load is not None, world=args.world)
        if session is None or (interactive and not args.plain):
            return await _tui(session, args, games)
        return await plain.run(
            session, sys.stdin, sys.stdout, interactive=interactive, wait=args.wait
        )
    except Refused as exc:
        for problem in exc.problems:
            print(clean(str(problem)), file=sys.stderr)
        return _fail(str(exc))
    finally:
        await store.aclose()


async def _tui(session: Session | None, args: argparse.Namespace, games: SavedGames) -> int:
    """The full-screen game on this loop: `session`, or the title screen without one.
    New games begun from the title screen are saved as they go, like this one, and the
    saved games can be continued, loaded and deleted from there."""
    # Imported here so that plain mode and the other commands start without Textual.
    from textrealms.tui.app import TextRealmsApp  # noqa: PLC0415

    app = TextRealmsApp(
        discover(search_dirs()), game=session, factory=games.new, saves=games, seed=args.seed
    )
    await app.run_async()
    return EXIT_OK


def _game_master(
    pack: WorldPack,
    seed: int,
    args: argparse.Namespace,
    store: SaveStore,
    state: GameState | None = None,
) -> GameMaster:
    """A game told by the storyteller the flags and environment ask for, whose model
    answers are cached in the saves database."""
    teller = storyteller(pack, seed, args, sys.stderr)
    return GameMaster(
        pack,
        seed=seed,
        state=state,
        provider=teller.provider,
        circuit=teller.circuit,
        store=store,
        batching=args.llm_batch if teller.circuit else "off",
        price=teller.price,
    )


def cmd_saves(args: argparse.Namespace) -> int:
    if args.delete is not None:
        return _delete(args, args.delete)
    found: list[SlotInfo] | int = []
    if (_saves_dir(args) / FILENAME).exists():  # listing never creates the database
        found = asyncio.run(_read(args, lambda store: store.slots()))
    if isinstance(found, int):
        return found
    if args.json:
        rows = [
            {
                "name": s.name,
                "world": s.world_id,
                "world_version": s.world_version,
                "turn": s.turn,
                "location": s.location,
                "last_played": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(s.played)),
            }
            for s in found
        ]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    if not found:
        print(f"No saved games in {_saves_dir(args)}.")
        return EXIT_OK
    for slot in found:
        print(clean(describe(slot)))
    return EXIT_OK


def _delete(args: argparse.Namespace, name: str) -> int:
    if not (_saves_dir(args) / FILENAME).exists():
        return _fail(f"There are no saved games in {_saves_dir(args)}.")
    failed = asyncio.run(_read(args, lambda store: store.delete(name)))
    if failed is not None:
        return failed
    print(clean(f"Deleted '{name}'."))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if not (_saves_dir(args) / FILENAME).exists():
        return _fail(f"There are no saved games in {_saves_dir(args)}.")
    story = asyncio.run(_read(args, lambda store: store.story(args.name)))
    if isinstance(story, int):
        return story
    text = render(f"TextRealms: {args.name}", story, args.format)
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        return _fail(f"{args.output}: cannot be written ({exc.strerror or exc}).")
    return EXIT_OK


async def _read(args: argparse.Namespace, read: Callable[[SaveStore], Awaitable[T]]) -> T | int:
    """What `read` finds in the saves; the exit status after a message if it cannot."""
    try:
        store = await SaveStore.open(_saves_dir(args))
    except StoreError as exc:
        return _fail(str(exc))
    try:
        return await read(store)
    except StoreError as exc:
        return _fail(str(exc))
    finally:
        await store.aclose()


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
    words = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(words)
    if args.command is None:
        args = _parser().parse_args(["play"])
        args.title = sys.stdin.isatty() and sys.stdout.isatty()
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "play": cmd_play,
        "continue": cmd_play,
        "saves": cmd_saves,
        "export": cmd_export,
        "worlds": cmd_worlds,
        "validate": cmd_validate,
        "llm-server": llm_server.run,
        "bench": functools.partial(bench.run, argv=words[1:]),
    }
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
