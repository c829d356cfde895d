"""How the loopback server's bytes leave: at a seeded pace, gathered into few writes, or
cut off mid-answer, as a slow, a fast or a failing real server's would.
"""

from __future__ import annotations

import asyncio
import random
import socket
import struct
from dataclasses import dataclass

from aiohttp import web


@dataclass
class Latency:
    """How slowly the server answers; every delay is scaled by a seeded jitter factor."""

    first_token: float = 0.0
    """Seconds before the first content token (headers are sent at once)."""
    tokens_per_second: float = 0.0
    """0 = no delay between tokens."""
    jitter: float = 0.0
    """0..1: each delay is scaled by a uniform factor in [1 - jitter, 1 + jitter]."""


class Pacer:
    """One call's delays: the `Latency` scaled by the call's own seeded jitter."""

    def __init__(self, latency: Latency, rng: random.Random) -> None:
        self.latency = latency
        self.rng = rng

    def scale(self, seconds: float) -> float:
        jitter = self.latency.jitter
        return seconds * self.rng.uniform(1 - jitter, 1 + jitter) if jitter else seconds

    def first(self) -> float:
        return self.scale(self.latency.first_token)

    def gap(self) -> float:
        rate = self.latency.tokens_per_second
        return self.scale(1 / rate) if rate > 0 else 0.0


class Out:
    """Bytes gathered until the stream pauses, so a fast stream costs one write."""

    def __init__(self, response: web.StreamResponse) -> None:
        self.response = response
        self.parts: list[bytes] = []

    def add(self, data: bytes) -> None:
        self.parts.append(data)

    async def flush(self) -> None:
        if self.parts:
            data = b"".join(self.parts)
            self.parts.clear()
            await self.response.write(data)

    async def wait(self, seconds: float) -> None:
        if seconds > 0:
            await self.flush()
            await asyncio.sleep(seconds)


def reset(request: web.Request, *, hard: bool = True) -> None:
    """End the connection: an RST (`hard`), or a plain close that cuts the body short."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if hard and sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    else:
        transport.close()
