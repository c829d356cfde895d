"""Pack prose cut into sentences: for what a revisit shows of a place, and for what the
story remembers having said."""

from __future__ import annotations

import re

_SPLIT = re.compile(r"(?<=[.!?])[\"”'’]*\s+")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\bDr|\bMr|\bMrs|\bMs|\bSt|\bMt)\.[\"”'’]*$")


def sentences(text: str) -> list[str]:
    """A text's sentences, split at . ! or ? (not after "Dr." and the like)."""
    out: list[str] = []
    for part in _SPLIT.split(" ".join(text.split())):
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] += " " + part
        elif part:
            out.append(part)
    return out
