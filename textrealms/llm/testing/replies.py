"""How the loopback server writes one answer: streamed as server-sent events, or whole,
with the fault it was asked for and the quirks of the server it imitates."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from textrealms.llm.testing import tokens as tokenizer
from textrealms.llm.testing.answers import prose, tokens
from textrealms.llm.testing.delivery import Out, Pacer, reset
from textrealms.llm.testing.faults import CUT_SHORT, Style, error_body
from textrealms.llm.testing.quirks import Quirk
from textrealms.llm.testing.wire import COMMENT_EVERY, KEEP_ALIVE, PROCESSING, Wire, usage

HUGE_CONTENT = "lamplit " * 150_000
"""1.2 MB of content in one chunk: one `data:` line longer than 1 MB."""
STALL_EVERY = 0.05
ENDLESS_GAP = 0.001
RESET_GRACE = 0.02
"""How long the tokens before a `reset` get to reach the client before the RST."""
LATE_END = 0.02
"""How long after `[DONE]` a `late_end` body ends."""
FIRST_TOKEN_HEADER = "X-Loopback-First-Token-Ms"
"""A streamed answer's header: the milliseconds the server means to wait before its first
token, so that a client's bench can tell the model's own latency from its own."""


@dataclass
class Call:
    """One chat request being answered."""

    request: web.Request
    body: dict[str, Any]
    fault: str | None
    pieces: list[str]
    wire: Wire
    pacer: Pacer
    interrupted: asyncio.Event
    """Set when a newer request ends this one's stream (the `interrupts` quirk)."""
    first: float = field(init=False)
    """Seconds before the first token: the pacer's first delay, drawn before any other."""

    def __post_init__(self) -> None:
        self.first = self.pacer.first()

    @property
    def prompt(self) -> int:
        return tokenizer.prompt(self.body)


@dataclass
class Reply:
    """The writer of answers for a server of `style` with `quirks`; `streams` holds the
    interruption events of the streams running now (the `interrupts` quirk)."""

    style: Style
    quirks: frozenset[Quirk]
    after_tokens: int
    streams: set[asyncio.Event]

    async def stream(self, call: Call) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                FIRST_TOKEN_HEADER: f"{call.first * 1000:.3f}",
            }
        )
        await response.prepare(call.request)
        out = Out(response)
        self.streams.add(call.interrupted)
        try:
            await self._events(call, out)
            await out.flush()
            if "late_end" in self.quirks:
                await asyncio.sleep(LATE_END)
            await response.write_eof()
            if "closes_after_stream" in self.quirks and call.request.transport is not None:
                call.request.transport.close()
        except ConnectionResetError:
            pass  # the client left: nothing more to send
        finally:
            self.streams.discard(call.interrupted)
        return response

    async def _events(self, call: Call, out: Out) -> None:
        wire, fault = call.wire, call.fault
        if self.style == "openrouter":
            out.add(wire.comment(PROCESSING))
        await out.flush()
        await self._pause(call, out, call.first)
        out.add(wire.chunk(wire.role()))
        cut = fault in CUT_SHORT
        sent = await self._tokens(call, out, call.pieces[: self.after_tokens] if cut else None)
        if call.interrupted.is_set():
            out.add(wire.done())  # no finish reason, no usage: llama-cpp-python's way
            return
        text = "".join(call.pieces[:sent])
        if fault == "huge_line":
            out.add(wire.content(HUGE_CONTENT))
            text += HUGE_CONTENT
        elif cut and await self._break_off(call, out):
            return
        finish = fault if fault in ("length", "content_filter") else "stop"
        out.add(wire.chunk(wire.delta({}, finish)))
        options = call.body.get("stream_options")
        usage_asked = isinstance(options, dict) and options.get("include_usage")
        if usage_asked and "no_stream_usage" not in self.quirks:
            out.add(wire.chunk(wire.usage_chunk(usage(call.prompt, tokenizer.count(text)))))
        out.add(wire.done())

    async def _tokens(self, call: Call, out: Out, pieces: list[str] | None) -> int:
        wire, sent = call.wire, 0
        for index, piece in enumerate(call.pieces if pieces is None else pieces):
            if index:
                await self._pause(call, out, call.pacer.gap())
            if call.interrupted.is_set():
                break
            if self.style == "openrouter" and index and index % COMMENT_EVERY == 0:
                out.add(wire.comment(PROCESSING))
            if self.style == "openai" and index == 0:
                out.add(wire.chunk(wire.delta({"content": piece}), pretty=True))
            else:
                out.add(wire.content(piece))
            sent += 1
        return sent

    async def _pause(self, call: Call, out: Out, seconds: float) -> None:
        """`out.wait(seconds)`, cut short when a newer request interrupts the call."""
        if "interrupts" not in self.quirks:
            await out.wait(seconds)
        elif seconds > 0 and not call.interrupted.is_set():
            await out.flush()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(call.interrupted.wait(), seconds)

    async def _break_off(self, call: Call, out: Out) -> bool:
        """The fault after the first tokens; True when the stream ends here."""
        wire, fault = call.wire, call.fault
        if fault == "error_chunk":
            chunk = wire.delta({"content": ""}, "error")
            chunk["error"] = {"code": 502, "message": "Upstream provider failed mid-stream"}
            out.add(wire.chunk(chunk))
        elif fault == "error_data":
            out.add(wire.chunk(error_body(self.style, 500, "Generation failed mid-stream")))
        elif fault == "bad_json":
            out.add(wire.event("{not json"))
        elif fault == "reset":
            await out.flush()
            await asyncio.sleep(RESET_GRACE)
            reset(call.request)
            return True
        elif fault == "stall":
            while True:
                await out.wait(STALL_EVERY)
                out.add(wire.comment(KEEP_ALIVE))
        elif fault == "endless":
            await self._endless(call, out, wire.content)
        if fault in ("error_chunk", "error_data", "bad_json"):
            out.add(wire.done())
        return fault not in ("length", "content_filter")

    async def _endless(self, call: Call, out: Out, encode: Callable[[str], bytes]) -> None:
        """Tokens until the client leaves, paced so the loop stays free."""
        pieces = tokens(f"{prose(call.body)} ")
        index = 0
        while True:
            await out.wait(call.pacer.gap() or ENDLESS_GAP)
            out.add(encode(pieces[index % len(pieces)]))
            index += 1

    async def complete(self, call: Call) -> web.StreamResponse:
        fault, wire = call.fault, call.wire
        pacer = call.pacer
        delay = call.first + sum(pacer.gap() for _ in call.pieces[1:])
        await asyncio.sleep(delay)
        if fault in ("error_chunk", "error_data"):
            return web.json_response(error_body(self.style, 502, "Upstream provider failed"))
        if fault == "bad_json":
            return web.Response(text="{not json", content_type="application/json")
        if fault in ("stall", "endless", "reset", "no_done"):
            return await self._broken(call)
        pieces = call.pieces
        finish = "stop"
        if fault in ("length", "content_filter"):
            pieces, finish = pieces[: self.after_tokens], fault
        text = HUGE_CONTENT if fault == "huge_line" else "".join(pieces)
        return web.json_response(
            wire.completion(text, finish, usage(call.prompt, tokenizer.count(text)))
        )

    async def _broken(self, call: Call) -> web.StreamResponse:
        """A JSON body that never arrives whole: cut, reset, stalled or endless."""
        full = json.dumps(call.wire.completion("".join(call.pieces), "stop", usage(0, 0)))
        data = full.encode()
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        if call.fault != "endless":
            response.content_length = len(data)
        await response.prepare(call.request)
        out = Out(response)
        try:
            if call.fault == "stall":
                await asyncio.Event().wait()
            head = full[: full.index('"content": "') + len('"content": "')]
            out.add(head.encode() if call.fault == "endless" else data[: len(data) // 2])
            if call.fault == "endless":
                await self._endless(call, out, lambda p: json.dumps(p)[1:-1].encode())
            await out.flush()
            await asyncio.sleep(RESET_GRACE)
            reset(call.request, hard=call.fault == "reset")
        except ConnectionResetError:
            pass  # the client left
        return response
