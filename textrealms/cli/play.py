"""`textrealms play` and `continue`: one path, whether the game is new or resumed, in the
full-screen interface or in plain mode."""

from __future__ import annotations

import argparse
import asyncio
import io
import sys

from textrealms.cli import plain
from textrealms.cli.common import EXIT_OK, fail, full_screen, problems, saves_dir
from textrealms.cli.logs import logging_to
from textrealms.cli.storyteller import storyteller
from textrealms.engine.checks import CHECKS
from textrealms.engine.gm import GameMaster
from textrealms.engine.saved_games import Refused, SavedGames
from textrealms.engine.seeds import new_seed
from textrealms.engine.session import Session
from textrealms.llm.clean import clean
from textrealms.store.database import SaveStore
from textrealms.store.schema import StoreError
from textrealms.world.catalog import discover, open_pack, search_dirs
from textrealms.world.problems import PackError
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState


def run(args: argparse.Namespace) -> int:
    resuming = args.command == "continue" or args.load is not None
    pack: WorldPack | None = None
    if not resuming and not args.title:
        try:
            pack = open_pack(args.world, search_dirs(), CHECKS)
        except PackError as exc:
            return problems(exc)
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    interactive = full_screen()
    with logging_to(saves_dir(args)):
        return asyncio.run(_play(pack, args, interactive=interactive))


async def _play(pack: WorldPack | None, args: argparse.Namespace, *, interactive: bool) -> int:
    try:
        store = await SaveStore.open(saves_dir(args))
    except StoreError as exc:
        return fail(str(exc))
    games = SavedGames(
        store,
        lambda world: open_pack(world, search_dirs(), CHECKS),
        lambda pack, seed, state: _game_master(pack, seed, args, store, state),
    )
    try:
        session: Session | None = None
        if pack is not None:
            session = await games.new(pack, new_seed(args.seed))
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
        return fail(str(exc))
    finally:
        await store.aclose()


async def _tui(session: Session | None, args: argparse.Namespace, games: SavedGames) -> int:
    """The full-screen game on this loop: `session`, or the title screen without one.
    New games begun from the title screen are saved as they go, like this one, and the
    saved games can be continued, loaded and deleted from there."""
    # Imported here so that plain mode and the other commands start without Textual.
    from textrealms.tui.app import TextRealmsApp

    app = TextRealmsApp(
        discover(search_dirs(), CHECKS),
        game=session,
        factory=games.new,
        saves=games,
        seed=args.seed,
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
