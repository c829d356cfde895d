"""`textrealms continue --plain | head`: the game ends when the reader of its output leaves,
with exit status 0 and nothing on stderr, its save whole, whichever write finds the pipe
closed (the engine tier tries each; here, the real process and pipe)."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from tests.helpers.cli import PLAY, SCRIPT, lines, quiet, run_cli, saves_env
from tests.helpers.save_files import latest
from tests.helpers.scripted import scripted
from tests.helpers.waiting import TIMEOUT


def _continued(folder: Path, *args: str) -> subprocess.Popen[str]:
    """`textrealms continue --plain` on the game saved in `folder`, every stream a pipe."""
    offline = {k: "" for k in os.environ if k.startswith("TEXTREALMS_LLM")}
    return subprocess.Popen(
        [str(SCRIPT), "continue", "--plain", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**quiet(os.environ), **offline, **saves_env(folder)},
    )


def _ended(game: subprocess.Popen[str]) -> tuple[int, str]:
    """The game's exit status and all it said on stderr, once it has ended by itself."""
    assert game.stderr is not None
    try:
        status = game.wait(timeout=TIMEOUT)
    finally:
        if game.returncode is None:  # it hangs: the test fails, and leaves no process
            game.kill()
            game.wait()
    with game.stderr:
        return status, game.stderr.read()


def test_a_reader_that_leaves_before_a_command_is_answered(tmp_path: Path) -> None:
    """Which write finds the pipe closed is the scheduler's choice: a background one before
    the first `look` is read (the game stops at turn 2), or that look's own echo (it is
    played and saved, turn 3, as the engine tier's "at an answer" case says). Either way
    the game ends at once, cleanly, with no more than that one command played."""
    assert (
        run_cli(*PLAY, "--seed", "6", stdin=lines("e", "w"), env=saves_env(tmp_path)).returncode
        == 0
    )
    game = _continued(tmp_path)
    assert game.stdin is not None and game.stdout is not None
    assert game.stdout.readline() == "Resumed 'game-1' at turn 2.\n"
    game.stdout.close()  # the reader leaves, as `head` does once it has its lines
    with game.stdin:
        game.stdin.write(lines(*["look"] * 100))
    assert _ended(game) == (0, "")
    saved = latest(tmp_path)
    assert saved is not None and saved.turn in (2, 3)


async def test_a_reader_that_leaves_before_background_text_is_printed(tmp_path: Path) -> None:
    """The answer to `look` is read; the reader leaves; then the model's retellings come,
    printed by another task than the one reading commands (the game used to wait for
    them to print, forever)."""
    assert (
        run_cli(*PLAY, "--seed", "6", stdin=lines("e", "w"), env=saves_env(tmp_path)).returncode
        == 0
    )
    release = asyncio.Event()

    async def held(_: dict[str, Any]) -> AsyncIterator[str]:
        await release.wait()
        yield "The square, told again."

    async with scripted(held) as server:
        llm = ("--llm", "vllm", "--llm-base-url", server.base_url, "--llm-model", "scripted-1")
        game = _continued(tmp_path, *llm)
        assert game.stdin is not None and game.stdout is not None
        with game.stdin:
            game.stdin.write("look\n")
        for last in ("> look", "Exits:"):  # the answer to look, up to its last line
            while not (await asyncio.to_thread(game.stdout.readline)).startswith(last):
                pass
        game.stdout.close()
        release.set()
        assert await asyncio.to_thread(_ended, game) == (0, "")
    saved = await asyncio.to_thread(latest, tmp_path)
    assert saved is not None and saved.turn == 3
