"""What every scenario shares: the options it runs under and the shape of what it returns."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from textrealms.llm.testing import Latency
from textrealms.world.schema import WorldPack

REALISTIC = Latency(first_token=0.55, tokens_per_second=45.0, jitter=0.33)
"""A hosted model as players meet it: 370–730 ms to the first token, 30–60 tokens/s."""


@dataclass(frozen=True, slots=True)
class Options:
    """How big and how slow a run is; `quick` keeps every scenario to a few seconds."""

    packs: tuple[WorldPack, ...]
    """The worlds played: every shipped world, unless told otherwise."""
    quick: bool = False
    seed: int = 7
    latency: Latency = field(default_factory=lambda: REALISTIC)
    progress: Callable[[str], None] = lambda _message: None
    """Told what is running now, for a long run's progress line on stderr."""

    def size(self, quick: int, full: int) -> int:
        return quick if self.quick else full

    @property
    def pack(self) -> WorldPack:
        """The world a single-world scenario plays: the first."""
        return self.packs[0]


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the summary table: a measure, its value, and the target it answers to."""

    measure: str
    value: str
    target: str = ""
    met: bool | None = None
    """None when the measure has no target."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """A scenario's numbers: `data` is merged into the JSON document at the top level."""

    scenario: str
    data: dict[str, Any]
    rows: list[Row]
    seconds: float = 0.0


Scenario = Callable[[Options], Awaitable[Outcome]]


def ms(value: float) -> str:
    """A latency for the table: enough digits to tell 0.3 ms from 3 ms."""
    return (
        f"{value:.3f} ms" if value < 1 else f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    )
