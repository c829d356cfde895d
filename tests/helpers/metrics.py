"""Fixed metrics: snapshots with chosen numbers, and a game master that shows them."""

from __future__ import annotations

from typing import Any

from textrealms.engine.gm import GameMaster
from textrealms.engine.metrics import OUTCOMES, MetricsSnapshot, Percentiles
from textrealms.world.schema import WorldPack


def measured(**numbers: object) -> MetricsSnapshot:
    """A metrics snapshot with fixed numbers; those not given are quiet, healthy values."""
    p = Percentiles(count=12, p50=0.3, p95=0.6, p99=0.9, max=1.2)
    outcomes = dict.fromkeys(OUTCOMES, 0) | {"ok": 30}
    fields: dict[str, object] = {
        "hot_path_ms": p,
        "jobs_ms": {"narration": Percentiles(10, 40.0, 90.0, 120.0, 130.0)},
        "first_token_ms": Percentiles(10, 5.0, 9.0, 11.0, 12.0),
        "outcomes": outcomes,
        "outcomes_by_kind": {"narration": outcomes},
        "fallbacks": 0,
        "cache_hits": 9,
        "cache_misses": 1,
        "shared_calls": 2,
        "model_calls": 20,
        "queue_depth": 0,
        "running": 0,
        "jobs_started": 30,
        "prefetch_started": 4,
        "prefetch_hits": 2,
        "room_narrations": 5,
    }
    return MetricsSnapshot(**(fields | numbers))  # type: ignore[arg-type]


def alarming() -> MetricsSnapshot:
    """A snapshot past every alert line (slow hot path, failures, timeouts, a queue), with
    cache misses, which are no alert."""
    return measured(
        hot_path_ms=Percentiles(40, 0.4, 0.9, 612.0, 700.0),
        outcomes={"ok": 80, "timeout": 12, "failed": 3, "superseded": 5, "cancelled": 0},
        cache_hits=6,
        cache_misses=4,
        queue_depth=140,
    )


class Measured(GameMaster):
    """A game master whose metrics are fixed, for screens that must look the same every run."""

    def __init__(self, pack: WorldPack, *, metrics: MetricsSnapshot, **options: Any) -> None:
        super().__init__(pack, **options)
        self.metrics_shown = metrics

    def snapshot(self) -> MetricsSnapshot:
        return self.metrics_shown
