"""A whole plain-mode game as a subprocess against a loopback model, faults mixed in."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable

from tests.helpers.loopback import KEY
from tests.helpers.paths import ROOT, TESTS
from tests.helpers.waiting import TIMEOUT
from textrealms.llm.testing import Latency, LoopbackServer

ROUTE = TESTS / "routes" / "emberfall" / "ember_night.txt"


async def play(
    args: list[str], stdin: str, env: dict[str, str], heard: Callable[[str], None] | None = None
) -> tuple[int, str, str]:
    """The game played to its end, `heard` told each line of the story as it comes."""
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
    assert process.stdin is not None and process.stdout is not None
    assert process.stderr is not None
    story: list[str] = []

    async def read(stdout: asyncio.StreamReader) -> None:
        async for line in stdout:
            story.append(line.decode())
            if heard is not None:
                heard(story[-1])

    try:
        process.stdin.write(stdin.encode())
        process.stdin.close()
        async with asyncio.timeout(TIMEOUT * 2):
            _, err = await asyncio.gather(read(process.stdout), process.stderr.read())
            await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, "".join(story), err.decode()


def clean_env() -> dict[str, str]:
    return {k: "" for k in os.environ if k.startswith("TEXTREALMS_LLM") or k.endswith("_API_KEY")}


DOWN = "-- The model is not answering (HTTP 401: the API key was refused);"
BACK = "-- The model is back. --"


async def test_a_whole_game_against_a_loopback_model_with_faults() -> None:
    """The key is refused until the game says the model is down; once it is back, two
    faults mid-stream (too few in a row to trip the circuit again). The story, not a
    count of requests, says when: idle prefetch asks too, and its failures are no one's."""
    latency = Latency(first_token=0.0, tokens_per_second=0.0, jitter=0.0)
    async with LoopbackServer(latency=latency, seed=0, model="loopback-1", api_key=KEY) as server:
        server.fault = "http_401"

        def heard(line: str) -> None:
            if line.startswith(DOWN):
                server.fault = None
            elif line.startswith(BACK):
                server.inject("error_chunk", times=1)
                server.inject("reset", times=1)

        args = ["--llm", "openai", "--llm-base-url", server.base_url, "--llm-cooldown", "0"]
        env = {**clean_env(), "OPENAI_API_KEY": KEY, "TEXTREALMS_LLM_MODEL": "loopback-1"}
        status, out, err = await play(args, ROUTE.read_text(), env, heard)
        faults = [request.fault for request in server.requests]
    assert status == 0, err
    assert "Traceback" not in err
    assert "lamplit" in out  # the model's refined text
    assert out.count(DOWN) == 1
    assert out.count(BACK) == 1
    assert out.index(DOWN) < out.index(BACK)
    assert KEY not in out and KEY not in err
    assert faults[0] == "http_401" and {"error_chunk", "reset", None} <= set(faults)


async def test_a_preset_without_its_key_plays_offline_with_a_clear_message() -> None:
    route = ROUTE.read_text()
    status, offline, _ = await asyncio.wait_for(play([], route, clean_env()), TIMEOUT * 2)
    assert status == 0
    status, out, err = await play(["--llm", "openrouter"], route, clean_env())
    assert status == 0
    assert "OPENROUTER_API_KEY" in err and "offline narrator" in err
    assert out == offline  # byte-identical to the offline game
