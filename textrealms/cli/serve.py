"""`textrealms serve`: the full-screen game in web browsers, through textual-serve.

Each browser tab is a game of its own, in a process of its own: textual-serve starts
`textrealms play` for every websocket and tells it to quit when the tab closes. The game
knows it runs under the web driver (see `common.full_screen`), so it never drops to
plain mode over the pipes that carry its screen.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import logging
import shlex
import signal
import sys
from typing import Any

from aiohttp import web
from textual_serve.server import Server

from textrealms.cli.common import EXIT_OK, fail, problems, saves_dir
from textrealms.engine.checks import CHECKS
from textrealms.engine.collector import hosting
from textrealms.store.database import SaveStore
from textrealms.store.schema import StoreError
from textrealms.world.catalog import open_pack, search_dirs
from textrealms.world.problems import PackError

EXIT_CANNOT_BIND = 1
TITLE = "TextRealms"
"""What the page shows while a game starts, in place of the command that runs it."""


class _Server(Server):
    """textual-serve's server, quiet at start-up (`run` says where it listens), whose
    pages point the browser back at the address it asked for (the one bound may be a
    wildcard, 0.0.0.0, or a free port chosen at start), and which ends every tab's game
    as it stops."""

    def __init__(self, command: str, **options: Any) -> None:
        super().__init__(command, **options)
        self._tabs: set[asyncio.Task[Any]] = set()
        """The handlers of the open websockets: a tab's game lives as long as its handler."""

    async def on_startup(self, app: web.Application) -> None:
        """No banner: `run` prints one line."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Stop every tab's game now, each as if its tab had closed; left alone, aiohttp
        would wait a minute for the websockets to end."""
        for tab in self._tabs:
            tab.cancel()
        await asyncio.gather(*self._tabs, return_exceptions=True)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        tab = asyncio.current_task()
        assert tab is not None  # a handler runs in a task
        self._tabs.add(tab)
        try:
            return await super().handle_websocket(request)
        finally:
            self._tabs.discard(tab)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        # The page is rendered without a pause after this, so no other request sees it.
        self.public_url = f"{_scheme(request)}://{request.host}"
        return await super().handle_index(request)


def _scheme(request: web.Request) -> str:
    """How the browser reached the page: a proxy in front that ends TLS says https in
    X-Forwarded-Proto, and the game's websocket must then be wss:// too. (A browser that
    sends the header itself only changes its own page.)"""
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return forwarded if forwarded in ("http", "https") else request.scheme


def run(args: argparse.Namespace, argv: list[str]) -> int:
    if args.world is not None:
        try:
            open_pack(args.world, search_dirs(), CHECKS)
        except PackError as exc:
            return problems(exc)
    return asyncio.run(_serve(args, _game_command(args, argv)))


def _game_command(args: argparse.Namespace, argv: list[str]) -> str:
    """The shell command that plays one tab's game: `play` with every option `serve` was
    given but where it listens (as typed, so that options added to `play` pass through)."""
    listening = argparse.ArgumentParser(add_help=False)
    listening.add_argument("--host")
    listening.add_argument("--port")
    _, rest = listening.parse_known_args(argv)
    start = [] if args.world is not None else ["--title"]
    play = [sys.executable, "-m", "textrealms", "play", *start, *rest]
    return f"exec {shlex.join(play)}"  # exec: the game is the process the server stops


async def _serve(args: argparse.Namespace, command: str) -> int:
    try:
        await (await SaveStore.open(saves_dir(args))).aclose()
    except StoreError as exc:
        return fail(str(exc))
    logging.basicConfig(level=logging.WARNING, format="textrealms serve: %(message)s")
    server = _Server(command, host=args.host, port=args.port, title=TITLE)
    # textual-serve's own app (its page, websocket and static files), run here rather than
    # by its `serve` so that a free port can be chosen and said; pinned in pyproject.toml
    runner = web.AppRunner(await server._make_app(), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, args.host, args.port)
        try:
            await site.start()
        except OSError as exc:
            print(f"cannot serve on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
            return EXIT_CANNOT_BIND
        _announce(args, runner.addresses)
        with hosting():
            await _until_stopped()
    finally:
        await runner.cleanup()  # closes every websocket: each tab's game is told to quit
    return EXIT_OK


def _announce(args: argparse.Namespace, addresses: list[Any]) -> None:
    host, port = addresses[0][:2]
    where = f"[{host}]" if ":" in host else host
    print(f"TextRealms at http://{where}:{port}/ (a game per browser tab; Ctrl+C stops)")
    if not _loopback(args.host):
        print(
            f"Anyone who can reach {args.host} can play here, and read and load every game "
            f"saved in {saves_dir(args)}.",
        )
    sys.stdout.flush()


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
