"""The player drives the conflict: idle drift stays small, choices decide the phases on every
seed, and every choice says where the conflict stands and which way it leans."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest

from tests.helpers.events import Recorder
from tests.helpers.paths import FERRY, ROOT, TESTVALE
from tests.helpers.rules_game import Game, play
from tests.helpers.waiting import TIMEOUT
from textrealms.engine.entries import EntryKind
from textrealms.engine.events import DramaticBeat, PhaseTransition
from textrealms.engine.gm import GameMaster
from textrealms.engine.simulation.director import COOLDOWN, URGENT
from textrealms.engine.stakes import STANDING
from textrealms.llm.offline import OfflineNarrator
from textrealms.world import effects as fx
from textrealms.world.loader import load_pack
from textrealms.world.reducer import reduce
from textrealms.world.schema import WorldPack

PACKS = [*sorted(p for p in (ROOT / "worlds").iterdir() if p.is_dir()), TESTVALE]


def deadline_endings(pack: WorldPack) -> set[str]:
    """Endings that name a timed event: the ones idling may (and then must) reach."""
    return {
        eid
        for eid, ending in pack.endings.items()
        if any(c.event is not None and pack.events[c.event].at is not None for c in ending.when)
    }


@pytest.mark.parametrize("folder", [*PACKS, FERRY], ids=lambda p: p.name)
async def test_idling_200_turns_changes_phase_at_most_twice_and_ends_only_on_a_deadline(
    folder: Path,
) -> None:
    pack = load_pack(folder)
    gm = GameMaster(pack, seed=1, prefetch=False)
    recorder = Recorder(gm)
    told = 0
    try:
        for _ in range(200):
            result = gm.submit("wait")
            told += sum(e.kind is EntryKind.CONFLICT for e in result.entries)
            await asyncio.wait_for(gm.settled(), TIMEOUT)
            if gm.state.ending is not None:
                break
    finally:
        await gm.aclose()
        await recorder.finished()
    assert told + len(recorder.of(PhaseTransition)) <= 2
    deadlines = deadline_endings(pack)
    if deadlines:
        assert gm.state.ending in deadlines
    else:
        assert gm.state.ending is None


CHOICES = {
    "testvale": ["escalate", "resist", "negotiate", "escalate", "escalate", "escalate"]
    + ["support mira", "de-escalate", "oppose bren", "submit", "escalate", "negotiate"]
    + ["de-escalate"] * 4,
    "emberfall": ["resist", "escalate", "escalate", "negotiate", "de-escalate", "resist"]
    + ["de-escalate"] * 3
    + ["submit", "negotiate", "escalate", "de-escalate", "de-escalate", "negotiate"],
}


@pytest.mark.parametrize("world", sorted(CHOICES))
async def test_the_same_choices_give_the_same_phases_on_every_seed(world: str) -> None:
    folder = TESTVALE if world == "testvale" else ROOT / "worlds" / world
    pack = load_pack(folder)
    runs = set()
    for seed in range(1, 21):
        gm = GameMaster(pack, seed=seed, prefetch=False)
        phases = []
        try:
            for command in CHOICES[world]:
                gm.submit(command)
                await asyncio.wait_for(gm.settled(), TIMEOUT)
                phases.append(tuple(c.phase for c in gm.state.conflicts.values()))
        finally:
            await gm.aclose()
        runs.add(tuple(phases))
    (seen,) = runs
    assert len(set(seen)) >= 4, "the choices should move the conflict through phases"


@pytest.mark.parametrize(
    "command", ["escalate", "de-escalate", "negotiate", "submit", "resist", "support mira"]
)
def test_every_choice_says_where_the_conflict_stands_and_which_way_it_leans(
    game: Game, command: str
) -> None:
    before = game.state.conflicts["feud"]
    text = play(game, command)
    after = game.state.conflicts["feud"]
    assert f"The tower feud {STANDING[after.phase]}, " in text
    assert "leaning toward " in text or "poised to go either way" in text
    assert (after.phase, after.progress) != (before.phase, before.progress)


def test_a_choice_that_cannot_move_the_conflict_says_why(game: Game) -> None:
    for _ in range(4):
        play(game, "escalate")
    assert game.state.conflicts["feud"].phase == "climax"
    assert "It can burn no hotter; only calming it will move it on now." in play(game, "escalate")


def test_calming_before_the_climax_moves_it_back_and_says_so(game: Game) -> None:
    text = play(game, "de-escalate")
    assert game.state.conflicts["feud"].phase == "emerging"
    assert "The tower feud is stirring" in text


def test_a_settled_conflict_leaves_no_sworn_enemies(game: Game, pack: WorldPack) -> None:
    """Rainmouth: `reputation` listed the Brotherhood and the Lamplighters as "sworn
    enemies" just after they sat down together."""
    game.state = reduce(
        pack,
        game.state,
        [
            fx.AdjustRelation("villagers", "guild", -0.5),
            fx.SetConflictFlow("feud", "falling", 0.4, -0.3, 0.9),
        ],
    )
    assert "sworn enemies" in play(game, "reputation")
    play(game, "de-escalate")
    assert game.state.conflicts["feud"].phase == "resolution"
    assert "Lamplighters' Guild and Villagers: at odds" in play(game, "reputation")


async def test_the_world_never_undoes_a_phase_nor_carries_it_past_the_climax() -> None:
    pack = load_pack(ROOT / "worlds" / "emberfall")
    gm = GameMaster(pack, seed=4, prefetch=False)
    recorder = Recorder(gm)
    try:
        for command in ["resist"] * 3 + ["de-escalate"] * 2 + ["wait"] * 60:
            gm.submit(command)
            await asyncio.wait_for(gm.settled(), TIMEOUT)
    finally:
        await gm.aclose()
        await recorder.finished()
    assert gm.state.conflicts["witch_hunt"].phase == "falling"
    assert recorder.of(PhaseTransition) == [], "past the climax only the player moves it"


async def test_commands_typed_ahead_of_the_story_tell_a_beat_once() -> None:
    """Plain mode without --wait (Emberfall, seed 1): a turn played before the one ahead
    of it had committed picked its beat without seeing that one's, and the same escalation
    was told twice. However far the story lags, beats keep the director's spacing."""
    pack = load_pack(ROOT / "worlds" / "emberfall")
    gm = GameMaster(pack, seed=1, provider=OfflineNarrator(pack, 1), prefetch=False)
    recorder = Recorder(gm)
    gm.opening()
    for command in ["n", "talk to hobb", "escalate", "escalate", "support hobb", "escalate"]:
        gm.submit(command)
    for command in ["wait", "wait", "escalate", "w", "e", "wait", "wait", "wait"]:
        gm.submit(command)
    async with asyncio.timeout(TIMEOUT):
        await gm.settled()
    await gm.aclose()
    await recorder.finished()
    beats = recorder.of(DramaticBeat)
    assert beats
    for earlier, later in itertools.pairwise(beats):
        assert later.beat in URGENT or later.turn - earlier.turn > COOLDOWN, later
