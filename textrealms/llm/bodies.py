"""Reading HTTP bodies: a whole one, or what is left of one, without ever reading a
flood; a streamed one a frame at a time."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Callable

import aiohttp

MAX_JSON = 1 << 20
"""The largest whole (non-streamed) answer or error body read, in bytes."""
MAX_ERROR = 1 << 16
FINISH_SECONDS = 1.0
"""How long the end of a finished answer's body is waited for."""
FRAME = 0.05
"""Seconds between two reads of a streamed answer once its text has begun: twenty
times a second is as smooth to read as a token at a time, and a server sends a token
in a network packet of its own, each a wake-up of the game's loop and of every layer
between the socket and the screen."""


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


async def paced(
    resp: aiohttp.ClientResponse, begun: Callable[[], bool], frame: float = FRAME
) -> AsyncGenerator[bytes, None]:
    """The body as it arrives, each read all that has come; once `begun()` says its
    text has begun, a read at most every `frame` seconds, the socket left unread
    between (the first words are never held back, only what follows them)."""
    content = resp.content
    while raw := await content.readany():
        yield raw
        if begun() and not content.at_eof():
            await _rest(resp, frame)


async def _rest(resp: aiohttp.ClientResponse, frame: float) -> None:
    """Wait a `frame` with `resp`'s socket unread: what comes meanwhile waits in the
    kernel, to be read at once."""
    transport = resp.connection.transport if resp.connection is not None else None
    if transport is not None:
        transport.pause_reading()
    try:
        await asyncio.sleep(frame)
    finally:
        if transport is not None:
            transport.resume_reading()
