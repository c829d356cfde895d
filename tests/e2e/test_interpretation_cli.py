"""A plain-mode game on a loopback model that reads a line the game could not place:
the `--wait --seed` transcript is the same on every run, and the saved game is the
command the line was read as, exported and continued without the model."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from tests.helpers.cli import SCRIPT, lines, quiet, run_cli
from tests.helpers.loopback import KEY
from tests.helpers.waiting import TIMEOUT
from textrealms.llm.testing import Latency, LoopbackServer

LINE = "revolver, take it I shall"
SHOWN = f'> take snub-nosed revolver  (from: "{LINE}")\n'


async def game(server: LoopbackServer, saves: Path) -> str:
    """A new game of Rainmouth, seed 1, on `server`, its jobs awaited: what it printed."""
    env = {
        **quiet(os.environ),
        "OPENAI_API_KEY": KEY,
        "TEXTREALMS_LLM_MODEL": "loopback-1",
        "TEXTREALMS_SAVES_DIR": str(saves),
    }
    model = ("--llm", "openai", "--llm-base-url", server.base_url)
    process = await asyncio.create_subprocess_exec(
        str(SCRIPT),
        *("play", "--plain", "--world", "rainmouth", "--seed", "1", "--wait", *model),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    typed = lines(LINE, "sing a song about the river", "undo", LINE, "inventory").encode()
    out, err = await asyncio.wait_for(process.communicate(typed), TIMEOUT * 2)
    assert process.returncode == 0, err.decode()
    return out.decode()


async def test_a_line_read_by_the_model_plays_the_same_on_every_run(tmp_path: Path) -> None:
    latency = Latency(first_token=0.0, tokens_per_second=0.0, jitter=0.0)
    async with LoopbackServer(latency=latency, api_key=KEY) as server:
        first = await game(server, tmp_path / "first")
        second = await game(server, tmp_path / "second")
    assert first == second
    answered, read_as = first.index(f"> {LINE}\n"), first.index(SHOWN)
    assert answered < read_as < first.index("> sing a song")
    assert "Narrator: " in first[first.index("> sing a song") : first.index("> undo")]
    again = first[first.index("> undo") :]  # the turn undone, the line read again
    assert again.index(f"> {LINE}\n") < again.index(SHOWN) < again.index("> inventory")
    assert "snub-nosed revolver" in first[first.index("> inventory") :]

    offline = {
        k: "" for k in os.environ if k.startswith("TEXTREALMS_LLM") or k.endswith("_API_KEY")
    }
    saves = {**offline, "TEXTREALMS_SAVES_DIR": str(tmp_path / "first")}
    exported = run_cli("export", "game-1", env=saves)
    assert exported.returncode == 0, exported.stderr
    assert "> take snub-nosed revolver\n" in exported.stdout and LINE not in exported.stdout
    resumed = run_cli("continue", "--plain", stdin=lines("inventory"), env=saves)
    assert resumed.returncode == 0, resumed.stderr
    assert "Resumed 'game-1' at turn 2" in resumed.stdout
    assert "snub-nosed revolver" in resumed.stdout.split("> inventory")[-1]
