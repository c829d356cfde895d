"""`textrealms serve` in a real browser: headless Chromium plays the whole game.

Each test starts `textrealms serve` on a free loopback port and opens it in a Chromium of
its own, driven through the DevTools protocol (`tests.devtools`). What the tests assert
is the terminal's text as the player sees it, after keys pressed as a player presses
them. Without Chromium these tests skip, except under CI=true, where they fail: CI
installs it (`.ci/run`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests import devtools
from tests.conftest import ROOT, TESTS
from textrealms.bench.child import Listening, children, listening
from textrealms.bench.serve import PROMPT, URL
from textrealms.world.catalog import ENV_VAR

SCREENSHOT = ROOT / "artifacts" / "browser.png"
"""The last screen of the whole game, kept for a person to look at."""
ENDING = 30.0
"""Seconds a game may take to end once told to (its last turn is written first)."""
SESSION_ENDED = """new Promise((shown) => {
  const ended = () => document.body.classList.contains("-closed");
  if (ended()) return shown(true);
  new MutationObserver(() => ended() && shown(true)).observe(document.body, {attributes: true});
})"""
"""Settled once textual-serve's page shows its *Session ended* dialog."""
HELP = "Help  (F1 or escape to close)"
STATS = "Engine stats  (F2 or escape to close)"
TEXTREALMS = (sys.executable, "-m", "textrealms")
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
"""What textual-serve sets TEXTUAL_DRIVER to for each game it starts."""


@pytest.fixture
def chromium() -> str:
    found = devtools.chromium()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium on PATH: apt-get install chromium")
        pytest.skip("no Chromium on PATH (apt-get install chromium)")
    return found


@pytest.fixture(autouse=True)
def _served_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server and its games find only the test pack, and run at full speed (asyncio's
    debug mode, on for this suite, slows them and talks on stderr)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_VAR, str(TESTS / "packs"))
    monkeypatch.delenv("PYTHONASYNCIODEBUG")


@contextlib.asynccontextmanager
async def serving(*options: str) -> AsyncIterator[Listening]:
    async with listening("serve", "--port", "0", *options, address=URL) as server:
        yield server


async def ended(pid: int) -> None:
    """Await the end of process `pid`, someone else's child, as Linux tells it (a pidfd
    becomes readable when its process ends)."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    loop = asyncio.get_running_loop()
    gone = loop.create_future()
    loop.add_reader(fd, gone.set_result, None)
    try:
        async with asyncio.timeout(ENDING):
            await gone
    finally:
        loop.remove_reader(fd)
        os.close(fd)


def saved_games() -> dict[str, int]:
    """Each saved game's name and turn, as `textrealms saves --json` lists them."""
    listed = subprocess.run(
        [*TEXTREALMS, "saves", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return {game["name"]: game["turn"] for game in json.loads(listed.stdout)}


async def test_the_whole_game_plays_in_a_browser(chromium: str, tmp_path: Path) -> None:
    async with (
        serving("--world", "testvale") as server,
        devtools.launched(chromium, tmp_path / "profile") as browser,
    ):
        tab = await browser.open(server.address)
        await tab.until("You arrive in Test Vale as the lantern goes dark.")
        [game] = children(server.proc.pid)
        await tab.focus()

        await tab.type("examine flint")
        await tab.press("enter")
        await tab.until("A striker and a chip of flint.")

        await tab.type("e")
        await tab.press("enter")
        before = await tab.until_js(
            '(text) => text.includes("pewter mug") && text.includes("quiet")'
        )
        await tab.press("r", ctrl=True)  # the room's narration, told again in new words
        await tab.until_js(f'(text) => text !== {json.dumps(before)} && text.includes("quiet")')

        await tab.type("x pe")
        await tab.press("tab")
        await tab.until("x pewter mug")
        await tab.press("enter")
        await tab.until("Dented.")

        await tab.press("z", ctrl=True)
        await tab.until("Undone: back to turn 2.")
        await tab.press("s", ctrl=True)
        await tab.until("Save the game as")
        await tab.press("enter")
        await tab.until("Saved as 'testvale-turn-")

        for key, shows in (("f1", HELP), ("f2", STATS), ("f3", "Saved games")):
            await tab.press(key)
            await tab.until(shows)
            await tab.press("escape")
            await tab.until_js(f"(text) => !text.includes({json.dumps(shows)})")

        await tab.press("p", ctrl=True)
        await tab.until("Search for commands")
        await tab.type("stats")
        await tab.until("The engine's numbers (F2)")
        await tab.press("enter")
        await tab.until(STATS)
        await tab.press("escape")
        await tab.until_js(f"(text) => !text.includes({json.dumps(STATS)})")

        columns = await tab.evaluate("window.terminal.cols")
        await tab.resize(900, 600)
        await tab.until_js(
            f"(text, terminal) => terminal.cols < {columns} && "
            'text.split("\\n")[terminal.rows - 1].includes("f1 Help")'
        )
        SCREENSHOT.parent.mkdir(exist_ok=True)
        await tab.screenshot(SCREENSHOT)

        assert children(server.proc.pid) == [game]  # one game, all along: never reloaded
        await tab.close()
        await ended(game)
    saved = saved_games()
    assert saved["game-1"] == 2  # where the undo left it
    assert [name for name in saved if name.startswith("testvale-turn-")]


async def test_a_tab_without_a_world_opens_on_the_title_screen_and_quits(
    chromium: str, tmp_path: Path
) -> None:
    async with (
        serving() as server,
        devtools.launched(chromium, tmp_path / "profile") as browser,
    ):
        tab = await browser.open(server.address)
        await tab.until("T E X T R E A L M S")
        await tab.focus()
        await tab.press("enter")  # New game
        await tab.until("Choose a world")
        await tab.press("enter")
        await tab.until("You arrive in Test Vale as the lantern goes dark.")
        await tab.type("examine flint")
        await tab.press("enter")
        await tab.until("A striker and a chip of flint.")
        [game] = children(server.proc.pid)
        await tab.press("q", ctrl=True)  # quit: the game ends, and the page says so
        await ended(game)
        async with asyncio.timeout(ENDING):
            await tab.evaluate(SESSION_ENDED)
    assert saved_games() == {"game-1": 1}


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


def test_serve_refuses_an_unknown_world_and_a_busy_port(tmp_path: Path) -> None:
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
