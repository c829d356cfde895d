"""The real provider: any OpenAI-compatible chat-completions server, streamed over aiohttp.

A game makes its own `ClientSession` lazily inside the running loop (a session made outside
it binds the wrong loop) and closes it in `aclose`; a process hosting many games hands
them one `shared_session` instead, so they share one connection pool rather than each
keeping its own sockets, and closes it itself. Headers and timeouts go with each request,
so any game can use any session. Prose is streamed; a structured answer, of which only
the whole is used, is asked unstreamed (one body to read, not a wake-up per token). One
reader handles both, and every fault; a failure is a `ProviderError` with a short reason
for the player, and the game master's template stands.

Retries happen only before the first piece of text: a 408, 409, 429 or 5xx, a refused
or broken connection, or a connect timeout is tried again after a capped, fully
jittered exponential backoff (or the server's `Retry-After`, if it is short enough).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import random
import time
from collections.abc import AsyncGenerator, Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pydantic_core
from pydantic import ValidationError

from textrealms.llm import prompts, wire
from textrealms.llm.bodies import MAX_ERROR, MAX_JSON, body_of, finish, paced
from textrealms.llm.budget import BUDGETS, Budget, within
from textrealms.llm.presets import LlmConfig
from textrealms.llm.provider import A, ProviderError, UnusableAnswer
from textrealms.llm.redact import redacted
from textrealms.llm.retry import Retry
from textrealms.llm.schemas import Answer, request_schema
from textrealms.llm.slots import Slots
from textrealms.llm.sse import Event, SseDecoder, SseError
from textrealms.llm.structured import Ladder
from textrealms.llm.tasks import Task
from textrealms.llm.usage import Usage
from textrealms.world.schema import WorldPack


def shared_session(
    limit: int = 0, response_class: type[aiohttp.ClientResponse] = aiohttp.ClientResponse
) -> aiohttp.ClientSession:
    """One session for many games: a connection pool of at most `limit` connections
    (0 = no limit) that its maker closes once every game using it has closed; a
    `response_class` of its own sees each answer's headers arrive (a bench's, say)."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=limit), response_class=response_class
    )


class OpenAICompatible:
    """A `Provider` speaking to `config`'s server, prompting from `pack`.

    With a `session` (see `shared_session`) its calls go through that session, which
    `aclose` leaves open; without one, the client makes its own and closes it.
    """

    def __init__(
        self,
        config: LlmConfig,
        pack: WorldPack,
        *,
        budgets: dict[str, Budget] | None = None,
        connect: float = 10.0,
        retry: Retry | None = None,
        limit: int = 8,
        seed: int | None = None,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.config = config
        self.pack = pack
        self.name = config.model
        """The model's name for the player: the one asked for, until the server says which
        it runs (a local server answers to any name, such as the preset's `default`)."""
        self.budgets = {**BUDGETS, **(budgets or {})}
        self.connect = connect
        self.retry = retry or Retry()
        self.limit = limit
        self.seed = seed
        self.usage = Usage()
        self.structured = Ladder()
        """How structured answers are asked for, as far as this model has shown it can."""
        self.slots: Slots | None = None
        """How many requests the server is sent at once: settled before the first."""
        self._sizing = asyncio.Lock()
        self._started = 0
        """Requests sent so far: a stream that sees the count move had company."""
        self._dice = random.Random(seed)
        self._served: str | None = None
        """The model's name as the server last reported it."""
        self._shared = session
        self._session: aiohttp.ClientSession | None = None
        self._headers = dict(config.preset.headers)
        auth = config.authorization()
        if auth is not None:
            self._headers["Authorization"] = auth
        self._posting = {**self._headers, "Content-Type": "application/json"}
        self._timeout = aiohttp.ClientTimeout(total=None, connect=connect)

    def stream(self, task: Task) -> AsyncGenerator[str, None]:
        """Prose for `task`, piece by piece; the game master times the pieces."""
        return self._prose(task, streamed=True)

    def whole(self, task: Task) -> AsyncGenerator[str, None]:
        """Prose for `task` asked unstreamed, in one piece (see `Whole`)."""
        return self._prose(task, streamed=False)

    def _prose(self, task: Task, *, streamed: bool) -> AsyncGenerator[str, None]:
        messages = prompts.messages(self.pack, task, None, inline_schema=False)
        return self._chat(self._body(task, messages, streamed=streamed), task.kind)

    async def complete(self, task: Task, schema: type[A]) -> A:
        """A structured answer, in the best JSON mode the model has shown it can give;
        `UnusableAnswer` when it gives none usable, or has never given one of this kind."""
        kind, ladder = task.kind, self.structured
        if kind in ladder.given_up:
            raise UnusableAnswer(f"the model gives no {kind} in JSON")
        budget = self.budgets[kind]
        # Only the whole answer is used, so it is asked unstreamed: it comes in one piece,
        # and the total is its one budget.
        whole = Budget(first_token=budget.total, idle=budget.total, total=budget.total)
        started = time.perf_counter()
        while True:
            mode = ladder.mode
            messages = prompts.messages(
                self.pack, task, schema, inline_schema=mode != "json_schema"
            )
            body = self._body(task, messages, streamed=False)
            if mode == "json_schema":
                body["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {
                        "name": schema.__name__,
                        "schema": request_schema(schema, task),
                        "strict": True,
                    },
                }
            elif mode == "json_object":
                body["response_format"] = {"type": "json_object"}
            try:
                pieces = [p async for p in within(self._chat(body, kind), whole, started)]
            except wire.WireError as exc:
                if exc.refuses_schema() and ladder.refused(mode):
                    continue
                raise
            break
        try:
            answer = schema.model_validate(wire.json_answer("".join(pieces)))
        except (wire.WireError, ValidationError) as exc:
            ladder.unusable(kind, mode)
            if isinstance(exc, wire.WireError):
                raise UnusableAnswer(str(exc)) from None
            raise UnusableAnswer(f"the model's {kind} did not fit its form") from None
        ladder.worked(kind, mode)
        return answer

    def request_key(self, task: Task, schema: type[Answer] | None) -> str:
        """A hash of the request as first sent (model, messages, schema, temperature...),
        for the answer cache: a reworded prompt or another model never reuses an answer."""
        body = self._body(task, prompts.messages(self.pack, task, schema, inline_schema=False))
        if schema is not None:
            body["schema"] = request_schema(schema, task)
        blob = json.dumps(body, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def room(self) -> int | None:
        """Requests that would be sent now without a wait; None before the first, when
        the limit is not known yet (a local server is asked for it then)."""
        return None if self.slots is None else self.slots.free

    async def aclose(self) -> None:
        """Close the session this client made and its connections (safe to call twice);
        a shared one is its maker's to close."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    def _body(
        self, task: Task, messages: list[prompts.Message], *, streamed: bool = True
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": messages,
            "stream": streamed,
            "temperature": prompts.TEMPERATURE[task.kind],
            self.config.preset.max_tokens_field: prompts.MAX_TOKENS.get(
                task.kind, prompts.DEFAULT_MAX_TOKENS
            ),
        }
        if streamed:
            body["stream_options"] = {"include_usage": True}
        attempt: int = getattr(task, "attempt", 0)
        if self.seed is not None or attempt:
            # A retelling asks anew: another seed, so neither the answer cache (keyed by
            # the body) nor a seeded server gives back the first telling's words.
            body["seed"] = (self.seed or 0) + attempt
        return body

    async def _slots(self) -> Slots:
        """The limit on requests at once: the player's, the preset's, or (for a local
        server) as many as the server reports slots, asked once before the first."""
        if self.slots is None:
            async with self._sizing:
                if self.slots is None:
                    config = self.config
                    limit = config.concurrency or config.preset.concurrency
                    self.slots = Slots(limit or await self._server_slots())
        return self.slots

    async def _server_slots(self) -> int:
        """How many requests the server serves at once, as llama.cpp's reports them at
        `/props`; 1 when it does not say."""
        url = f"{self.config.base_url.removesuffix('/v1')}/props"
        timeout = aiohttp.ClientTimeout(total=PROPS_SECONDS, connect=self.connect)
        try:
            async with self._open().get(url, headers=self._headers, timeout=timeout) as resp:
                props = json.loads(await body_of(resp, MAX_JSON)) if resp.status == 200 else {}
        except (aiohttp.ClientError, TimeoutError, ValueError):
            return 1
        slots = props.get("total_slots") if isinstance(props, dict) else None
        return slots if isinstance(slots, int) and not isinstance(slots, bool) and slots > 0 else 1

    def _open(self) -> aiohttp.ClientSession:
        if self._shared is not None:
            return self._shared
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.limit + 2)
            )
        return self._session

    async def _chat(self, body: dict[str, Any], kind: str) -> AsyncGenerator[str, None]:
        """One chat completion's text for a `kind` of task, retried while nothing has been
        shown yet."""
        url = f"{self.config.base_url}/chat/completions"
        sent = pydantic_core.to_json(body)  # once for every try, and faster than json's
        attempt = 0
        stale = False
        slots = await self._slots()
        while True:
            shown = answered = False
            try:
                async with slots.held():
                    self._started += 1
                    mark = self._started
                    async with self._open().post(
                        url, data=sent, headers=self._posting, timeout=self._timeout
                    ) as resp:
                        answered = True
                        if resp.status != 200:
                            head = await body_of(resp, MAX_ERROR)
                            raise wire.http_error(
                                resp.status, resp.content_type, head, dict(resp.headers)
                            )
                        cap = body[self.config.preset.max_tokens_field] * CHARS_PER_TOKEN
                        read = redacted(self._read(resp, kind, mark, cap), self.config.api_key)
                        async with contextlib.aclosing(read) as pieces:
                            async for piece in pieces:
                                shown = True
                                yield piece
                return
            except Interrupted:
                slots.lower(1)  # the server serves one at a time: the rest wait their turn
                if shown:
                    raise
                continue  # at once: nothing was shown, and no try is used up
            except wire.WireError as exc:
                if (
                    shown
                    or not exc.retryable
                    or ("response_format" in body and exc.refuses_schema())
                ):
                    raise  # a refused response_format is stepped down from, not retried
                error: ProviderError = exc
                asked = exc.retry_after
            except (aiohttp.ClientConnectionError, aiohttp.ServerTimeoutError, TimeoutError) as exc:
                if shown:
                    raise ProviderError("the connection broke mid-answer") from None
                if not answered and not stale and _closed_under_us(exc):
                    stale = True  # once, at once, on a new connection: no try is used up
                    continue
                error = ProviderError(_connection_reason(exc))
                asked = None
            delay = self.retry.delay(attempt, asked, self._dice)
            if attempt >= self.retry.attempts or delay is None:
                raise error
            attempt += 1
            await asyncio.sleep(delay)

    async def _read(
        self, resp: aiohttp.ClientResponse, kind: str, mark: int, cap: int
    ) -> AsyncGenerator[str, None]:
        """The text of a 200 answer (an event stream, or one JSON completion) to the
        `mark`th request sent; a stream is cut, its connection closed, once its text
        passes `cap` characters."""
        answer = _Answer(kind)
        if resp.content_type == "application/json":
            whole = wire.chunk((await body_of(resp, MAX_JSON)).decode("utf-8", "replace"))
            self._count(whole, answer)
            _check_finish(whole.finish)
            self._ended(answer)
            if whole.text:
                yield whole.text
            return
        if resp.content_type != "text/event-stream":
            raise wire.WireError(
                f"HTTP 200: not an event stream ({resp.content_type or 'no type'})"
            )
        decoder = SseDecoder()
        size = 0
        try:
            async with contextlib.aclosing(paced(resp, lambda: answer.said)) as reads:
                async for raw in reads:
                    text, failure = self._text(decoder.feed(raw), answer)
                    size += len(text)
                    if size > cap:
                        resp.close()  # not drained: a flood is not read to its end
                        raise wire.WireError(f"the answer ran past {cap:,} characters and was cut")
                    if text:
                        yield text
                    if failure is not None:
                        raise failure
                    if answer.done:
                        break
                else:
                    text, failure = self._text(decoder.close(), answer)
                    if text:
                        yield text
                    if failure is not None:
                        raise failure
        except SseError:
            raise wire.WireError("the model sent an oversized line") from None
        except aiohttp.ClientPayloadError:
            raise ProviderError("the connection broke mid-answer") from None
        if answer.done:
            await finish(resp)
        elif answer.finish is None:
            raise wire.WireError("the answer was cut short (the stream ended early)")
        if answer.done and self._started != mark and not (answer.finish and answer.said):
            raise Interrupted("the server dropped the answer for another request")
        self._ended(answer)

    def _text(self, events: Iterator[Event], answer: _Answer) -> tuple[str, Exception | None]:
        """The text of the events one network read completes, as one piece: a backlog of
        tokens then costs the game one wake-up, not one per token. The error that ends
        them comes second, so that the text before it is still shown."""
        texts: list[str] = []
        try:
            for event in events:
                texts.append(self._event(event, answer))
        except (wire.WireError, SseError) as exc:
            return "".join(texts), exc
        return "".join(texts), None

    def _event(self, event: Event, answer: _Answer) -> str:
        """The text an event adds; notes the end of the answer in `answer`."""
        if event.data is None or answer.done:
            return ""  # a keep-alive comment: the server lives, but it is no progress
        if event.data.strip() == "[DONE]":
            answer.done = True
            return ""
        if event.name == "error":
            raise wire.WireError("the model failed mid-answer")
        piece = wire.chunk(event.data)
        self._count(piece, answer)
        if piece.finish is not None:
            _check_finish(piece.finish)
            answer.finish = piece.finish
        answer.said |= bool(piece.text)
        return piece.text

    def _count(self, piece: wire.Chunk, answer: _Answer) -> None:
        """Note what a chunk says of the answer: its token counts, the model's name."""
        if piece.model is not None and piece.model != self._served:
            self._served = piece.model  # every chunk says it: read once, not per token
            self.name = wire.model_name(piece.model)
        if piece.prompt_tokens is not None or piece.completion_tokens is not None:
            answer.counted = True
            self.usage.add(piece.prompt_tokens or 0, piece.completion_tokens or 0, answer.kind)

    def _ended(self, answer: _Answer) -> None:
        """A whole answer came: one whose server said nothing of its tokens is counted
        as such (llama-cpp-python sends no usage when streaming, even when asked)."""
        if not answer.counted:
            self.usage.unreported += 1


CHARS_PER_TOKEN = 8
"""A streamed answer is cut past its `max_tokens` times this many characters: twice what
a token usually spells, so only a server that ignores `max_tokens` is ever cut."""
PROPS_SECONDS = 5.0
"""How long a local server is given to say how many requests it serves at once."""


class Interrupted(UnusableAnswer):
    """The server dropped this answer to serve a newer request (llama-cpp-python ends
    the stream with [DONE] and no finish reason, or no text at all)."""


@dataclass(slots=True)
class _Answer:
    """What one answer has said so far of itself."""

    kind: str
    """The task kind the answer is for, whose usage it counts."""
    done: bool = False
    """`[DONE]` arrived."""
    finish: str | None = None
    """The finish reason a chunk gave."""
    counted: bool = False
    """A chunk reported token usage."""
    said: bool = False
    """Some text came."""


def _check_finish(finish: str | None) -> None:
    reason = wire.FINISH_FAILURES.get(finish or "")
    if reason is not None:
        raise wire.WireError(reason)


def _closed_under_us(exc: Exception) -> bool:
    """Whether a request failed because the server had closed the pooled connection it
    went out on (llama-server closes each after a stream, though it says keep-alive)."""
    if isinstance(exc, aiohttp.ClientConnectorError):
        return False  # no connection could be made: the server is not there
    return isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientOSError)


def _connection_reason(exc: Exception) -> str:
    if isinstance(exc, TimeoutError | aiohttp.ServerTimeoutError):
        return "the server did not answer in time"
    return "could not reach the model server"
