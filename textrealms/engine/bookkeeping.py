"""What the game master keeps while a turn's background jobs run: per turn, per job, per commit.

These are plain records, apart from `gm` so that the game master reads as the loop that
runs the jobs, and these as what it writes down along the way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from textrealms.engine.events import StoryEvent
from textrealms.engine.jobs import planning as plans
from textrealms.llm.budget import BudgetExceeded
from textrealms.llm.clean import clean
from textrealms.llm.provider import ProviderError
from textrealms.llm.schemas import Reactions
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

Proposal = Callable[[GameState], tuple[GameState, list[StoryEvent]]]
"""A job's change to the world, made against the state as it is when it is committed."""


@dataclass(frozen=True, slots=True)
class TurnTiming:
    """How a turn's background work went: its wall time against its jobs' own times."""

    turn: int
    jobs: int
    wall_ms: float
    durations_ms: tuple[float, ...]
    """Each job's own time, in the order they finished."""

    @property
    def slowest_ms(self) -> float:
        return max(self.durations_ms, default=0.0)

    @property
    def sum_ms(self) -> float:
        return sum(self.durations_ms)


@dataclass
class JobRecord:
    """How one job's model calls went."""

    timeout: bool = False
    failed: bool = False
    reason: str | None = None

    @property
    def outcome(self) -> str:
        return "timeout" if self.timeout else "failed" if self.failed else "ok"

    def failure(self, exc: Exception, who: str) -> str:
        """Count a failed call and say why, for the note in the story."""
        self.reason = self._why(exc, who)
        return self.reason

    def _why(self, exc: Exception, who: str) -> str:
        if isinstance(exc, TimeoutError):
            self.timeout = True
            detail = f" ({exc})" if isinstance(exc, BudgetExceeded) else ""
            return f"{who} ran out of time{detail}"
        self.failed = True
        if isinstance(exc, ProviderError):
            return clean(str(exc)) or f"{who} failed"
        return f"{who} failed ({type(exc).__name__})"


@dataclass
class TurnWork:
    """One turn's background work while it runs: its jobs, their tasks, when it settles."""

    number: int
    before: GameState
    after: GameState
    pending: int
    started: float
    jobs: int = 0
    settled: asyncio.Event = field(default_factory=asyncio.Event)
    narration: asyncio.Task[None] | None = None
    """The task running the turn's narration (in `sequential`, the turn's one task)."""
    narration_job: int = 0
    narrating: bool = False
    reactions: list[plans.ReactionJob] = field(default_factory=list)
    command: str = ""
    """What the player typed this turn."""
    shown: str = ""
    """The turn's immediate text, as the player saw it."""
    batch: asyncio.Task[Reactions | None] | None = None
    """The turn's one batched reactions call, shared by its reaction jobs."""
    batch_record: JobRecord = field(default_factory=JobRecord)
    durations: list[float] = field(default_factory=list)


@dataclass
class Slot:
    """A place in the commit order for one job's proposal."""

    turn: int
    job: int
    proposal: Proposal | None = None
    filled: bool = False


def job_label(pack: WorldPack, job: plans.JobDef) -> tuple[str, str]:
    """(kind, label) of a job: its metrics kind and what a status line says it is doing."""
    match job:
        case plans.NarrationJob():
            return "narration", "narration"
        case plans.ReactionJob(npc=npc):
            return "reaction", f"{pack.npcs[npc].name} is reacting"
        case plans.GossipJob():
            return "gossip", "gossip"
        case plans.WorldJob():
            return "world", "the world moves"
