"""`textrealms serve` in a real browser: headless Chromium plays the whole game.

Each test starts `textrealms serve` on a free loopback port and opens it in a Chromium of
its own, driven through the DevTools protocol (`tests.devtools`). What the tests assert
is the terminal's text as the player sees it, after keys pressed as a player presses
them. Without Chromium these tests skip, except under CI=true, where they fail: CI
installs it (`.ci/run`).
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from tests.helpers import devtools
from tests.helpers.paths import ROOT
from tests.helpers.serving import ENDING, ended, saved_games, serving
from textrealms.bench.child import children

pytestmark = [pytest.mark.usefixtures("served_env"), pytest.mark.slow]

SCREENSHOT = ROOT / "artifacts" / "browser.png"
"""The last screen of the whole game, kept for a person to look at."""
SESSION_ENDED = """new Promise((shown) => {
  const ended = () => document.body.classList.contains("-closed");
  if (ended()) return shown(true);
  new MutationObserver(() => ended() && shown(true)).observe(document.body, {attributes: true});
})"""
"""Settled once textual-serve's page shows its *Session ended* dialog."""
HELP = "Help  (F1 or escape to close)"
STATS = "Engine stats  (F2 or escape to close)"


@pytest.fixture
def chromium() -> str:
    found = devtools.chromium()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium on PATH: apt-get install chromium")
        pytest.skip("no Chromium on PATH (apt-get install chromium)")
    return found


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
        await tab.resize(900, 600)  # redrawn to fit, the story's newest text still in view
        await tab.until_js(
            f"(text, terminal) => terminal.cols < {columns} && "
            'text.split("\\n")[terminal.rows - 1].includes("f1 Help") && '
            'text.includes("Load it with: load testvale-turn-")'
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
