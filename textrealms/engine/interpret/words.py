"""The words of free text: a line cut into clauses, and the politeness and filler that no
command needs ("I'd like to", "please", "carefully").

Everything here works on lowercased word lists; what the words name is for the modules
that know the world.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz.distance import Indel


def wordset(text: str) -> frozenset[str]:
    """The words of `text`, as a set: the word lists here read as prose."""
    return frozenset(text.split())


_TOKEN = re.compile(r"[\w'’-]+|[.,;!?]")
BREAKS = frozenset({".", ",", ";", "!", "?"})
"""Punctuation that may end a command: "take key. n", "take key, then go north"."""

_CONTRACTIONS: dict[str, tuple[str, ...]] = {
    "i'd": ("i", "would"),
    "id": ("i", "would"),
    "i'll": ("i", "will"),
    "i'm": ("i", "am"),
    "im": ("i", "am"),
    "i've": ("i", "have"),
    "what's": ("what", "is"),
    "whats": ("what", "is"),
    "who's": ("who", "is"),
    "whos": ("who", "is"),
    "where's": ("where", "is"),
    "wheres": ("where", "is"),
    "how's": ("how", "is"),
    "let's": ("let", "us"),
    "lets": ("let", "us"),
    "can't": ("cannot",),
    "cant": ("cannot",),
    "don't": ("do", "not"),
    "dont": ("do", "not"),
    "wanna": ("want", "to"),
    "gonna": ("going", "to"),
    "gotta": ("got", "to"),
    "pls": ("please",),
    "plz": ("please",),
}


def _by_word(phrases: list[tuple[str, ...]], at: int) -> dict[str, list[tuple[str, ...]]]:
    """`phrases`, longest first, by their first word (`at` 0) or last (`at` -1): a line
    is only matched against those that start (or end) with its own first (or last) word."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        found.setdefault(phrase[at], []).append(phrase)
    return found


_LEADING = _by_word(
    [
        tuple(phrase.split())
        for phrase in (
            "please",
            "kindly",
            "ok",
            "okay",
            "alright",
            "so",
            "well",
            "um",
            "uh",
            "hmm",
            "now",
            "just",
            "first",
            "also",
            "then",
            "and",
            "next",
            "finally",
            "maybe",
            "perhaps",
            "i want to",
            "i would like to",
            "i would love to",
            "i would",
            "i need to",
            "i have to",
            "i got to",
            "i must",
            "i should",
            "i shall",
            "i will",
            "i am going to",
            "i going to",
            "i try to",
            "i try and",
            "i attempt to",
            "i decide to",
            "i think i will",
            "i",
            "we",
            "let me",
            "let us",
            "can i",
            "could i",
            "may i",
            "might i",
            "shall i",
            "can we",
            "can you",
            "could you",
            "would you",
            "will you",
            "try to",
            "try and",
            "attempt to",
            "go and",
            "then go and",
            "here",
            "here you go",
            "here you are",
        )
    ],
    0,
)
"""What a line may start with before its command, longest first. Not "should i": that
asks for advice, and a question is no order to act."""

_TRAILING = _by_word(
    [
        tuple(phrase.split())
        for phrase in (
            "please",
            "thanks",
            "thank you",
            "for me",
            "if i can",
            "if possible",
            "if you can",
            "again",
            "right now",
            "at once",
            "behind me",
            "ok",
            "okay",
        )
    ],
    -1,
)

ADVERBS = wordset(
    """carefully quietly slowly quickly gently closely softly firmly politely nicely
    please silently calmly cautiously casually discreetly secretly stealthily
    sneakily subtly furtively surreptitiously deftly hastily hurriedly nervously
    thoroughly properly briefly really actually very kindly immediately swiftly
    boldly bravely just"""
)
"""Manner words a command does not need, wherever they stand."""

DETERMINERS = wordset("the a an some any my your his her its their our this that these those")
"""Words before a noun that name nothing themselves."""


def tokens(line: str) -> list[str]:
    """The line's words, lowercased, contractions spelt out, and its breaking punctuation."""
    found: list[str] = []
    for token in _TOKEN.findall(line.lower().replace("’", "'").replace("—", " - ")):
        if not token.strip("-"):  # a dash between words: "here you go - give her the log"
            found.append(",")
            continue
        found.extend(_CONTRACTIONS.get(token, (token,)))
    return found


_LOOKS = wordset("have take get")
_LOOKING = wordset("closer close good quick better proper careful long brief last")
"""Ways of saying a look: "have a look at the board", "take a closer look at the rig"."""


_ASIDES = wordset("here ok okay alright right well so um uh hmm now then please and yes")
"""Words that make a clause of their own and ask for nothing: "here, give tesk the stim"."""


def plain(words: list[str]) -> list[str]:
    """`words` without politeness and filler: "i'd like to quietly take the key please"
    is "take the key"; an aside alone is nothing."""
    words = [w for w in words if w not in ADVERBS and w not in BREAKS]
    changed = True
    while changed and words:
        changed = False
        for phrase in _LEADING.get(words[0], ()):
            n = len(phrase)
            if n > 1 and tuple(words) == phrase:  # "here you go", and nothing after it
                return []
            if tuple(words[:n]) == phrase and len(words) > n:
                words = words[n:]
                changed = True
                break
        for phrase in _TRAILING.get(words[-1], ()):
            n = len(phrase)
            if tuple(words[-n:]) == phrase and len(words) > n:
                words = words[:-n]
                changed = True
                break
    if all(w in _ASIDES for w in words):
        return []
    return _looked(words)


def _looked(words: list[str]) -> list[str]:
    """ "take a closer look at the rig" is looking at it, not taking it."""
    if len(words) < 3 or words[0] not in _LOOKS or words[1] != "a":
        return words
    at = 2
    while at < len(words) and words[at] in _LOOKING:
        at += 1
    return ["look", *words[at + 1 :]] if words[at : at + 1] == ["look"] else words


def clauses(line: str, starts: Callable[[list[str]], bool]) -> list[list[str]]:
    """The commands in a line: split at breaking punctuation, "then" and "and" where what
    follows `starts` a command ("take key, then go north", "n. e. take poppet", "grab the
    poppet and go west"); a part that starts none belongs to the one before ("talk to
    dr. penn" is one command, "take the book and the locket" too)."""
    parts: list[list[str]] = [[]]
    for token in tokens(line):
        if token in BREAKS or token == "then":
            parts.append([])
        else:
            parts[-1].append(token)
    found: list[list[str]] = []
    for part in parts:
        for found_piece in _at_and(part, starts):
            piece = found_piece
            while piece and piece[-1] == "and":
                piece = piece[:-1]
            if not piece:
                continue
            if found and not starts(plain(piece)):
                found[-1] = found[-1] + piece
            else:
                found.append(piece)
    return found


def _at_and(words: list[str], starts: Callable[[list[str]], bool]) -> list[list[str]]:
    pieces: list[list[str]] = [[]]
    for i, word in enumerate(words):
        if word == "and" and pieces[-1] and starts(plain(words[i + 1 :])):
            pieces.append([])
        else:
            pieces[-1].append(word)
    return pieces


def slip(word: str, known: str) -> bool:
    """Whether `word` is `known` with one slip of the fingers: a letter too many or too
    few, or two letters swapped ("tkae", "nrth"). A letter changed is not a slip: it
    makes other words too often ("sneak" is not "speak")."""
    if abs(len(word) - len(known)) == 1:
        return Indel.distance(word, known, score_cutoff=1) <= 1
    if len(word) != len(known):
        return False
    differ = [i for i in range(len(word)) if word[i] != known[i]]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and word[differ[0]] == known[differ[1]]
        and word[differ[1]] == known[differ[0]]
    )
