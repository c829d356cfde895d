"""A chat-completions server on 127.0.0.1 that sends exactly what a test scripts.

The loopback server (`textrealms.llm.testing`) plays a well-behaved model with faults on
demand; this one sends raw bytes a test writes itself (a lone surrogate, a flood, a key
echoed back), and records each request's body and whether the client hung up early.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web

from textrealms.llm.presets import PRESETS, LlmConfig

Script = Callable[[dict[str, Any]], AsyncIterator[str]]
"""A request's body to the content pieces streamed back."""


def chunk(content: str, finish: str | None = None) -> bytes:
    """One SSE event carrying `content` (JSON-escaped, so a lone surrogate is valid JSON)."""
    choice = {"index": 0, "delta": {"content": content}, "finish_reason": finish}
    return f"data: {json.dumps({'choices': [choice]})}\n\n".encode()


async def say(text: str) -> AsyncIterator[str]:
    yield text


class Scripted:
    """Streams the pieces `script` gives for each request, then a stop and `[DONE]`."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.cut = asyncio.Event()
        """Set once a client closed a connection while pieces were still being sent."""
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def config(self, key: str | None = None, preset: str = "vllm") -> LlmConfig:
        return LlmConfig(PRESETS[preset], self.base_url, "scripted-1", api_key=key)

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.bodies.append(body)
        self.headers.append(dict(request.headers))
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        try:
            async for piece in self.script(body):
                await resp.write(chunk(piece))
            await resp.write(chunk("", "stop"))
            await resp.write(b"data: [DONE]\n\n")
        except (ConnectionResetError, asyncio.CancelledError):
            self.cut.set()
            raise
        return resp

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@asynccontextmanager
async def scripted(script: Script) -> AsyncIterator[Scripted]:
    server = Scripted(script)
    await server.start()
    try:
        yield server
    finally:
        await server.close()
