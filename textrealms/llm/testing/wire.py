"""Server-sent-event framing and chat-completion objects, with each server style's quirks.

Quirks, on every stream of the style:
- `openrouter`: `: OPENROUTER PROCESSING` comment lines before the first token and
  between tokens.
- `vllm`: the usage chunk has `"choices": null`.
- `llamacpp`: events end with `\\r\\n\\r\\n`, and `data: [DONE]` ends the body with no line
  break after it.
- `ollama`, `lmstudio`: the first delta is `{"role": "assistant", "content": null}`.
- `openai`: the first content chunk is pretty-printed JSON sent as one `data:` line per
  JSON line (legal SSE; the lines join with "\\n" into valid JSON).
"""

from __future__ import annotations

import json
import time
from typing import Any

from textrealms.llm.testing.faults import Style

PROCESSING = ": OPENROUTER PROCESSING"
KEEP_ALIVE = ": keep-alive"
_SLOT = "\u0000slot"
COMMENT_EVERY = 4
"""OpenRouter-style comments go between every this many tokens."""


class Wire:
    """The bytes of one response: ids, timestamps and the style's line breaks."""

    def __init__(self, style: Style, model: str, number: int) -> None:
        self.style = style
        self.model = model
        self.id = f"chatcmpl-loopback-{number}"
        self.created = int(time.time())
        self.eol = "\r\n" if style == "llamacpp" else "\n"
        template = json.dumps(self.delta({"content": _SLOT}))
        self._before, self._after = template.split(json.dumps(_SLOT))

    def comment(self, text: str) -> bytes:
        return f"{text}{self.eol}{self.eol}".encode()

    def event(self, payload: str) -> bytes:
        lines = "".join(f"data: {line}{self.eol}" for line in payload.split("\n"))
        return f"{lines}{self.eol}".encode()

    def chunk(self, value: dict[str, Any], *, pretty: bool = False) -> bytes:
        return self.event(json.dumps(value, indent=1 if pretty else None))

    def content(self, piece: str) -> bytes:
        """A content chunk, the hot path: the JSON around the text is built only once."""
        return f"data: {self._before}{json.dumps(piece)}{self._after}{self.eol}{self.eol}".encode()

    def done(self) -> bytes:
        return b"data: [DONE]" if self.style == "llamacpp" else self.event("[DONE]")

    def delta(self, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return self.head("chat.completion.chunk") | {"choices": [choice]}

    def role(self) -> dict[str, Any]:
        content = None if self.style in ("ollama", "lmstudio") else ""
        return self.delta({"role": "assistant", "content": content})

    def usage_chunk(self, usage: dict[str, int]) -> dict[str, Any]:
        choices: list[Any] | None = None if self.style == "vllm" else []
        return self.head("chat.completion.chunk") | {"choices": choices, "usage": usage}

    def completion(self, content: str, finish: str, usage: dict[str, int]) -> dict[str, Any]:
        message = {"role": "assistant", "content": content}
        choice = {"index": 0, "message": message, "finish_reason": finish}
        return self.head("chat.completion") | {"choices": [choice], "usage": usage}

    def head(self, kind: str) -> dict[str, Any]:
        return {"id": self.id, "object": kind, "created": self.created, "model": self.model}


def usage(prompt: int, completion: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
