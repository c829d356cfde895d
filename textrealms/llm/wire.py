"""Reading what an OpenAI-compatible server sends back: chunks, errors and JSON answers.

Pure functions over decoded values, so every shape seen in the wild (OpenRouter, vLLM,
llama.cpp, Ollama, proxies' HTML pages) is handled in one place and tested without a
server. Reasons are short and for the player: never a raw body, never a header.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pydantic_core

from textrealms.llm.clean import clean, valid
from textrealms.llm.provider import ProviderError

STATUS_WORDS: dict[int, str] = {
    400: "bad request",
    401: "the API key was refused",
    402: "out of credits",
    403: "refused by moderation",
    404: "model or address not found",
    408: "the server timed out",
    409: "conflict",
    413: "request too large",
    422: "request not understood",
    429: "rate limited",
    500: "server error",
    502: "the model is down",
    503: "no model available",
    504: "the gateway timed out",
}
RETRYABLE = frozenset({408, 409, 429}) | frozenset(range(500, 600))

FINISH_FAILURES: dict[str, str] = {
    "length": "the answer was cut off (too long)",
    "content_filter": "the answer was filtered",
    "error": "the model failed mid-answer",
}

_FENCE = re.compile(r"```(?:json|JSON)?\s*\n(.*?)```", re.S)
_DRIVE = re.compile(r"[A-Za-z]:[\\/]")
MAX_NAME = 80
"""The longest model name shown: a server could send anything."""
PROXIED = "llm_provider-"
"""How LiteLLM's proxy prefixes the headers it passes on from the server behind it."""
RATE_LIMIT_RESETS = ("x-ratelimit-reset-requests", "x-ratelimit-reset-tokens")
_NUMBER = r"(\d+(?:\.\d+)?)"
_DURATION = re.compile(rf"(?:{_NUMBER}h)?(?:{_NUMBER}m(?!s))?(?:{_NUMBER}s?)?(?:{_NUMBER}ms)?")
_SCHEMA_REFUSAL = re.compile(
    r"json_schema|json_object|response_format|json schema|structured", re.I
)


class WireError(ProviderError):
    """A failed exchange; `retryable` says whether trying again may help."""

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
        detail: str = "",
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after
        self.detail = detail
        """The server's own message, for deciding what to do; never shown to the player."""

    def refuses_schema(self) -> bool:
        """An error that says the server does not do the structured output asked for: a
        400 from most servers, a 500 from llama-cpp-python, so any status that names it."""
        return (self.status or 0) >= 400 and bool(_SCHEMA_REFUSAL.search(self.detail))


def http_error(status: int, content_type: str, body: bytes, headers: dict[str, str]) -> WireError:
    """The error for a non-200 answer, from its status and (if JSON) its body."""
    detail = _error_message(body) if "json" in content_type else ""
    reason = f"HTTP {status}: {STATUS_WORDS.get(status, 'error')}"
    return WireError(
        reason,
        status=status,
        retryable=status in RETRYABLE,
        retry_after=retry_after(headers, status),
        detail=detail,
    )


def retry_after(headers: dict[str, str], status: int | None = None) -> float | None:
    """Seconds the server asked us to wait: `retry-after-ms`, or `Retry-After` in seconds,
    also as a proxy renames them (LiteLLM's `llm_provider-retry-after`); for a 429 without
    them, the later of OpenAI's `x-ratelimit-reset-requests` and `-tokens` (a duration
    such as `1m30s`), when both limits have room again."""
    lowered: dict[str, str] = {}
    for key, said in sorted(headers.items(), key=lambda h: not h[0].lower().startswith(PROXIED)):
        lowered[key.lower().removeprefix(PROXIED)] = said  # the server's own names win
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = lowered.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) * scale
        except ValueError:
            return None  # an HTTP date: too far ahead to be worth reading
        return max(seconds, 0.0)
    if status != 429:
        return None
    resets = [_duration(lowered[name]) for name in RATE_LIMIT_RESETS if name in lowered]
    known = [seconds for seconds in resets if seconds is not None]
    return max(known) if known and len(known) == len(resets) else None


def _duration(text: str) -> float | None:
    """Seconds in a duration as OpenAI writes one (`6m0s`, `1.5s`, `20ms`, `2h`) or a
    bare number of seconds; None when it is neither."""
    text = text.strip()
    match = _DURATION.fullmatch(text)
    if not text or match is None:
        return None
    hours, minutes, seconds, millis = (float(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds + millis / 1000


def _error_message(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    error = data.get("error", data)
    if isinstance(error, dict):
        return str(error.get("message", ""))[:500]
    return str(error)[:500] if isinstance(error, str) else ""


@dataclass(frozen=True, slots=True)
class Chunk:
    """What one streamed chunk adds: text, an end, token counts."""

    text: str = ""
    finish: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    model: str | None = None
    """The model the server says answered, which may not be the name asked for."""


def chunk(data: str) -> Chunk:
    """Decode one `data:` payload; raises `WireError` for an error or a malformed one."""
    try:
        value = loads(data)
    except ValueError:
        raise WireError("the model sent malformed data") from None
    if not isinstance(value, dict):
        raise WireError("the model sent malformed data")
    if value.get("error") is not None:
        raise WireError("the model failed mid-answer")
    prompt, completion = _usage(value.get("usage"))
    model = value.get("model")
    model = model if isinstance(model, str) and model.strip() else None
    choices = value.get("choices") or []
    if not isinstance(choices, list) or not choices:
        return Chunk(prompt_tokens=prompt, completion_tokens=completion, model=model)
    choice = choices[0]
    if not isinstance(choice, dict):
        raise WireError("the model sent malformed data")
    delta = choice.get("delta") or choice.get("message") or {}
    content = delta.get("content") if isinstance(delta, dict) else None
    finish = choice.get("finish_reason")
    return Chunk(
        text=valid(content) if isinstance(content, str) else "",
        finish=finish if isinstance(finish, str) else None,
        prompt_tokens=prompt,
        completion_tokens=completion,
        model=model,
    )


def _usage(usage: object) -> tuple[int | None, int | None]:
    if not isinstance(usage, dict):
        return None, None
    prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
    return (
        prompt if isinstance(prompt, int) else None,
        completion if isinstance(completion, int) else None,
    )


def model_name(served: str) -> str:
    """A served model's name as the player should read it: a model file's path (as
    llama.cpp's server reports it) by its file name, anything else as it is."""
    name = clean(served).strip()
    if name.startswith(("/", "~", ".")) or _DRIVE.match(name) or "\\" in name:
        name = re.split(r"[\\/]", name)[-1] or name
    return name[:MAX_NAME]


def json_answer(text: str) -> Any:
    """The JSON object in a model's answer: the whole text, a fenced block, or the
    outermost braces in chatter. Raises `WireError` when there is none."""
    candidates = [text, *(m.group(1) for m in _FENCE.finditer(text))]
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start : end + 1])
    for candidate in candidates:
        try:
            value = loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return _valid(value)
    raise WireError("the model's answer was not JSON")


def loads(text: str) -> Any:
    """`json.loads`, the same values, read by pydantic-core where it can: a streamed
    answer decodes a chunk of JSON a token, and pydantic-core reads one in a third of the
    time. What it will not read (a lone surrogate, escaped or not, a deep nest, bad JSON)
    goes to `json.loads`, which decides."""
    try:
        return pydantic_core.from_json(text)
    except (ValueError, TypeError):  # TypeError: a str that is not valid UTF-8
        return json.loads(text)


def _valid(value: Any) -> Any:
    """A decoded JSON value with its strings made valid Unicode (`clean.valid`)."""
    if isinstance(value, str):
        return valid(value)
    if isinstance(value, dict):
        return {valid(k): _valid(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_valid(v) for v in value]
    return value
