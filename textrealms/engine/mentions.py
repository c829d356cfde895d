"""What a person's own lines name, that a player will want to ask them about: names
(capitalised words within a sentence), short quoted words ('savoury'), and what they
invite questions on ("Ask me about Tamsin, the granary, the witch." "Ask useful
questions. Fuel. Nav. The locker.").

`validate` warns about each one that cannot be asked about (`textrealms.engine.checks`),
so that no one says "Never heard of it" about a name they have just said.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from textrealms.world.prose import sentences

SHORT = 3
"""At most this many words make a mention; longer is a clause, not a name."""
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+)*[A-Z][\w'’-]*)*")
_QUOTED = re.compile(r"(?<![\w])['‘]([^'‘’\n]+?)['’](?![\w])")
_START = re.compile(r"""^[\s"“'‘(—–-]*""")
_PARTS = re.compile(r",|;|\band\b|\bor\b", re.IGNORECASE)
_OPEN = re.compile(r"\b(away|anything|whatever|everything)\b")
"""Words of an invitation to ask anything at all, which no list of topics follows
("Ask away. There's always more.")."""
_CLAUSE = re.compile(r"(then|before|after|because|if|when|so|but|until|while)\b", re.I)
"""Words that end a list of topics and start a clause ("the release, and then choose")."""
_NOT_NAMES = frozenset(
    {
        *("I", "I'm", "I'd", "I'll", "I've", "OK", "Mister", "Sir", "Madam", "Ma'am"),
        *("If", "But", "And", "Or", "So", "Then", "When", "The", "A", "An", "Yes", "No"),
        *("Oh", "Well", "Now", "Not", "What", "Who", "Why", "How", "This", "That", "It"),
        *("Go", "Come", "Look", "Ask", "Tell", "Take", "Give", "Bring", "Please", "Just"),
        *("You", "You've", "You're", "You'll", "You'd", "We", "We've", "We're", "He", "She"),
        *("They", "There", "Here"),
    }
)
"""Capitalised words that open a clause rather than name anything."""
CALENDAR = frozenset(
    {
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december"),
    }
)
"""Days and months: names, but not of anything to ask about."""
VAGUE = frozenset(
    {
        "a",
        "an",
        "the",
        "that",
        "this",
        "about",
        "anything",
        "anybody",
        "anyone",
        "everything",
        "everyone",
        "whatever",
        "something",
        "nothing",
        "me",
        "you",
        "him",
        "her",
        "them",
        "it",
        "what",
        "how",
        "why",
        "who",
        "where",
        "when",
        "if",
        "properly",
        "ask",
        "tell",
    }
)
"""Words that do not name anything in an invitation ("ask me anything, about anybody")."""


def mentions(text: str) -> list[str]:
    """What `text` names, each once, in order."""
    found = [*_names(text), *_quoted(text), *_invited(text)]
    return list(dict.fromkeys(m for m in found if m))


def _names(text: str) -> Iterator[str]:
    """Capitalised words within a sentence (the first word of a sentence may be any
    word, so a run of capitals that opens one is a name from its second word)."""
    for sentence in sentences(text):
        start = len(_START.match(sentence)[0])  # type: ignore[index]
        for found in _NAME.finditer(sentence):
            words = found[0].split()
            if found.start() <= start or _opens_clause(sentence, found.start()):
                words = words[1:]
            while words and words[0] in _NOT_NAMES:
                words = words[1:]
            name = " ".join(words).strip("'’").removesuffix("'s").removesuffix("’s")
            if (
                len(name) > 1
                and name not in _NOT_NAMES
                and name.lower().removesuffix("s") not in CALENDAR
            ):
                yield name


def _opens_clause(sentence: str, at: int) -> bool:
    """Whether a word at `at` opens speech or a clause (after a quote mark or a colon)."""
    before = sentence[:at].rstrip()
    return before.endswith(('"', "“", "'", "‘", ":", "—", "--"))


def _quoted(text: str) -> Iterator[str]:
    for found in _QUOTED.finditer(text):
        if len(found[1].split()) <= SHORT:
            yield found[1].strip(" .,!?")


def _invited(text: str) -> Iterator[str]:
    """What a person asks to be asked about: the list after "ask ... about", or the short
    fragments that follow an "ask" without one."""
    following = False
    for sentence in sentences(text):
        low = sentence.lower()
        if re.search(r"\bask\b", low):
            after = re.split(r"\babout\b", sentence, maxsplit=1, flags=re.IGNORECASE)
            following = len(after) == 1 and not _OPEN.search(low)
            if len(after) > 1:
                yield from _fragments(after[1])
            continue
        if following:
            parts = list(_fragments(sentence, strict=True))
            if not parts:
                following = False
            yield from parts


def _fragments(clause: str, *, strict: bool = False) -> Iterator[str]:
    """The short parts of a list ("Tamsin, the Provost, that bargeman"); `strict`: all of
    them short, or none."""
    parts = [p.strip(" .!?\"“”'") for p in _PARTS.split(clause)]
    ends = [i for i, p in enumerate(parts) if _CLAUSE.match(p)]
    parts = parts[: ends[0]] if ends else parts
    kept = [p for p in parts if p and len(p.split()) <= SHORT]
    if strict and len(kept) < len([p for p in parts if p]):
        return
    for part in kept:
        words = [w for w in part.split() if w.lower().strip(".,!?") not in VAGUE]
        if words:
            yield " ".join(words)
