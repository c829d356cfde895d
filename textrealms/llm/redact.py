"""Keeping the API key out of a model's answer, even when it comes split across pieces.

A model may echo what it was sent (a prompt-injected player, a proxy's debug page); the
key must never reach the screen, a save, the answer cache or a log for all that. Pieces
are passed on as they come, except for a tail that could be the start of the key, which
waits for the next piece to tell.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator

REDACTED = "[key]"
SHORTEST = 8
"""Keys shorter than this are not looked for: every word would be a suspect, and no real
provider issues one."""


class Redactor:
    """Feed text in pieces; get it back with every whole occurrence of `secret` replaced."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self._held = ""

    def feed(self, piece: str) -> str:
        text = (self._held + piece).replace(self.secret, REDACTED)
        keep = _prefix_tail(text, self.secret)
        self._held = text[len(text) - keep :] if keep else ""
        return text[: len(text) - keep]

    def close(self) -> str:
        """What was held back at the end: it was not the key after all."""
        held, self._held = self._held, ""
        return held


def _prefix_tail(text: str, secret: str) -> int:
    """The length of the longest end of `text` that the secret starts with."""
    for size in range(min(len(text), len(secret) - 1), 0, -1):
        if secret.startswith(text[-size:]):
            return size
    return 0


def redacted(pieces: AsyncGenerator[str, None], secret: str | None) -> AsyncGenerator[str, None]:
    """`pieces` without `secret` in them (`pieces` itself, when there is no secret to
    keep); closing this closes `pieces` too."""
    if secret is None or len(secret) < SHORTEST:
        return pieces
    return _redacted(pieces, secret)


async def _redacted(pieces: AsyncGenerator[str, None], secret: str) -> AsyncGenerator[str, None]:
    async with contextlib.aclosing(pieces):
        redactor = Redactor(secret)
        async for piece in pieces:
            text = redactor.feed(piece)
            if text:
                yield text
    tail = redactor.close()
    if tail:
        yield tail
