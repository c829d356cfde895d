"""Plain mode when the reader of its output leaves (`textrealms continue | head`): the game
ends at once and cleanly, its turns saved, whichever write finds the pipe closed."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from tests.helpers.waiting import TIMEOUT
from textrealms.cli import plain
from textrealms.engine.gm import GameMaster
from textrealms.engine.session import Session
from textrealms.store.database import SaveStore
from textrealms.world.schema import WorldPack


class Leaving(io.StringIO):
    """A pipe whose reader leaves once it has read each of `marks`, one after another:
    every flush after that fails, as a pipe's does once its reader has closed it."""

    def __init__(self, *marks: str) -> None:
        super().__init__()
        self.marks = marks

    def flush(self) -> None:
        text, at = self.getvalue(), 0
        for mark in self.marks:
            at = text.find(mark, at)
            if at < 0:
                return
        raise BrokenPipeError(32, "Broken pipe")


OPENING: tuple[str, ...] = ()
ANSWER = ("> look",)
BACKGROUND = ("> look", "Narrator: ")
"""Where the reader leaves: at the opening; at the answer to `look`, which the loop that
reads commands prints; at the retelling of `look`, which another task prints."""


async def played(pack: WorldPack, folder: Path, typed: str, out: io.StringIO) -> list[str]:
    """Play `typed` in plain mode to `out`: the commands saved, once the game has ended."""
    store = await SaveStore.open(folder)
    gm = GameMaster(pack, seed=4, prefetch=False)
    slot = await store.create(gm.state)
    game = Session(gm, store, slot=slot.name)
    status = await asyncio.wait_for(
        plain.run(game, io.StringIO(typed), out, interactive=False), TIMEOUT
    )
    story = await store.story(slot.name)
    await store.aclose()
    assert status == 0
    assert len(story) == game.state.turn + 1, "a turn played was not saved"
    return [turn.command for turn in story[1:]]


@pytest.mark.parametrize(
    ("last", "saved"),
    [(OPENING, []), (ANSWER, ["look"]), (BACKGROUND, ["look"])],
    ids=["at the opening", "at an answer", "at background text"],
)
async def test_a_reader_that_leaves_ends_the_game_with_its_turn_saved(
    pack: WorldPack, tmp_path: Path, last: tuple[str, ...], saved: list[str]
) -> None:
    """`printf 'look\\n' | textrealms continue --plain | head -12` hung forever when the
    reader left as background text was printed."""
    assert await played(pack, tmp_path, "look\n", Leaving(*last)) == saved


@pytest.mark.parametrize(
    ("last", "saved"), [(OPENING, []), (ANSWER, ["look"])], ids=["at the opening", "at an answer"]
)
async def test_a_reader_that_leaves_stops_the_game_reading_on(
    pack: WorldPack, tmp_path: Path, last: tuple[str, ...], saved: list[str]
) -> None:
    """Input that goes on (`yes look | textrealms play --plain | head`) is not played into
    a pipe nobody reads: no command after the one whose answer could not be printed."""
    assert await played(pack, tmp_path, "look\ne\nw\n" * 50, Leaving(*last)) == saved
