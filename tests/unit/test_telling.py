"""The telling: dialogue and reactions follow the state and the character (their own
pools, pronouns and body), no engine words or secrets reach the story, beats are felt
where the player is, and the story does not repeat itself.

Most tests play the ferry pack (tests/format2/ferry): Tam is "he" with pools of his own,
Vell is "she" with a secret and none, and the harbour lamp is an "it" machine.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.helpers.paths import FERRY
from tests.helpers.rules_game import Game
from textrealms.engine.entries import EntryKind
from textrealms.engine.jobs.planning import NarrationJob, plan
from textrealms.engine.simulation import lines, social
from textrealms.engine.simulation.stakeholders import Move
from textrealms.engine.simulation.world import world_turn
from textrealms.llm import prompts
from textrealms.llm.offline import OfflineNarrator
from textrealms.llm.offline.voice import voice
from textrealms.llm.schemas import Line, Reaction
from textrealms.llm.tasks import Beat, Describe, Narrate, React, Rumour
from textrealms.world import effects as fx
from textrealms.world import said
from textrealms.world.defaults import DEFAULT_TEMPLATES
from textrealms.world.kinds import Body
from textrealms.world.loader import load_pack
from textrealms.world.persona import FORMS, agree, fits
from textrealms.world.reducer import reduce
from textrealms.world.rng import Dice
from textrealms.world.schema import STAKEHOLDER_ROLES, Npc, Templates, WorldPack
from textrealms.world.state import GameState, new_game

SEEDS = range(40)
ROLE_WORD = re.compile(rf"\b(?:{'|'.join(STAKEHOLDER_ROLES)})s?\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def ferry() -> WorldPack:
    return load_pack(FERRY)


def person(pack: WorldPack, ident: str, **fields: Any) -> WorldPack:
    """`pack` with NPC `ident` given `fields` (as a pack file would write them)."""
    data = pack.npcs[ident].model_dump(by_alias=True, exclude_defaults=True)
    npc = Npc.model_validate({**data, **fields})
    return pack.model_copy(update={"npcs": {**pack.npcs, ident: npc}})


def flagged(state: GameState, *names: str) -> GameState:
    return state.model_copy(update={"flags": state.flags | set(names)})


def feeling(pack: WorldPack, state: GameState, npc: str, delta: float) -> GameState:
    return reduce(pack, state, [fx.AdjustDisposition(npc, delta)])


def kinds(result: Any) -> list[EntryKind]:
    return [e.kind for e in result.entries]


# Dialogue follows the state


def test_talk_gives_the_greeting_that_holds_now(ferry: WorldPack) -> None:
    game = Game(ferry, seed=1)
    assert "doesn't go on my boat" in game.submit("talk to tam").entries[1].text
    game.state = flagged(game.state, "crate_sunk")
    assert "gone in the river" in game.submit("talk to tam").entries[1].text


def test_a_greeting_with_no_line_holding_leaves_the_talk_line_alone(ferry: WorldPack) -> None:
    gone = [{"text": "Vell smiles.", "when": [{"not": {"flag": "crate_sunk"}}]}]
    game = Game(person(ferry, "vell", greeting=gone), seed=1)
    game.submit("north")
    assert kinds(game.submit("talk to vell")) == [EntryKind.NARRATION, EntryKind.SPEECH]
    game.state = flagged(game.state, "crate_sunk")
    result = game.submit("talk to vell")
    assert kinds(result) == [EntryKind.NARRATION]
    assert "Vell" in result.entries[0].text


def test_a_topic_whose_lines_all_fail_is_spent(ferry: WorldPack) -> None:
    fish = {"crate": [{"text": '"Fish."', "when": [{"not": {"flag": "crate_sunk"}}]}]}
    game = Game(person(ferry, "vell", topics=fish), seed=1)
    game.submit("north")
    assert game.submit("ask vell about crate").entries[0].text == '"Fish."'
    game.state = flagged(game.state, "crate_sunk")
    result = game.submit("ask vell about crate")
    assert kinds(result) == [EntryKind.NARRATION]
    assert "Vell" in result.entries[0].text and "crate" in result.entries[0].text


async def test_the_narrator_and_the_prompt_never_show_a_line_that_fails(
    ferry: WorldPack,
) -> None:
    game = Game(ferry, seed=1)
    before = game.state = flagged(game.state, "crate_sunk")
    result = game.submit("talk to tam")
    jobs = plan(ferry, before, game.state, result.command, result.entries)
    narration = next(j for j in jobs if isinstance(j, NarrationJob))
    told = " ".join(
        m["content"] for m in prompts.messages(ferry, narration.task, None, inline_schema=False)
    )
    for seed in SEEDS:
        told += await prose(OfflineNarrator(ferry, seed), narration.task)
    assert "doesn't go on my boat" not in told


# Reactions follow the character


def test_a_persons_own_reaction_pools_come_first(ferry: WorldPack) -> None:
    state, dice = new_game(ferry, 1), Dice(1, 0)

    def reaction(npc: str, delta: float) -> tuple[str, bool]:
        after = feeling(ferry, state, npc, delta)
        return lines.reaction(ferry, state, after, npc, conflict="crossing", dice=dice)

    assert reaction("tam", 0.1) == ("Tam grunts, which from Tam is applause.", True)
    assert reaction("tam", -0.1) == ("Tam spits into the river.", True)
    unmoved, own = reaction("tam", 0.0)
    assert unmoved.startswith("Tam the ferryman") and not own
    generic, own = reaction("vell", 0.1)
    assert generic.startswith("Vell") and not own


def test_a_persons_moves_come_from_their_own_pool_and_end_once_told_twice(
    ferry: WorldPack,
) -> None:
    state = new_game(ferry, 1)
    move = Move("tam", "crossing", "defender")
    line = lines.move(ferry, state, move, Dice(1, 0))
    assert line == "Tam checks the gangway ropes again."
    twice = reduce(ferry, state, [lines.told(line), lines.told(line)])
    assert lines.move(ferry, twice, move, Dice(1, 0)) is None
    vell = lines.move(ferry, state, Move("vell", "crossing", "instigator"), Dice(1, 0))
    assert vell is not None and vell.startswith("Vell")


def test_a_pool_gives_every_line_before_any_again(ferry: WorldPack) -> None:
    pool = ["Tam coils a rope.", "Tam spits.", "Tam checks the gangway ropes again."]
    pack = person(ferry, "tam", reactions={"moves": pool})
    state, move, told = new_game(pack, 1), Move("tam", "crossing", "defender"), []
    for turn in range(7):
        line = lines.move(pack, state, move, Dice(turn, 0))
        if line is None:
            break
        told.append(line)
        state = reduce(pack, state, [lines.told(line)])
    assert sorted(told[:3]) == sorted(pool) and sorted(told[3:]) == sorted(pool)


def test_generic_lines_fit_the_persons_body(ferry: WorldPack) -> None:
    human = ["{npc} clenches {their} fists.", "{npc} presses on."]
    pack = ferry.model_copy(
        update={"templates": Templates.model_validate({"reaction.instigator": human})}
    )
    assert lines.generic(pack, "tam", "reaction.instigator") == human
    assert lines.generic(pack, "lamp", "reaction.instigator") == ["{npc} presses on."]
    only_hands = Templates.model_validate({"reaction.victim": ["{npc} wrings {their} hands."]})
    pack = ferry.model_copy(update={"templates": only_hands})
    fallback = lines.generic(pack, "lamp", "reaction.victim")
    assert fallback and all(fits(x, "machine") for x in fallback)
    assert set(fallback) <= set(DEFAULT_TEMPLATES["reaction.victim"])


def test_lines_take_the_persons_pronouns(ferry: WorldPack, pack: WorldPack) -> None:
    assert lines.values(ferry, "tam", None)["their"] == "his"
    assert lines.values(ferry, "vell", None)["them"] == "her"
    assert lines.values(ferry, "lamp", None)["their"] == "its"
    assert lines.values(pack, "oda", None)["their"] == "their"
    game = Game(ferry, seed=2)
    game.submit("north")
    game.state = game.state.model_copy(update={"items": {**game.state.items, "bell": "player"}})
    assert "their" not in game.submit("give bell to vell").entries[0].text


def test_format_1_people_are_they_with_a_human_body(pack: WorldPack) -> None:
    oda = voice(pack, "oda")
    assert (oda.subj, oda.obj, oda.pos, oda.body) == ("they", "them", "their", "human")
    assert oda.does("meets your eye and holds it") == "meet your eye and hold it"
    assert agree("almost smiles", FORMS["they"]) == "almost smile"
    assert agree("is still", FORMS["they"]) == "are still"
    assert agree("flinches", FORMS["he"]) == "flinches"


async def test_the_narrator_gives_people_their_pronouns(ferry: WorldPack) -> None:
    wrong = {"tam": r"\b(?:their|her|its)\b", "vell": r"\b(?:their|his|its)\b"}
    for npc, pattern in wrong.items():
        for seed in SEEDS:
            react = React(1, npc, "escalate", "f", "defender", "crossing", None, 0.1, 0.8)
            line = (await OfflineNarrator(ferry, seed).complete(react, Reaction)).line
            assert not re.search(pattern, line.removeprefix("Tam the ferryman")), line


async def test_they_take_the_plural_verb(pack: WorldPack) -> None:
    for seed in SEEDS:
        task = Narrate(1, "You turn to Oda.", "talk to oda", "talk", "inn", subject="oda")
        text = await prose(OfflineNarrator(pack, seed), task)
        assert not re.search(r"\bthey (?:is|has|does|goes|\w+[^s\W]s)\b", text), text


@pytest.mark.parametrize("body", ["machine", "voice"])
async def test_the_narrators_gestures_follow_the_body(ferry: WorldPack, body: Body) -> None:
    pack = person(ferry, "lamp", body=body)
    for seed in SEEDS:
        narrator = OfflineNarrator(pack, seed)
        react = React(1, "lamp", "escalate", "f", "bystander", "crossing", None, 0.0, 0.9)
        rumour = Rumour(1, "lamp", "rumor", "tam", "Tam means to sail early", "f")
        room = Describe(1, "shed", "t", ("bell",), ("vell", "lamp"))
        for text in (
            (await narrator.complete(react, Reaction)).line,
            (await narrator.complete(rumour, Line)).text,
        ):
            assert fits(text, body), text
        told = await prose(narrator, room)
        lamp = next(s for s in told.split(". ") if "lamp" in s).split("harbour lamp", 1)[1]
        assert fits(re.sub(r"(?i)a lighthouse lens that turns and watches", "", lamp), body)


async def test_templates_about_a_machine_fit_its_body(ferry: WorldPack) -> None:
    for seed in SEEDS:
        game = Game(ferry, seed=seed)
        game.submit("north")
        said_to = game.submit("talk to lamp").entries[0].text
        assert fits(said_to, "machine"), said_to
        task = Narrate(1, said_to, "talk to lamp", "talk", "shed", subject="lamp")
        text = await prose(OfflineNarrator(ferry, seed), task)
        assert fits(text.replace("lens", ""), "machine"), text


async def test_a_persons_own_gestures_are_used_while_they_hold(ferry: WorldPack) -> None:
    seen = []
    for seed in SEEDS:
        react = React(
            1, "tam", "escalate", "f", "defender", "crossing", gestures=("squints at the rain",)
        )
        seen.append((await OfflineNarrator(ferry, seed).complete(react, Reaction)).line)
    assert any("squints at the rain" in line for line in seen)
    tipped = person(
        ferry,
        "tam",
        gestures=[{"text": "pats the crate", "when": [{"has": "crate"}]}, "squints at the rain"],
    )
    assert lines.gestures(tipped, new_game(tipped, 1), "tam") == ("squints at the rain",)
    game = Game(tipped, seed=1)
    before = game.state
    result = game.submit("talk to tam")
    jobs = plan(tipped, before, game.state, result.command, result.entries)
    told = next(j.task for j in jobs if isinstance(j, NarrationJob))
    assert isinstance(told, Narrate) and told.gestures == ("squints at the rain",)


async def test_an_own_reaction_line_is_said_as_written(ferry: WorldPack) -> None:
    react = React(1, "tam", "escalate", "Tam spits into the river.", "defender", own=True)
    for seed in range(5):
        line = (await OfflineNarrator(ferry, seed).complete(react, Reaction)).line
        assert line == "Tam spits into the river."


# No engine words or secrets


def test_a_break_is_told_in_a_neighbours_words(ferry: WorldPack) -> None:
    for role in STAKEHOLDER_ROLES:
        topic = social.broken(ferry, "vell", role, 3, "tam").topic
        assert topic.startswith("Vell") and not ROLE_WORD.search(topic), topic
    assert "her temper" in social.broken(ferry, "vell", "escalator", 3, "tam").topic


async def test_secret_traits_are_never_stated(ferry: WorldPack) -> None:
    told = ""
    for seed in SEEDS:
        narrator = OfflineNarrator(ferry, seed)
        told += await prose(narrator, Describe(1, "shed", "t", ("bell",), ("vell", "lamp")))
        told += await prose(narrator, Describe(1, "slip", "t", ("crate",), ("tam",)))
        talk = Narrate(1, "You turn to Tam.", "talk to tam", "talk", "slip", subject="tam")
        told += await prose(narrator, talk)
    assert "afraid" not in told and "owes money" not in told
    assert "gruff" in told
    facts = prompts.messages(
        ferry, Describe(1, "shed", "t", (), ("vell",)), None, inline_schema=False
    )
    data = facts[1]["content"]
    assert '"personality":["smooth","greedy"],"secret":["owes money upriver"]' in data
    assert "Never state" in facts[0]["content"]


def test_a_prompt_names_a_part_in_the_conflict_in_plain_words(ferry: WorldPack) -> None:
    react = React(1, "vell", "escalate", "f", "instigator", "crossing")
    data = prompts.messages(ferry, react, Reaction, inline_schema=False)[1]["content"]
    assert not ROLE_WORD.search(data)
    assert prompts.PARTS["instigator"] in data


# Beats are felt where the player is


def test_a_beat_is_felt_where_the_player_is(ferry: WorldPack) -> None:
    state = reduce(ferry, new_game(ferry, 1), [fx.AdjustStress("vell", 0.9), fx.MovePlayer("shed")])
    turn = world_turn(ferry, state, state, Dice(1, 0), Dice(2, 0))
    assert turn.beat is not None
    assert (turn.beat.npc, turn.beat.location) == ("vell", "shed")


async def test_a_beats_scenery_comes_from_its_place(ferry: WorldPack) -> None:
    places = {
        "slip": {"tags": ["wet"]},
        "shed": {"tags": ["dry"]},
    }
    locations = {k: loc.model_copy(update=places.get(k, {})) for k, loc in ferry.locations.items()}
    lexicon = {"wet": ["rain hammers the slipway"], "dry": ["the brazier ticks"]}
    pack = ferry.model_copy(update={"locations": locations, "lexicon": lexicon})
    told = []
    for seed in SEEDS:
        beat = Beat(1, "escalation", "f", "crossing", "tam", "rising", location="shed")
        told.append((await OfflineNarrator(pack, seed).complete(beat, Line)).text)
    assert not any("slipway" in text for text in told)
    assert any("brazier" in text for text in told)


# Variety


def test_a_revisit_is_told_in_short_and_look_in_full(ferry: WorldPack) -> None:
    game = Game(ferry, seed=1)
    slip = ferry.locations["slip"]
    board = slip.description.split("{")[0]
    assert game.opening()[-1].text.startswith(board)
    assert game.submit("north").entries[-1].text.startswith(ferry.locations["shed"].description)
    back = game.submit("south").entries[-1]
    first = back.text.splitlines()[0]
    assert first.endswith("The slipway, wet and dark.") and not first.startswith(board)
    assert "Tam the ferryman is here." in back.text and "sealed crate" in back.text
    assert game.submit("look").entries[-1].text.startswith(board)


async def test_the_narrator_retells_a_revisit_in_short(ferry: WorldPack) -> None:
    for seed in SEEDS:
        narrator = OfflineNarrator(ferry, seed)
        full = await prose(narrator, Describe(1, "shed", "t", ("bell",), ("vell", "lamp")))
        short = await prose(
            narrator, Describe(1, "shed", "t", ("bell",), ("vell", "lamp"), revisit=True)
        )
        assert len(short) < len(full)
        assert "Vell and the harbour lamp are here" in short and "tide bell" in short
        assert "smooth" not in short


def test_what_was_told_is_kept_in_the_state_within_bounds(ferry: WorldPack) -> None:
    assert "said" in GameState.ADDED
    state = new_game(ferry, 1)
    many = fx.Tell(tuple(f"{i:06x}" for i in range(said.KEPT + 50)))
    told = reduce(ferry, state, [many, lines.told("Tam spits. Tam spits.")])
    assert len(told.said) == said.KEPT
    assert said.tally(told.said)[said.key("tam spits")] == 2


async def test_a_beat_does_not_repeat_while_its_words_are_fresh(ferry: WorldPack) -> None:
    told: list[str] = []
    for turn in range(6):
        beat = Beat(turn, "moment", "f", "crossing", "tam", "rising", "slip", tuple(told))
        text = (await OfflineNarrator(ferry, 1).complete(beat, Line)).text
        assert said.staleness(text, said.tally(told)) == (0, 0), text
        told += said.keys(text)


async def test_an_aimed_choice_is_told_whether_or_not_its_line_names_them(
    ferry: WorldPack,
) -> None:
    for seed in SEEDS:
        for text in ("You make your feelings plain.", "You set yourself against Vell."):
            task = Narrate(1, text, "oppose vell", "oppose", "shed", subject="vell")
            assert await prose(OfflineNarrator(ferry, seed), task)


def test_the_engines_own_pools_are_not_small() -> None:
    for key, variants in DEFAULT_TEMPLATES.items():
        if key.startswith(("beat.", "reaction.")):
            assert len(variants) >= 4, key


# Consistency: reaction lines read the state after the turn


def test_reaction_lines_read_the_state_after_the_turn(ferry: WorldPack) -> None:
    glare = {"text": "Tam glares at the crate.", "when": [{"has": "crate"}]}
    pack = person(ferry, "tam", reactions={"moves": [glare], "pleased": [glare]})
    game = Game(pack, seed=1)
    game.submit("take crate")
    before = game.state
    game.submit("use crate")
    after = game.state
    assert "crate" not in after.inventory(pack)
    move = Move("tam", "crossing", "defender")
    assert lines.move(pack, before, move, Dice(1, 0)) == "Tam glares at the crate."
    assert lines.move(pack, after, move, Dice(1, 0)) != "Tam glares at the crate."
    warmer = feeling(pack, after, "tam", 0.1)
    line, own = lines.reaction(pack, before, warmer, "tam", conflict="crossing", dice=Dice(1, 0))
    assert "glares" not in line and not own
    for seed in SEEDS:
        shown = world_turn(pack, before, after, Dice(seed, 0), Dice(seed, 1)).shown
        assert all("glares" not in m.line for m in shown)


async def prose(narrator: OfflineNarrator, task: Describe | Narrate) -> str:
    return "".join([piece async for piece in narrator.stream(task)])
