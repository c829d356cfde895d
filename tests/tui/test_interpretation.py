"""A line the model read (the loopback server's, through the real client), shown in the
TUI as a turn of its own: the command it was read as, and the player's words."""

from __future__ import annotations

from tests.helpers.loopback import budgets, client
from tests.helpers.pilot import app_for, play, screen_of, shown
from tests.helpers.worlds import shipped
from textrealms.engine.front import Game
from textrealms.engine.gm import GameMaster
from textrealms.llm.circuit import Circuit
from textrealms.llm.testing import LoopbackServer
from textrealms.world.schema import WorldPack
from textrealms.world.state import PLAYER

LINE = "revolver, take it I shall"


async def test_a_line_the_model_read_is_shown_as_the_next_turn() -> None:
    pack = shipped("rainmouth")
    async with LoopbackServer() as server:

        def make(pack: WorldPack, seed: int) -> Game:
            model = client(server, pack)
            return GameMaster(
                pack,
                seed=seed,
                provider=model,
                circuit=Circuit(),
                budgets=budgets(),
                prefetch=False,
            )

        app = app_for(pack, factory=make)
        async with app.run_test(size=(100, 30)) as pilot:
            await play(pilot, LINE)
            screen = screen_of(pilot)
            turn = screen.story.blocks[1]
            assert shown(turn).startswith(f'> take snub-nosed revolver  (from: "{LINE}")')
            assert "lamplit" in shown(turn)  # the turn's own narration, retold, lands there
            assert screen.game.state.items["revolver"] == PLAYER
            await pilot.press("ctrl+q")
