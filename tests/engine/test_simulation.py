"""The living world: conflict phases and beats, stakeholders, gossip, reputation, pacing."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

import pytest

from tests.helpers.events import Recorder
from tests.helpers.faulty import one_reaction_from_the_end
from tests.helpers.paths import ROOT
from tests.helpers.waiting import TIMEOUT
from textrealms.engine.entries import EntryKind
from textrealms.engine.events import (
    DramaticBeat,
    GossipHeard,
    NarrationDone,
    NpcReaction,
    PhaseTransition,
    Progress,
    ReputationChange,
)
from textrealms.engine.gm import GameMaster
from textrealms.engine.simulation import social, stakeholders
from textrealms.engine.simulation.world import world_turn
from textrealms.world import effects as fx
from textrealms.world.loader import load_pack
from textrealms.world.reducer import reduce
from textrealms.world.rng import Dice
from textrealms.world.schema import PHASES, WorldPack
from textrealms.world.state import PLAYER, Gossip, new_game, relation_key


@pytest.fixture
async def world(pack: WorldPack) -> AsyncIterator[tuple[GameMaster, Recorder]]:
    gm = GameMaster(pack, seed=3, prefetch=False)
    recorder = Recorder(gm)
    yield gm, recorder
    await gm.aclose()
    await recorder.finished()


async def turn(gm: GameMaster, command: str) -> str:
    result = gm.submit(command)
    await asyncio.wait_for(gm.settled(), TIMEOUT)
    return "\n".join(e.text for e in result.entries)


async def test_choices_move_phases_both_ways_and_fire_beats_of_several_types(
    world: tuple[GameMaster, Recorder],
) -> None:
    gm, recorder = world
    script = ["deescalate"] * 6 + ["escalate"] * 6 + ["submit"] * 4 + ["escalate"] * 7
    phases = [PHASES.index(gm.state.conflicts["feud"].phase)]
    shown = 0
    for command in script:
        result = gm.submit(command)
        shown += sum(e.kind is EntryKind.CONFLICT for e in result.entries)
        await asyncio.wait_for(gm.settled(), TIMEOUT)
        phases.append(PHASES.index(gm.state.conflicts["feud"].phase))
    steps = list(itertools.pairwise(phases))
    assert any(b < a for a, b in steps), "momentum collapse should move a phase back"
    assert any(b > a for a, b in steps)
    assert shown + len(recorder.of(PhaseTransition)) == sum(a != b for a, b in steps)
    beats = {b.beat for b in recorder.of(DramaticBeat)}
    assert {"reconciliation", "escalation"} <= beats and len(beats) >= 3, beats


def test_stress_past_the_breaking_point_turns_a_defender_against_their_side(
    pack: WorldPack,
) -> None:
    state = new_game(pack, seed=1)
    state = reduce(pack, state, [fx.AdjustStress("oda", 0.9)])
    plan = stakeholders.act(pack, state, Dice(1, 0))
    (broke,) = plan.breaks
    assert (broke.npc, broke.old, broke.new, broke.beat) == (
        "oda",
        "defender",
        "escalator",
        "betrayal",
    )
    after = reduce(pack, state, plan.effects)
    assert after.npcs["oda"].role == "escalator"
    assert after.npcs["oda"].stress == pytest.approx(0.9 - stakeholders.RELIEF)


def test_player_choices_strain_the_side_they_hurt(pack: WorldPack) -> None:
    state = new_game(pack, seed=1)
    hold = stakeholders.reaction(state, "oda", "escalate", None)
    push = stakeholders.reaction(state, "bren", "escalate", None)
    assert hold[0] == fx.AdjustStress("oda", 0.12)
    assert push[1] == fx.AdjustCommitment("bren", 0.06)
    assert stakeholders.reaction(state, "bren", "oppose", "bren")[0] == fx.AdjustStress(
        "bren", 0.15
    )


def test_stakeholders_act_on_their_own_and_factions_drift(pack: WorldPack) -> None:
    state = new_game(pack, seed=1)
    moved = 0
    for n in range(40):
        plan = stakeholders.act(pack, state, Dice(n, 0))
        moved += len(plan.moves)
        state = reduce(pack, state, plan.effects)
    assert moved >= 10
    assert state.relations[relation_key("guild", "villagers")] < -0.4  # they drifted apart


def _rumour(about: str, believers: list[str], kind: str = "praise") -> Gossip:
    return Gossip.model_validate(
        {
            "id": "g1",
            "type": kind,
            "about": about,
            "topic": "you fixed the well",
            "truth": 1.0,
            "spread": 1.0,
            "origin": believers[0],
            "believers": believers,
        }
    )


def test_gossip_spreads_between_npcs_who_meet_and_belief_warms_them(pack: WorldPack) -> None:
    state = reduce(pack, new_game(pack, seed=1), [fx.AddGossip(_rumour(PLAYER, ["oda"]))])
    warm = state.npcs["mira"].disposition
    for n in range(30):
        state = reduce(pack, state, social.spread(pack, state, Dice(n, 0)))
    held = set(state.gossip[0].believers) | set(state.gossip[0].deniers)
    assert {"bren", "mira"} <= held  # the inn is one exit from the square
    believers = set(state.gossip[0].believers) - {"oda"}
    assert believers
    for npc in believers:
        assert state.npcs[npc].disposition > new_game(pack, 1).npcs[npc].disposition
    assert state.reputation["trustworthy"] > 0.5
    assert warm <= state.npcs["mira"].disposition


def test_believing_a_scandal_sours_the_factions(pack: WorldPack) -> None:
    scandal = _rumour("bren", ["oda"], "scandal")
    assert social.belief_effects(pack, scandal, "oda") == [
        fx.AdjustRelation("villagers", "guild", -0.03)
    ]
    assert social.belief_effects(pack, scandal, "mira") == []  # Mira has no faction


def test_nobody_believes_gossip_about_themselves(pack: WorldPack) -> None:
    state = reduce(
        pack, new_game(pack, seed=1), [fx.AddGossip(_rumour("bren", ["oda"], "scandal"))]
    )
    for n in range(30):
        state = reduce(pack, state, social.spread(pack, state, Dice(n, 0)))
    assert "bren" not in state.gossip[0].believers


async def test_the_player_hears_rumours_and_rumors_lists_them(
    world: tuple[GameMaster, Recorder],
) -> None:
    gm, recorder = world
    assert "haven't heard any rumours" in await turn(gm, "rumors")
    await turn(gm, "escalate")
    for _ in range(30):
        if recorder.of(GossipHeard):
            break
        await turn(gm, "wait")
    heard = recorder.of(GossipHeard)
    assert heard, "nobody told the player anything in 30 turns"
    entry = heard[0].entry()
    assert entry is not None and entry.speaker == heard[0].teller
    listing = await turn(gm, "rumors")
    assert "Rumours you have heard" in listing and f"from {heard[0].teller}" in listing


async def test_reputation_is_shown_and_told_when_it_moves(
    world: tuple[GameMaster, Recorder],
) -> None:
    gm, recorder = world
    shown = await turn(gm, "reputation")
    assert shown.count("\n  ") >= 8 and "submissive" in shown and "Lamplighters' Guild" in shown
    assert "Villagers and Lamplighters' Guild: at odds" in shown or (
        "Lamplighters' Guild and Villagers: at odds" in shown
    )
    await turn(gm, "submit")
    await turn(gm, "submit")
    told = [r for r in recorder.of(ReputationChange) if r.dimension == "submissive"]
    assert told and told[0].new > told[0].old + 0.1
    assert gm.state.told["submissive"] == pytest.approx(gm.state.reputation["submissive"])


async def test_the_director_moves_along_the_arc(pack: WorldPack) -> None:
    lit = reduce(pack, new_game(pack, seed=3), [fx.SetFlag("lantern_lit")])  # no peace ending
    gm = GameMaster(pack, state=lit, prefetch=False)
    stages = set()
    try:
        for command in ["escalate"] * 8 + ["deescalate"] * 10 + ["wait"] * 10:
            await turn(gm, command)
            stages.add(gm.state.director.stage)
    finally:
        await gm.aclose()
    assert stages == {"build", "peak", "fade", "relax"}
    assert len(gm.state.director.tension) >= 10


async def test_background_effects_can_complete_the_story(pack: WorldPack) -> None:
    """A reaction's nudge tips Oda's feeling past the ending's threshold, off the hot path."""
    start, provider = one_reaction_from_the_end(pack)
    gm = GameMaster(pack, state=start, provider=provider, prefetch=False)
    recorder = Recorder(gm)
    try:
        result = gm.submit("support oda")
        assert result.state.ending is None and result.state.npcs["oda"].disposition == 0.2
        await asyncio.wait_for(gm.settled(), TIMEOUT)
        assert gm.state.ending == "light"
        (done,) = recorder.of(Progress)
        assert done.story.kind is EntryKind.ENDING and done.story.title == "Light Returns"
    finally:
        await gm.aclose()
        await recorder.finished()


def test_a_person_in_two_conflicts_is_seen_making_one_move_a_turn() -> None:
    """Varga holds a part in both of Kestrel's conflicts, with one role: two moves of hers
    in one turn were once told as the same line twice."""
    pack = load_pack(ROOT / "worlds" / "kestrel-station")
    state = reduce(pack, new_game(pack, seed=1), [fx.MovePlayer("command")])
    twice = 0
    for n in range(200):
        dice = Dice(n, 0)
        twice += sum(m.npc == "varga" for m in stakeholders.act(pack, state, dice).moves) > 1
        shown = world_turn(pack, state, state, Dice(n, 0), Dice(n, 1)).shown
        assert len({s.npc for s in shown}) == len(shown), n
    assert twice, "some turn should have Varga move in both conflicts"


async def test_a_scene_of_the_packs_own_is_not_stacked_with_stock_reactions() -> None:
    """Emberfall: giving Hobb the locket said "Hobb accepts the tin locket ... 'Thank you.
    Truly.'" and had him "nod once, hard", around his scripted scene ("Breathing"). When
    the deed sets off the pack's scene, that scene tells how he takes it."""
    pack = load_pack(ROOT / "worlds" / "emberfall")
    state = reduce(
        pack,
        new_game(pack, seed=4),
        [fx.MovePlayer("village_green"), fx.PlaceItem("tamsins_locket", PLAYER)],
    )
    gm = GameMaster(pack, seed=4, prefetch=False, state=state)
    recorder = Recorder(gm)
    try:
        result = gm.submit("give locket to hobb")
        await asyncio.wait_for(gm.settled(), TIMEOUT)
    finally:
        await gm.aclose()
        await recorder.finished()
    kinds = [e.kind for e in result.entries]
    assert EntryKind.EVENT in kinds
    assert result.entries[0].text == "You give the tin locket to Hobb Corvell."
    assert [r for r in recorder.of(NpcReaction) if r.npc == "hobb"] == []
    assert recorder.of(NarrationDone, turn=1) == [], "the deed is not retold around the scene"
