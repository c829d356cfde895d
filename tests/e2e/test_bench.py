"""The bench's scripts and scenarios, run small: each runs and reports every field.

Targets are not asserted here (the machine is shared and noisy): the bench reports them.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.helpers.bench import ordered, reports
from tests.helpers.cli import run_cli
from tests.helpers.paths import ROOT
from textrealms.bench import cache, cost, fanout, hot_path, saves, stream, understanding
from textrealms.bench.scenario import Options
from textrealms.bench.script import Crowd, Tour, crowded, random_command
from textrealms.engine.gm import GameMaster
from textrealms.llm.testing import Latency
from textrealms.world.loader import load_pack
from textrealms.world.schema import WorldPack
from textrealms.world.state import new_game

PERCENTILES = ("p50", "p95", "p99", "max", "count")
HOT_PATH = (*PERCENTILES, "cpu_p50", "cpu_p99")
FAST = Latency(first_token=0.02, tokens_per_second=2000.0, jitter=0.3)
"""A quick model: scaled by the quick run, a few milliseconds a call."""


@pytest.fixture(scope="module")
def emberfall() -> WorldPack:
    return load_pack(ROOT / "worlds" / "emberfall")


def quick(pack: WorldPack) -> Options:
    return Options((pack,), quick=True, latency=FAST)


async def test_the_tour_walks_the_world_and_takes_sides(emberfall: WorldPack) -> None:
    gm = GameMaster(emberfall, seed=1, prefetch=False)
    tour = Tour(emberfall)
    commands, places = [], set()
    for _ in range(150):
        command = tour.next(gm.state)
        commands.append(command)
        gm.submit(command)
        places.add(gm.state.location)
    await gm.aclose()
    assert len(places) >= len(emberfall.locations) // 2
    assert any(c.startswith(("support ", "oppose ")) for c in commands)
    blocked = max(commands.count(d) for d in ("in", "out", "north", "south", "east", "west"))
    assert blocked < 40  # a locked door is not tried over and over


def test_random_commands_repeat_with_the_seed(emberfall: WorldPack) -> None:
    state = new_game(emberfall, 1)
    dice, same = random.Random(3), random.Random(3)
    first = [random_command(emberfall, state, dice) for _ in range(30)]
    again = [random_command(emberfall, state, same) for _ in range(30)]
    assert first == again
    assert len(set(first)) > 5


@pytest.mark.slow
async def test_hot_path_covers_every_world(emberfall: WorldPack) -> None:
    packs = tuple(load_pack(p) for p in sorted((ROOT / "worlds").iterdir()))
    outcome = await hot_path.run(Options(packs, quick=True))
    data = outcome.data["hot_path_ms"]
    reports(data, HOT_PATH, other=["worlds"])
    ordered(data, "p50", "p95", "p99", "max")
    assert data["count"] == 60 * len(packs)
    assert set(data["worlds"]) == {p.world.id for p in packs}
    for world in data["worlds"].values():
        reports(world, PERCENTILES)


async def test_understanding_scores_each_part_of_the_corpus(
    emberfall: WorldPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    outcome = await understanding.run(quick(emberfall))
    data = outcome.data["understanding"]
    score = ("cases", "correct", "correct_share", "wrong_actions", "waiting", "live_share")
    for part in understanding.PARTS:
        reports(data[part], score)
        assert data[part]["cases"] > 0
    reports(data["line_ms"], ("p50", "p99", "max"))


def test_the_crowd_makes_choices_before_the_most_stakeholders() -> None:
    kestrel = load_pack(ROOT / "worlds" / "kestrel-station")
    start = new_game(kestrel, 1)
    room = crowded(kestrel, start)
    assert room in {"command", "mess"}  # two stakeholders of one conflict each
    crowd = Crowd(kestrel, start.model_copy(update={"location": room}))
    script = [crowd.next(start) for _ in range(len(crowd.script) + 1)]
    assert len(crowd.script) == 10  # five choices before each of the two
    assert script[0] == script[-1]
    assert sum(c.startswith("support ") for c in script[:-1]) == 2


@pytest.mark.slow
async def test_fanout_times_both_strategies_and_batching() -> None:
    kestrel = load_pack(ROOT / "worlds" / "kestrel-station")
    slower = Latency(first_token=0.2, tokens_per_second=2000.0, jitter=0.2)  # 20 ms when quick
    data = (await fanout.run(Options((kestrel,), quick=True, latency=slower))).data["fanout"]
    ratios = ["concurrent_over_max", "sequential_over_max"]
    ratios += [f"{ratio}_p95" for ratio in ratios]
    walls = ["concurrent_wall_ms", "sequential_wall_ms"]
    reports(
        data,
        [*ratios, *walls, "wall_cut", "turns", "jobs_per_turn", "model_scale"],
        other=["batching"],
    )
    assert set(data["batching"]) == {"concurrent", "batched"}
    for calls in data["batching"].values():
        reports(calls, ["http_calls", "background_ms"])


@pytest.mark.slow
async def test_stream_times_narration_pieces(emberfall: WorldPack) -> None:
    data = (await stream.run(quick(emberfall))).data["stream_ms"]
    reports(data, PERCENTILES)
    ordered(data, "p50", "p95", "p99", "max")


@pytest.mark.slow
async def test_the_replay_and_prefetch_are_counted(emberfall: WorldPack) -> None:
    outcome = await cache.run(quick(emberfall))
    data, ahead = outcome.data["cache"], outcome.data["prefetch"]
    rates = ["hit_rate", "first_pass_hit_rate"]
    calls = ["first_pass_http_calls", "second_pass_http_calls"]
    reports(data, [*rates, "hits", "misses", *calls, "turns"])
    reports(ahead, ["hit_rate", "hits", "room_narrations", "started"])
    assert all(0.0 <= rate <= 1.0 for rate in [*(data[r] for r in rates), ahead["hit_rate"]])


@pytest.mark.slow
async def test_saves_are_timed_sized_and_a_long_game_resumed(emberfall: WorldPack) -> None:
    data = (await saves.run(quick(emberfall))).data["save"]
    autosave = ["autosave_p50_ms", "autosave_p99_ms", "autosave_max_ms"]
    submit = ["submit_p50_ms", "submit_p99_ms"]
    sizes = ["bytes_per_1000_turns", "bytes_10k", "bytes_per_turn"]
    resume = ["resume_10k_ms", "resume_turns", "resume_ms", "resume_cpu_ms"]
    reports(data, [*autosave, *submit, *sizes, "turns_played", *resume])
    ordered(data, *autosave)
    ordered(data, *submit)
    assert data["turns_played"] > 100
    assert data["bytes_per_1000_turns"] > 0 and data["bytes_10k"] > 0
    assert data["bytes_per_turn"] == data["bytes_10k"] / saves.LONG_GAME
    assert data["resume_turns"] == saves.LONG_GAME  # the quick run resumes the 10,000 turns


@pytest.mark.slow
async def test_cost_counts_tokens_calls_and_dollars_per_kind(emberfall: WorldPack) -> None:
    data = (await cost.run(quick(emberfall))).data["cost"]
    prompt, completion = data["prompt_tokens_per_turn"], data["completion_tokens_per_turn"]
    assert data["turns"] == cost.TURNS
    assert 0 < completion["mean"] < prompt["mean"] <= prompt["p95"]
    assert data["calls_per_turn"] >= 1
    assert 0 <= data["cacheable_share"] <= data["repeated_share"] < 1
    kinds = data["by_kind"]
    assert {"describe", "narration", "assess"} <= set(kinds)
    assert sum(k["dollar_share"] for k in kinds.values()) == pytest.approx(1)
    assert sum(k["calls_per_turn"] for k in kinds.values()) == pytest.approx(data["calls_per_turn"])
    hourly = sum(
        k["prompt_tokens_per_turn"] * 0.15 + k["completion_tokens_per_turn"] * 0.60
        for k in kinds.values()
    )
    assert data["dollars_per_hour"] == pytest.approx(hourly * 240 / 1e6)


def test_a_prompt_cache_serves_only_long_shared_prefixes_in_steps() -> None:
    def body(words: int, tail: str) -> dict[str, object]:
        return {"messages": [{"role": "system", "content": "w " * words + tail}]}

    long, short = body(1300, "one"), body(1300, "two")
    repeated, cacheable = cost._prefixes([long, short, body(500, "x"), body(500, "y")])
    shared = 2 + 1300  # the start marker, the role, then "w" and 1,299 times " w"
    assert repeated == shared + (2 + 500) + (2 + 500)
    assert cacheable == 1280  # 1,302 shared tokens, cached in steps of 128; 502 are too few


@pytest.mark.slow
def test_the_command_prints_a_table_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = run_cli("bench", "--quick", "--only", "hot_path", "--json", str(out))
    assert result.returncode == 0, result.stderr
    assert "submit p99" in result.stdout
    doc = json.loads(out.read_text())
    assert doc["meta"]["command"] == f"textrealms bench --quick --only hot_path --json {out}"
    assert doc["meta"]["quick"] is True
    reports(doc["hot_path_ms"], HOT_PATH, other=["worlds"])
