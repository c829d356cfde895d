"""The changes the save store's writer makes, one dataclass each, and how each is made.

The store queues them and its writer commits them in batches (`textrealms.store.database`);
here is only what each one does to the tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from textrealms.store import codec
from textrealms.store.frames import Frames
from textrealms.store.schema import StoreError
from textrealms.world.saved import SavedTurn
from textrealms.world.state import GameState


@dataclass
class Put:
    game: int
    turn: SavedTurn
    place: str
    played: float


@dataclass
class Restate:
    game: int
    turn: int
    state: GameState


@dataclass
class Truncate:
    game: int
    after: int
    place: str
    played: float


@dataclass
class Copy:
    source: str
    target: str
    created: float


@dataclass
class Create:
    state: GameState
    folder: str
    created: float


@dataclass
class Relocate:
    name: str
    folder: str


@dataclass
class Delete:
    name: str


@dataclass
class CacheEntry:
    key: str
    value: str
    saved: float


Op = Put | Restate | Truncate | Copy | Create | Relocate | Delete | CacheEntry | None
"""A change to make; None is no change (waiting for those before it: a flush)."""


class Changes:
    """Makes changes on `db`, in the caller's transaction; `ids` (slot name to row id) is
    kept up to date as slots are made, copied and deleted."""

    def __init__(self, db: aiosqlite.Connection, ids: dict[str, int]) -> None:
        self._db = db
        self._ids = ids
        self._frames = Frames(db)

    def rolled_back(self) -> None:
        """The caller's transaction failed: forget what it seemed to have written."""
        self._frames.clear()

    async def apply(self, op: Op) -> str | None:
        """Make one change (turns go by `_put_all`); a new slot's name for `Create`."""
        db = self._db
        match op:
            case Restate(game, turn, state):
                base, blob, digest = await self._state(game, turn, state)
                await db.execute(
                    "UPDATE turns SET state = ?, state_hash = ?, base = ?"
                    " WHERE game = ? AND turn = ?",
                    (blob, digest, base, game, turn),
                )
                await db.execute(
                    "UPDATE games SET state_hash = ? WHERE id = ? AND turn = ?",
                    (digest, game, turn),
                )
            case Truncate(game, after, place, played):
                await db.execute("DELETE FROM turns WHERE game = ? AND turn > ?", (game, after))
                await db.execute("DELETE FROM keyframes WHERE game = ? AND turn > ?", (game, after))
                self._frames.forget(game, after)
                await db.execute(
                    "UPDATE games SET turn = ?, location = ?, played = ?, state_hash = coalesce("
                    "(SELECT state_hash FROM turns WHERE game = ? AND turn = ?), '') WHERE id = ?",
                    (after, place, played, game, after, game),
                )
            case Copy(source, target, created):
                await self._copy(source, target, created)
            case Delete(name):
                game = await self._id(name)
                await db.execute("DELETE FROM games WHERE id = ?", (game,))  # turns cascade
                self._frames.forget(game)
                self._ids.pop(name, None)
            case Relocate(name, folder):
                await db.execute(
                    "UPDATE games SET world_folder = ? WHERE id = ?", (folder, await self._id(name))
                )
            case CacheEntry(key, value, saved):
                await db.execute(
                    "INSERT OR REPLACE INTO cache (key, value, saved) VALUES (?, ?, ?)",
                    (key, value, saved),
                )
            case Create(state, folder, created):
                cursor = await db.execute(
                    "INSERT INTO games (name, world_id, world_version, seed, created, played,"
                    " world_folder) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        ".new",
                        state.world_id,
                        state.world_version,
                        state.seed,
                        created,
                        created,
                        folder,
                    ),
                )
                name = f"game-{cursor.lastrowid}"
                await db.execute(
                    "UPDATE games SET name = ?, lineage = id WHERE id = ?", (name, cursor.lastrowid)
                )
                if cursor.lastrowid is not None:
                    self._ids[name] = cursor.lastrowid
                    self._frames.forget(cursor.lastrowid)  # a deleted game's id, used again
                return name
            case None:
                pass
        return None

    async def put_all(self, puts: list[Put]) -> None:
        """Turns in one statement; each game's row then says how far its latest turn got.

        A turn written several times in one batch (its entries arriving one by one) is
        encoded once, as it was last.
        """
        if not puts:
            return
        rows = []
        latest: dict[int, tuple[int, str, str, float, str]] = {}
        last = {(put.game, put.turn.turn): put for put in puts}
        for put in last.values():
            turn = put.turn
            base, blob, digest = await self._state(put.game, turn.turn, turn.state)
            lines = codec.encode_lines(turn.lines)
            rows.append((put.game, turn.turn, turn.command, lines, blob, digest, base))
            if put.game not in latest or latest[put.game][0] <= turn.turn:
                version = turn.state.world_version
                latest[put.game] = (turn.turn, put.place, digest, put.played, version)
        await self._db.executemany(
            "INSERT INTO turns (game, turn, command, entries, state, state_hash, base)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (game, turn) DO UPDATE SET"
            " command = excluded.command, entries = excluded.entries,"
            " state = excluded.state, state_hash = excluded.state_hash, base = excluded.base",
            rows,
        )
        await self._db.executemany(
            "UPDATE games SET turn = ?, location = ?, state_hash = ?, played = ?,"
            " world_version = ? WHERE id = ? AND turn <= ?",
            [(*meta, game, meta[0]) for game, meta in latest.items()],
        )

    async def _state(self, game: int, turn: int, state: GameState) -> tuple[int, bytes, str]:
        """Turn `turn`'s state as stored: its keyframe's turn, the state compressed
        against that keyframe, and its hash."""
        base, frame = await self._frames.base(game, turn, state)
        return (base, *codec.encode_state(state, frame))

    async def _copy(self, source: str, target: str, created: float) -> None:
        db = self._db
        src = await self._id(source)
        if source == target:
            return
        await self._free(src, target)
        await db.execute(
            "INSERT INTO games (name, world_id, world_version, seed, turn, location, state_hash,"
            " created, played, world_folder, lineage) SELECT ?, world_id, world_version, seed,"
            " turn, location, state_hash, ?, played, world_folder, coalesce(lineage, id)"
            " FROM games WHERE id = ? ON CONFLICT (name) DO UPDATE SET"
            " world_id = excluded.world_id, world_version = excluded.world_version,"
            " seed = excluded.seed, turn = excluded.turn, location = excluded.location,"
            " state_hash = excluded.state_hash, played = excluded.played,"
            " world_folder = excluded.world_folder, lineage = excluded.lineage",
            (target, created, src),
        )
        ((dst,),) = list(
            await db.execute_fetchall("SELECT id FROM games WHERE name = ?", (target,))
        )
        self._ids[target] = dst
        await db.execute("DELETE FROM turns WHERE game = ?", (dst,))
        await db.execute(
            "INSERT INTO turns (game, turn, command, entries, state, state_hash, base)"
            " SELECT ?, turn, command, entries, state, state_hash, base FROM turns WHERE game = ?",
            (dst, src),
        )
        await db.execute("DELETE FROM keyframes WHERE game = ?", (dst,))
        await db.execute(
            "INSERT INTO keyframes (game, turn, state)"
            " SELECT ?, turn, state FROM keyframes WHERE game = ?",
            (dst, src),
        )
        self._frames.forget(dst)

    async def _free(self, source: int, target: str) -> None:
        """`StoreError` if slot `target` holds another game than slot `source`: one not
        saved from it (its lineage differs) and already played (it has turns). A copy
        never replaces another game: the player must delete it first, on purpose."""
        rows = await self._db.execute_fetchall(
            "SELECT world_id, turn, location FROM games AS t WHERE name = ?"
            " AND coalesce(lineage, id) != (SELECT coalesce(lineage, id) FROM games WHERE id = ?)"
            " AND EXISTS (SELECT 1 FROM turns WHERE game = t.id)",
            (target, source),
        )
        for world, turn, place in rows:
            raise StoreError(
                f"'{target}' is another game ({world}, turn {turn}, {place}). Save under "
                f"another name, or delete it first (textrealms saves --delete {target}) "
                "and save again."
            )

    async def _id(self, name: str) -> int:
        rows = list(await self._db.execute_fetchall("SELECT id FROM games WHERE name = ?", (name,)))
        if not rows:
            raise StoreError(f"There is no saved game named '{name}'.")
        return int(rows[0][0])
