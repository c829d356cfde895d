"""One story entry as Rich text: game, player and model text always literal, never markup."""

from __future__ import annotations

import zlib

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.text import Text

from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.stakes import capital
from textrealms.llm.clean import clean

SPEAKERS = ("#d7875f", "#5f87d7", "#af5fd7", "#00af87", "#d75f87", "#87af00", "#c09000", "#5fafaf")
"""Colours for people's names: mid-tones that read on dark and light themes alike."""


def speaker_style(name: str) -> str:
    """A person's colour: the same name gets the same colour in every game."""
    return f"bold {SPEAKERS[zlib.crc32(name.encode()) % len(SPEAKERS)]}"


def _spoken(speaker: str, text: str) -> Text:
    if text.startswith(speaker):
        line = Text(text)
        line.stylize(speaker_style(speaker), 0, len(speaker))
        return line
    return Text.assemble((speaker, speaker_style(speaker)), ": ", text)


def render(entry: Entry) -> RenderableType:
    text = clean(entry.text)
    title = clean(entry.title) if entry.title else ""
    speaker = clean(entry.speaker) if entry.speaker else ""
    match entry.kind:
        case EntryKind.SPEECH | EntryKind.REACTION if speaker:
            return _spoken(speaker, text)
        case EntryKind.GOSSIP:
            teller = f" (from {speaker})" if speaker else ""
            return Text.assemble(("Rumour", "bold"), teller, ": ", (text, "italic"))
        case EntryKind.BEAT:
            return Text.assemble(("✦ " + title.replace("_", " ").capitalize(), "bold"), "  ", text)
        case EntryKind.CONFLICT:
            return Group(Rule(Text(capital(title))), Text(text, justify="center"))
        case EntryKind.ENDING:
            return Text.assemble((title, "bold"), "\n", text, "\n\n", ("The End.", "bold"))
    if title:
        return Text.assemble((title, "bold"), "\n", text)
    return Text(text)
