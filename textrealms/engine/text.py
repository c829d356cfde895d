"""Story entries as plain text, and text made safe to show.

Pack text, player text and (later) model text are shown literally: control characters
and escape sequences are removed before anything reaches a terminal or a transcript.
"""

from __future__ import annotations

import re

from textrealms.engine.entries import Entry, EntryKind

_UNSAFE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


LABELS = {
    EntryKind.REFINED: "Narrator:",
    EntryKind.GOSSIP: "Rumour:",
    EntryKind.BEAT: "* Beat:",
    EntryKind.REPUTATION: "Reputation:",
}
"""How a reader tells background entries apart in plain text."""


def clean(text: str) -> str:
    """`text` without terminal escape sequences or control characters (newlines stay)."""
    return _UNSAFE.sub("", text.replace("\r\n", "\n").replace("\t", "    "))


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
    if entry.kind is EntryKind.ENDING:
        return f"*** {title} ***\n{text}\n\n(The End. Type quit to leave.)"
    return f"{title}\n{text}" if title else text
