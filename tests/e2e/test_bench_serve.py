"""Scenario 9 at its quick size: players on websockets against `textrealms serve` in a
child process; the numbers are checked for sense, never for targets."""

from __future__ import annotations

import pytest

from textrealms.bench import serve
from textrealms.bench.scenario import Options
from textrealms.tui.widgets.command import CommandInput
from textrealms.world.schema import WorldPack

pytestmark = [pytest.mark.usefixtures("served_env"), pytest.mark.slow]


async def test_players_join_in_steps_and_every_answer_is_timed(pack: WorldPack) -> None:
    outcome = await serve.run(Options((pack,), quick=True))
    found = outcome.data["serve"]
    assert [step["players"] for step in found["steps"]] == list(serve.STEPS["quick"])
    for step in found["steps"]:
        assert step["games"] == step["players"]  # a process for each
        assert step["commands"] > 0 and step["lost"] == step["gone"] == 0
        assert 0 < step["answer_ms"]["p50"] <= step["answer_ms"]["p99"]
        assert step["rss_mb_per_player"] >= step["pss_mb_per_player"] > 0
        assert step["cpu_ms_per_command"] > 0
    held = [step["players"] for step in found["steps"]]
    assert found["players"] in (0, *held)  # how many held depends on the machine's load
    assert found["broke"] is None or found["broke"].startswith("at ")
    assert len(found["load_average"]["before"]) == 3
    assert [row.measure for row in outcome.rows if row.met is not None] == ["answer p99 at that"]


async def test_the_ramp_stops_where_it_breaks(
    pack: WorldPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve, "TARGET_P99_MS", 0.0)  # no answer is ever quick enough
    found = (await serve.run(Options((pack,), quick=True))).data["serve"]
    assert [step["players"] for step in found["steps"]] == [1]
    assert found["players"] == 0
    assert found["broke"].startswith("at 1 player: answer p50 ")


def test_the_route_tours_the_world(pack: WorldPack) -> None:
    route = serve.route(pack, seed=1, turns=40)
    assert route[0] == "look"
    assert {"east", "west"} <= set(route)
    assert any(command.startswith("examine ") for command in route)


def test_an_empty_command_line_shows_what_the_players_look_for() -> None:
    line = CommandInput(complete=lambda _: [], submit=lambda _: None)
    assert line.placeholder.endswith(serve.PROMPT.decode())
