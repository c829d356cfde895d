"""A game played in process into a save store, as a front end plays it (a session), with
what it told the player; and a saved turn made up for the store's own tests."""

from __future__ import annotations

import asyncio

from tests.helpers.events import Recorder
from tests.helpers.waiting import TIMEOUT
from textrealms.engine.gm import GameMaster
from textrealms.engine.session import Session
from textrealms.engine.text import entry_text
from textrealms.store.database import SaveStore
from textrealms.world.saved import SavedLine, SavedTurn
from textrealms.world.state import GameState


class Played:
    """A saved game on `store` in slot `slot`, followed as a front end follows it."""

    def __init__(self, gm: GameMaster, store: SaveStore, slot: str) -> None:
        self.session = Session(gm, store, slot=slot)
        self.recorder = Recorder(self.session)

    def told(self) -> list[str]:
        """Every entry the game's events told, as plain text, in order."""
        entries = (event.entry() for event in self.recorder.events)
        return [entry_text(entry) for entry in entries if entry is not None]

    async def play(self, *commands: str) -> None:
        """Play `commands`, each once the one before has settled."""
        for command in commands:
            self.session.submit(command)
            await asyncio.wait_for(self.session.settled(), TIMEOUT)

    async def heard(self, text: str) -> None:
        """Wait until the game has told something with `text` in it."""
        await self.recorder.until(lambda: any(text in told for told in self.told()))

    async def aclose(self) -> None:
        await self.session.aclose()
        await self.recorder.finished()


async def new_played(store: SaveStore, gm: GameMaster) -> Played:
    """`gm`'s game in a new slot of `store`, its opening told."""
    slot = await store.create(gm.state)
    game = Played(gm, store, slot.name)
    game.session.opening()
    return game


def turn_of(state: GameState, turn: int, command: str = "wait") -> SavedTurn:
    """Turn `turn` of a game at `state`, with a line told at once and one told later."""
    lines = (SavedLine(-1, "narration", f"turn {turn}"), SavedLine(0, "refined", "later"))
    return SavedTurn(turn, command, lines, state.model_copy(update={"turn": turn}))
