"""A game by the rules alone: the hot path without any background work, for rule tests."""

from __future__ import annotations

from textrealms.engine import rules
from textrealms.engine.entries import Entry
from textrealms.engine.parser import parse
from textrealms.engine.rules import TurnResult
from textrealms.engine.text import entry_text
from textrealms.world.schema import WorldPack
from textrealms.world.state import PLAYER, GameState, new_game


class Game:
    """`opening()` once, then `submit(command)` per line, synchronously."""

    def __init__(self, pack: WorldPack, seed: int = 0) -> None:
        self.pack = pack
        self.state: GameState = new_game(pack, seed)

    def opening(self) -> list[Entry]:
        return rules.opening(self.pack, self.state)

    def submit(self, command: str) -> TurnResult:
        result = rules.play(self.pack, self.state, parse(command))
        self.state = result.state
        return result


def text_of(result: TurnResult) -> str:
    """A turn's entries as the player reads them."""
    return "\n\n".join(entry_text(e) for e in result.entries)


def play(game: Game, *commands: str) -> str:
    """Play commands in order; the text of the last one."""
    out = ""
    for command in commands:
        out = text_of(game.submit(command))
    return out


def stand(game: Game, location: str) -> None:
    """Put the player at `location`, as if they had walked there."""
    game.state = game.state.model_copy(update={"location": location})


def hand(game: Game, item: str) -> None:
    """Put `item` in the player's hands, as if they had found it."""
    game.state = game.state.model_copy(update={"items": {**game.state.items, item: PLAYER}})
