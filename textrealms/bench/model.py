"""The model side of a scenario: the loopback server at a given latency, and a real client.

Scenarios that time a model run the real HTTP client (`OpenAICompatible`) against the
real loopback server, so what they measure includes HTTP, SSE decoding and validation.
"""

from __future__ import annotations

import re
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from typing import Any

from textrealms.bench.child import Listening, listening
from textrealms.engine.gm import GameMaster
from textrealms.llm.cache import CacheStore
from textrealms.llm.circuit import Circuit
from textrealms.llm.openai import OpenAICompatible
from textrealms.llm.presets import PRESETS, LlmConfig
from textrealms.llm.provider import Provider
from textrealms.llm.testing import Latency, LoopbackServer
from textrealms.world.schema import WorldPack

MODEL = "loopback-1"
KEY = "bench-not-a-secret"
BASE_URL = re.compile(r"http://\S+/v1")
QUICK_SCALE = 0.1
"""A quick run plays the model ten times faster: ratios hold, seconds shrink."""


def scaled(latency: Latency, factor: float) -> Latency:
    """The same model `factor` times as slow (0.2: five times faster)."""
    return replace(
        latency,
        first_token=latency.first_token * factor,
        tokens_per_second=latency.tokens_per_second / factor,
    )


def server(latency: Latency, seed: int) -> LoopbackServer:
    return LoopbackServer(latency=latency, seed=seed, model=MODEL)


def loopback_model(latency: Latency, seed: int) -> AbstractAsyncContextManager[Listening]:
    """The loopback model server at `latency` in a child process (`textrealms llm-server`),
    listening at its base URL: the process that measures then holds only what it measures."""
    return listening(
        "llm-server",
        "--port",
        "0",
        "--ttft",
        f"{latency.first_token * 1000:g}",
        "--tps",
        f"{latency.tokens_per_second:g}",
        "--jitter",
        f"{latency.jitter:g}",
        "--seed",
        str(seed),
        "--model",
        MODEL,
        address=BASE_URL,
    )


def client(served: LoopbackServer, pack: WorldPack, seed: int) -> OpenAICompatible:
    config = LlmConfig(PRESETS["openai"], served.base_url, MODEL, api_key=KEY)
    return OpenAICompatible(config, pack, seed=seed)


def game(
    provider: Provider,
    pack: WorldPack,
    seed: int,
    *,
    store: CacheStore | None = None,
    **options: Any,
) -> GameMaster:
    """A game told by `provider` as `textrealms play --llm` tells it: with a circuit
    breaker (so the model also assesses each turn), and a cache `store` if given."""
    return GameMaster(
        pack,
        seed=seed,
        provider=provider,
        circuit=Circuit(),
        store=store,
        **options,
    )


def chats(served: LoopbackServer) -> int:
    """Chat requests the server has had: the model calls made, cache hits aside."""
    return sum(r.path.endswith("/chat/completions") for r in served.requests)
