"""What the game master measures about itself, as a snapshot for the UI and the bench."""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from textrealms.llm.usage import Usage

SAMPLES = 20_000
"""Recent samples kept per histogram: enough for stable p99s, bounded in long games."""

OUTCOMES = ("ok", "timeout", "failed", "superseded", "cancelled")
"""How a job ends. A timeout or failure also counts a fallback: the template text stood."""


@dataclass(frozen=True, slots=True)
class Percentiles:
    count: int
    p50: float
    p95: float
    p99: float
    max: float


class Histogram:
    """Latencies in milliseconds; percentiles by the nearest-rank method."""

    def __init__(self) -> None:
        self._samples: deque[float] = deque(maxlen=SAMPLES)
        self.count = 0

    def add(self, ms: float) -> None:
        self._samples.append(ms)
        self.count += 1

    def summary(self) -> Percentiles:
        return percentiles(self._samples, count=self.count)


def percentiles(samples: Iterable[float], *, count: int | None = None) -> Percentiles:
    """p50/p95/p99/max by the nearest-rank method; `count` says how many were ever seen,
    when `samples` keeps only the recent ones."""
    ordered = sorted(samples)
    if not ordered:
        return Percentiles(count or 0, 0.0, 0.0, 0.0, 0.0)
    seen = len(ordered) if count is None else count
    return Percentiles(seen, rank(ordered, 50), rank(ordered, 95), rank(ordered, 99), ordered[-1])


def rank(ordered: list[float], p: float) -> float:
    """The `p`th percentile of samples sorted least first (nearest rank); 0 if none."""
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass(frozen=True, slots=True)
class MetricsSnapshot:
    hot_path_ms: Percentiles
    jobs_ms: dict[str, Percentiles]
    first_token_ms: Percentiles
    outcomes: dict[str, int]
    """Job outcomes summed over kinds (see `OUTCOMES`)."""
    outcomes_by_kind: dict[str, dict[str, int]]
    fallbacks: int
    cache_hits: int
    cache_misses: int
    shared_calls: int
    model_calls: int
    queue_depth: int
    running: int
    jobs_started: int
    prefetch_started: int
    prefetch_hits: int
    """Room narrations that found their description already prefetched."""
    room_narrations: int
    prompt_tokens: int = 0
    completion_tokens: int = 0
    usage_reports: int = 0
    """Model answers that reported their token counts."""
    usage_unknown: int = 0
    """Model answers that came without token counts (some servers send none)."""
    cost_usd: float | None = None
    """Estimated from the model's price; None when the price (or usage) is unknown."""
    batched_calls: int = 0
    """Calls that asked for several NPCs' reactions at once."""
    fallback_calls: int = 0
    """Calls the offline narrator answered while the model was degraded."""

    @property
    def cache_hit_rate(self) -> float:
        looked = self.cache_hits + self.cache_misses
        return self.cache_hits / looked if looked else 0.0

    @property
    def prefetch_hit_rate(self) -> float:
        return self.prefetch_hits / self.room_narrations if self.room_narrations else 0.0

    @property
    def failure_rate(self) -> float:
        done = sum(self.outcomes.values())
        bad = self.outcomes["failed"] + self.outcomes["timeout"]
        return bad / done if done else 0.0

    @property
    def timeout_rate(self) -> float:
        done = sum(self.outcomes.values())
        return self.outcomes["timeout"] / done if done else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cache_hit_rate"] = self.cache_hit_rate
        data["prefetch_hit_rate"] = self.prefetch_hit_rate
        data["failure_rate"] = self.failure_rate
        data["timeout_rate"] = self.timeout_rate
        return data


@dataclass
class Metrics:
    hot_path: Histogram = field(default_factory=Histogram)
    jobs: dict[str, Histogram] = field(default_factory=dict)
    first_token: Histogram = field(default_factory=Histogram)
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)
    fallbacks: int = 0
    started: int = 0
    batched_calls: int = 0

    def job_done(self, kind: str, outcome: str, ms: float, *, fallback: bool) -> None:
        self.outcomes[(kind, outcome)] += 1
        self.fallbacks += fallback
        self.jobs.setdefault(kind, Histogram()).add(ms)

    def snapshot(
        self,
        *,
        cache_hits: int,
        cache_misses: int,
        shared_calls: int,
        model_calls: int,
        queue_depth: int,
        running: int,
        prefetch: tuple[int, int, int],
        usage: Usage | None = None,
        cost: float | None = None,
        fallback_calls: int = 0,
    ) -> MetricsSnapshot:
        """`prefetch` is (started, hits, room narrations)."""
        by_kind: dict[str, dict[str, int]] = {}
        totals = dict.fromkeys(OUTCOMES, 0)
        for (kind, outcome), n in sorted(self.outcomes.items()):
            by_kind.setdefault(kind, dict.fromkeys(OUTCOMES, 0))[outcome] += n
            totals[outcome] += n
        return MetricsSnapshot(
            hot_path_ms=self.hot_path.summary(),
            jobs_ms={kind: h.summary() for kind, h in sorted(self.jobs.items())},
            first_token_ms=self.first_token.summary(),
            outcomes=totals,
            outcomes_by_kind=by_kind,
            fallbacks=self.fallbacks,
            cache_hits=cache_hits,
            cache_misses=cache_misses,
            shared_calls=shared_calls,
            model_calls=model_calls,
            queue_depth=queue_depth,
            running=running,
            jobs_started=self.started,
            prefetch_started=prefetch[0],
            prefetch_hits=prefetch[1],
            room_narrations=prefetch[2],
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            usage_reports=usage.reports if usage else 0,
            usage_unknown=usage.unreported if usage else 0,
            cost_usd=cost,
            batched_calls=self.batched_calls,
            fallback_calls=fallback_calls,
        )


HOT_PATH_MS = 500.0
FAILURE_RATE = 0.05
TIMEOUT_RATE = 0.10
QUEUE_DEPTH = 100
"""The alert lines: a game past any of these feels slow or broken to a player. The
cache's hit rate has none: a story being played for the first time is not in the cache,
so its misses are no fault (the bench holds the cache to its target on a replay)."""


def alerts(s: MetricsSnapshot) -> dict[str, str]:
    """The numbers past their alert lines, by name (hot_path, its p99; failure_rate;
    timeout_rate; queue_depth), each with what it means for the player."""
    past: dict[str, str] = {}
    if s.hot_path_ms.p99 > HOT_PATH_MS:
        past["hot_path"] = (
            f"Commands are slow to answer: 1 in 100 took longer than {HOT_PATH_MS:.0f} ms. "
            "The computer may be busy with other work."
        )
    if s.failure_rate > FAILURE_RATE:
        past["failure_rate"] = (
            f"{s.failure_rate:.0%} of the background story failed (over {FAILURE_RATE:.0%} is "
            "a warning sign): where it did, you read the plain text instead."
        )
    if s.timeout_rate > TIMEOUT_RATE:
        past["timeout_rate"] = (
            f"The model ran out of time on {s.timeout_rate:.0%} of its tasks (over "
            f"{TIMEOUT_RATE:.0%} is a warning sign): it is slower than the game can wait for, "
            "so you read the plain text instead."
        )
    if s.queue_depth > QUEUE_DEPTH:
        past["queue_depth"] = (
            f"{s.queue_depth} tasks are waiting their turn (over {QUEUE_DEPTH} is a warning "
            "sign): the story's background is falling behind your commands."
        )
    return past
