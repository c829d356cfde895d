"""Text shaping: prose cut, joined and tidied so that it reads as one clean line or a few.

Every writer of the offline narrator finishes its text here, so that whatever the frames
and the pack put together comes out with one space between words, no stray punctuation,
and lines no longer than a model's answer may be.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from textrealms.llm.clean import clean
from textrealms.llm.schemas import MAX_LINE

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”']?\s+(?=[\"“]?[A-Z])")
_SPLIT_SENTENCES = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”']))\s+(?=[\"“]?[A-Z0-9])")
_OPENS = re.compile(r"(?:^|(?<=[\s(]))'(?=\w)")
"""A single quote that opens a quotation (an apostrophe sits inside a word)."""
_CLOSES = re.compile(r"(?<=[\w.!?,])'(?=[\s.,;:!?)]|$)")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\bDr|\bMr|\bMrs|\bMs|\bSt|\bMt)\.$")
_PUNCT_RUN = re.compile(r"([.!?,;:])(?:\s*[.,;:])+")
_SPACE_BEFORE = re.compile(r"\s+([.,;:!?])")
_SPACES = re.compile(r" +")

ARTICLES = ("a", "an", "the")


def cap(text: str) -> str:
    """`text` with its first letter in capitals, past any opening quote."""
    for i, char in enumerate(text):
        if char.isalpha():
            return text[:i] + char.upper() + text[i + 1 :]
        if char not in "\"“'(":
            return text
    return text


def mid(name: str) -> str:
    """A name as it reads inside a sentence: 'The Low Inn' becomes 'the Low Inn'."""
    first, _, rest = name.partition(" ")
    if rest and first.lower() in (*ARTICLES, "your"):
        return f"{first.lower()} {rest}"
    return name


def lower_start(text: str) -> str | None:
    """`text` to follow a comma, when it opens with an article; else None."""
    first = text.split(" ", 1)[0]
    if first.lower() in ARTICLES:
        return first.lower() + text[len(first) :]
    return None


def listing(names: Sequence[str], conjunction: str = "and") -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {conjunction} " + names[-1]


def sentences(text: str) -> list[str]:
    """The sentences of pack prose, keeping quoted speech whole."""
    parts = _SPLIT_SENTENCES.split(" ".join(text.split()))
    out: list[str] = []
    for part in parts:
        if out and (_open(out[-1]) or _ABBREVIATION.search(out[-1])):
            out[-1] += " " + part
        else:
            out.append(part)
    return [p for p in out if p]


def _open(text: str) -> bool:
    """Whether `text` ends inside a quotation: "..." or 'B.T. - for luck. Love, Mara.'"""
    return bool(text.count('"') % 2) or len(_OPENS.findall(text)) > len(_CLOSES.findall(text))


def shorten(sentence: str, limit: int) -> str:
    """A sentence cut back to its last clause that fits, ended with a full stop."""
    if len(sentence) <= limit:
        return sentence
    head = sentence[:limit]
    cut = max(head.rfind(mark) for mark in (", with ", ", and ", "; ", ": ", " — "))
    if cut < limit // 3:
        cut = head.rfind(", ")
    if cut < limit // 3:
        cut = head.rfind(" ")
    clipped = head[:cut].rstrip(" ,;:—-")
    if clipped.count('"') % 2:
        clipped = clipped.replace('"', "")
    return clipped + "."


def unquoted(text: str) -> str:
    """Text with its quoted speech removed, to read only what the narrator says."""
    return re.sub(r'"[^"]*"', " ", text)


def bare(clause: str) -> str:
    """A clause without its closing punctuation, to set inside a sentence."""
    return clause.strip().rstrip(".!?;:, ")


def quote_player(text: str, limit: int = 40) -> str | None:
    """The player's words, reduced to plain letters and quoted: data, never prose."""
    kept = " ".join(re.sub(r"[^A-Za-z0-9' -]", " ", clean(text)).split()).strip(" '-")
    if not kept:
        return None
    if len(kept) > limit:
        kept = kept[:limit].rsplit(" ", 1)[0]
    return f'"{kept}"'


def tidy(text: str) -> str:
    """Plain, clean prose: no control sequences, braces, doubled spaces or punctuation."""
    text = clean(text).replace("{", "").replace("}", "").replace("...", "…")
    lines = [_tidy_line(line) for line in text.split("\n")]
    return "\n".join(fit_lines("\n".join(lines).strip()))


def _tidy_line(line: str) -> str:
    spaced = _SPACE_BEFORE.sub(r"\1", _SPACES.sub(" ", line).strip())
    return cap(_PUNCT_RUN.sub(_stronger, spaced))


def _stronger(match: re.Match[str]) -> str:
    run = re.sub(r"\s", "", match.group(0))
    for mark in "?!.;:,":
        if mark in run:
            return mark
    return run[0]


def fit_lines(text: str, limit: int = MAX_LINE) -> list[str]:
    """Lines no longer than `limit`, broken between sentences, else between words."""
    out: list[str] = []
    for line in text.split("\n"):
        rest = line
        while len(rest) > limit:
            cut = _cut_point(rest, limit)
            out.append(rest[:cut].rstrip())
            rest = rest[cut:].lstrip()
        out.append(rest)
    return out


def _cut_point(line: str, limit: int) -> int:
    head = line[:limit]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    if ends:
        return ends[-1]
    space = head.rfind(" ")
    return space if space > 0 else limit


def clip(text: str, limit: int = MAX_LINE) -> str:
    """One line no longer than `limit`, cut after the last whole sentence that fits."""
    line = " ".join(text.split())
    return fit_lines(line, limit)[0]
