"""What a turn shows: typed story entries that every front end renders its own way."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EntryKind(StrEnum):
    NARRATION = "narration"
    ROOM = "room"
    SPEECH = "speech"
    NOTICE = "notice"
    QUEST = "quest"
    CONFLICT = "conflict"
    ENDING = "ending"
    EVENT = "event"
    """Something the pack says happens: at a time, or once its conditions hold."""
    REFINED = "refined"
    """Narration rewritten in the background by the narrator or a model."""
    REACTION = "reaction"
    GOSSIP = "gossip"
    BEAT = "beat"
    REPUTATION = "reputation"


@dataclass(frozen=True, slots=True)
class Entry:
    kind: EntryKind
    text: str
    title: str | None = None
    """A heading: the room's name, the quest's or ending's title."""
    speaker: str | None = None
    """The NPC who speaks (`SPEECH`, `REACTION`) or tells (`GOSSIP`)."""
