"""A streamed body read a frame at a time (`bodies.paced`), on a stand-in response whose
reads and socket are logged."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import cast

import aiohttp
import pytest

from textrealms.llm.bodies import paced


class Socket:
    """A transport that logs when it is paused and resumed."""

    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.paused = asyncio.Event()

    def pause_reading(self) -> None:
        self.log.append("pause")
        self.paused.set()

    def resume_reading(self) -> None:
        self.log.append("resume")


class Content:
    """A body that has `reads` to give, one at a time, then its end."""

    def __init__(self, reads: list[bytes]) -> None:
        self.reads = reads

    async def readany(self) -> bytes:
        return self.reads.pop(0) if self.reads else b""

    def at_eof(self) -> bool:
        return not self.reads


def response(reads: list[bytes], socket: Socket | None) -> aiohttp.ClientResponse:
    connection = None if socket is None else SimpleNamespace(transport=socket)
    return cast(
        aiohttp.ClientResponse, SimpleNamespace(content=Content(reads), connection=connection)
    )


async def test_the_first_words_come_as_they_arrive_then_a_frame_at_a_time() -> None:
    log: list[str] = []
    resp = response([b"role", b"first", b"second", b"last"], Socket(log))
    async for raw in paced(resp, lambda: "first" in log, frame=0):
        log.append(raw.decode())
    assert log == ["role", "first", "pause", "resume", "second", "pause", "resume", "last"]


async def test_a_reader_cancelled_between_frames_leaves_the_socket_read_again() -> None:
    log: list[str] = []
    socket = Socket(log)

    async def read() -> None:
        async for raw in paced(response([b"first", b"more"], socket), lambda: True, frame=60):
            log.append(raw.decode())

    reading = asyncio.create_task(read())
    await socket.paused.wait()
    reading.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reading
    assert log == ["first", "pause", "resume"]


async def test_a_body_whose_connection_is_gone_still_rests_between_frames() -> None:
    reads = [raw async for raw in paced(response([b"a", b"b"], None), lambda: True, frame=0)]
    assert reads == [b"a", b"b"]
