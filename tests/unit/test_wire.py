"""Reading servers' answers: chunks in every shape, errors, JSON in prose, Retry-After."""

from __future__ import annotations

import json
import random

import pytest

from textrealms.llm import wire
from textrealms.llm.retry import Retry


def test_chunks_in_the_shapes_servers_send() -> None:
    assert wire.chunk('{"choices":[{"delta":{"role":"assistant","content":""}}]}').text == ""
    assert wire.chunk('{"choices":[{"delta":{"content":null}}]}').text == ""
    assert wire.chunk('{"choices":[{"delta":{"content":"hi"}}]}').text == "hi"
    usage = wire.chunk('{"choices":null,"usage":{"prompt_tokens":3,"completion_tokens":4}}')
    assert (usage.prompt_tokens, usage.completion_tokens, usage.text) == (3, 4, "")
    assert wire.chunk('{"choices":[],"usage":null}') == wire.Chunk()
    stop = wire.chunk('{"choices":[{"delta":{},"finish_reason":"stop"}]}')
    assert stop.finish == "stop"


@pytest.mark.parametrize(
    "data",
    ['{"error":{"message":"boom"},"choices":[{"finish_reason":"error"}]}', "{bad", "[1]"],
)
def test_error_and_malformed_chunks_raise(data: str) -> None:
    with pytest.raises(wire.WireError):
        wire.chunk(data)


def test_http_errors_are_short_and_never_the_body() -> None:
    body = b'{"error":{"message":"json_schema is not supported by this model sk-abc","code":400}}'
    error = wire.http_error(400, "application/json", body, {})
    assert str(error) == "HTTP 400: bad request" and error.refuses_schema()
    assert not error.retryable
    html = wire.http_error(502, "text/html", b"<html>Bad gateway</html>", {"Retry-After": "2"})
    assert str(html) == "HTTP 502: the model is down" and html.retryable
    assert html.retry_after == 2.0 and not html.refuses_schema()
    assert str(wire.http_error(418, "", b"", {})) == "HTTP 418: error"


def test_retry_after_in_seconds_milliseconds_or_a_date() -> None:
    assert wire.retry_after({"retry-after-ms": "250"}) == 0.25
    assert wire.retry_after({"Retry-After": "3"}) == 3.0
    assert wire.retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) is None
    assert wire.retry_after({}) is None


def test_retry_after_as_proxies_and_rate_limits_say_it() -> None:
    assert wire.retry_after({"llm_provider-retry-after": "7"}) == 7.0
    assert wire.retry_after({"LLM_PROVIDER-RETRY-AFTER-MS": "1500"}) == 1.5
    assert wire.retry_after({"retry-after": "2", "llm_provider-retry-after": "9"}) == 2.0
    resets = {"x-ratelimit-reset-requests": "1m30.5s", "x-ratelimit-reset-tokens": "250ms"}
    assert wire.retry_after(resets, 429) == 90.5  # both limits must have room again
    assert wire.retry_after(resets, 503) is None  # a reset time says nothing about an outage
    assert wire.retry_after({"x-ratelimit-reset-tokens": "2h"}, 429) == 7200.0
    assert wire.retry_after({"x-ratelimit-reset-requests": "0.5"}, 429) == 0.5
    assert wire.retry_after({"x-ratelimit-reset-requests": "soon"}, 429) is None
    proxied = wire.http_error(429, "", b"", {"llm_provider-retry-after": "0.05"})
    assert proxied.retry_after == 0.05


def test_backoff_is_capped_full_jitter_and_honours_the_server_up_to_a_cap() -> None:
    retry = Retry(attempts=5, base=0.5, cap=2.0, honour=10.0)
    dice = random.Random(1)
    delays = [retry.delay(n, None, dice) for n in range(8)]
    assert all(d is not None and 0 <= d <= 2.0 for d in delays)
    assert retry.delay(0, 4.0, dice) == 4.0
    assert retry.delay(0, 11.0, dice) is None


def test_json_is_found_whole_fenced_or_in_chatter() -> None:
    assert wire.json_answer('{"text": "a"}') == {"text": "a"}
    assert wire.json_answer('Sure!\n```json\n{"text": "b"}\n```\nEnjoy.') == {"text": "b"}
    assert wire.json_answer('Here: {"text": "c"} ok') == {"text": "c"}
    with pytest.raises(wire.WireError):
        wire.json_answer("no json here")


@pytest.mark.parametrize(
    "text",
    [
        '{"choices": [{"delta": {"content": " word"}}]}',
        '"\\ud800 a lone surrogate"',
        '{"text": "a raw lone surrogate \ud800"}',
        '{"a": NaN, "b": 1e400, "c": 12345678901234567890123}',
        '{"a": 1, "a": 2}',
        "[" * 300 + "]" * 300,
    ],
    ids=["chunk", "surrogate", "raw-surrogate", "nan-inf-bigint", "duplicate-key", "deep"],
)
def test_loads_reads_what_json_loads_reads(text: str) -> None:
    assert repr(wire.loads(text)) == repr(json.loads(text))  # repr: NaN is not equal to itself


@pytest.mark.parametrize("text", ['{"a": 1} trailing', "{", ""])
def test_loads_refuses_what_json_loads_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        wire.loads(text)
