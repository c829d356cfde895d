"""Token counts for the loopback server's usage reports and the bench's cost scenario.

A real tokenizer needs its vocabulary, which nothing here may download, so text is cut
the way GPT-2's byte-pair tokenizer cuts it before merging (contractions, words with
their leading space, digit runs, punctuation runs, whitespace runs) and each piece is
counted as one token: close to what hosted models bill for English prose and JSON, a
little under for rare long words. A chat message also costs its role and the markers
around it, as chat templates add them.
"""

from __future__ import annotations

import re
from typing import Any

_PIECE = re.compile(r"'(?:s|t|re|ve|m|ll|d)| ?[^\W\d_]+| ?\d+| ?[^\s\w]+|_+|\s+(?!\S)|\s+")
PER_REPLY = 3
"""Tokens that prime the assistant's reply."""


def pieces(text: str) -> list[str]:
    """`text` cut into its tokens; they join back to `text` exactly."""
    return _PIECE.findall(text)


def count(text: str) -> int:
    return len(pieces(text))


def messages(body: dict[str, Any]) -> list[str]:
    """A chat request's prompt as the model reads it, token by token: each message's
    role between start and end markers, as chat templates wrap it, and its content, in
    order: what a provider's prompt cache compares."""
    found = body.get("messages")
    out: list[str] = []
    for message in found if isinstance(found, list) else ():
        if not isinstance(message, dict):
            continue
        content = message.get("content")
        text = pieces(content if isinstance(content, str) else "")
        out += ["<|start|>", str(message.get("role")), *text, "<|end|>"]
    return out


def prompt(body: dict[str, Any]) -> int:
    """The prompt tokens a server bills for a chat request."""
    return len(messages(body)) + PER_REPLY
