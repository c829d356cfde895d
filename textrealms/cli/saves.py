"""`textrealms saves` and `export`: the saved games listed, and one game's whole story."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from textrealms.cli.common import EXIT_OK, fail, saves_dir
from textrealms.cli.logs import logging_to
from textrealms.engine.session import describe
from textrealms.engine.transcript import render
from textrealms.llm.clean import clean
from textrealms.store.database import FILENAME, SaveStore
from textrealms.store.schema import StoreError
from textrealms.world.saved import SlotInfo

T = TypeVar("T")


def run_saves(args: argparse.Namespace) -> int:
    with logging_to(saves_dir(args)):
        return _saves(args)


def run_export(args: argparse.Namespace) -> int:
    with logging_to(saves_dir(args)):
        return _export(args)


def _saves(args: argparse.Namespace) -> int:
    if args.delete is not None:
        return _delete(args, args.delete)
    found: list[SlotInfo] | int = []
    if (saves_dir(args) / FILENAME).exists():  # listing never creates the database
        found = asyncio.run(_read(args, lambda store: store.slots(), SaveStore.read))
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
        print(f"No saved games in {saves_dir(args)}.")
        return EXIT_OK
    for slot in found:
        print(clean(describe(slot)))
    return EXIT_OK


def _delete(args: argparse.Namespace, name: str) -> int:
    if not (saves_dir(args) / FILENAME).exists():
        return fail(f"There are no saved games in {saves_dir(args)}.")
    failed = asyncio.run(_read(args, lambda store: _deleted(store, name), SaveStore.open))
    if failed is not None:
        return failed
    print(clean(f"Deleted '{name}'."))
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    if not (saves_dir(args) / FILENAME).exists():
        return fail(f"There are no saved games in {saves_dir(args)}.")
    story = asyncio.run(_read(args, lambda store: store.story(args.name), SaveStore.read))
    if isinstance(story, int):
        return story
    text = render(f"TextRealms: {args.name}", story, args.format)
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            return fail(f"{args.output}: cannot be written ({exc.strerror or exc}).")
    damaged = [str(turn.turn) for turn in story if turn.damaged]
    if damaged:
        turns = f"turn {damaged[0]} is" if len(damaged) == 1 else f"turns {', '.join(damaged)} are"
        return fail(f"'{args.name}': the story of {turns} damaged; the export leaves it out.")
    return EXIT_OK


async def _deleted(store: SaveStore, name: str) -> None:
    try:
        await store.delete(name)
    except StoreError as exc:
        if store.trouble is None:
            raise
        raise StoreError(f"'{name}' cannot be deleted: {store.trouble}.") from exc


async def _read(
    args: argparse.Namespace,
    read: Callable[[SaveStore], Awaitable[T]],
    opening: Callable[[Path], Awaitable[SaveStore]],
) -> T | int:
    """What `read` finds in the saves, opened by `opening`; the exit status after a
    message if it cannot."""
    try:
        store = await opening(saves_dir(args))
    except StoreError as exc:
        return fail(str(exc))
    try:
        return await read(store)
    except StoreError as exc:
        return fail(str(exc))
    finally:
        await store.aclose()
