"""The changes a turn can make to the game state.

Rules and (later) background jobs propose effects; only the reducer applies them. That
keeps every change clamped to its range, checked against the pack, and in one order.
"""

from __future__ import annotations

from dataclasses import dataclass

from textrealms.world.schema import Phase
from textrealms.world.state import Pending


@dataclass(frozen=True, slots=True)
class MovePlayer:
    to: str


@dataclass(frozen=True, slots=True)
class PlaceItem:
    """Move an item to `place` (`player`, `room:<id>`, `npc:<id>`), or out of play if None."""

    item: str
    place: str | None


@dataclass(frozen=True, slots=True)
class SetFlag:
    flag: str


@dataclass(frozen=True, slots=True)
class AdjustDisposition:
    npc: str
    delta: float


@dataclass(frozen=True, slots=True)
class AdjustReputation:
    dimension: str
    delta: float


@dataclass(frozen=True, slots=True)
class SetConflictFlow:
    conflict: str
    phase: Phase
    intensity: float
    momentum: float
    progress: float


@dataclass(frozen=True, slots=True)
class MeetObjective:
    quest: str
    index: int


@dataclass(frozen=True, slots=True)
class CompleteQuest:
    quest: str


@dataclass(frozen=True, slots=True)
class EndGame:
    ending: str


@dataclass(frozen=True, slots=True)
class NextTurn:
    pass


@dataclass(frozen=True, slots=True)
class AdvanceClock:
    minutes: int


@dataclass(frozen=True, slots=True)
class Remember:
    """The parser's memory after this command (see `textrealms.world.state.Context`)."""

    last_noun: str | None
    last_command: str | None
    bindings: dict[str, str]
    pending: Pending | None


@dataclass(frozen=True, slots=True)
class DrawRandom:
    """The RNG counter after the draws this turn made."""

    counter: int


Effect = (
    MovePlayer
    | PlaceItem
    | SetFlag
    | AdjustDisposition
    | AdjustReputation
    | SetConflictFlow
    | MeetObjective
    | CompleteQuest
    | EndGame
    | NextTurn
    | AdvanceClock
    | Remember
    | DrawRandom
)
