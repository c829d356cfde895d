"""A whole plain-mode game as a subprocess against a loopback model, faults mixed in."""

from __future__ import annotations

import asyncio
import os
import sys

from tests.helpers.loopback import KEY
from tests.helpers.paths import ROOT, TESTS
from tests.helpers.waiting import TIMEOUT
from textrealms.llm.testing import Latency, LoopbackServer

ROUTE = TESTS / "routes" / "emberfall" / "ember_night.txt"


async def play(args: list[str], stdin: str, env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "textrealms",
        "play",
        "--plain",
        "--world",
        "emberfall",
        "--seed",
        "1",
        "--wait",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(stdin.encode()), TIMEOUT * 2)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def clean_env() -> dict[str, str]:
    return {k: "" for k in os.environ if k.startswith("TEXTREALMS_LLM") or k.endswith("_API_KEY")}


FAILING = 5
"""Requests that fail before the server heals: enough for the circuit (3 in a row) to trip."""


async def heal_after(server: LoopbackServer, count: int) -> None:
    """Clear the server's fault once it has failed `count` requests; later, two faults
    mid-stream (too few in a row to trip the circuit again)."""
    while len(server.requests) < count:
        await asyncio.sleep(0.005)
    server.fault = None
    while len(server.requests) < 2 * count:
        await asyncio.sleep(0.005)
    server.inject("error_chunk", times=1)
    server.inject("reset", times=1)


async def test_a_whole_game_against_a_loopback_model_with_faults() -> None:
    latency = Latency(first_token=0.0, tokens_per_second=0.0, jitter=0.0)
    async with LoopbackServer(latency=latency, seed=0, model="loopback-1", api_key=KEY) as server:
        server.fault = "http_401"
        heal = asyncio.create_task(heal_after(server, FAILING))
        args = ["--llm", "openai", "--llm-base-url", server.base_url, "--llm-cooldown", "0"]
        env = {**clean_env(), "OPENAI_API_KEY": KEY, "TEXTREALMS_LLM_MODEL": "loopback-1"}
        try:
            status, out, err = await play(args, ROUTE.read_text(), env)
        finally:
            heal.cancel()
        asked = len(server.requests)
    assert status == 0, err
    assert "Traceback" not in err
    assert "lamplit" in out  # the model's refined text
    down = "-- The model is not answering (HTTP 401: the API key was refused);"
    assert out.count(down) == 1
    assert out.count("-- The model is back. --") == 1
    assert out.index(down) < out.index("-- The model is back. --")
    assert KEY not in out and KEY not in err
    assert asked > FAILING


async def test_a_preset_without_its_key_plays_offline_with_a_clear_message() -> None:
    route = ROUTE.read_text()
    status, offline, _ = await asyncio.wait_for(play([], route, clean_env()), TIMEOUT * 2)
    assert status == 0
    status, out, err = await play(["--llm", "openrouter"], route, clean_env())
    assert status == 0
    assert "OPENROUTER_API_KEY" in err and "offline narrator" in err
    assert out == offline  # byte-identical to the offline game
