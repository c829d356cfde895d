"""The loopback OpenAI-compatible server: a real aiohttp server on 127.0.0.1.

Tests and the benchmark point a real client at it. It answers chat completions the way
the real servers do (streaming and not, usage, each style's quirks), with schema-valid
JSON for structured requests, and injects any fault in `FAULTS` on demand.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import random
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, get_args

from aiohttp import web

from textrealms.llm.testing.answers import (
    JsonMode,
    fenced,
    find_schema,
    hostile_prose,
    instance,
    prose,
    tokens,
)
from textrealms.llm.testing.delivery import Latency, Pacer
from textrealms.llm.testing.faults import (
    HTML_502,
    HTTP_FAULTS,
    STYLES,
    Style,
    check_fault,
    error_body,
    flat_error,
)
from textrealms.llm.testing.quirks import IMITATIONS, QUIRKS, Quirk, retry_headers
from textrealms.llm.testing.replies import Call, Reply
from textrealms.llm.testing.wire import Wire

SHUTDOWN_SECONDS = 0.1
"""How long `close()` lets requests in progress finish before it cuts them."""
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
        headers = retry_headers(self.retry_after, self.quirks) if status == 429 else {}
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
        call = Call(
            request,
            body,
            fault,
            tokens(self._answer(body, hostile=fault == "hostile")),
            Wire(self.style, self.model, self._calls),
            Pacer(self.latency, rng),
            asyncio.Event(),
        )
        reply = Reply(self.style, self.quirks, self.after_tokens, self._streams)
        if body.get("stream"):
            return await reply.stream(call)
        return await reply.complete(call)

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


def _format_type(body: dict[str, Any]) -> str | None:
    fmt = body.get("response_format")
    kind = fmt.get("type") if isinstance(fmt, dict) else None
    return kind if isinstance(kind, str) else None
