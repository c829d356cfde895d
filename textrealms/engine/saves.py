"""What the game needs from persistence, so the engine can save without knowing SQLite.

The engine must not import `textrealms.store`; it states here what it calls, the store
implements it, and a front end hands the store to the `Session`. Writes are queued and
return at once (the hot path never waits on a disk); reads are awaited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from textrealms.world.saved import Resumed, SavedTurn, SlotInfo
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

UNDO_DEPTH = 50
"""How many turns back `undo` can go, in memory and after a resume."""
NAME_LENGTH = 40
"""The longest name a player may give a save."""


def save_name(pack: WorldPack, state: GameState) -> str:
    """A name to offer for saving `state`: its world and turn, so saves sort and read well."""
    return f"{pack.world.id}-turn-{state.turn}"[-NAME_LENGTH:]


def cut(resumed: Resumed) -> bool:
    """Whether the last turns of a resumed game could not be read, so it plays on from
    an earlier one: its later rows must go before it writes its own."""
    return any(turn > resumed.recent[-1][0] for turn in resumed.lost)


def damage_notes(resumed: Resumed) -> list[str]:
    """What to tell the player about turns of a resumed game the save file lost."""
    turn = resumed.recent[-1][0]
    after = [t for t in resumed.lost if t > turn]
    before = [t for t in resumed.lost if t < turn]
    notes = []
    if after:
        notes.append(
            f"The save file is damaged: {_turns(after)} could not be read, so the game goes "
            f"on from turn {turn}."
        )
    if before:
        notes.append(
            f"The save file is damaged: the state of {_turns(before)} could not be read, "
            "so undo skips " + ("it." if len(before) == 1 else "them.")
        )
    return notes


def _turns(turns: list[int]) -> str:
    """`turns` (sorted) as a player reads them: "turn 4", "turns 4–9", "turns 2, 4–9"."""
    runs: list[list[int]] = []
    for turn in turns:
        if runs and runs[-1][-1] == turn - 1:
            runs[-1].append(turn)
        else:
            runs.append([turn])
    words = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    return ("turn " if len(turns) == 1 else "turns ") + ", ".join(words)


class Saves(Protocol):
    """Saved games: named slots, each a log of turns.

    A read that fails raises an exception whose message is meant for the player.
    """

    trouble: str | None
    """Why writes are failing now (the disk is full, the file read-only), for the player;
    None while they work. `watch` tells every change."""

    async def create(self, state: GameState, folder: str = "") -> SlotInfo:
        """A new slot for a game starting at `state`, named for it; `folder` is where its
        world pack was read from ("": not from a folder)."""
        ...

    def relocate(self, slot: str, folder: str) -> None:
        """`slot`'s world pack is read from `folder` now. Queued."""
        ...

    def record(self, slot: str, turn: SavedTurn, place: str) -> None:
        """Write (or rewrite) one turn of `slot`; `place` names where the player is. Queued."""
        ...

    def restate(self, slot: str, turn: int, state: GameState) -> None:
        """Give turn `turn` of `slot`, already written, the state a command that took no
        turn left (a hint given); its words stay as they were. Queued."""
        ...

    def truncate(self, slot: str, after: int, place: str) -> None:
        """Forget `slot`'s turns after turn `after` (undo, restart, load); it was played
        now, at `place`. Queued."""
        ...

    async def copy(self, source: str, target: str) -> None:
        """Make slot `target` a copy of slot `source` (save as, load into)."""
        ...

    async def resume(self, name: str, keep: int = UNDO_DEPTH) -> Resumed:
        """Slot `name`'s last `keep` + 1 states, each checked against its hash."""
        ...

    async def slots(self) -> list[SlotInfo]:
        """Every slot, the most recently played first."""
        ...

    async def delete(self, name: str) -> None:
        """Forget slot `name` and every turn of it; awaited, so a failure is heard."""
        ...

    async def flush(self) -> None:
        """Wait until every queued write is on disk (raises if the disk fails them)."""
        ...

    def watch(self, told: Callable[[str | None], None]) -> Callable[[], None]:
        """Call `told` whenever saving stops working (with why, for the player) or works
        again (None); returns the call that stops it."""
        ...
