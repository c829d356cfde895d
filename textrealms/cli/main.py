"""The `textrealms` command line: play, continue, saves, export, worlds, validate, bench.

Building the parser loads only the standard library and a few small modules; each
command's code (and with it aiohttp, aiosqlite, pydantic or Textual) is imported when
that command runs, so `--version` and `--help` answer at once.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from textrealms import __version__
from textrealms.cli import bench, llm_server
from textrealms.cli.common import EXIT_OK, SAVES_ENV, full_screen
from textrealms.llm import presets

Handler = Callable[[argparse.Namespace], int]


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
    _story_options(parser)


def _story_options(parser: argparse.ArgumentParser) -> None:
    """Who tells the story and where it is saved: `serve` hands these on to each tab's game."""
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
        "--llm-concurrency",
        type=int,
        metavar="N",
        help="send the model server at most N requests at once (default: 8 for a hosted "
        "model; for a local server, as many as it says it serves, else 1)",
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
    # `serve` opens each tab's game on the title screen, with the other options given.
    play.add_argument("--title", action="store_true", help=argparse.SUPPRESS)
    _game_options(play)

    resume = sub.add_parser("continue", help="play on from the most recently played game")
    resume.add_argument(
        "--world",
        metavar="ID_OR_PATH",
        help="where its world pack is now, if not where it was last played from",
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
    serve = sub.add_parser("serve", help="serve the game to web browsers, a game per tab")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (8000; 0 = a free one)")
    serve.add_argument(
        "--world",
        metavar="ID_OR_PATH",
        help="each tab goes straight into a new game of this world (default: the title screen)",
    )
    _story_options(serve)

    llm_server.add_parser(sub)
    bench.add_parser(sub)
    return parser


def _handler(command: str, words: list[str]) -> Handler:
    """The code that runs `command`, imported now that it is needed."""
    match command:
        case "play" | "continue":
            from textrealms.cli import play

            return play.run
        case "saves":
            from textrealms.cli import saves

            return saves.run_saves
        case "export":
            from textrealms.cli import saves

            return saves.run_export
        case "worlds":
            from textrealms.cli import worlds

            return worlds.run_worlds
        case "validate":
            from textrealms.cli import worlds

            return worlds.run_validate
        case "serve":
            from textrealms.cli import serve

            return functools.partial(serve.run, argv=words[1:])
        case "llm-server":
            return llm_server.run
    return functools.partial(bench.run, argv=words[1:])  # "bench": the one command left


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(words)
    if args.command is None:
        args = _parser().parse_args(["play"])
        args.title = full_screen()
    try:
        return _handler(args.command, words)(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
