"""Batched reactions, the circuit and the assessment it allows, in the game master, on
in-process providers."""

from __future__ import annotations

import asyncio

import pytest

from tests.helpers.events import Recorder
from tests.helpers.faulty import Faulty
from tests.helpers.stores import MemoryStore
from tests.helpers.waiting import TIMEOUT
from textrealms.engine.events import JobFailed, NpcReaction, ProviderChanged, StoryEvent
from textrealms.engine.gm import GameMaster
from textrealms.engine.jobs.assessment import REPUTATION_NUDGE
from textrealms.engine.jobs.context import Batching
from textrealms.llm.circuit import Circuit
from textrealms.llm.offline import OfflineNarrator
from textrealms.llm.schemas import Assessment, Nudge, Reactions
from textrealms.llm.schemas import NpcReaction as Part
from textrealms.world.schema import WorldPack


async def run(gm: GameMaster, *commands: str) -> list[StoryEvent]:
    """Every event of playing `commands`, each turn let settle, then the game closed."""
    recorder = Recorder(gm)
    for command in commands:
        gm.submit(command)
        await asyncio.wait_for(gm.settled(), TIMEOUT)
    await gm.aclose()
    await recorder.finished()
    return recorder.events


async def test_an_npc_the_batch_leaves_out_gets_its_template_line(pack: WorldPack) -> None:
    only_bren = Reactions(
        reactions=[Part(npc="bren", line="Bren spits."), Part(npc="nobody", line="x")]
    )
    provider = Faulty(OfflineNarrator(pack, 5), answers={"reactions": only_bren})
    gm = GameMaster(pack, seed=5, provider=provider, batching="on", prefetch=False)
    events = await run(gm, "escalate")
    lines = {e.npc: e.text for e in events if isinstance(e, NpcReaction) and e.turn == 1}
    assert lines["bren"] == "Bren spits."
    assert "nobody" not in lines
    failed = [e for e in events if isinstance(e, JobFailed)]
    assert [(f.label, f.reason) for f in failed] == [("Mira", "the model left this one out")]
    assert lines["mira"] == failed[0].fallback
    assert provider.calls.count("reactions") == 1 and "reaction" not in provider.calls


@pytest.mark.parametrize(("batching", "calls"), [("off", 0), ("auto", 0), ("on", 1)])
async def test_batching_settings(pack: WorldPack, batching: Batching, calls: int) -> None:
    provider = Faulty(OfflineNarrator(pack, 5))
    gm = GameMaster(pack, seed=5, provider=provider, batching=batching, prefetch=False)
    await run(gm, "escalate")
    assert provider.calls.count("reactions") == calls
    assert provider.calls.count("reaction") == 2 * (1 - calls)


async def test_a_failed_batch_fails_each_reaction_with_its_template(pack: WorldPack) -> None:
    provider = Faulty(OfflineNarrator(pack, 5), faults={"reactions": "fail"})
    gm = GameMaster(pack, seed=5, provider=provider, batching="on", prefetch=False)
    events = await run(gm, "escalate")
    failed = [e for e in events if isinstance(e, JobFailed)]
    assert sorted(f.label for f in failed) == ["Bren", "Mira"]
    assert {f.reason for f in failed} == {"injected failure"}
    assert gm.snapshot().outcomes_by_kind["reaction"]["failed"] == 2


async def test_the_offline_narrator_never_announces_a_change(pack: WorldPack) -> None:
    gm = GameMaster(pack, seed=1, prefetch=False)
    events = await run(gm, "look", "escalate", "wait")
    assert not [e for e in events if isinstance(e, ProviderChanged)]


async def test_a_failing_model_trips_and_the_world_still_moves(pack: WorldPack) -> None:
    provider = Faulty(
        OfflineNarrator(pack, 5),
        faults=dict.fromkeys(("narration", "describe", "reaction", "assess", "gossip"), "fail"),
    )
    circuit = Circuit(threshold=2, cooldown=60.0)
    gm = GameMaster(pack, seed=5, provider=provider, circuit=circuit, prefetch=False)
    events = await run(gm, "escalate", "escalate", "wait")
    changes = [e for e in events if isinstance(e, ProviderChanged)]
    assert len(changes) == 1 and changes[0].status.degraded
    assert changes[0].status.reason == "injected failure"
    assert gm.snapshot().fallback_calls > 0


async def test_an_offline_game_keeps_nothing_in_the_store(pack: WorldPack) -> None:
    store = MemoryStore()
    gm = GameMaster(pack, seed=5, store=store, prefetch=False)
    await run(gm, "look", "escalate")
    assert not store.values and not store.loads


async def test_walking_looking_and_waiting_are_not_judged(pack: WorldPack) -> None:
    """A model assesses a deed that may move the world: walking, looking, waiting and
    the like move nobody (a conflict moved by the turn all the same is judged)."""
    idle = ("east", "west", "look", "examine fountain", "wait", "listen")
    for commands, assessed in ((idle, 0), ((*idle, "escalate"), 1)):
        provider = Faulty(OfflineNarrator(pack, 5))
        gm = GameMaster(pack, seed=5, provider=provider, circuit=Circuit(), prefetch=False)
        await run(gm, *commands)
        assert gm.state.turn >= 5  # turns played, each with the world's turn after it
        assert provider.calls.count("assess") == assessed


async def test_a_models_assessment_moves_reputation_only_as_far_as_it_may(
    pack: WorldPack,
) -> None:
    hostile = Assessment(
        momentum=9.0,
        reputation=[
            Nudge(dimension="dangerous", delta=4.0),
            Nudge(dimension="dangerous", delta=4.0),  # said twice: counted once
            Nudge(dimension="beloved-of-cats", delta=4.0),  # no such dimension
        ],
    )
    reputations = []
    for answer in (Assessment(), hostile):
        provider = Faulty(OfflineNarrator(pack, 5), answers={"assess": answer})
        circuit = Circuit(threshold=2, cooldown=60.0)
        gm = GameMaster(pack, seed=5, provider=provider, circuit=circuit, prefetch=False)
        await run(gm, "escalate")
        assert provider.calls.count("assess") == 1
        reputations.append(gm.state.reputation)
    calm, pushed = reputations
    moved = {d: pushed[d] - calm[d] for d in calm if pushed[d] != calm[d]}
    assert moved == {"dangerous": pytest.approx(REPUTATION_NUDGE)}
