"""Scenario 5 at a tiny size: real games on the real client against loopback model
servers in child processes; it runs and reports every field, never judged by targets."""

from __future__ import annotations

import pytest

from tests.helpers.bench import ordered, reports
from textrealms.bench import sessions
from textrealms.bench.scenario import Options
from textrealms.engine.metrics import OUTCOMES
from textrealms.llm.testing import Latency
from textrealms.world.schema import WorldPack

pytestmark = pytest.mark.slow

BRISK = Latency(first_token=0.02, tokens_per_second=400.0, jitter=0.2)
NUMBERS = (
    "n",
    "seconds",
    "commands",
    "hot_path_p50_ms",
    "hot_path_p99_ms",
    "hot_path_max_ms",
    "cpu_ms_per_command",
    "loop_lag_p99_ms",
    "loop_lag_max_ms",
    "first_text_p50_ms",
    "first_text_p99_ms",
    "jobs_started",
    "jobs_done",
    "lost_jobs",
    *OUTCOMES,
    "fallback_calls",
    "model_calls",
    "events",
    "rss_mb_per_session",
    "open_files",
    "servers",
    "gc_seconds",
    "gc_max_ms",
)


async def test_a_few_games_play_and_report_every_field(
    pack: WorldPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sessions.SIZES, "quick", (3, 6))
    outcome = await sessions.run(Options((pack,), quick=True, latency=BRISK))
    entries = outcome.data["sessions"]
    assert [e["n"] for e in entries] == [3, 6]
    for e in entries:
        reports(e, NUMBERS, other=["settled"])
        assert isinstance(e["settled"], bool)
        assert e["lost_jobs"] == e["jobs_started"] - e["jobs_done"]
        ordered(e, "hot_path_p50_ms", "hot_path_p99_ms", "hot_path_max_ms")
        ordered(e, "loop_lag_p99_ms", "loop_lag_max_ms")
        ordered(e, "first_text_p50_ms", "first_text_p99_ms")
    measures = [row.measure for row in outcome.rows]
    assert "6 games: jobs lost" in measures
