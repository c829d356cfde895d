"""A saved game's whole story as a document: plain text or Markdown.

Entries are rendered by `textrealms.engine.text.entry_text`, the same words plain mode
prints; each turn's background entries follow its own, in job order, as `--wait` shows
them, so a transcript does not depend on which job happened to finish first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.text import entry_text
from textrealms.llm.clean import clean
from textrealms.world.saved import SavedLine, TurnLog

Format = Literal["md", "txt"]
_KINDS = frozenset(kind.value for kind in EntryKind)
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~])")
DAMAGED = "(Turn {turn} is damaged in the save file: its story could not be read.)"
"""In place of the entries of a turn whose row is damaged."""


def entry_of(line: SavedLine) -> Entry:
    """The entry a saved line holds (a kind this version does not know reads as narration)."""
    kind = EntryKind(line.kind) if line.kind in _KINDS else EntryKind.NARRATION
    return Entry(kind, line.text, line.title, line.speaker)


def _escape(text: str) -> str:
    """Markdown that shows `text` literally: every character Markdown reads is escaped."""
    return _MARKDOWN.sub(r"\\\1", text).replace("\n", "  \n")


def render(title: str, turns: Iterable[TurnLog], fmt: Format) -> str:
    """The story of `turns`, commands included, as `fmt`."""
    md = fmt == "md"
    parts = [f"# {_escape(clean(title))}\n\n" if md else f"{clean(title)}\n\n"]
    for turn in turns:
        if turn.command:
            command = clean(turn.command)
            parts.append(f"**> {_escape(command)}**\n\n" if md else f"> {command}\n")
        texts = [entry_text(entry_of(line)) for line in sorted(turn.lines, key=lambda x: x.job)]
        if turn.damaged:
            texts = [DAMAGED.format(turn=turn.turn)]
        parts.extend((_escape(text) if md else text) + "\n\n" for text in texts)
    return "".join(parts)
