"""The loopback OpenAI-compatible server: a real aiohttp server on 127.0.0.1.

Tests and the benchmark point a real client at it. It answers chat completions the way
the real servers do (streaming and not, usage, each style's quirks), with schema-valid
JSON for structured requests, and injects any fault in `FAULTS` on demand.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import random
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, get_args

from aiohttp import web

from textrealms.llm.testing import tokens as tokenizer
from textrealms.llm.testing.answers import (
    JsonMode,
    fenced,
    find_schema,
    hostile_prose,
    instance,
    prose,
    tokens,
)
from textrealms.llm.testing.delivery import Latency, Out, Pacer, reset
from textrealms.llm.testing.faults import (
    CUT_SHORT,
    HTML_502,
    HTTP_FAULTS,
    STYLES,
    Style,
    check_fault,
    error_body,
    flat_error,
)
from textrealms.llm.testing.quirks import IMITATIONS, QUIRKS, Quirk
from textrealms.llm.testing.wire import COMMENT_EVERY, KEEP_ALIVE, PROCESSING, Wire, usage

HUGE_CONTENT = "lamplit " * 150_000
"""1.2 MB of content in one chunk: one `data:` line longer than 1 MB."""
STALL_EVERY = 0.05
ENDLESS_GAP = 0.001
RESET_GRACE = 0.02
"""How long the tokens before a `reset` get to reach the client before the RST."""
SHUTDOWN_SECONDS = 0.1
"""How long `close()` lets requests in progress finish before it cuts them."""
LATE_END = 0.02
"""How long after `[DONE]` a `late_end` body ends."""
SCHEMA_500 = (
    "1 validation error for CreateChatCompletionRequest\nresponse_format.type\n  Input "
    "should be 'text' or 'json_object' [type=literal_error, input_value='json_schema']"
)
"""llama-cpp-python's answer to a json_schema request (with HTTP 500)."""


@dataclass(frozen=True)
class Received:
    """One request as the server saw it, without its Authorization header."""

    path: str
    body: dict[str, Any] | None
    fault: str | None
    authorized: bool
    headers: dict[str, str]
    peer: tuple[str, int] | None = None
    """The client's address and port: one port per connection it used."""


@dataclass
class _Call:
    """One chat request being answered."""

    request: web.Request
    body: dict[str, Any]
    fault: str | None
    pieces: list[str]
    wire: Wire
    pacer: Pacer
    interrupted: asyncio.Event
    """Set when a newer request ends this one's stream (the `interrupts` quirk)."""

    @property
    def prompt(self) -> int:
        return tokenizer.prompt(self.body)


class LoopbackServer:
    """A loopback chat-completions server with faults on demand (`fault=`, `inject`)."""

    def __init__(
        self,
        *,
        latency: Latency | None = None,
        seed: int = 0,
        model: str = "loopback-1",
        style: Style = "openai",
        api_key: str | None = None,
        json_mode: JsonMode = "schema",
        fault: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        retry_after: float = 0.05,
        slow_seconds: float = 5.0,
        after_tokens: int = 3,
        record: bool = True,
        quirks: Iterable[Quirk] = (),
        slots: int | None = None,
    ) -> None:
        """`record=False` keeps `requests` empty: a server that runs for long (started by
        hand, or under the bench's thousands of calls) would otherwise grow without end.

        `quirks` are real servers' ways (see `quirks`); `slots` is what `/props`
        reports as `total_slots`, as llama.cpp's server does (None: no `/props`)."""
        check_fault(fault)
        if style not in STYLES:
            raise ValueError(f"unknown style {style!r}; valid styles: {', '.join(STYLES)}")
        if json_mode not in get_args(JsonMode):
            modes = ", ".join(get_args(JsonMode))
            raise ValueError(f"unknown json_mode {json_mode!r}; valid modes: {modes}")
        self.latency = latency or Latency()
        self.seed = seed
        self.model = model
        self.style: Style = style
        self.json_mode: JsonMode = json_mode
        self.fault = fault
        self.host = host
        self.port = port
        self.retry_after = retry_after
        self.slow_seconds = slow_seconds
        self.after_tokens = after_tokens
        self.record = record
        self.quirks = frozenset(quirks)
        unknown = self.quirks - set(QUIRKS)
        if unknown:
            raise ValueError(f"unknown quirks {sorted(unknown)}; valid quirks: {', '.join(QUIRKS)}")
        self.slots = slots
        self.requests: list[Received] = []
        self._streams: set[asyncio.Event] = set()
        """The streams running now, each ended early by setting its event."""
        self._key = api_key
        self._queue: deque[str] = deque()
        self._runner: web.AppRunner | None = None
        self._calls = 0

    @classmethod
    def imitating(cls, name: str | None, **options: Any) -> LoopbackServer:
        """A server that behaves as the real server `name` in `IMITATIONS` does (None: as
        the loopback server does), with `options` over that."""
        if name is None:
            return cls(**options)
        real = IMITATIONS[name]
        return cls(
            **{
                "style": real.style,
                "json_mode": real.json_mode,
                "model": real.model,
                "quirks": real.quirks,
                "slots": real.slots,
                **options,
            }
        )

    def __repr__(self) -> str:
        return f"LoopbackServer(style={self.style!r}, port={self.port}, fault={self.fault!r})"

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/v1"

    def inject(self, fault: str, *, times: int = 1) -> None:
        """The next `times` chat requests get `fault`, ahead of the standing one."""
        check_fault(fault)
        self._queue.extend([fault] * times)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        app.router.add_get("/health", self._health)
        app.router.add_get("/props", self._props)
        runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=SHUTDOWN_SECONDS, access_log=None
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])

    async def close(self) -> None:
        """Stop serving; streams still open are cut after `SHUTDOWN_SECONDS`."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> LoopbackServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- requests ---------------------------------------------------------------------

    def _authorized(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return False
        return self._key is None or hmac.compare_digest(header[7:].encode(), self._key.encode())

    def _allowed(self, request: web.Request) -> bool:
        return self._key is None or self._authorized(request)

    def _record(self, request: web.Request, body: dict[str, Any] | None, fault: str | None) -> None:
        if not self.record:
            return
        authorized = self._authorized(request)
        headers = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
        peer = request.transport.get_extra_info("peername") if request.transport else None
        self.requests.append(
            Received(request.path, body, fault, authorized, headers, peer and tuple(peer[:2]))
        )

    def _error(self, status: int, message: str | None = None) -> web.Response:
        headers = _retry_headers(self.retry_after, self.quirks) if status == 429 else {}
        return web.json_response(
            error_body(self.style, status, message), status=status, headers=headers
        )

    async def _health(self, request: web.Request) -> web.Response:
        self._record(request, None, None)
        return web.json_response({"status": "ok"})

    async def _props(self, request: web.Request) -> web.Response:
        self._record(request, None, None)
        if self.slots is None:
            raise web.HTTPNotFound()
        return web.json_response({"total_slots": self.slots, "model_path": self.model})

    async def _models(self, request: web.Request) -> web.Response:
        self._record(request, None, None)
        if not self._allowed(request):
            return self._error(401)
        model = {"id": self.model, "object": "model", "created": 0, "owned_by": "loopback"}
        return web.json_response({"object": "list", "data": [model]})

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            body = None
        allowed = self._allowed(request)
        fault = (self._queue.popleft() if self._queue else self.fault) if allowed else None
        self._record(request, body, fault)
        if not allowed:
            return self._error(401)
        if body is None or not isinstance(body.get("messages"), list):
            return self._error(400, "The body must be a JSON object with a messages list")
        if fault == "slow_first_byte":
            await asyncio.sleep(self.slow_seconds)
        if "interrupts" in self.quirks:
            for running in self._streams:
                running.set()
        refused = self._refusal(body, fault)
        if refused is not None:
            return refused
        self._calls += 1
        rng = random.Random(f"{self.seed}:{self._calls}")
        call = _Call(
            request,
            body,
            fault,
            tokens(self._answer(body, hostile=fault == "hostile")),
            Wire(self.style, self.model, self._calls),
            Pacer(self.latency, rng),
            asyncio.Event(),
        )
        if body.get("stream"):
            return await self._stream(call)
        return await self._complete(call)

    def _refusal(self, body: dict[str, Any], fault: str | None) -> web.Response | None:
        if fault in HTTP_FAULTS:
            return self._error(HTTP_FAULTS[fault])
        if fault == "flat_error":
            return web.json_response(flat_error(), status=400)
        if fault == "html_502":
            return web.Response(status=502, text=HTML_502, content_type="text/html")
        kind = _format_type(body)
        if self.json_mode == "object" and kind == "json_schema":
            if "schema_500" in self.quirks:
                error = {"message": SCHEMA_500, "type": "internal_server_error"}
                return web.json_response({"error": error}, status=500)
            return self._error(400, "response_format json_schema is not supported")
        return None

    def _answer(self, body: dict[str, Any], *, hostile: bool) -> str:
        kind = _format_type(body)
        schema = find_schema(body)
        if self.json_mode == "prose":
            return hostile_prose(body) if hostile else prose(body)
        if kind == "json_object" and "loose_json_object" in self.quirks:
            return json.dumps({"answer": prose(body)})
        if self.json_mode == "fenced":
            if kind is None and schema is None:
                return hostile_prose(body) if hostile else prose(body)
            return fenced(instance(body, schema, hostile=hostile))
        if kind in ("json_schema", "json_object"):
            return instance(body, schema, hostile=hostile)
        return hostile_prose(body) if hostile else prose(body)

    # -- streaming --------------------------------------------------------------------

    async def _stream(self, call: _Call) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        await response.prepare(call.request)
        out = Out(response)
        self._streams.add(call.interrupted)
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
            self._streams.discard(call.interrupted)
        return response

    async def _events(self, call: _Call, out: Out) -> None:
        wire, fault = call.wire, call.fault
        if self.style == "openrouter":
            out.add(wire.comment(PROCESSING))
        await out.flush()
        await self._pause(call, out, call.pacer.first())
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

    async def _tokens(self, call: _Call, out: Out, pieces: list[str] | None) -> int:
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

    async def _pause(self, call: _Call, out: Out, seconds: float) -> None:
        """`out.wait(seconds)`, cut short when a newer request interrupts the call."""
        if "interrupts" not in self.quirks:
            await out.wait(seconds)
        elif seconds > 0 and not call.interrupted.is_set():
            await out.flush()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(call.interrupted.wait(), seconds)

    async def _break_off(self, call: _Call, out: Out) -> bool:
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

    async def _endless(self, call: _Call, out: Out, encode: Callable[[str], bytes]) -> None:
        """Tokens until the client leaves, paced so the loop stays free."""
        pieces = tokens(f"{prose(call.body)} ")
        index = 0
        while True:
            await out.wait(call.pacer.gap() or ENDLESS_GAP)
            out.add(encode(pieces[index % len(pieces)]))
            index += 1

    # -- whole answers ----------------------------------------------------------------

    async def _complete(self, call: _Call) -> web.StreamResponse:
        fault, wire = call.fault, call.wire
        pacer = call.pacer
        delay = pacer.first() + sum(pacer.gap() for _ in call.pieces[1:])
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

    async def _broken(self, call: _Call) -> web.StreamResponse:
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


def _retry_headers(seconds: float, quirks: frozenset[Quirk]) -> dict[str, str]:
    """How a 429 says when to come back: as most servers do, as LiteLLM passes it on, or
    only as OpenAI's rate-limit reset times."""
    if "ratelimit_reset" in quirks:
        return {
            "x-ratelimit-reset-requests": _duration(seconds),
            "x-ratelimit-reset-tokens": _duration(seconds / 2),
        }
    prefix = "llm_provider-" if "proxied_retry_after" in quirks else ""
    return {
        f"{prefix}Retry-After": f"{seconds:g}",
        f"{prefix}retry-after-ms": str(round(seconds * 1000)),
    }


def _duration(seconds: float) -> str:
    """`seconds` as OpenAI writes a reset time: 20ms, 1.5s, 6m0s."""
    if seconds < 1:
        return f"{round(seconds * 1000)}ms"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}m{rest:g}s" if minutes else f"{rest:g}s"


def _format_type(body: dict[str, Any]) -> str | None:
    fmt = body.get("response_format")
    kind = fmt.get("type") if isinstance(fmt, dict) else None
    return kind if isinstance(kind, str) else None
