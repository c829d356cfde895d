"""World-pack format 2: the ferry test pack loads, and its conditions and lines read state."""

from __future__ import annotations

import json

from textrealms.world.conditions import first_line, holds
from textrealms.world.schema import Condition, WorldPack
from textrealms.world.state import GameState, new_game
from textrealms.world.templates import template_problem


def cond(**test: object) -> Condition:
    return Condition.model_validate(test)


def test_the_ferry_pack_uses_format_2(ferry: WorldPack) -> None:
    assert ferry.world.format == 2
    tam = ferry.npcs["tam"]
    assert (tam.pronouns, tam.body) == ("he", "human")
    assert ferry.npcs["lamp"].body == "machine"
    assert tam.hidden == {"secretly afraid"}
    assert ferry.npcs["vell"].hidden == {"owes money upriver"}
    crossing = ferry.conflicts["crossing"]
    assert crossing.stakeholders == {"tam": "defender", "vell": "instigator"}
    assert crossing.wants == {"tam": "the crate off his boat", "vell": "the crate across the river"}
    assert crossing.drift_limit == "confrontation"
    assert ferry.events["last_ferry"].minute == 21 * 60
    assert ferry.endings["stranded"].kind == "failure"


def test_format_1_defaults(pack: WorldPack) -> None:
    oda = pack.npcs["oda"]
    assert (oda.pronouns, oda.body, oda.secrets) == ("they", "human", [])
    assert pack.conflicts["feud"].drift_limit == "climax"
    assert pack.events == {}


def test_a_new_game_starts_at_the_pack_time(ferry: WorldPack, pack: WorldPack) -> None:
    assert new_game(ferry, 1).clock == 20 * 60
    assert new_game(pack, 1).clock == 8 * 60


def test_lines_say_the_first_that_holds(ferry: WorldPack) -> None:
    state = new_game(ferry, 1)
    greeting = ferry.npcs["tam"].greeting
    assert first_line(greeting, state) == 'Tam eyes the crate. "That doesn\'t go on my boat."'
    sunk = state.model_copy(update={"flags": state.flags | {"crate_sunk"}})
    assert (
        first_line(greeting, sunk) == 'Tam nods at the water. "Crate\'s gone in the river. Good."'
    )


def test_format_2_conditions(ferry: WorldPack) -> None:
    state = new_game(ferry, 1)
    assert not holds(cond(event="last_ferry"), state)
    assert holds(cond(event="last_ferry"), state.model_copy(update={"events": ["last_ferry"]}))
    assert holds(cond(**{"not": {"flag": "boarded"}}), state)
    assert not holds(cond(after="21:00"), state)
    assert holds(cond(after="21:00"), state.model_copy(update={"clock": 21 * 60}))
    assert not holds(cond(after="07:00", day=2), state.model_copy(update={"clock": 30 * 60}))
    assert holds(cond(npc="tam", **{"in": "slip"}), state)
    assert not holds(cond(npc="vell", **{"in": "slip"}), state)
    rising = {"phase": "rising", "conflict": "crossing"}
    assert holds(cond(**rising, or_later=True), state)
    assert not holds(cond(phase="climax", conflict="crossing", or_later=True), state)


def test_fields_added_later_leave_an_old_state_hash_alone(pack: WorldPack) -> None:
    state = new_game(pack, 3)
    data = json.loads(state.model_dump_json())
    for name in GameState.ADDED:
        del data[name]
    old = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert state.canonical_json() == old
    moved = state.model_copy(update={"events": ["e"]})
    assert moved.state_hash() != state.state_hash()


def test_templates_may_name_the_persons_pronouns() -> None:
    assert template_problem("{npc} shakes {their} head; nobody asks {them} twice.") is None
    assert "{their}" in (template_problem("{theirs}") or "")
