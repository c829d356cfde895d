"""Keyframes: the whole states that each turn's state is stored against.

Every `EVERY` turns a game's state is kept whole in the `keyframes` table, and each turn's
row holds its state compressed against the latest keyframe at or before it, named by the
row's `base` (`textrealms.store.codec`). Resuming reads the last rows and the one or few
keyframes they name, however long the game. A keyframe is written once and never
changed: a turn whose state is written again (its late entries, a hint) is compressed
against it anew, and no row depends on another turn's row. So a damaged turn row costs
that turn's state, and a damaged keyframe the states stored against it: the turns up to
the next keyframe.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import aiosqlite

from textrealms.store import codec
from textrealms.world.state import GameState

EVERY = 32
"""Turns between keyframes: a full state costs what about a dozen turns' states do."""
REMEMBERED = 3
"""Keyframes the writer keeps in memory per game: the latest, and those before it that
late entries of earlier turns still need."""


class Frames:
    """The writer's side: which keyframe a turn's state is stored against, made from the
    state when no keyframe is within `EVERY` turns before it. Runs in the writer's
    transaction on `db`."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db
        self._known: dict[int, dict[int, bytes]] = {}
        """Per game, the latest keyframes' JSON by turn."""

    async def base(self, game: int, turn: int, state: GameState) -> tuple[int, bytes]:
        """The keyframe for turn `turn` of `game`, whose state is `state`: its turn and JSON."""
        known = self._known.setdefault(game, {})
        found = _nearest(known.items(), turn) or await self._stored(game, turn)
        if found is None:
            blob, text = codec.encode_frame(state)
            await self._db.execute(
                "INSERT OR REPLACE INTO keyframes (game, turn, state) VALUES (?, ?, ?)",
                (game, turn, blob),
            )
            found = (turn, text)
        known[found[0]] = found[1]
        for old in sorted(known)[:-REMEMBERED]:
            del known[old]
        return found

    def clear(self) -> None:
        """The transaction failed: keyframes it made are not on disk, nor to be used."""
        self._known.clear()

    def forget(self, game: int, after: int = -1) -> None:
        """`game`'s keyframes after turn `after` are gone (all of them by default)."""
        known = self._known.get(game, {})
        for turn in [t for t in known if t > after]:
            del known[turn]

    async def _stored(self, game: int, turn: int) -> tuple[int, bytes] | None:
        """The keyframe on disk that turn `turn` may use, if it can be read."""
        rows = await self._db.execute_fetchall(
            "SELECT turn, state FROM keyframes WHERE game = ? AND turn <= ?"
            " ORDER BY turn DESC LIMIT 1",
            (game, turn),
        )
        for at, blob in rows:
            with contextlib.suppress(codec.DamagedState):
                return _nearest([(at, codec.decode_frame(blob))], turn)
        return None


def _nearest(frames: Iterable[tuple[int, bytes]], turn: int) -> tuple[int, bytes] | None:
    """The latest of `frames` that turn `turn` may be stored against."""
    usable = [(at, text) for at, text in frames if at <= turn < at + EVERY]
    return max(usable, default=None)


@dataclass
class Read:
    """States read back: those that could be, oldest first, and why each other could not."""

    states: list[tuple[int, GameState]] = field(default_factory=list)
    lost: dict[int, str] = field(default_factory=dict)


def read(rows: Iterable[tuple[Any, ...]], frames: dict[int, bytes], into: Read) -> None:
    """Decode `rows` (turn, state, hash, base; newest first) into `into`, each state
    against its keyframe from `frames` (stored keyframes by turn)."""
    texts: dict[int, bytes | str] = {}
    for turn, blob, digest, base in rows:
        try:
            frame = None if base is None else _frame(base, frames, texts)
            into.states.insert(0, (turn, codec.decode_state(blob, digest, frame)))
        except codec.DamagedState as exc:
            into.lost[turn] = str(exc)


def _frame(base: int, frames: dict[int, bytes], texts: dict[int, bytes | str]) -> bytes:
    """Keyframe `base`'s JSON, decoded once per read; `DamagedState` if it cannot be."""
    if base not in texts:
        stored = frames.get(base)
        try:
            texts[base] = "is missing" if stored is None else codec.decode_frame(stored)
        except codec.DamagedState:
            texts[base] = "is damaged"
    found = texts[base]
    if isinstance(found, str):
        raise codec.DamagedState(f"cannot be read: its keyframe, turn {base}, {found}")
    return found


def unreadable(name: str, lost: dict[int, str]) -> str:
    """Why saved game `name` cannot be resumed at all: no state of it can be read."""
    if not lost:
        return f"The saved game '{name}' has no turns to resume."
    turn = max(lost)
    if len(lost) == 1:
        return f"The saved game '{name}' is damaged: the state of turn {turn} {lost[turn]}."
    return (
        f"The saved game '{name}' is damaged: no turn's state can be read (the state of "
        f"turn {turn} {lost[turn]})."
    )
