"""`textrealms serve` without a browser: what it says, what it refuses, the page it
serves, and the game processes it starts, which end when it stops or goes away."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess

import aiohttp
import pytest

from tests.helpers.serving import ENDING, TEXTREALMS, ended, saved_games, serving
from textrealms.bench.child import children
from textrealms.bench.serve import PROMPT, URL

pytestmark = [pytest.mark.usefixtures("served_env"), pytest.mark.slow]

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
"""What textual-serve sets TEXTUAL_DRIVER to for each game it starts."""


async def _open_game(http: aiohttp.ClientSession, url: str) -> aiohttp.ClientWebSocketResponse:
    """A game opened as a tab opens it, once its first screen has arrived."""
    ws = await http.ws_connect(f"{url}ws", params={"width": 100, "height": 30})
    async for message in ws:
        if message.type is aiohttp.WSMsgType.BINARY and PROMPT in message.data:
            return ws
    raise AssertionError("the game closed before its first screen")


async def test_stopping_the_server_ends_every_game_it_started() -> None:
    async with serving("--world", "testvale") as server, aiohttp.ClientSession() as http:
        tabs = [await _open_game(http, server.address) for _ in range(2)]
        games = children(server.proc.pid)
        assert len(games) == 2
        server.proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(ENDING):
            assert await server.proc.wait() == 0
        for game in games:
            await ended(game)
        for ws in tabs:
            await ws.close()
    assert set(saved_games()) == {"game-1", "game-2"}


async def test_a_served_game_whose_server_is_gone_quits() -> None:
    """Its input closes when the server that started it dies (killed, say): the game
    saves and ends instead of waiting for ever, and never drops to plain mode."""
    game = await asyncio.create_subprocess_exec(
        *TEXTREALMS,
        "play",
        "--world",
        "testvale",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        env={**os.environ, "TEXTUAL_DRIVER": WEB_DRIVER},
    )
    assert game.stdin is not None and game.stdout is not None
    async with asyncio.timeout(ENDING):
        assert await game.stdout.readline() == b"__GANGLION__\n"  # the web driver's hello
        game.stdin.close()
        await game.stdout.read()
        assert await game.wait() == 0
    assert saved_games() == {"game-1": 0}


async def test_serving_beyond_this_machine_says_who_can_play() -> None:
    server = await asyncio.create_subprocess_exec(
        *TEXTREALMS, "serve", "--host", "0.0.0.0", "--port", "0", stdout=asyncio.subprocess.PIPE
    )
    assert server.stdout is not None
    try:
        async with asyncio.timeout(ENDING):
            where = await server.stdout.readline()
            warning = (await server.stdout.readline()).decode()
    finally:
        server.terminate()
        await server.wait()
    assert URL.search(where.decode())
    assert warning.startswith("Anyone who can reach 0.0.0.0 can play here")
    assert "saves" in warning


def test_serve_refuses_an_unknown_world_and_a_busy_port() -> None:
    def serve(*options: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*TEXTREALMS, "serve", *options],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    unknown = serve("--world", "nowhere")
    assert unknown.returncode == 2
    assert "nowhere" in unknown.stderr
    with contextlib.closing(socket.socket()) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = serve("--port", str(port))
    assert taken.returncode == 1
    assert taken.stderr.startswith(f"cannot serve on 127.0.0.1:{port}:")


async def test_the_page_points_the_browser_back_at_the_address_it_asked_for() -> None:
    async with serving("--world", "testvale") as server, aiohttp.ClientSession() as http:
        port = server.address.rsplit(":", 1)[1].strip("/")
        async with http.get(f"http://localhost:{port}/") as page:
            assert f'"ws://localhost:{port}/ws"' in await page.text()
        behind_tls = {"X-Forwarded-Proto": "https", "Host": "play.example"}
        async with http.get(server.address, headers=behind_tls) as page:
            text = await page.text()
    assert '"wss://play.example/ws"' in text
    assert "https://play.example/static/js/textual.js" in text
