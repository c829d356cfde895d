"""A turn's gossip and the world's turn, as the pure functions they are: a state, the turn's
facts and dice in, effects and what the player is shown out; no game master, no asyncio."""

from __future__ import annotations

import pytest

from tests.helpers.rules_game import Game, play
from textrealms.engine.events import ReputationChange
from textrealms.engine.simulation import director, social, stakeholders, world
from textrealms.engine.simulation.social import Deed, turn_gossip
from textrealms.engine.simulation.world import WorldTurn, assessed, commit, world_turn
from textrealms.world import effects as fx
from textrealms.world.defaults import DEFAULT_TEMPLATES
from textrealms.world.reducer import reduce
from textrealms.world.rng import Dice
from textrealms.world.schema import BeatType, Phase, StakeholderRole, WorldPack
from textrealms.world.state import PLAYER, GameState, Gossip, new_game

DICE = range(40)


def _state(pack: WorldPack, *changes: fx.Effect) -> GameState:
    return reduce(pack, new_game(pack, seed=1), list(changes))


def _old_rumour(believers: list[str]) -> Gossip:
    """Gossip of turn 0 about Oda, believed by `believers`, which nobody has told the player."""
    return Gossip(
        id="g0-old",
        type="rumor",
        about="oda",
        topic="Oda waters the ale",
        truth=0.5,
        spread=0.5,
        origin=believers[0],
        turn=0,
        believers=believers,
    )


def test_a_deed_before_witnesses_is_gossip_they_believe(pack: WorldPack) -> None:
    state = _state(pack)  # the square: Bren and Mira see it
    told = turn_gossip(pack, state, Deed("escalate", conflict="feud"), Dice(1, 0), turn=1)
    born = told.effects[0]
    assert isinstance(born, fx.AddGossip)
    g = born.gossip
    assert (g.id, g.type, g.about) == ("g1-deed", "warning", PLAYER)
    assert "the tower feud" in g.topic
    assert sorted(g.believers) == ["bren", "mira"]
    for believer in g.believers:
        feeling = fx.AdjustDisposition(believer, social.FEELING["warning"])
        assert feeling in told.effects


def test_a_deed_nobody_saw_is_no_gossip(pack: WorldPack) -> None:
    state = _state(pack, fx.MovePlayer("market"))
    told = turn_gossip(pack, state, Deed("escalate", conflict="feud"), Dice(1, 0), turn=1)
    assert not [e for e in told.effects if isinstance(e, fx.AddGossip)]
    assert told.heard is None  # nobody here to tell the player anything


def test_the_player_overhears_older_gossip_from_a_believer_here(pack: WorldPack) -> None:
    state = _state(pack, fx.AddGossip(_old_rumour(["mira", "bren"])))
    heard = [turn_gossip(pack, state, Deed("wait"), Dice(n, 0), turn=1) for n in DICE]
    told = next(t for t in heard if t.heard is not None)
    assert told.heard is not None
    assert told.heard.gossip.id == "g0-old"
    assert told.heard.teller == "mira"  # of the believers here, the keener gossip
    assert told.heard.fallback == "They say Oda waters the ale."  # the pack's own words
    assert told.effects[-1] == fx.HearGossip("g0-old", 1, "mira")
    assert any(t.heard is None for t in heard)  # a teller may also keep quiet


def test_nobody_passes_on_a_rumour_that_names_them(pack: WorldPack) -> None:
    """The golden transcript had Hobb tell, of himself: "you gave Hobb Corvell the tin
    locket," Hobb Corvell says."""
    mira = pack.npcs["mira"].name
    rumour = _old_rumour(["mira", "bren"]).model_copy(
        update={"about": PLAYER, "topic": f"you gave {mira} a ribbon"}
    )
    state = _state(pack, fx.AddGossip(rumour))
    tellers = {
        t.heard.teller
        for n in DICE
        if (t := turn_gossip(pack, state, Deed("wait"), Dice(n, 0), turn=1)).heard
    }
    assert tellers == {"bren"}


def test_nobody_tells_the_player_again_what_they_told_them_before(pack: WorldPack) -> None:
    """Emberfall: `rumors` listed "You tried to cool tempers ... (from Hobb Corvell)" three
    times: he told the same word as often as it was made again."""
    first = _old_rumour(["mira"]).model_copy(update={"heard": 0, "teller": "mira"})
    again = _old_rumour(["mira"]).model_copy(update={"id": "g0-again"})
    state = _state(pack, fx.AddGossip(first), fx.AddGossip(again))
    assert all(
        turn_gossip(pack, state, Deed("wait"), Dice(n, 0), turn=1).heard is None for n in DICE
    )
    listed = play(Game(pack, seed=1), "rumors")
    assert listed == "You haven't heard any rumours yet. People talk; stay near them and listen."
    game = Game(pack, seed=1)
    game.state = reduce(
        pack,
        state,
        [fx.AddGossip(again.model_copy(update={"id": "g0-third", "heard": 0, "teller": "mira"}))],
    )
    assert play(game, "rumors").count("Oda waters the ale") == 1


def test_the_same_dice_make_the_same_gossip(pack: WorldPack) -> None:
    state = _state(pack, fx.AddGossip(_old_rumour(["mira", "bren"])))
    deed = Deed("oppose", conflict="feud", npc="bren")
    for n in range(5):
        assert turn_gossip(pack, state, deed, Dice(n, 0), 2) == turn_gossip(
            pack, state, deed, Dice(n, 0), 2
        )


def test_a_stakeholder_at_breaking_point_breaks_into_scandal_and_betrayal(
    pack: WorldPack,
) -> None:
    state = _state(pack, fx.AdjustStress("oda", 0.9))
    turn = world_turn(pack, state, state, Dice(1, 0), Dice(2, 0))
    assert fx.SetRole("oda", "escalator") in turn.effects
    scandals = [e.gossip for e in turn.effects if isinstance(e, fx.AddGossip)]
    assert [(g.id, g.type, g.about) for g in scandals] == [("g0-break-oda", "scandal", "oda")]
    assert turn.beat is not None
    assert (turn.beat.beat, turn.beat.npc, turn.beat.conflict) == ("betrayal", "oda", "feud")
    assert turn.beat.fallback == "Oda sells out their own, and the price was low."
    assert fx.MarkBeat(0) in turn.direction


def test_only_moves_made_in_front_of_the_player_are_shown(pack: WorldPack) -> None:
    for where, here in (("square", {"bren", "mira"}), ("market", set())):
        state = _state(pack, fx.MovePlayer(where))
        turns = [world_turn(pack, state, state, Dice(n, 0), Dice(n, 1)) for n in DICE]
        shown = [move for t in turns for move in t.shown]
        assert all(len(t.shown) <= world.VISIBLE_MOVES for t in turns)
        assert {move.npc for move in shown} <= here
        assert bool(shown) == bool(here)  # someone here makes a move in forty turns
        assert all(move.line for move in shown)


def test_the_same_dice_make_the_same_world_turn(pack: WorldPack) -> None:
    state = _state(pack, fx.AdjustStress("bren", 0.5))
    for n in range(5):
        once = world_turn(pack, state, state, Dice(n, 0), Dice(n, 1))
        assert once == world_turn(pack, state, state, Dice(n, 0), Dice(n, 1))


def test_an_assessment_adds_drive_to_the_conflict_moved_and_reputation_last(
    pack: WorldPack,
) -> None:
    before = WorldTurn(
        1, [fx.AdjustStress("oda", 0.1)], [], {"feud": (0.1, 0.2)}, frozenset(), [], None
    )
    rep = fx.AdjustReputation("dangerous", 0.05)
    after = assessed(before, "feud", 0.1, [rep])
    assert after.drive == pytest.approx({"feud": 0.1})
    assert after.pushes == before.pushes
    assert after.effects == [fx.AdjustStress("oda", 0.1), rep]
    assert assessed(before, None, 0.1, []).drive == {}
    assert before.drive == {}  # the turn assessed is left as it was


def test_waiting_never_turns_the_lean_round(pack: WorldPack) -> None:
    """Emberfall seed 4: after the locket and `calm` the Reckoning leaned "toward the bonfire
    and the bread"; overnight, only waiting, it leaned "toward torches" again. The world's
    own pushes move tension, never which way a conflict leans."""
    calmed = _state(pack, fx.SetConflictFlow("feud", "confrontation", 0.6, -0.2, 0.0))
    for n in range(40):
        world = world_turn(pack, calmed, calmed, Dice(n, 0), Dice(n, 1))
        calmed, _ = commit(pack, calmed, world, Dice(n, 1), index=1)
        assert calmed.conflicts["feud"].momentum == pytest.approx(-0.2)


def test_committing_tells_a_reputation_that_moved_far_enough(pack: WorldPack) -> None:
    state = _state(pack)
    turn = WorldTurn(3, [fx.AdjustReputation("dangerous", 0.3)], [], {}, frozenset(), [], None)
    new, events = commit(pack, state, turn, Dice(1, 0), index=2)
    (told,) = events
    assert isinstance(told, ReputationChange)
    assert (told.turn, told.job, told.dimension) == (3, 2, "dangerous")
    assert new.told["dangerous"] == pytest.approx(new.reputation["dangerous"])
    small = WorldTurn(3, [fx.AdjustReputation("dangerous", 0.05)], [], {}, frozenset(), [], None)
    assert commit(pack, state, small, Dice(1, 0), index=2)[1] == []


@pytest.mark.parametrize("phase", ["falling", "resolution"])
def test_past_its_height_the_world_stirs_no_escalation_nor_complication(
    pack: WorldPack, phase: Phase
) -> None:
    """Rainmouth: Rook read the survey and somebody put the coffee on, then the next beat
    had the war "take a dangerous turn". Past the climax only the player (or the pack's
    events) heats a conflict again, so the world's own swings there are no escalation,
    and a stalled build-up gets no complication from it."""
    calm = _state(pack, fx.SetConflictFlow("feud", phase, 0.3, 0.4, 0.2))
    stirred = reduce(pack, calm, [fx.SetConflictFlow("feud", phase, 0.3, 0.6, 0.2)])
    flat = reduce(pack, stirred, [fx.RecordTension(0.3)] * director.STALL)
    for seed in DICE:
        beat = director.direct(calm, flat, [], Dice(seed, 0)).beat
        assert beat is None or beat.beat not in ("escalation", "complication"), beat


@pytest.mark.parametrize("phase", ["rising", "confrontation", "climax"])
def test_no_betrayal_nor_twist_is_told_without_a_change_of_part(
    pack: WorldPack, phase: Phase
) -> None:
    """Blind play: "It turns out Hollis Rook has been playing a longer game than anyone
    guessed", "Everything Rook said turns out to be only half the story", "Lark Kell
    steps out from the edge of the war, and nothing about it is what it seemed", with
    nobody's part changed. The director picks such a beat only from the change it tells."""
    for to in ("climax", "falling", phase):
        before = _state(pack, fx.SetConflictFlow("feud", phase, 0.8, 0.6, 0.5))
        after = reduce(
            pack, before, [fx.SetConflictFlow("feud", to, 0.8, 0.6, 0.0), fx.SetStage("peak", 0)]
        )
        for seed in DICE:
            beat = director.direct(before, after, [], Dice(seed, 0)).beat
            assert beat is None or beat.beat not in ("betrayal", "twist", "revelation"), beat


@pytest.mark.parametrize(
    ("old", "new", "told"),
    [
        ("defender", "escalator", "betrayal"),
        ("victim", "escalator", "escalation"),
        ("instigator", "opportunist", "twist"),
        ("bystander", "defender", "twist"),
        ("escalator", "peacemaker", "reconciliation"),
    ],
)
def test_a_break_is_told_as_the_change_it_is(
    old: StakeholderRole, new: StakeholderRole, told: BeatType
) -> None:
    """Emberfall: "Wenna Rooke breaks faith ... the way the worst betrayals go" of the
    accused witch pushed into fighting back; she has nobody to betray."""
    assert stakeholders.Break("wenna", "witch_hunt", old, new).beat == told


def test_waiting_says_every_idle_line_before_any_twice(pack: WorldPack) -> None:
    """Emberfall: "You bide your time. Somewhere a goat is complaining about everything."
    twice in a row while other lines went unsaid."""
    game = Game(pack, seed=1)
    pool = set(pack.templates.variants("wait") or DEFAULT_TEMPLATES["wait"])
    said = [play(game, "wait") for _ in range(2 * len(pool))]
    assert set(said[: len(pool)]) == pool
    assert set(said[len(pool) :]) == pool
