"""Shared fixtures: the test pack, games on it, and plain-text views of turns."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import Game
from textrealms.engine.rules import TurnResult
from textrealms.engine.text import entry_text
from textrealms.world.loader import load_pack
from textrealms.world.schema import WorldPack

TESTS = Path(__file__).parent
ROOT = TESTS.parent
TESTVALE = TESTS / "packs" / "testvale"


@pytest.fixture(scope="session")
def pack() -> WorldPack:
    return load_pack(TESTVALE)


@pytest.fixture
def game(pack: WorldPack) -> Game:
    return Game(pack, seed=7)


def text_of(result: TurnResult) -> str:
    return "\n\n".join(entry_text(e) for e in result.entries)


def play(game: Game, *commands: str) -> str:
    """Play commands in order; the text of the last one."""
    out = ""
    for command in commands:
        out = text_of(game.submit(command))
    return out
