"""What the story has already said: each sentence of its beats and reactions as a short
key, kept in the game state (`GameState.said`), so that a pool gives its unused lines
first and nothing is told a third time while anything else is left to tell.

Keys, not sentences, keep a save small; a key collision only makes one sentence count as
said once more than it was.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from textrealms.world.prose import sentences

KEPT = 400
"""Sentences remembered (the newest): a long game forgets what it said long ago."""
TWICE = 2
"""How often a sentence may be told in a game while its pool has others left."""

_WORDS = re.compile(r"[^a-z0-9 ]+")


def key(sentence: str) -> str:
    """A sentence's key: the same words, whatever their case, quotes and punctuation."""
    words = " ".join(_WORDS.sub(" ", sentence.lower()).split())
    return hashlib.blake2b(words.encode(), digest_size=3).hexdigest()


def keys(text: str) -> list[str]:
    return [key(s) for s in sentences(text)]


def tally(said: Iterable[str]) -> Counter[str]:
    """How often each key was said."""
    return Counter(said)


def staleness(text: str, said: Counter[str]) -> tuple[int, int]:
    """How said a text already is: its most told sentence's count, then all its counts."""
    counts = [said[k] for k in keys(text)]
    return max(counts, default=0), sum(counts)


def least_said(options: Sequence[str], said: Counter[str]) -> list[str]:
    """The options told least so far (each as stale as its most told sentence)."""
    if not options:
        return []
    scored = [(staleness(o, said), o) for o in options]
    best = min(score for score, _ in scored)
    return [o for score, o in scored if score == best]
