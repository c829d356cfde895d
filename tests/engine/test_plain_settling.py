"""Plain mode waits for each turn's settling with one waiter per turn still to settle: a
long game must not keep one for every turn it has played."""

from __future__ import annotations

import io
from typing import Any

import pytest

from textrealms.cli import plain
from textrealms.engine.gm import GameMaster
from textrealms.engine.rules import TurnResult
from textrealms.world.schema import WorldPack

TURNS = 40


async def test_no_waiter_outlives_its_turn(
    pack: WorldPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    printers: list[plain._Printer] = []

    class Seen(plain._Printer):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            printers.append(self)

    waiting: list[int] = []

    class Counted(GameMaster):
        def submit(self, command: str) -> TurnResult:
            waiting.append(len(printers[0].waiting))
            return super().submit(command)

    monkeypatch.setattr(plain, "_Printer", Seen)
    gm = Counted(pack, seed=1, prefetch=False)
    commands = io.StringIO("look\ninventory\n" * (TURNS // 2))
    await plain.run(gm, commands, io.StringIO(), interactive=False, wait=True)
    assert waiting == [0] * TURNS  # each turn settled, and let go, before the next
    assert printers[0].waiting == {}
