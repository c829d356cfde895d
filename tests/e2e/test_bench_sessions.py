"""Scenario 5 at a tiny size: real games on the real client against loopback model
servers in child processes; the numbers are checked for sense, never for targets."""

from __future__ import annotations

import pytest

from textrealms.bench import sessions
from textrealms.bench.scenario import Options
from textrealms.llm.testing import Latency
from textrealms.world.schema import WorldPack

BRISK = Latency(first_token=0.02, tokens_per_second=400.0, jitter=0.2)
KEYS = {
    "n",
    "hot_path_p50_ms",
    "hot_path_p99_ms",
    "loop_lag_p99_ms",
    "loop_lag_max_ms",
    "lost_jobs",
    "rss_mb_per_session",
    "commands",
    "jobs_started",
    "jobs_done",
    "seconds",
    "first_text_p50_ms",
    "first_text_p99_ms",
    "cpu_ms_per_command",
    "gc_seconds",
    "gc_max_ms",
}


async def test_a_few_games_play_and_lose_no_job(
    pack: WorldPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sessions.SIZES, "quick", (3, 6))
    outcome = await sessions.run(Options((pack,), quick=True, latency=BRISK))
    entries = outcome.data["sessions"]
    assert [e["n"] for e in entries] == [3, 6]
    for e in entries:
        assert set(e) >= KEYS
        assert e["commands"] > 0 and e["jobs_started"] > 0 and e["model_calls"] > 0
        assert e["lost_jobs"] == 0 and e["jobs_done"] == e["jobs_started"] and e["settled"]
        assert e["hot_path_p99_ms"] >= e["hot_path_p50_ms"] > 0
        assert e["loop_lag_max_ms"] >= e["loop_lag_p99_ms"] >= 0
        assert e["first_text_p99_ms"] >= e["first_text_p50_ms"] > 0
        assert isinstance(e["rss_mb_per_session"], float)
        assert e["cpu_ms_per_command"] > 0 and e["gc_max_ms"] <= e["gc_seconds"] * 1000
    measures = [row.measure for row in outcome.rows]
    assert "6 games: jobs lost" in measures
    assert next(r for r in outcome.rows if r.measure == "6 games: jobs lost").met is True
