"""A saved game in plain terms, shared by the engine (which writes it) and the store.

Both may import `world` but not each other, so what crosses between them is described
here with plain values: an entry's kind is its name, not the engine's enum.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textrealms.world.state import GameState


@dataclass(frozen=True, slots=True)
class SavedLine:
    """One story entry of a turn; `job` is -1 for the command's own entries."""

    job: int
    kind: str
    text: str
    title: str | None = None
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class TurnLog:
    """One turn of the story: the command and everything it told, in order."""

    turn: int
    command: str
    lines: tuple[SavedLine, ...]
    damaged: bool = field(default=False, kw_only=True)
    """Its entries could not be read back (a damaged row): `lines` is empty."""


@dataclass(frozen=True, slots=True)
class SavedTurn(TurnLog):
    """One turn as saved: its story and the state it left."""

    state: GameState


@dataclass(frozen=True, slots=True)
class SlotInfo:
    """A saved game as listed: its name, world, how far it got, and when it was played."""

    name: str
    world_id: str
    world_version: str
    seed: int
    turn: int
    location: str
    played: float
    """Seconds since the epoch."""
    world_folder: str = ""
    """The folder its world pack was last played from; "" when not known (a save made
    before saves kept it)."""


@dataclass(frozen=True, slots=True)
class Resumed:
    """A saved game read back: its slot and its last turns' states, oldest first."""

    slot: SlotInfo
    recent: tuple[tuple[int, GameState], ...]
    lost: tuple[int, ...] = ()
    """Turns among (or after) `recent` whose states could not be read: the save file is
    damaged there. Undo skips those before the last of `recent`; those after it are gone."""
