"""Story entries as plain text, labelled for a reader and cleaned (`llm.clean`)."""

from __future__ import annotations

from textrealms.engine.entries import Entry, EntryKind
from textrealms.llm.clean import clean

LABELS = {
    EntryKind.REFINED: "Narrator:",
    EntryKind.GOSSIP: "Rumour:",
    EntryKind.BEAT: "* Beat:",
    EntryKind.REPUTATION: "Reputation:",
}
"""How a reader tells background entries apart in plain text."""


def entry_text(entry: Entry) -> str:
    """One entry as a paragraph of plain text, labelled for a reader."""
    text = clean(entry.text)
    title = clean(entry.title) if entry.title else None
    if entry.kind in (EntryKind.SPEECH, EntryKind.REACTION) and entry.speaker:
        speaker = clean(entry.speaker)
        return text if text.startswith(speaker) else f"{speaker}: {text}"
    if entry.kind in LABELS:
        return f"{LABELS[entry.kind]} {text}"
    if entry.kind is EntryKind.ROOM:
        return f"== {title} ==\n{text}"
    if entry.kind is EntryKind.QUEST:
        return f"* {title} *\n{text}"
    if entry.kind is EntryKind.CONFLICT:
        return f"-- {text} --"
    if entry.kind is EntryKind.EVENT:
        return f"** {title} **\n{text}" if title else f"** {text} **"
    if entry.kind is EntryKind.ENDING:
        return f"*** {title} ***\n{text}\n\n(The End. Type quit to leave.)"
    return f"{title}\n{text}" if title else text
