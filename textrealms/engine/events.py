"""What the game master streams to front ends as a turn's background work lands.

Every event carries the turn it belongs to and its kind. Events that end up in the story
also give an `Entry`, so every front end renders them the same way as immediate entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textrealms.engine.entries import Entry, EntryKind
from textrealms.llm.provider import ProviderStatus
from textrealms.world.state import GameState


@dataclass(frozen=True, slots=True)
class StoryEvent:
    turn: int
    job: int
    """Which of the turn's jobs sent it (its index; -1 for the engine itself)."""

    kind: ClassVar[str] = "event"

    def entry(self) -> Entry | None:
        """The story entry this event adds, or None if it adds none."""
        return None


@dataclass(frozen=True, slots=True)
class NarrationDelta(StoryEvent):
    """A piece of refined narration for immediate entry `entry` of the turn."""

    index: int
    text: str

    kind: ClassVar[str] = "narration_delta"


@dataclass(frozen=True, slots=True)
class NarrationDone(StoryEvent):
    """Refined narration finished; `refined` is False when the template stands instead."""

    index: int
    text: str
    refined: bool
    superseded: bool = False

    kind: ClassVar[str] = "narration_done"

    def entry(self) -> Entry | None:
        return Entry(EntryKind.REFINED, self.text) if self.refined else None


@dataclass(frozen=True, slots=True)
class NpcReaction(StoryEvent):
    npc: str
    speaker: str
    text: str

    kind: ClassVar[str] = "reaction"

    def entry(self) -> Entry | None:
        return Entry(EntryKind.REACTION, self.text, speaker=self.speaker)


@dataclass(frozen=True, slots=True)
class GossipHeard(StoryEvent):
    gossip: str
    teller: str
    text: str

    kind: ClassVar[str] = "gossip"

    def entry(self) -> Entry | None:
        return Entry(EntryKind.GOSSIP, self.text, speaker=self.teller)


@dataclass(frozen=True, slots=True)
class DramaticBeat(StoryEvent):
    beat: str
    text: str
    conflict: str | None = None

    kind: ClassVar[str] = "beat"

    def entry(self) -> Entry | None:
        return Entry(EntryKind.BEAT, self.text, title=self.beat)


@dataclass(frozen=True, slots=True)
class PhaseTransition(StoryEvent):
    conflict: str
    old: str
    new: str
    text: str
    title: str

    kind: ClassVar[str] = "transition"

    def entry(self) -> Entry | None:
        return Entry(EntryKind.CONFLICT, self.text, title=self.title)


@dataclass(frozen=True, slots=True)
class ReputationChange(StoryEvent):
    dimension: str
    old: float
    new: float
    text: str

    kind: ClassVar[str] = "reputation"

    def entry(self) -> Entry | None:
        return Entry(EntryKind.REPUTATION, self.text)


@dataclass(frozen=True, slots=True)
class Progress(StoryEvent):
    """A quest completed or the ending reached because of background effects."""

    story: Entry

    kind: ClassVar[str] = "progress"

    def entry(self) -> Entry | None:
        return self.story


@dataclass(frozen=True, slots=True)
class JobFailed(StoryEvent):
    """A job failed or ran out of time; `fallback` is the template text that stands."""

    name: str
    reason: str
    fallback: str | None
    label: str

    kind: ClassVar[str] = "job_failed"

    def entry(self) -> Entry | None:
        return Entry(EntryKind.NOTICE, f"({self.label}: {self.reason}; the plain text stands.)")


@dataclass(frozen=True, slots=True)
class Told(StoryEvent):
    """What the game tells outside a turn once it is known: a save made, saves listed, a
    game loaded (answers that needed the disk, so they could not be immediate)."""

    story: Entry

    kind: ClassVar[str] = "told"

    def entry(self) -> Entry | None:
        return self.story


@dataclass(frozen=True, slots=True)
class Understood(StoryEvent):
    """A line the game could not place, read by the model as `command` and played as turn
    `turn`: front ends show it as a typed command is shown (`shown`), then its entries."""

    command: str
    said: str
    """The player's own words."""
    entries: tuple[Entry, ...]
    state: GameState
    """The game as the turn left it: a session keeps and saves it, as a typed turn's."""

    kind: ClassVar[str] = "understood"

    @property
    def shown(self) -> str:
        return f'{self.command}  (from: "{self.said}")'


@dataclass(frozen=True, slots=True)
class Flavour(Told):
    """The model's answer, in character, to a line it found no action in: told under the
    line, and nothing changes."""

    kind: ClassVar[str] = "flavour"


@dataclass(frozen=True, slots=True)
class ProviderChanged(StoryEvent):
    """The storyteller's status changed (a model became degraded, or recovered)."""

    status: ProviderStatus

    kind: ClassVar[str] = "provider"

    def entry(self) -> Entry | None:
        """One line for the story: the model stopped answering, or came back."""
        if not self.status.degraded:
            return Entry(EntryKind.NOTICE, "-- The model is back. --")
        why = f" ({self.status.reason})" if self.status.reason else ""
        return Entry(
            EntryKind.NOTICE,
            f"-- The model is not answering{why}; the offline narrator carries on. --",
        )


@dataclass(frozen=True, slots=True)
class SavingChanged(Told):
    """Saving stopped working (`trouble` says why, for the player) or works again (None).

    Told at once, whatever turn is being played; what is played meanwhile is kept in
    memory and saved once the disk lets it."""

    trouble: str | None

    kind: ClassVar[str] = "saving"

    @classmethod
    def of(cls, turn: int, trouble: str | None) -> SavingChanged:
        return cls(turn, -1, Entry(EntryKind.NOTICE, saving_note(trouble)), trouble)


def saving_note(trouble: str | None) -> str:
    """What the player is told when saving stops (`trouble` says why) or works again."""
    if trouble is None:
        return "-- Your game is being saved again. --"
    return (
        f"-- Your game is not being saved: {trouble}. What you play is kept, and saved "
        "as soon as it can be. --"
    )


@dataclass(frozen=True, slots=True)
class TurnSettled(StoryEvent):
    """Every job of the turn has finished, failed or been superseded."""

    kind: ClassVar[str] = "settled"
