"""Reading a whole HTTP body, or what is left of one, without ever reading a flood."""

from __future__ import annotations

import asyncio
import contextlib

import aiohttp

MAX_JSON = 1 << 20
"""The largest whole (non-streamed) answer or error body read, in bytes."""
MAX_ERROR = 1 << 16
FINISH_SECONDS = 1.0
"""How long the end of a finished answer's body is waited for."""


async def body_of(resp: aiohttp.ClientResponse, limit: int) -> bytes:
    """Up to `limit` bytes of the body: enough to read an error, never a flood."""
    data = bytearray()
    while len(data) < limit:
        piece = await resp.content.read(limit - len(data))
        if not piece:
            break
        data += piece
    return bytes(data)


async def finish(resp: aiohttp.ClientResponse) -> None:
    """Read what is left of a body whose answer is complete (the end of its chunked
    encoding, as a rule), so that its connection goes back to the pool instead of being
    closed: over HTTPS a new one costs a handshake. A server that keeps sending, or is
    slow to end, is left: its connection is closed."""
    with contextlib.suppress(TimeoutError, aiohttp.ClientError):
        async with asyncio.timeout(FINISH_SECONDS):
            left = MAX_ERROR
            while left > 0:
                rest = await resp.content.read(left)
                if not rest:
                    return
                left -= len(rest)
