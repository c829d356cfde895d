"""Scenario 5 at a tiny size: real games on the real client against loopback model
servers in child processes; it runs and reports every field, never judged by targets."""

from __future__ import annotations

import pytest

from tests.helpers.bench import ordered, reports
from textrealms.bench import players, sessions
from textrealms.bench.scenario import Options
from textrealms.engine.metrics import OUTCOMES
from textrealms.llm.openai import OpenAICompatible, shared_session
from textrealms.llm.presets import PRESETS, LlmConfig
from textrealms.llm.tasks import Describe
from textrealms.llm.testing import Latency, LoopbackServer
from textrealms.world.schema import WorldPack

pytestmark = pytest.mark.slow

BRISK = Latency(first_token=0.02, tokens_per_second=400.0, jitter=0.2)
NUMBERS = (
    "n",
    "seconds",
    "commands",
    "hot_path_p50_ms",
    "hot_path_p99_ms",
    "hot_path_p999_ms",
    "hot_path_max_ms",
    "loop_cpu_ms_per_command",
    "job_timeouts",
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
    "gc_pause_max_ms",
    "gc_pause_max_cpu_ms",
)
SAMPLES = {
    "loop_lag_ms": ("p50", "p99", "max"),
    "first_text_ms": ("p50", "p99"),
    "first_text_overhead_ms": ("p50", "p99", "turns"),
}
"""The fields that are several numbers of one sample, least first (turns: how many)."""


async def test_a_few_games_play_and_report_every_field(
    pack: WorldPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sessions.SIZES, "quick", (3, 6))
    outcome = await sessions.run(Options((pack,), quick=True, latency=BRISK))
    entries = outcome.data["sessions"]
    assert [e["n"] for e in entries] == [3, 6]
    for e in entries:
        reports(e, NUMBERS, other=["settled", *SAMPLES])
        assert isinstance(e["settled"], bool)
        assert e["lost_jobs"] == e["jobs_started"] - e["jobs_done"]
        assert e["job_timeouts"] == e["timeout"]
        ordered(e, "hot_path_p50_ms", "hot_path_p99_ms", "hot_path_p999_ms", "hot_path_max_ms")
        for name, fields in SAMPLES.items():
            reports(e[name], fields)
        ordered(e["loop_lag_ms"], "p50", "p99", "max")
        ordered(e["first_text_ms"], "p50", "p99")
        ordered(e["first_text_overhead_ms"], "p50", "p99")
    reports(
        outcome.data, ["sessions_ceiling_cmd_per_s"], other=["sessions", "sessions_ceiling_found"]
    )
    assert isinstance(outcome.data["sessions_ceiling_found"], bool)
    measures = [row.measure for row in outcome.rows]
    assert "6 games: jobs lost" in measures
    assert "6 games: jobs timed out (template text shown)" in measures
    assert "6 games: commands/s before jobs time out" in measures


async def test_a_streamed_answer_notes_its_servers_planned_wait_on_the_turn_it_serves(
    pack: WorldPack,
) -> None:
    """What the first-word figures subtract: the loopback server's planned first-token
    wait, read from a streamed answer's headers (a narration's) and from no other."""
    room = next(iter(pack.locations))
    paced = Latency(first_token=0.012, tokens_per_second=0.0, jitter=0.0)
    streamed, whole = players.Turn(0.0), players.Turn(0.0)
    async with LoopbackServer(latency=paced, seed=0, model="loopback-1") as server:
        session = shared_session(response_class=players._Timed)
        config = LlmConfig(PRESETS["vllm"], server.base_url, "loopback-1")
        client = OpenAICompatible(config, pack, seed=1, session=session)
        try:
            for turn, number in ((streamed, 1), (whole, 2)):
                task = Describe(turn=number, location=room, text=f"A room, {number}.")
                reset = players._TURN.set(turn)
                try:
                    pieces = client.stream(task) if turn is streamed else client.whole(task)
                    assert [p async for p in pieces]
                finally:
                    players._TURN.reset(reset)
        finally:
            await client.aclose()
            await session.close()
    assert streamed.model_ms == pytest.approx(12.0)
    assert whole.model_ms is None
