"""The loopback model server speaks the wire format faithfully and breaks it on demand.

Checked with a raw aiohttp client and a tiny SSE splitter of the test's own, so the
server is tested independently of the game's client.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from typing import Any, Literal

import aiohttp
import pytest
from pydantic import BaseModel, ConfigDict, Field

from tests.helpers.paths import ROOT
from tests.helpers.sleeps import record_sleeps
from tests.helpers.waiting import TIMEOUT, until
from textrealms.llm.testing import FAULTS, Latency, LoopbackServer, prose
from textrealms.llm.testing import tokens as tokenizer
from textrealms.llm.testing.faults import HTTP_FAULTS, STYLES

KEY = "sk-loopback-test-key"
USER = {"role": "user", "content": "look at the old well"}
SYSTEM = {"role": "system", "content": "You narrate a quiet village."}


def chat(*, stream: bool = True, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"model": "loopback-1", "messages": [SYSTEM, USER], **extra}
    if stream:
        body |= {"stream": True, "stream_options": {"include_usage": True}}
    return body


def events(raw: bytes) -> list[str]:
    """The data of each event: `data:` lines joined with "\\n", comments skipped."""
    text = raw.decode().replace("\r\n", "\n")
    out = []
    for block in text.split("\n\n"):
        lines = [line[5:].removeprefix(" ") for line in block.split("\n") if line[:5] == "data:"]
        if lines:
            out.append("\n".join(lines))
    return out


def chunks(raw: bytes) -> list[dict[str, Any]]:
    return [json.loads(e) for e in events(raw) if e != "[DONE]"]


def content(raw: bytes) -> str:
    return "".join(
        c["choices"][0]["delta"].get("content") or "" for c in chunks(raw) if c.get("choices")
    )


@pytest.fixture
async def server() -> AsyncIterator[LoopbackServer]:
    async with LoopbackServer(retry_after=0.01) as loopback:
        yield loopback


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT)) as session:
        yield session


async def post(
    http: aiohttp.ClientSession, server: LoopbackServer, body: dict[str, Any], **kw: Any
) -> tuple[int, str, bytes]:
    async with http.post(f"{server.base_url}/chat/completions", json=body, **kw) as resp:
        return resp.status, resp.content_type, await resp.read()


async def test_openai_stream_is_the_prose_with_role_usage_and_done(server, http) -> None:
    body = chat()
    status, kind, raw = await post(http, server, body)
    assert (status, kind) == (200, "text/event-stream")
    found = chunks(raw)
    assert found[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert found[0]["object"] == "chat.completion.chunk" and found[0]["model"] == "loopback-1"
    assert b"data: {\ndata:  " in raw, "the first content chunk spans several data: lines"
    text = content(raw)
    assert text == prose(body) and "lamplit" in text
    assert 2 <= text.count(".") <= 3
    pieces = [c for c in found if c["choices"] and c["choices"][0]["delta"].get("content")]
    assert len(pieces) == len(text.split())
    assert found[-2]["choices"][0]["finish_reason"] == "stop"
    assert found[-1]["choices"] == []
    prompt = 6 + 5 + 2 * 3 + 3  # the words and the full stop, 3 a message, 3 for the reply
    completion = len(re.findall(r"\w+|[^\w\s]+", text))
    assert found[-1]["usage"] == {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
    assert raw.endswith(b"\n\ndata: [DONE]\n\n")


def test_prose_is_deterministic_and_clean() -> None:
    texts = {prose(chat(seed=seed)) for seed in range(30)}
    assert len(texts) > 5
    assert prose(chat(seed=3)) == prose(chat(seed=3))
    assert all("lamplit" in t and t.isprintable() for t in texts)


@pytest.mark.parametrize("style", STYLES)
async def test_each_style_streams_the_same_text_with_its_quirks(style, http) -> None:
    body = chat()
    async with LoopbackServer(style=style) as server:
        status, _, raw = await post(http, server, body)
    assert status == 200 and content(raw) == prose(body)
    first = chunks(raw)[0]["choices"][0]["delta"]
    assert first["content"] == (None if style in ("ollama", "lmstudio") else "")
    last = chunks(raw)[-1]
    assert last["choices"] == (None if style == "vllm" else [])
    assert raw.startswith(b": OPENROUTER PROCESSING\n\n") == (style == "openrouter")
    if style == "openrouter":
        assert raw.count(b": OPENROUTER PROCESSING") > 1
    if style == "llamacpp":
        assert raw.endswith(b"}\r\n\r\ndata: [DONE]")
        assert re.search(rb"[^\r]\n", raw) is None
    else:
        assert raw.endswith(b"data: [DONE]\n\n")


async def test_a_whole_answer_without_streaming(server, http) -> None:
    body = chat(stream=False)
    status, kind, raw = await post(http, server, body)
    answer = json.loads(raw)
    assert (status, kind, answer["object"]) == (200, "application/json", "chat.completion")
    choice = answer["choices"][0]
    assert choice["message"] == {"role": "assistant", "content": prose(body)}
    assert choice["finish_reason"] == "stop"
    assert answer["usage"]["completion_tokens"] == len(re.findall(r"\w+|[^\w\s]+", prose(body)))


async def test_models_and_health(server, http) -> None:
    async with http.get(f"{server.base_url}/models") as resp:
        assert resp.status == 200
        assert [m["id"] for m in (await resp.json())["data"]] == ["loopback-1"]
    async with http.get(server.base_url.removesuffix("/v1") + "/health") as resp:
        assert (resp.status, await resp.json()) == (200, {"status": "ok"})
    assert [r.path for r in server.requests] == ["/v1/models", "/health"]


async def test_a_key_is_checked_and_never_kept(http) -> None:
    async with LoopbackServer(api_key=KEY, style="openrouter") as server:
        missing = await post(http, server, chat())
        wrong = await post(http, server, chat(), headers={"Authorization": "Bearer nope"})
        right = await post(http, server, chat(), headers={"Authorization": f"Bearer {KEY}"})
        async with http.get(f"{server.base_url}/models") as resp:
            models = resp.status
    assert missing[0] == wrong[0] == 401 and right[0] == 200 and models == 401
    assert json.loads(wrong[2])["error"]["code"] == 401
    assert [r.authorized for r in server.requests] == [False, False, True, False]
    assert all("authorization" not in {k.lower() for k in r.headers} for r in server.requests)
    assert KEY not in repr(server) + repr(server.requests)


class Mood(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Literal["calm", "wary", "angry"]
    strength: int = Field(ge=1, le=5)


class Reaction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    npc: str
    line: str = Field(min_length=10, max_length=40)
    disposition: float
    stress: float = Field(ge=-1, le=1)


class Reactions(BaseModel):
    reactions: list[Reaction]


class Scene(BaseModel):
    """Nested models: pydantic writes `$defs` and `$ref`."""

    title: str = Field(max_length=12)
    moods: list[Mood] = Field(min_length=1, max_length=3)
    lead: Mood
    note: str | None
    done: bool
    weight: float = Field(gt=0, lt=0.5)
    tags: list[str] = Field(min_length=3, max_length=3)


class Trail(BaseModel):
    """A schema that refers to itself: the answer must still end."""

    step: str
    next: Trail | None


def structured(model: type[BaseModel], text: str = "What happens?") -> dict[str, Any]:
    fmt = {"name": model.__name__, "schema": model.model_json_schema(), "strict": True}
    return chat(
        messages=[SYSTEM, {"role": "user", "content": text}],
        response_format={"type": "json_schema", "json_schema": fmt},
    )


@pytest.mark.parametrize("model", [Mood, Reaction, Reactions, Scene, Trail])
async def test_structured_answers_are_valid_against_their_schema(model, server, http) -> None:
    body = structured(model)
    _, _, raw = await post(http, server, body)
    model.model_validate_json(content(raw))
    assert "$defs" in Scene.model_json_schema()


async def test_batched_reactions_name_the_listed_npcs(server, http) -> None:
    data = {"npcs": ["mira", "tomas", "old-jon"], "things": ["lamp", "rope"]}
    body = structured(Reactions, f"DATA\n```json\n{json.dumps(data, indent=1)}\n```")
    _, _, raw = await post(http, server, body | {"stream": False})
    answer = Reactions.model_validate_json(json.loads(raw)["choices"][0]["message"]["content"])
    assert [r.npc for r in answer.reactions] == ["mira", "tomas", "old-jon"]
    assert all(abs(r.disposition) <= 0.05 for r in answer.reactions)


async def test_object_mode_refuses_json_schema_and_reads_a_fenced_schema(http) -> None:
    schema = json.dumps(Reaction.model_json_schema())
    system = {"role": "system", "content": f"Answer as JSON:\n```json\n{schema}\n```"}
    async with LoopbackServer(json_mode="object", style="vllm") as server:
        refused = await post(http, server, structured(Reaction))
        body = chat(messages=[system, USER], response_format={"type": "json_object"})
        _, _, raw = await post(http, server, body)
        bare = chat(response_format={"type": "json_object"})
        _, _, empty = await post(http, server, bare)
    assert refused[0] == 400
    error = json.loads(refused[2])["error"]
    assert error["message"] == "response_format json_schema is not supported"
    assert error["code"] == 400
    Reaction.model_validate_json(content(raw))
    assert content(empty) == "{}"


async def test_an_example_answer_in_the_prompt_gets_an_answer_of_its_shape(server, http) -> None:
    example = {"line": "Mira nods.", "disposition": 0.5, "tags": ["calm"], "ok": True}
    system = {"role": "system", "content": f"Answer like:\n```json\n{json.dumps(example)}\n```"}
    body = chat(messages=[system, USER], response_format={"type": "json_object"})
    _, _, raw = await post(http, server, body)
    answer = json.loads(content(raw))
    assert {k: type(v) for k, v in answer.items()} == {k: type(v) for k, v in example.items()}
    assert all(isinstance(tag, str) for tag in answer["tags"])


async def test_fenced_mode_wraps_the_json_in_chatter(http) -> None:
    async with LoopbackServer(json_mode="fenced") as server:
        _, _, raw = await post(http, server, structured(Scene))
        _, _, plain = await post(http, server, chat())
    text = content(raw)
    fence = re.fullmatch(r"(.+)```json\n(.+)\n```(.+)", text, re.DOTALL)
    assert fence and fence[1].strip() and fence[3].strip()
    Scene.model_validate_json(fence[2])
    assert content(plain) == prose(chat())


@pytest.mark.parametrize("style", ["openrouter", "vllm"])
async def test_http_faults_answer_json_in_the_styles_shape(style, http) -> None:
    keys = (
        {"code", "message", "metadata"}
        if style == "openrouter"
        else {"message", "type", "param", "code"}
    )
    async with LoopbackServer(style=style, retry_after=0.25) as server:
        url = f"{server.base_url}/chat/completions"
        for fault, status in HTTP_FAULTS.items():
            server.inject(fault)
            async with http.post(url, json=chat()) as resp:
                error = (await resp.json())["error"]
                assert resp.status == status and error["code"] == status
                assert set(error) == keys and error["message"]
                retry = resp.headers.get("Retry-After"), resp.headers.get("retry-after-ms")
                assert retry == (("0.25", "250") if status == 429 else (None, None))
    assert [r.fault for r in server.requests] == list(HTTP_FAULTS)


async def test_flat_error_and_html_pages(server, http) -> None:
    server.inject("flat_error")
    server.inject("html_502")
    flat = await post(http, server, chat())
    html = await post(http, server, chat(stream=False))
    assert flat[:2] == (400, "application/json")
    assert json.loads(flat[2])["object"] == "error" and json.loads(flat[2])["code"] == 400
    assert html[:2] == (502, "text/html") and b"<h1>502 Bad Gateway</h1>" in html[2]


def healthy_start(raw: bytes, body: dict[str, Any], count: int = 3) -> list[dict[str, Any]]:
    """The chunks after the first `count` tokens, checking those tokens are the prose's."""
    found = chunks(raw)
    assert found[0]["choices"][0]["delta"]["role"] == "assistant"
    words = [c["choices"][0]["delta"]["content"] for c in found[1 : count + 1]]
    assert "".join(words) == "".join(re.findall(r"\s*\S+", prose(body))[:count])
    return found[count + 1 :]


@pytest.mark.parametrize(
    ("fault", "tail"),
    [
        ("error_chunk", b"data: [DONE]\n\n"),
        ("error_data", b"data: [DONE]\n\n"),
        ("no_done", b"}\n\n"),
        ("length", b"data: [DONE]\n\n"),
        ("content_filter", b"data: [DONE]\n\n"),
    ],
)
async def test_stream_faults_after_a_few_tokens(fault, tail, server, http) -> None:
    server.inject(fault)
    body = chat()
    status, _, raw = await post(http, server, body)
    assert status == 200 and raw.endswith(tail)
    rest = healthy_start(raw, body)
    if fault == "error_chunk":
        assert rest[0]["error"]["code"] == 502
        assert rest[0]["choices"][0]["finish_reason"] == "error"
    elif fault == "error_data":
        assert set(rest[0]) == {"error"}
    elif fault == "no_done":
        assert rest == [] and b"[DONE]" not in raw
    else:
        assert rest[0]["choices"][0]["finish_reason"] == fault
        assert rest[1]["usage"]["completion_tokens"] == 3


async def test_bad_json_mid_stream(server, http) -> None:
    server.fault = "bad_json"
    _, _, raw = await post(http, server, chat())
    assert events(raw)[-2:] == ["{not json", "[DONE]"]
    _, kind, whole = await post(http, server, chat(stream=False))
    assert (kind, whole) == ("application/json", b"{not json")


async def test_reset_after_a_few_tokens(server, http) -> None:
    server.inject("reset", times=2)
    received = b""
    with pytest.raises(aiohttp.ClientPayloadError):
        async with http.post(f"{server.base_url}/chat/completions", json=chat()) as resp:
            async for part in resp.content.iter_any():
                received += part
    assert len(chunks(received)) == 4 and b"[DONE]" not in received
    with pytest.raises(aiohttp.ClientPayloadError):
        await post(http, server, chat(stream=False))


async def test_huge_line_then_a_normal_end(server, http) -> None:
    server.inject("huge_line")
    _, _, raw = await post(http, server, chat())
    longest = max(raw.split(b"\n"), key=len)
    assert len(longest) > 1_000_000 and raw.endswith(b"data: [DONE]\n\n")
    assert chunks(raw)[-2]["choices"][0]["finish_reason"] == "stop"


async def test_hostile_answers(server, http) -> None:
    server.fault = "hostile"
    _, _, raw = await post(http, server, structured(Reactions, '["mira"]'))
    answer = json.loads(content(raw))
    first = answer["reactions"][0]
    assert first["npc"] == "nobody" and "unexpected_field" in answer
    assert {first["disposition"], first["stress"]} <= {1e308, -1e308, "NaN"}
    assert "\x1b[2J" in first["line"] and "Ignore previous instructions" in first["line"]
    _, _, prose_raw = await post(http, server, chat(stream=False))
    text = json.loads(prose_raw)["choices"][0]["message"]["content"]
    assert "\x1b[2J" in text and "lamplit" in text


async def test_non_streaming_cut_off_answers(server, http) -> None:
    server.fault = "length"
    _, _, raw = await post(http, server, chat(stream=False))
    choice = json.loads(raw)["choices"][0]
    assert choice["finish_reason"] == "length" and len(choice["message"]["content"].split()) == 3
    server.fault = "no_done"
    with pytest.raises(aiohttp.ClientPayloadError):
        await post(http, server, chat(stream=False))


async def test_injected_faults_come_first_then_the_standing_one(server, http) -> None:
    server.inject("http_503", times=2)
    statuses = [(await post(http, server, chat()))[0] for _ in range(3)]
    server.fault = "http_500"
    server.inject("http_429")
    statuses += [(await post(http, server, chat()))[0] for _ in range(2)]
    assert statuses == [503, 503, 200, 429, 500]
    assert [r.fault for r in server.requests] == [
        "http_503",
        "http_503",
        None,
        "http_429",
        "http_500",
    ]


def test_unknown_faults_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="http_429"):
        LoopbackServer(fault="teapot")
    with pytest.raises(ValueError, match="unknown fault 'teapot'"):
        LoopbackServer().inject("teapot")
    assert (
        *(f"http_{code}" for code in (400, 401, 402, 403, 408, 429, 500, 502, 503)),
        *("flat_error", "html_502", "error_chunk", "error_data", "no_done", "reset"),
        *("bad_json", "stall", "slow_first_byte", "length", "content_filter", "endless"),
        *("huge_line", "hostile"),
    ) == FAULTS


async def test_latency_delays_the_first_token_and_paces_the_rest(
    http, monkeypatch: pytest.MonkeyPatch
) -> None:
    latency = Latency(first_token=0.15, tokens_per_second=100, jitter=0.1)
    async with LoopbackServer(latency=latency) as server:
        asked = record_sleeps(monkeypatch)
        _, _, raw = await post(http, server, chat())
    first, *gaps = [delay for delay in asked if delay > 0]
    assert 0.15 * 0.9 <= first <= 0.15 * 1.1
    assert len(gaps) == len(content(raw).split()) - 1  # one between each two tokens
    assert all(0.01 * 0.9 <= gap <= 0.01 * 1.1 for gap in gaps)
    assert len(set(gaps)) > 1  # jittered


async def test_slow_first_byte_delays_the_headers(
    server, http, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.slow_seconds = 0.2
    server.inject("slow_first_byte")
    asked = record_sleeps(monkeypatch)
    status, _, raw = await post(http, server, chat())
    assert [delay for delay in asked if delay > 0] == [0.2]
    assert status == 200 and content(raw) == prose(chat())


@pytest.mark.parametrize("fault", ["endless", "stall"])
@pytest.mark.parametrize("stream", [True, False])
async def test_endless_and_stalled_answers_end_when_the_client_leaves(
    fault, stream, server, http
) -> None:
    baseline = len(asyncio.all_tasks())
    server.fault = fault
    async with http.post(f"{server.base_url}/chat/completions", json=chat(stream=stream)) as resp:
        assert resp.status == 200
        if stream:
            seen = b""
            while fault == "endless" and len(chunks(seen.rsplit(b"\n\n", 1)[0])) < 20:
                seen += await resp.content.readany()
            while fault == "stall" and b": keep-alive" not in seen:
                seen += await resp.content.readany()
        resp.close()
    await until(lambda: len(asyncio.all_tasks()) <= baseline)  # the handler has ended


async def test_close_cuts_open_streams_and_twice_is_fine(http) -> None:
    server = LoopbackServer(fault="endless")
    await server.start()
    server.inject("stall")
    streams = [
        await http.post(f"{server.base_url}/chat/completions", json=chat(stream=s))
        for s in (True, False)
    ]
    async with asyncio.timeout(TIMEOUT):
        await server.close()
        await server.close()
        for resp in streams:
            with pytest.raises(aiohttp.ClientPayloadError):
                await resp.read()
            resp.release()


async def test_llm_server_command_serves_until_interrupted(http) -> None:
    env = {**os.environ, "PYTHONASYNCIODEBUG": "0"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "textrealms", "llm-server", "--port", "0", "--fault", "http_429",
        "--imitate", "llama-server",
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    async with asyncio.timeout(TIMEOUT):
        line = (await proc.stdout.readline()).decode()
        match = re.fullmatch(
            r"Loopback model server at (http://127\.0\.0\.1:\d+/v1) \(fault: http_429\)\n", line
        )
        assert match, line
        async with http.get(f"{match[1]}/models") as resp:
            assert resp.status == 200
            assert (await resp.json())["data"][0]["id"] == "/models/tiny.gguf"
        async with http.get(f"{match[1].removesuffix('/v1')}/props") as resp:
            assert (await resp.json())["total_slots"] == 4
        proc.send_signal(signal.SIGINT)
        _, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()


async def test_llm_server_command_on_a_busy_port_says_so(server) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "textrealms", "llm-server", "--port", str(server.port),
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    async with asyncio.timeout(TIMEOUT):
        out, err = await proc.communicate()
    assert proc.returncode == 1 and out == b""
    assert err.decode().startswith(f"cannot serve on 127.0.0.1:{server.port}: ")
    assert "Traceback" not in err.decode()


def test_tokens_are_counted_as_a_tokenizer_cuts_text() -> None:
    text = 'You see {"name": "Mira", "stress": 0.05}.\n\n  Don\'t go!'
    cut = tokenizer.pieces(text)
    assert "".join(cut) == text
    assert cut[:5] == ["You", " see", ' {"', "name", '":']
    assert tokenizer.count("A lamplit window.") == 4
    body = {"messages": [SYSTEM, USER]}
    assert tokenizer.prompt(body) == 6 + 5 + 2 * 3 + 3


async def test_a_prose_only_model_answers_prose_whatever_is_asked(http) -> None:
    async with LoopbackServer(json_mode="prose") as server:
        for body in (structured(Reaction), chat(response_format={"type": "json_object"})):
            status, _, raw = await post(http, server, body)
            assert status == 200 and content(raw) == prose(body)


async def test_llama_cpp_python_refuses_json_schema_with_a_500(http) -> None:
    async with LoopbackServer(json_mode="object", quirks={"schema_500"}) as server:
        status, _, raw = await post(http, server, structured(Reaction))
    error = json.loads(raw)["error"]
    assert status == 500 and error["type"] == "internal_server_error"
    assert "Input should be 'text' or 'json_object'" in error["message"]


async def test_a_loose_json_object_ignores_the_schema_in_the_prompt(http) -> None:
    schema = json.dumps(Reaction.model_json_schema())
    system = {"role": "system", "content": f"Answer as JSON:\n```json\n{schema}\n```"}
    body = chat(messages=[system, USER], response_format={"type": "json_object"})
    async with LoopbackServer(quirks={"loose_json_object"}) as server:
        _, _, raw = await post(http, server, body)
        _, _, strict = await post(http, server, structured(Reaction))
    assert json.loads(content(raw)) == {"answer": prose(body)}
    Reaction.model_validate_json(content(strict))


async def test_a_new_request_interrupts_the_running_stream(http) -> None:
    slow = Latency(first_token=0.3, tokens_per_second=0.0, jitter=0.0)
    async with LoopbackServer(latency=slow, quirks={"interrupts"}) as server:
        first = asyncio.create_task(post(http, server, chat()))
        while len(server.requests) < 1:
            await asyncio.sleep(0.005)
        second = await post(http, server, chat(seed=1))
        _, _, cut = await first
    assert events(cut)[-1] == "[DONE]" and content(cut) == ""
    assert not [c for c in chunks(cut) if c.get("usage") or c["choices"][0]["finish_reason"]]
    assert content(second[2]) == prose(chat(seed=1))


async def test_usage_is_left_out_of_streams_when_the_server_ignores_the_option(http) -> None:
    async with LoopbackServer(quirks={"no_stream_usage"}) as server:
        _, _, raw = await post(http, server, chat())
    assert content(raw) == prose(chat()) and not [c for c in chunks(raw) if "usage" in c]


@pytest.mark.parametrize(
    ("quirk", "headers"),
    [
        ((), {"Retry-After": "90.5", "retry-after-ms": "90500"}),
        (
            ("proxied_retry_after",),
            {"llm_provider-Retry-After": "90.5", "llm_provider-retry-after-ms": "90500"},
        ),
        (
            ("ratelimit_reset",),
            {"x-ratelimit-reset-requests": "1m30.5s", "x-ratelimit-reset-tokens": "45.25s"},
        ),
    ],
)
async def test_a_429_says_when_to_come_back_as_each_server_does(quirk, headers, http) -> None:
    server = LoopbackServer(quirks=quirk, retry_after=90.5, fault="http_429")
    async with server, http.post(f"{server.base_url}/chat/completions", json=chat()) as resp:
        named = {k.lower() for k in resp.headers if "retry" in k.lower() or "reset" in k.lower()}
        assert resp.status == 429 and {k: resp.headers.get(k) for k in headers} == headers
    assert named == {k.lower() for k in headers}


async def test_props_reports_the_slots_only_where_the_server_has_them(http) -> None:
    for server, status, slots in ((LoopbackServer.imitating("llama-server"), 200, 4),
                                  (LoopbackServer(), 404, None)):  # fmt: skip
        async with server, http.get(f"{server.base_url.removesuffix('/v1')}/props") as resp:
            assert resp.status == status
            assert slots is None or (await resp.json())["total_slots"] == slots


def test_unknown_quirks_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"unknown quirks.*late_end"):
        LoopbackServer(quirks={"sluggish"})  # type: ignore[arg-type]
