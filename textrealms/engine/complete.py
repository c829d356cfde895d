"""Completing a half-typed command: the registry's verbs, directions and the nouns in scope.

Any front end can offer it (the TUI on tab; a line editor could too). It only suggests:
what the player sends is still parsed as typed.
"""

from __future__ import annotations

from textrealms.engine.parser import DIRECTION_WORDS
from textrealms.engine.scope import reachable
from textrealms.engine.verbs.registry import VERBS
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

SHORTEST = 3
"""Verb phrases shorter than this ("x", "l", "inv"...) are abbreviations, not completions."""


def verbs() -> list[str]:
    """Every verb phrase and direction the parser knows, in full, each once."""
    phrases = [p for verb in VERBS for p in verb.phrases if len(p) >= SHORTEST]
    return sorted(set(phrases) | {d for d in DIRECTION_WORDS if len(d) >= SHORTEST})


def nouns(pack: WorldPack, state: GameState) -> list[str]:
    """The names of what the player can act on now, lowercased as a player types them."""
    return sorted({t.name.lower() for t in reachable(pack, state)})


def complete(pack: WorldPack, state: GameState, text: str) -> list[str]:
    """Whole commands that `text` could be the start of, shortest first.

    The first word completes to a verb; a later one to a noun in scope, matched from the
    earliest word that still fits ("take iron k" -> "take iron key").
    """
    if not text.strip():
        return []
    lowered = text.lower()
    found = [v for v in verbs() if v.startswith(lowered) and v != lowered]
    names = nouns(pack, state)
    starts = [i + 1 for i, ch in enumerate(text) if ch == " "]
    for start in starts:
        tail = lowered[start:]
        fits = [n for n in names if n.startswith(tail) and n != tail]
        if fits:
            found += [text[:start] + n for n in fits]
            break
    return sorted(dict.fromkeys(found), key=lambda c: (len(c), c))


def common_prefix(candidates: list[str]) -> str:
    """What every candidate starts with: as far as tab can complete without choosing."""
    if not candidates:
        return ""
    first, last = min(candidates), max(candidates)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]
