"""The real HTTP client and game master pointed at a loopback server.

Their time budgets are ample, so that only a server that stalls on purpose exceeds them
(a busy machine must not); tests of the budgets pass their own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tests.helpers.events import Recorder
from tests.helpers.waiting import TIMEOUT
from textrealms.engine.gm import GameMaster
from textrealms.engine.jobs.context import Batching
from textrealms.llm.budget import BUDGETS, Budget
from textrealms.llm.cache import CacheStore
from textrealms.llm.circuit import Circuit
from textrealms.llm.openai import OpenAICompatible
from textrealms.llm.presets import PRESETS, LlmConfig
from textrealms.llm.retry import Retry
from textrealms.llm.testing import LoopbackServer
from textrealms.llm.usage import Price
from textrealms.world.schema import WorldPack

KEY = "sk-loopback-SECRET-31337"
FAST = Retry(attempts=2, base=0.001, cap=0.005, honour=0.2)


def budgets(first: float = 5.0, idle: float = 5.0, total: float = 15.0) -> dict[str, Budget]:
    return dict.fromkeys(BUDGETS, Budget(first_token=first, idle=idle, total=total))


def client(
    server: LoopbackServer,
    pack: WorldPack,
    *,
    preset: str = "openai",
    key: str | None = KEY,
    budget: dict[str, Budget] | None = None,
    model: str = "loopback-1",
) -> OpenAICompatible:
    config = LlmConfig(PRESETS[preset], server.base_url, model, api_key=key)
    return OpenAICompatible(
        config, pack, budgets=budget or budgets(), connect=1.0, retry=FAST, seed=3
    )


@asynccontextmanager
async def connected(
    server: LoopbackServer, pack: WorldPack, **options: Any
) -> AsyncIterator[OpenAICompatible]:
    """A client for `server`, closed on the way out."""
    made = client(server, pack, **options)
    try:
        yield made
    finally:
        await made.aclose()


class Story(Recorder):
    """A game master on a loopback model, and every event it streamed."""

    def __init__(
        self,
        server: LoopbackServer,
        pack: WorldPack,
        *,
        circuit: Circuit | None = None,
        budget: dict[str, Budget] | None = None,
        store: CacheStore | None = None,
        batching: Batching = "off",
        price: Price | None = None,
        preset: str = "openai",
        model: str = "loopback-1",
        prefetch: bool = False,
        **options: Any,
    ) -> None:
        budget = budget or budgets()
        self.client = client(server, pack, preset=preset, budget=budget, model=model)
        self.gm = GameMaster(
            pack,
            seed=5,
            provider=self.client,
            circuit=circuit,
            budgets=budget,
            store=store,
            batching=batching,
            price=price,
            prefetch=prefetch,
            **options,
        )
        super().__init__(self.gm)

    async def settle(self) -> None:
        await asyncio.wait_for(self.gm.settled(), TIMEOUT)

    async def play(self, *commands: str) -> None:
        for command in commands:
            self.gm.submit(command)
            await self.settle()

    async def aclose(self) -> None:
        await self.gm.aclose()
        await self.finished()
