"""What real servers do that the protocol leaves open, and the servers seen doing it.

Each quirk was met in a real server (issue 18: the LiteLLM proxy 1.108, llama.cpp's
`llama-server`, llama-cpp-python's server 0.3.36), so the loopback server can keep the
client honest about it in CI:

- `schema_500`: json_schema is refused with HTTP 500 and a validation message
  (llama-cpp-python).
- `loose_json_object`: json_object is answered with an object of the model's own shape,
  not the schema in the prompt (a small model under llama.cpp's JSON grammar).
- `interrupts`: a new request ends the stream running at once: [DONE], no finish reason
  (llama-cpp-python's interrupt_requests).
- `no_stream_usage`: stream_options.include_usage is ignored (llama-cpp-python).
- `proxied_retry_after`: a 429's Retry-After comes as llm_provider-retry-after (LiteLLM).
- `ratelimit_reset`: a 429 says when to come back only in x-ratelimit-reset-requests and
  -tokens (OpenAI's durations, such as 1m30s).
- `late_end`: the body ends a moment after data: [DONE], in a write of its own (LiteLLM).
- `closes_after_stream`: the connection is closed just after a stream, though its
  headers said keep-alive (llama-server).

`IMITATIONS` puts each server's quirks together, for the tests and for
`textrealms llm-server --imitate NAME`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from textrealms.llm.testing.answers import JsonMode
from textrealms.llm.testing.faults import Style

Quirk = Literal[
    "schema_500",
    "loose_json_object",
    "interrupts",
    "no_stream_usage",
    "proxied_retry_after",
    "ratelimit_reset",
    "late_end",
    "closes_after_stream",
]
QUIRKS: tuple[Quirk, ...] = get_args(Quirk)


@dataclass(frozen=True, slots=True)
class Imitation:
    """A real server, as far as the game meets it."""

    style: Style
    json_mode: JsonMode
    model: str
    """The model name its answers carry, whatever the request asked for."""
    quirks: frozenset[Quirk] = frozenset()
    slots: int | None = None
    """What `/props` reports as `total_slots`; None: no `/props` (a 404)."""


IMITATIONS: dict[str, Imitation] = {
    "litellm": Imitation(
        "openai", "prose", "mock-narrator", frozenset({"proxied_retry_after", "late_end"})
    ),
    "llama-server": Imitation(
        "llamacpp",
        "schema",
        "/models/tiny.gguf",
        frozenset({"loose_json_object", "closes_after_stream"}),
        slots=4,
    ),
    "llama-cpp-python": Imitation(
        "openai",
        "object",
        "/models/tiny.gguf",
        frozenset({"schema_500", "interrupts", "no_stream_usage"}),
    ),
}
"""LiteLLM's proxy with a `mock_response` model (prose, whatever is asked), llama.cpp's
own server, and llama-cpp-python's."""


def retry_headers(seconds: float, quirks: frozenset[Quirk]) -> dict[str, str]:
    """How a 429 says when to come back: as most servers do, as LiteLLM passes it on, or
    only as OpenAI's rate-limit reset times."""
    if "ratelimit_reset" in quirks:
        return {
            "x-ratelimit-reset-requests": duration(seconds),
            "x-ratelimit-reset-tokens": duration(seconds / 2),
        }
    prefix = "llm_provider-" if "proxied_retry_after" in quirks else ""
    return {
        f"{prefix}Retry-After": f"{seconds:g}",
        f"{prefix}retry-after-ms": str(round(seconds * 1000)),
    }


def duration(seconds: float) -> str:
    """`seconds` as OpenAI writes a reset time: 20ms, 1.5s, 6m0s."""
    if seconds < 1:
        return f"{round(seconds * 1000)}ms"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}m{rest:g}s" if minutes else f"{rest:g}s"
