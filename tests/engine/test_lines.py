"""A line of several commands in a front end: each its own turn, with its own background
work, told in order; the line is echoed once, and `--wait` transcripts stay exact."""

from __future__ import annotations

import io

from textrealms.cli import plain
from textrealms.engine.gm import GameMaster
from textrealms.world.schema import WorldPack

LINES = "e, then take the mug\nI'd like to quietly go back west please\nxyzzy\n"


async def transcript(pack: WorldPack) -> tuple[str, GameMaster]:
    gm = GameMaster(pack, seed=5, prefetch=False)
    out = io.StringIO()
    await plain.run(gm, io.StringIO(LINES), out, interactive=False, wait=True)
    return out.getvalue(), gm


async def test_each_command_of_a_line_is_played_and_told_in_order(pack: WorldPack) -> None:
    text, gm = await transcript(pack)
    assert text.count("> e, then take the mug") == 1
    assert text.index("== The Low Inn ==") < text.index("pewter mug")
    assert "(going west)" in text
    assert gm.state.turn == 3
    assert gm.state.location == "square"


async def test_a_wait_transcript_of_such_lines_is_the_same_every_time(pack: WorldPack) -> None:
    first, _ = await transcript(pack)
    again, _ = await transcript(pack)
    assert first == again
