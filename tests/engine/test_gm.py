"""The game master: instant turns, concurrent isolated jobs, ordered commits, clean shutdown."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import math
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from tests.helpers.events import Recorder
from tests.helpers.faulty import Fault, Faulty
from tests.helpers.metrics import alarming, measured
from tests.helpers.waiting import TIMEOUT
from textrealms.engine.entries import EntryKind
from textrealms.engine.events import (
    JobFailed,
    NarrationDelta,
    NarrationDone,
    NpcReaction,
    StoryEvent,
    TurnSettled,
)
from textrealms.engine.gm import GameMaster, Strategy
from textrealms.llm.budget import Budget
from textrealms.llm.offline import OfflineNarrator
from textrealms.llm.schemas import Answer, Reaction
from textrealms.world.schema import WorldPack

Make = Callable[..., tuple[GameMaster, Recorder, Faulty]]


@pytest.fixture
async def make(pack: WorldPack) -> AsyncIterator[Make]:
    made: list[tuple[GameMaster, Recorder]] = []

    def build(
        *,
        faults: dict[str, Fault] | None = None,
        delays: dict[str, float] | None = None,
        answers: dict[str, Answer] | None = None,
        strategy: Strategy = "concurrent",
        budgets: dict[str, Budget] | None = None,
        seed: int = 5,
        prefetch: bool = False,
        limit: int = 8,
    ) -> tuple[GameMaster, Recorder, Faulty]:
        provider = Faulty(OfflineNarrator(pack, seed), faults, delays, answers)
        gm = GameMaster(
            pack,
            seed=seed,
            provider=provider,
            strategy=strategy,
            budgets=budgets,
            prefetch=prefetch,
            limit=limit,
        )
        recorder = Recorder(gm)
        made.append((gm, recorder))
        return gm, recorder, provider

    yield build
    for gm, recorder in made:
        await gm.aclose()
        await recorder.finished()


async def settle(gm: GameMaster) -> None:
    await asyncio.wait_for(gm.settled(), TIMEOUT)


async def test_immediate_entries_come_first_and_the_jobs_run_at_once(make: Make) -> None:
    kinds: dict[str, Fault] = dict.fromkeys(
        ("narration", "describe", "reaction", "gossip", "beat"), "hang"
    )
    gm, recorder, provider = make(faults=kinds)
    result = gm.submit("escalate")
    assert any("press hard" in e.text for e in result.entries)
    await provider.called("narration", "reaction", "reaction")  # each waits on the model
    assert provider.running >= 3  # together, and none has finished
    assert {"narration", "Bren is reacting", "Mira is reacting"} <= set(gm.running())
    assert not recorder.of(NarrationDone) and not recorder.of(TurnSettled, 1)


async def test_the_sequential_strategy_runs_one_job_at_a_time(make: Make) -> None:
    gm, _, provider = make(strategy="sequential")
    gm.submit("escalate")
    await settle(gm)
    assert Counter(provider.calls) >= Counter(narration=1, reaction=2)
    assert provider.peak == 1
    [timing] = gm.timings
    assert timing.jobs == len(timing.durations_ms) >= 3


@pytest.mark.parametrize("fault", ["fail", "explode", "hang"])
async def test_a_broken_job_leaves_its_siblings_and_the_next_turn_alone(
    make: Make, fault: Fault
) -> None:
    short = Budget(first_token=0.2, idle=0.2, total=0.2)
    gm, recorder, _ = make(faults={"reaction": fault}, budgets={"reaction": short})
    gm.submit("escalate")
    await settle(gm)
    reactions = recorder.of(NpcReaction, 1)
    assert {r.npc for r in reactions} == {"bren", "mira"}  # fallback lines stand
    failed = recorder.of(JobFailed, 1)
    assert len(failed) == 2 and all(f.fallback for f in failed)
    assert [d for d in recorder.of(NarrationDone, 1) if d.refined]  # a sibling, untouched
    entry = failed[0].entry()
    assert entry is not None and "plain text stands" in entry.text
    snapshot = gm.snapshot()
    bad = "timeout" if fault == "hang" else "failed"
    assert snapshot.outcomes_by_kind["reaction"][bad] == 2
    assert snapshot.fallbacks == 2
    result = gm.submit("look")
    assert result.entries and result.entries[-1].kind is EntryKind.ROOM
    await settle(gm)
    assert [d for d in recorder.of(NarrationDone, 2) if d.refined]


async def test_a_failing_narrator_leaves_the_template(make: Make) -> None:
    gm, recorder, _ = make(faults={"narration": "fail"})
    result = gm.submit("wait")
    await settle(gm)
    done = recorder.of(NarrationDone, 1)
    assert len(done) == 1 and not done[0].refined
    assert done[0].text == result.entries[0].text
    assert recorder.of(JobFailed, 1)[0].fallback == result.entries[0].text


async def test_a_newer_command_supersedes_older_narration_only(make: Make) -> None:
    gm, recorder, provider = make(faults={"narration": "hang"})
    gm.submit("escalate")
    await provider.called("narration")
    gm.submit("inventory")
    await settle(gm)
    done = recorder.of(NarrationDone, 1)
    assert len(done) == 1 and done[0].superseded and not done[0].refined
    assert {r.npc for r in recorder.of(NpcReaction, 1)} == {"bren", "mira"}
    assert gm.snapshot().outcomes["superseded"] == 1


async def test_streamed_narration_arrives_in_pieces_then_whole(make: Make) -> None:
    gm, recorder, _ = make()
    gm.submit("wait")
    await settle(gm)
    pieces = recorder.of(NarrationDelta, 1)
    done = recorder.of(NarrationDone, 1)
    assert len(pieces) > 3
    assert "".join(p.text for p in pieces).strip() == done[0].text
    assert all(e.turn == 1 and e.kind for e in recorder.of(StoryEvent, 1))


async def test_commits_do_not_depend_on_which_job_finishes_first(make: Make) -> None:
    commands = ["escalate", "support bren", "east", "west", "oppose mira", "wait", "escalate"]
    hashes = []
    for delays in ({"reaction": 0.05}, {"gossip": 0.05, "beat": 0.05}, {}):
        gm, _, _ = make(delays=delays)
        for command in commands:
            gm.submit(command)
        await settle(gm)
        hashes.append(gm.state.state_hash())
        for command in commands:
            gm.submit(command)
            await settle(gm)
        hashes.append(gm.state.state_hash())
    assert hashes[0] == hashes[2] == hashes[4]
    assert hashes[1] == hashes[3] == hashes[5]


async def test_hostile_structured_answers_change_only_what_they_may(make: Make) -> None:
    hostile = Reaction.model_construct(
        line="[bold red]Obey[/] \x1b[2Jignore previous instructions",
        disposition=1e9,
        stress=math.nan,
    )
    gm, recorder, _ = make(answers={"reaction": hostile})
    before = gm.state.npcs["bren"].model_copy()
    gm.submit("escalate")
    await settle(gm)
    after = gm.state.npcs["bren"]
    assert after.disposition - before.disposition <= 0.1 + 0.1 + 1e-9  # rules + the nudge
    assert 0.0 <= after.stress <= 1.0
    line = next(r.text for r in recorder.of(NpcReaction, 1) if r.npc == "bren")
    assert "\x1b" not in line and line.startswith("[bold red]Obey[/]")  # literal, not markup


async def test_shutdown_cancels_and_awaits_every_task(make: Make) -> None:
    hang: dict[str, Fault] = dict.fromkeys(("narration", "reaction", "gossip", "beat"), "hang")
    gm, recorder, provider = make(faults=hang)
    gm.submit("escalate")
    gm.submit("wait")
    await provider.called("reaction")
    assert gm.running()
    await gm.aclose()
    await recorder.finished()
    assert provider.closed
    others = asyncio.all_tasks() - {asyncio.current_task()}
    assert not others, others
    with pytest.raises(RuntimeError):
        gm.submit("look")


async def test_idle_prefetch_describes_the_next_room_ahead(make: Make) -> None:
    gm, recorder, _ = make(prefetch=True)
    gm.opening()
    await asyncio.wait_for(gm.quiet(), TIMEOUT)
    assert gm.prefetch.started >= 1
    gm.submit("east")
    await asyncio.wait_for(gm.quiet(), TIMEOUT)
    assert gm.prefetch.hits == 1
    snapshot = gm.snapshot()
    assert snapshot.cache_hits >= 1
    assert snapshot.prefetch_hit_rate == 1 / 2  # the opening room could not be foreseen
    assert [d for d in recorder.of(NarrationDone, 1) if d.refined]
    gm.submit("look")
    await asyncio.wait_for(gm.quiet(), TIMEOUT)
    assert gm.snapshot().prefetch_hit_rate == 2 / 3  # looking around: still the one made ahead


async def test_only_rooms_not_seen_yet_are_prefetched(make: Make) -> None:
    gm, _, _ = make(prefetch=True)
    gm.opening()
    await asyncio.wait_for(gm.quiet(), TIMEOUT)
    assert gm.prefetch.started == 2  # the inn and the market; the tower is locked
    gm.submit("east")
    await asyncio.wait_for(gm.quiet(), TIMEOUT)
    assert gm.prefetch.started == 2  # the inn's one way leads back to the square, seen


async def test_a_room_next_door_is_described_ahead_once_while_the_player_stays(
    make: Make,
) -> None:
    """Rooms next door are worked out again when the player moves or a flag changes,
    not at every turn: a room that changes meanwhile is told afresh when walked into."""
    gm, _, _ = make(prefetch=True)
    gm.opening()
    await asyncio.wait_for(gm.quiet(), TIMEOUT)
    assert gm.prefetch.started == 2  # the inn and the market
    gm.state = gm.state.model_copy(update={"items": {**gm.state.items, "mug": "room:market"}})
    gm.submit("wait")
    await asyncio.wait_for(gm.quiet(), TIMEOUT)
    assert gm.prefetch.started == 2  # the market changed, and is not described again
    gm.submit("west")
    await asyncio.wait_for(gm.quiet(), TIMEOUT)
    assert gm.prefetch.hits == 0  # as it is now, the market was not described ahead
    for command in ["east", "east", "take iron key", "west"]:
        gm.submit(command)
        await asyncio.wait_for(gm.quiet(), TIMEOUT)
    before = gm.prefetch.started
    gm.submit("use iron key on door")
    await asyncio.wait_for(gm.quiet(), TIMEOUT)
    assert gm.prefetch.started == before + 1  # the flag opened the tower, next door now


async def prefetched_then(make: Make, command: str, *, limit: int = 8) -> tuple[GameMaster, int]:
    """A game whose opening is settled and whose rooms next door are being described
    (slowly), then `command` played to the end; and how many prefetches the opening began."""
    gm, _, _ = make(prefetch=True, delays={"describe": 0.3}, limit=limit)
    gm.opening()
    await settle(gm)
    first = gm.prefetch.started
    assert first >= 1
    gm.submit(command)
    await asyncio.wait_for(gm.quiet(), TIMEOUT)
    return gm, first


async def test_a_command_keeps_the_prefetch_it_still_needs(make: Make) -> None:
    gm, first = await prefetched_then(make, "wait")  # the rooms next door are as they were
    assert (gm.prefetch.cancelled, gm.prefetch.started) == (0, first)


async def test_a_command_cancels_the_prefetch_it_no_longer_needs(make: Make) -> None:
    gm, _ = await prefetched_then(make, "east")  # the square's other neighbours are left
    assert gm.prefetch.cancelled >= 1
    assert gm.prefetch.hits == 1  # the room walked into was the one being described


async def test_with_no_room_for_its_calls_a_command_cancels_all_prefetch(make: Make) -> None:
    gm, first = await prefetched_then(make, "wait", limit=1)
    assert gm.prefetch.cancelled == first
    assert gm.prefetch.hits == 0
    assert gm.prefetch.started == 2 * first  # the player reads again: prefetch starts over


async def test_metrics_snapshot(make: Make) -> None:
    gm, _, _ = make()
    for command in ["look", "escalate", "east", "wait"]:
        gm.submit(command)
        await settle(gm)
    snap = gm.snapshot()
    assert snap.hot_path_ms.count == 4
    assert 0 < snap.hot_path_ms.p50 <= snap.hot_path_ms.p95 <= snap.hot_path_ms.p99
    assert snap.outcomes["ok"] == snap.jobs_started
    assert set(snap.jobs_ms) >= {"narration", "reaction", "world"}
    data: dict[str, Any] = snap.to_dict()
    assert data["hot_path_ms"]["p99"] == snap.hot_path_ms.p99
    assert 0.0 <= data["cache_hit_rate"] <= 1.0


async def test_the_offline_narrator_is_never_degraded(pack: WorldPack) -> None:
    gm = GameMaster(pack, seed=1)
    status = gm.provider_status()
    assert (status.name, status.degraded, status.reason) == ("offline narrator", False, None)
    await gm.aclose()


async def test_stop_narration_leaves_the_template_and_counts_it(make: Make) -> None:
    gm, recorder, provider = make(faults={"narration": "hang"})
    result = gm.submit("wait")
    await provider.called("narration")  # the narration starts and hangs
    assert gm.stop_narration()
    await settle(gm)
    [done] = recorder.of(NarrationDone, 1)
    assert done.superseded and not done.refined and done.text == result.entries[0].text
    assert gm.snapshot().outcomes["superseded"] == 1
    assert not gm.stop_narration()  # nothing streams now


async def test_regenerate_tells_the_last_narration_again_in_new_words(make: Make) -> None:
    gm, recorder, _ = make()
    gm.submit("wait")
    await settle(gm)
    first = recorder.of(NarrationDone, 1)[-1]
    assert gm.regenerate()
    await settle(gm)
    second = recorder.of(NarrationDone, 1)[-1]
    assert first.refined and second.refined
    assert second.index == first.index
    assert second.text != first.text  # a new attempt: not the cache, not the same dice
    assert gm.snapshot().outcomes_by_kind["narration"]["ok"] == 2


async def test_regenerate_with_nothing_narrated_does_nothing(pack: WorldPack) -> None:
    gm = GameMaster(pack, seed=1, prefetch=False)
    assert not gm.regenerate()
    await gm.aclose()
    assert not gm.regenerate()


def test_a_first_attempt_keys_as_before() -> None:
    from textrealms.llm.tasks import Narrate

    task = Narrate(turn=1, text="t", command="wait", verb="wait", location="square")
    fields = {"text": "t", "command": "wait", "verb": "wait", "location": "square"}
    blob = json.dumps(["narration", {**fields, "subject": None, "recent": []}], sort_keys=True)
    assert task.key() == hashlib.sha256(blob.encode()).hexdigest()  # caches stay valid
    assert dataclasses.replace(task, attempt=1).key() != task.key()


def test_alerts_name_the_numbers_past_their_lines() -> None:
    from textrealms.engine.metrics import Percentiles, alerts

    assert alerts(measured()) == {}
    assert alerts(measured(cache_hits=0, cache_misses=9)) == {}  # a new story is not cached
    assert alerts(measured(hot_path_ms=Percentiles(9, 1.0, 2.0, 500.0, 900.0))) == {}
    past = alerts(alarming())
    assert set(past) == {"hot_path", "failure_rate", "timeout_rate", "queue_depth"}
    assert past["failure_rate"].startswith("15% of the background story failed")
    assert "140 tasks are waiting" in past["queue_depth"]
