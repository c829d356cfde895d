"""The changes a turn can make to the game state.

Rules and (later) background jobs propose effects; only the reducer applies them. That
keeps every change clamped to its range, checked against the pack, and in one order.
"""

from __future__ import annotations

from dataclasses import dataclass

from textrealms.world.schema import Phase, StakeholderRole
from textrealms.world.state import Gossip, Pending, Stage


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
class ClearFlag:
    flag: str


@dataclass(frozen=True, slots=True)
class MoveNpc:
    npc: str
    to: str


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
class Drift:
    """How far the world's own moves have carried a conflict toward its next phase."""

    conflict: str
    value: float


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
class Happen:
    """A pack event has happened (it never happens again)."""

    event: str


@dataclass(frozen=True, slots=True)
class Warn:
    """Warning `index` of timed event `event` has been given."""

    event: str
    index: int


@dataclass(frozen=True, slots=True)
class CountHint:
    """The player has had one more hint for objective `index` of `quest`."""

    quest: str
    index: int


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


@dataclass(frozen=True, slots=True)
class AdjustStress:
    npc: str
    delta: float


@dataclass(frozen=True, slots=True)
class AdjustCommitment:
    npc: str
    delta: float


@dataclass(frozen=True, slots=True)
class SetRole:
    """A stakeholder's new role in the conflicts (a breaking point), or None to step out."""

    npc: str
    role: StakeholderRole | None


@dataclass(frozen=True, slots=True)
class AddGossip:
    gossip: Gossip


@dataclass(frozen=True, slots=True)
class Believe:
    """`npc` now holds gossip `gossip`: believing it, or denying it."""

    gossip: str
    npc: str
    believes: bool


@dataclass(frozen=True, slots=True)
class HearGossip:
    """The player hears gossip `gossip` from NPC `teller` on turn `turn`."""

    gossip: str
    turn: int
    teller: str


@dataclass(frozen=True, slots=True)
class AdjustRelation:
    """Factions `a` and `b` move toward alliance (delta > 0) or enmity."""

    a: str
    b: str
    delta: float


@dataclass(frozen=True, slots=True)
class SetStage:
    """The pacing director moves the story to `stage` of its tension arc at `turn`."""

    stage: Stage
    turn: int


@dataclass(frozen=True, slots=True)
class MarkBeat:
    turn: int


@dataclass(frozen=True, slots=True)
class RecordTension:
    value: float


@dataclass(frozen=True, slots=True)
class TellReputation:
    """The player has been told reputation `dimension` now stands at `value`."""

    dimension: str
    value: float


@dataclass(frozen=True, slots=True)
class Tell:
    """The story told these sentences (their keys: see `textrealms.world.said`)."""

    said: tuple[str, ...]


Effect = (
    MovePlayer
    | PlaceItem
    | SetFlag
    | ClearFlag
    | MoveNpc
    | AdjustDisposition
    | AdjustReputation
    | SetConflictFlow
    | Drift
    | MeetObjective
    | CompleteQuest
    | EndGame
    | Happen
    | Warn
    | CountHint
    | NextTurn
    | AdvanceClock
    | Remember
    | DrawRandom
    | AdjustStress
    | AdjustCommitment
    | SetRole
    | AddGossip
    | Believe
    | HearGossip
    | AdjustRelation
    | SetStage
    | MarkBeat
    | RecordTension
    | TellReputation
    | Tell
)
