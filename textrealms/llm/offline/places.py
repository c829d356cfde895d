"""A place as the narrator tells it: its name, and a sentence of its air from the pack's
lexicon, which rooms, actions and beats all use.
"""

from __future__ import annotations

from textrealms.llm.offline.shaping import bare, lower_start
from textrealms.llm.offline.writer import UnknownId, Writer
from textrealms.world.schema import WorldPack


def place(pack: WorldPack, ident: str) -> str:
    """A location's name, checking the id."""
    if ident not in pack.locations:
        raise UnknownId(f"no location {ident!r} in this world")
    return pack.locations[ident].name


def lexicon_phrases(w: Writer, location: str, count: int) -> list[str]:
    """Up to `count` flavour phrases for a location, each from a different tag if it can."""
    tags = [t for t in w.pack.locations[location].tags if w.pack.lexicon.get(t)]
    chosen = [w.pick(w.pack.lexicon[t]) for t in w.sample(tags, count)]
    if len(chosen) < count and tags:
        spare = [p for t in tags for p in w.pack.lexicon[t] if p not in chosen]
        chosen += w.sample(spare, count - len(chosen))
    return [bare(p) for p in chosen if bare(p)]


MOOD_FRAMES = (
    "{P1}.",
    "{P1}, and {p2}.",
    "{P1}; {p2}.",
    "All around, {a1}.",
    "All the while, {a1}.",
    "Meanwhile, {a1}, and {p2}.",
)
"""`{a1}` is the first phrase when it opens with an article, and so can follow an adverb."""


def mood_sentence(w: Writer, location: str, most: int = 2) -> str | None:
    """One sentence of a place's air, from one or two phrases of its lexicon."""
    phrases = lexicon_phrases(w, location, w.pick(range(1, most + 1)))
    if not phrases:
        return None
    second = phrases[1] if len(phrases) > 1 else None
    values = {"p1": phrases[0], "p2": second, "a1": lower_start(phrases[0])}
    frames = [f for f in MOOD_FRAMES if ("{p2}" in f) == (second is not None)]
    return w.frame(frames, values)
