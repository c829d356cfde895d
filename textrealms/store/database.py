"""The save store: one aiosqlite connection whose writes a single writer task owns.

Callers queue writes and return at once; the writer takes everything queued so far and
commits it as one short transaction, so a game's turn, its late background entries and
its settled state usually land together. Reads wait for the queue to drain first, so a
read always sees every write asked for before it. Each game writes only its own rows, and
WAL with a busy timeout lets two games share one file.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiosqlite

from textrealms.store import codec, schema
from textrealms.store.schema import StoreError
from textrealms.world.saved import Resumed, SavedTurn, SlotInfo, TurnLog
from textrealms.world.state import GameState

log = logging.getLogger(__name__)

FILENAME = "textrealms.sqlite3"
BATCH = 512
"""The most queued writes one transaction takes."""
BUSY_MS = 10_000
"""How long a write waits for another game's transaction on the same file."""
SLOT_COLUMNS = "name, world_id, world_version, seed, turn, location, played, world_folder"


@dataclass
class _Put:
    game: int
    turn: SavedTurn
    place: str
    played: float


@dataclass
class _Restate:
    game: int
    turn: int
    state: GameState


@dataclass
class _Truncate:
    game: int
    after: int
    place: str
    played: float


@dataclass
class _Copy:
    source: str
    target: str
    created: float


@dataclass
class _Create:
    state: GameState
    folder: str
    created: float


@dataclass
class _Relocate:
    name: str
    folder: str


@dataclass
class _Delete:
    name: str


@dataclass
class _Cache:
    key: str
    value: str
    saved: float


_Op = _Put | _Restate | _Truncate | _Copy | _Create | _Relocate | _Delete | _Cache | None


@dataclass
class _Job:
    op: _Op
    done: asyncio.Future[str | None] | None = field(default=None)


class SaveStore:
    """Saved games and the model response cache in one SQLite file.

    Implements `textrealms.engine.saves.Saves` and `textrealms.llm.cache.CacheStore`.
    `clock` stamps when each game was played (tests fix it, so lists read the same).
    """

    def __init__(
        self, path: Path, db: aiosqlite.Connection, clock: Callable[[], float] = time.time
    ) -> None:
        self.path = path
        self.clock = clock
        self._db = db
        self._ids: dict[str, int] = {}
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._writer = asyncio.get_running_loop().create_task(self._write())
        self._closed = False

    @classmethod
    async def open(cls, folder: Path, clock: Callable[[], float] = time.time) -> SaveStore:
        """The store in `folder`, made if missing; `StoreError` for a file that is not ours."""
        path = folder / FILENAME
        try:
            await asyncio.to_thread(schema.prepare, path)
        except OSError as exc:
            raise StoreError(f"{path}: cannot be opened ({exc.strerror or exc}).") from exc
        db = await aiosqlite.connect(path, isolation_level=None)
        try:
            await db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            await db.execute("PRAGMA foreign_keys = ON")
            await db.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            await db.close()
            raise
        return cls(path, db, clock)

    # Writes: queued

    def record(self, slot: str, turn: SavedTurn, place: str) -> None:
        self._put(_Put(self._ids[slot], turn, place, self.clock()))

    def restate(self, slot: str, turn: int, state: GameState) -> None:
        self._put(_Restate(self._ids[slot], turn, state))

    def truncate(self, slot: str, after: int, place: str) -> None:
        self._put(_Truncate(self._ids[slot], after, place, self.clock()))

    def relocate(self, slot: str, folder: str) -> None:
        self._put(_Relocate(slot, folder))

    def save(self, key: str, value: str) -> None:
        """Keep a model's answer under `key` (the `CacheStore` side)."""
        self._put(_Cache(key, value, self.clock()))

    async def copy(self, source: str, target: str) -> None:
        """A copy is not a game played: it keeps the source's last-played time, so
        `continue` still finds the game that was being played."""
        await self._wait(_Copy(source, target, self.clock()))

    async def delete(self, name: str) -> None:
        """Awaited, unlike a turn's write: the player asked and waits to hear it is gone
        (or why not). It goes through the writer all the same, after every write queued
        for the slot, so none of them lands on a game that no longer exists."""
        await self._wait(_Delete(name))

    async def flush(self) -> None:
        await self._wait(None)

    def _put(self, op: _Op) -> None:
        if self._closed:
            raise RuntimeError("the save store is closed")
        self._queue.put_nowait(_Job(op))

    async def _wait(self, op: _Op) -> str | None:
        if self._closed:
            raise RuntimeError("the save store is closed")
        done: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Job(op, done))
        return await done

    # Reads: after every queued write

    async def create(self, state: GameState, folder: str = "") -> SlotInfo:
        """A new slot named `game-N`, N its row id."""
        now = self.clock()
        name = await self._wait(_Create(state, folder, now))
        assert name is not None
        return SlotInfo(name, state.world_id, state.world_version, state.seed, 0, "", now, folder)

    async def slots(self) -> list[SlotInfo]:
        await self.flush()
        rows = await self._db.execute_fetchall(
            f"SELECT {SLOT_COLUMNS} FROM games ORDER BY played DESC, id"
        )
        return [SlotInfo(*row) for row in rows]

    async def slot(self, name: str) -> SlotInfo:
        await self.flush()
        rows = list(
            await self._db.execute_fetchall(
                f"SELECT id, {SLOT_COLUMNS} FROM games WHERE name = ?", (name,)
            )
        )
        if not rows:
            raise StoreError(f"There is no saved game named '{name}'.")
        game, *info = rows[0]
        self._ids[name] = game
        return SlotInfo(*info)

    async def resume(self, name: str, keep: int = 50) -> Resumed:
        slot = await self.slot(name)
        rows = await self._db.execute_fetchall(
            "SELECT turn, state, state_hash FROM turns WHERE game = ? ORDER BY turn DESC LIMIT ?",
            (self._ids[name], keep + 1),
        )
        if not rows:
            raise StoreError(f"The saved game '{name}' has no turns to resume.")
        states = await asyncio.to_thread(_decode, name, [tuple(row) for row in rows])
        return Resumed(slot, tuple(reversed(states)))

    async def story(self, name: str) -> list[TurnLog]:
        """Every turn of slot `name`, in order, without states (for a transcript)."""
        await self.slot(name)
        rows = await self._db.execute_fetchall(
            "SELECT turn, command, entries FROM turns WHERE game = ? ORDER BY turn",
            (self._ids[name],),
        )
        return [TurnLog(turn, command, codec.decode_lines(lines)) for turn, command, lines in rows]

    async def load(self, key: str) -> str | None:
        """A model's answer kept under `key` (the `CacheStore` side)."""
        rows = list(
            await self._db.execute_fetchall("SELECT value FROM cache WHERE key = ?", (key,))
        )
        return str(rows[0][0]) if rows else None

    # The writer

    async def aclose(self) -> None:
        """Write everything queued, then close the connection."""
        if self._closed:
            return
        self._closed = True
        self._queue.put_nowait(_Job(None))
        try:
            await self._writer
        finally:
            await self._db.close()

    async def _write(self) -> None:
        closing = False
        while not closing:
            jobs = [await self._queue.get()]
            while len(jobs) < BATCH and not self._queue.empty():
                jobs.append(self._queue.get_nowait())
            closing = self._closed and self._queue.empty()
            await self._commit(jobs)

    async def _commit(self, jobs: list[_Job]) -> None:
        """One transaction for the batch; a failed copy fails alone, a failed write is logged."""
        failures: dict[int, Exception] = {}
        results: dict[int, str | None] = {}
        try:
            await self._db.execute("BEGIN IMMEDIATE")
            puts: list[_Put] = []
            for index, job in enumerate(jobs):
                if isinstance(job.op, _Put):
                    puts.append(job.op)
                    continue
                await self._put_all(puts)
                puts = []
                try:
                    results[index] = await self._apply(job.op)
                except StoreError as exc:
                    failures[index] = exc
            await self._put_all(puts)
            await self._db.commit()
        except Exception as exc:  # the disk or the lock failed: report it to whoever waits
            log.exception("the save store could not write %d change(s)", len(jobs))
            if self._db.in_transaction:
                with contextlib.suppress(Exception):  # already failed, and reported below
                    await self._db.rollback()
            failures = dict.fromkeys(range(len(jobs)), StoreError(f"Saving failed: {exc}"))
        for index, job in enumerate(jobs):
            if job.done is None or job.done.done():
                continue
            if index in failures:
                job.done.set_exception(failures[index])
            else:
                job.done.set_result(results.get(index))

    async def _apply(self, op: _Op) -> str | None:
        """Make one change (turns go by `_put_all`); a new slot's name for `_Create`."""
        db = self._db
        match op:
            case _Restate(game, turn, state):
                blob, digest = codec.encode_state(state)
                await db.execute(
                    "UPDATE turns SET state = ?, state_hash = ? WHERE game = ? AND turn = ?",
                    (blob, digest, game, turn),
                )
                await db.execute(
                    "UPDATE games SET state_hash = ? WHERE id = ? AND turn = ?",
                    (digest, game, turn),
                )
            case _Truncate(game, after, place, played):
                await db.execute("DELETE FROM turns WHERE game = ? AND turn > ?", (game, after))
                await db.execute(
                    "UPDATE games SET turn = ?, location = ?, played = ?, state_hash = coalesce("
                    "(SELECT state_hash FROM turns WHERE game = ? AND turn = ?), '') WHERE id = ?",
                    (after, place, played, game, after, game),
                )
            case _Copy(source, target, created):
                await self._copy(source, target, created)
            case _Delete(name):
                game = await self._id(name)
                await db.execute("DELETE FROM games WHERE id = ?", (game,))  # turns cascade
                self._ids.pop(name, None)
            case _Relocate(name, folder):
                await db.execute(
                    "UPDATE games SET world_folder = ? WHERE id = ?", (folder, await self._id(name))
                )
            case _Cache(key, value, saved):
                await db.execute(
                    "INSERT OR REPLACE INTO cache (key, value, saved) VALUES (?, ?, ?)",
                    (key, value, saved),
                )
            case _Create(state, folder, created):
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
                await db.execute("UPDATE games SET name = ? WHERE id = ?", (name, cursor.lastrowid))
                if cursor.lastrowid is not None:
                    self._ids[name] = cursor.lastrowid
                return name
            case None:
                pass
        return None

    async def _put_all(self, puts: list[_Put]) -> None:
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
            blob, digest = codec.encode_state(turn.state)
            lines = codec.encode_lines(turn.lines)
            rows.append((put.game, turn.turn, turn.command, lines, blob, digest))
            if put.game not in latest or latest[put.game][0] <= turn.turn:
                version = turn.state.world_version
                latest[put.game] = (turn.turn, put.place, digest, put.played, version)
        await self._db.executemany(
            "INSERT INTO turns (game, turn, command, entries, state, state_hash)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (game, turn) DO UPDATE SET"
            " command = excluded.command, entries = excluded.entries,"
            " state = excluded.state, state_hash = excluded.state_hash",
            rows,
        )
        await self._db.executemany(
            "UPDATE games SET turn = ?, location = ?, state_hash = ?, played = ?,"
            " world_version = ? WHERE id = ? AND turn <= ?",
            [(*meta, game, meta[0]) for game, meta in latest.items()],
        )

    async def _copy(self, source: str, target: str, created: float) -> None:
        db = self._db
        src = await self._id(source)
        if source == target:
            return
        await db.execute(
            "INSERT INTO games (name, world_id, world_version, seed, turn, location, state_hash,"
            " created, played, world_folder) SELECT ?, world_id, world_version, seed, turn,"
            " location, state_hash, ?, played, world_folder FROM games WHERE id = ?"
            " ON CONFLICT (name) DO UPDATE SET"
            " world_id = excluded.world_id, world_version = excluded.world_version,"
            " seed = excluded.seed, turn = excluded.turn, location = excluded.location,"
            " state_hash = excluded.state_hash, played = excluded.played,"
            " world_folder = excluded.world_folder",
            (target, created, src),
        )
        ((dst,),) = list(
            await db.execute_fetchall("SELECT id FROM games WHERE name = ?", (target,))
        )
        self._ids[target] = dst
        await db.execute("DELETE FROM turns WHERE game = ?", (dst,))
        await db.execute(
            "INSERT INTO turns (game, turn, command, entries, state, state_hash)"
            " SELECT ?, turn, command, entries, state, state_hash FROM turns WHERE game = ?",
            (dst, src),
        )

    async def _id(self, name: str) -> int:
        rows = list(await self._db.execute_fetchall("SELECT id FROM games WHERE name = ?", (name,)))
        if not rows:
            raise StoreError(f"There is no saved game named '{name}'.")
        return int(rows[0][0])


def _decode(name: str, rows: list[tuple[int, bytes, str]]) -> list[tuple[int, GameState]]:
    states = []
    for turn, blob, digest in rows:
        try:
            states.append((turn, codec.decode_state(blob, digest)))
        except codec.DamagedState as exc:
            raise StoreError(
                f"The saved game '{name}' is damaged: the state of turn {turn} {exc}."
            ) from exc
    return states
