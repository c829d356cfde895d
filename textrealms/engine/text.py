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
INDENT = "  "
"""Before every further line of a labelled entry: text from the background (a model's,
often) never starts a line of its own, so it cannot pass for the game's own lines."""


def labelled(entry: Entry) -> bool:
    """Whether `entry` is shown under a label (a speaker's name, or one of `LABELS`)."""
    return entry.kind in LABELS or (
        entry.kind in (EntryKind.SPEECH, EntryKind.REACTION) and bool(entry.speaker)
    )


def _under(label: str, text: str) -> str:
    """`text` after `label`, its further lines indented under it."""
    first, *rest = text.split("\n")
    return "\n".join([f"{label}{first}", *(INDENT + line if line else "" for line in rest)])


def entry_text(entry: Entry) -> str:
    """One entry as a paragraph of plain text, labelled for a reader."""
    text = clean(entry.text)
    title = clean(entry.title) if entry.title else None
    if entry.kind in (EntryKind.SPEECH, EntryKind.REACTION) and entry.speaker:
        speaker = clean(entry.speaker)
        return _under("" if text.startswith(speaker) else f"{speaker}: ", text)
    if entry.kind in LABELS:
        return _under(f"{LABELS[entry.kind]} ", text)
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
