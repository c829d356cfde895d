"""What the client sends a model and keeps of its answer: the key, retellings, and caps."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.helpers.events import Recorder
from tests.helpers.scripted import Scripted, say, scripted
from tests.helpers.waiting import TIMEOUT
from textrealms.engine.events import JobFailed, NarrationDelta, NarrationDone
from textrealms.engine.gm import GameMaster
from textrealms.llm import openai, presets, prompts
from textrealms.llm.openai import OpenAICompatible
from textrealms.world.schema import WorldPack

KEY = "sk-scripted-TOPSECRET-4242"


class Played:
    """A game master on a scripted model, and every event it streamed."""

    def __init__(self, server: Scripted, pack: WorldPack, key: str | None = None) -> None:
        self.client = OpenAICompatible(server.config(key), pack, seed=3)
        self.gm = GameMaster(pack, seed=3, provider=self.client, prefetch=False)
        self.recorder = Recorder(self.gm)

    async def play(self, *commands: str) -> None:
        for command in commands:
            self.gm.submit(command)
            await asyncio.wait_for(self.gm.settled(), TIMEOUT)

    async def aclose(self) -> None:
        await self.gm.aclose()
        await self.recorder.finished()


# Item 12: key hygiene


def test_a_key_with_surrounding_whitespace_is_sent_without_it() -> None:
    config = presets.resolve("openai", None, None, env={"OPENAI_API_KEY": f"  {KEY}\n"})
    assert config is not None and config.api_key == KEY


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("sk-two words", "a space"),
        ("sk-\x07bell", "a control character"),
        ("sk-ключ", "a character that is not ASCII"),
    ],
)
def test_a_key_that_cannot_be_sent_says_what_is_wrong(key: str, why: str) -> None:
    with pytest.raises(presets.ConfigError) as caught:
        presets.resolve("openai", None, None, env={"OPENAI_API_KEY": key})
    message = str(caught.value)
    assert f"the API key in OPENAI_API_KEY cannot be sent: it has {why} in it" in message
    assert key not in message


async def test_a_key_with_a_trailing_newline_still_narrates(pack: WorldPack) -> None:
    config = presets.resolve("vllm", None, "scripted-1", env={"TEXTREALMS_LLM_API_KEY": KEY + "\n"})
    assert config is not None
    async with scripted(lambda _: say("The square lies wet and quiet.")) as server:
        game = Played(server, pack, key=config.api_key)
        await game.play("look")
        await game.aclose()
    assert server.headers[-1]["Authorization"] == f"Bearer {KEY}"
    assert any(n.refined for n in game.recorder.of(NarrationDone))


async def _echo_the_key(body: dict[str, Any]) -> AsyncIterator[str]:
    """A model that repeats the key it was sent, split across pieces."""
    half = len(KEY) // 2
    for piece in ("Your key is ", KEY[:half], KEY[half:], ", and ", KEY, " again."):
        yield piece


async def test_a_key_the_model_echoes_is_never_shown(pack: WorldPack) -> None:
    async with scripted(_echo_the_key) as server:
        game = Played(server, pack, key=KEY)
        await game.play("look")
        await game.aclose()
    told = repr(game.recorder.events)
    assert "Your key is" in told
    assert KEY not in told and KEY[: len(KEY) // 2] not in told


# Item 13: a retelling is a new request


async def test_a_retelling_is_a_new_request_with_a_new_seed(pack: WorldPack) -> None:
    async with scripted(lambda _: say("The square, told once more.")) as server:
        game = Played(server, pack)
        await game.play("look")
        asked = len(server.bodies)
        assert game.gm.regenerate()
        await asyncio.wait_for(game.gm.settled(), TIMEOUT)
        await game.aclose()
    assert len(server.bodies) == asked + 1, "the retelling came from the cache"
    first, again = server.bodies[asked - 1], server.bodies[asked]
    assert first["messages"] == again["messages"]
    assert first["seed"] != again["seed"]


# Item 10: a model's text is capped


async def _flood(body: dict[str, Any]) -> AsyncIterator[str]:
    """A server that streams as fast as it can, for as long as it is read."""
    while True:
        yield "lamplight and rain " * 20
        await asyncio.sleep(0)


async def test_a_flooding_model_is_cut_at_the_cap_and_its_connection_closed(
    pack: WorldPack,
) -> None:
    async with scripted(_flood) as server:
        game = Played(server, pack)
        await game.play("look")
        await asyncio.wait_for(server.cut.wait(), TIMEOUT)
        await game.aclose()
    body = server.bodies[-1]
    assert body["max_tokens"] == prompts.MAX_TOKENS["describe"]
    shown = "".join(e.text for e in game.recorder.of(NarrationDelta))
    assert len(shown) <= body["max_tokens"] * openai.CHARS_PER_TOKEN
    (failed,) = game.recorder.of(JobFailed)
    assert "cut" in failed.reason
    (done,) = game.recorder.of(NarrationDone)
    assert not done.refined
