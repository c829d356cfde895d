"""The save store: one aiosqlite connection whose writes a single writer task owns.

Callers queue writes and return at once; the writer takes everything queued so far and
commits it as one short transaction, so a game's turn, its late background entries and
its settled state usually land together. Reads wait for the queue to drain first, so a
read always sees every write asked for before it. Each game writes only its own rows, and
WAL with a busy timeout lets two games share one file.

Writes are never dropped quietly (`textrealms.store.trouble`): when the disk fails them
they are kept and tried again, and whoever `watch`es is told why saving stopped and when
it works again; a write that is bad in itself fails alone, and the rest of its batch lands.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiosqlite

from textrealms.store import codec, frames, schema
from textrealms.store.changes import (
    CacheEntry,
    Changes,
    Copy,
    Create,
    Delete,
    Op,
    Put,
    Relocate,
    Restate,
    Truncate,
)
from textrealms.store.schema import StoreError
from textrealms.store.trouble import disk_trouble, unusable
from textrealms.world.saved import Resumed, SavedTurn, SlotInfo, TurnLog
from textrealms.world.state import GameState

log = logging.getLogger(__name__)

FILENAME = "textrealms.sqlite3"
BATCH = 512
"""The most queued writes one transaction takes."""
BUSY_MS = 10_000
"""How long a write waits for another game's transaction on the same file."""
RETRY_SECONDS = 2.0
"""How long writes the disk failed wait before they are tried again."""
ALL = 2**63 - 1
"""A turn past every turn."""
SLOT_COLUMNS = ("name", "world_id", "world_version", "seed", "turn", "location", "played")
STATE_COLUMNS = ("turn", "state", "state_hash")
DEFAULTS = {"games": {"world_folder": "''"}, "turns": {"base": "NULL"}}
"""Columns read that a save of an older format, read without migrating it, may lack;
each reads as its default there."""


@dataclass
class _Job:
    op: Op
    done: asyncio.Future[str | None] | None = field(default=None)


class SaveStore:
    """Saved games and the model response cache in one SQLite file.

    Implements `textrealms.engine.saves.Saves` and `textrealms.llm.cache.CacheStore`.
    `clock` stamps when each game was played (tests fix it, so lists read the same);
    writes the disk failed are tried again `retry` seconds later (or with the next ones).
    """

    def __init__(
        self,
        path: Path,
        db: aiosqlite.Connection,
        clock: Callable[[], float] = time.time,
        *,
        retry: float = RETRY_SECONDS,
        version: int = schema.VERSION,
    ) -> None:
        self.path = path
        self.clock = clock
        self.retry = retry
        self.trouble: str | None = None
        """Why writes are failing now, in words for the player; None while they work."""
        self._watchers: list[Callable[[str | None], None]] = []
        self._db = db
        # A row damaged on disk reads with U+FFFD where its text is not UTF-8, rather than
        # failing the whole query it is in.
        db.text_factory = lambda raw: raw.decode("utf-8", "replace")
        self._ids: dict[str, int] = {}
        self._slot = _columns(version, "games", SLOT_COLUMNS)
        self._state = _columns(version, "turns", STATE_COLUMNS)
        self._changes = Changes(db, self._ids)
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._writer = asyncio.get_running_loop().create_task(self._write())
        self._closed = False

    @classmethod
    async def open(cls, folder: Path, clock: Callable[[], float] = time.time) -> SaveStore:
        """The store in `folder`, made if missing; `StoreError` for a file that is not ours.

        A save file that may not be written is opened to read (`read`), its `trouble` says
        so, and every write waits in vain: the game plays, and the player is told.
        """
        path = folder / FILENAME
        if path.exists() and not schema.writable(path):
            return await cls.read(folder, clock)
        try:
            await asyncio.to_thread(schema.prepare, path)
        except OSError as exc:
            raise StoreError(f"{path}: cannot be opened ({exc.strerror or exc}).") from exc
        except sqlite3.Error as exc:
            raise unusable(path, exc) from exc
        db = await aiosqlite.connect(path, isolation_level=None)
        try:
            await db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            await db.execute("PRAGMA foreign_keys = ON")
            await db.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            await db.close()
            raise
        return cls(path, db, clock)

    @classmethod
    async def read(cls, folder: Path, clock: Callable[[], float] = time.time) -> SaveStore:
        """The store in `folder`, opened only to read: nothing is written or made, so it
        works on a read-only save. `StoreError` if it is missing or not ours."""
        path = folder / FILENAME
        try:
            version = await asyncio.to_thread(schema.check, path)
            db = await aiosqlite.connect(schema.reader(path), uri=True, isolation_level=None)
        except sqlite3.Error as exc:
            raise unusable(path, exc) from exc
        store = cls(path, db, clock, version=version)
        if not schema.writable(path):
            store.trouble = "the save file is read-only"
        return store

    # Writes: queued

    def record(self, slot: str, turn: SavedTurn, place: str) -> None:
        self._put(Put(self._ids[slot], turn, place, self.clock()))

    def restate(self, slot: str, turn: int, state: GameState) -> None:
        self._put(Restate(self._ids[slot], turn, state))

    def truncate(self, slot: str, after: int, place: str) -> None:
        self._put(Truncate(self._ids[slot], after, place, self.clock()))

    def relocate(self, slot: str, folder: str) -> None:
        self._put(Relocate(slot, folder))

    def save(self, key: str, value: str) -> None:
        """Keep a model's answer under `key` (the `CacheStore` side)."""
        self._put(CacheEntry(key, value, self.clock()))

    async def copy(self, source: str, target: str) -> None:
        """A copy is not a game played: it keeps the source's last-played time, so
        `continue` still finds the game that was being played."""
        await self._wait(Copy(source, target, self.clock()))

    async def delete(self, name: str) -> None:
        """Awaited, unlike a turn's write: the player asked and waits to hear it is gone
        (or why not). It goes through the writer all the same, after every write queued
        for the slot, so none of them lands on a game that no longer exists."""
        await self._wait(Delete(name))

    async def flush(self) -> None:
        """Wait until every write queued so far is on disk; `StoreError` if the disk is
        failing them (they are kept, and tried again)."""
        await self._wait(None)

    def watch(self, told: Callable[[str | None], None]) -> Callable[[], None]:
        """Call `told` with `trouble` whenever it changes: why writes fail, or None once
        they work again. Returns the call that stops it."""
        self._watchers.append(told)
        return lambda: self._watchers.remove(told)

    async def _drained(self) -> None:
        """Wait until the writes queued so far have been tried: a read then sees every
        one that could be written."""
        with contextlib.suppress(StoreError):
            await self.flush()

    def _put(self, op: Op) -> None:
        if self._closed:
            raise RuntimeError("the save store is closed")
        self._queue.put_nowait(_Job(op))

    async def _wait(self, op: Op) -> str | None:
        if self._closed:
            raise RuntimeError("the save store is closed")
        done: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Job(op, done))
        return await done

    # Reads: after every queued write

    async def create(self, state: GameState, folder: str = "") -> SlotInfo:
        """A new slot named `game-N`, N its row id."""
        now = self.clock()
        name = await self._wait(Create(state, folder, now))
        assert name is not None
        return SlotInfo(name, state.world_id, state.world_version, state.seed, 0, "", now, folder)

    async def slots(self) -> list[SlotInfo]:
        await self._drained()
        rows = await self._rows(f"SELECT {self._slot} FROM games ORDER BY played DESC, id")
        return [SlotInfo(*row) for row in rows]

    async def slot(self, name: str) -> SlotInfo:
        await self._drained()
        rows = await self._rows(f"SELECT id, {self._slot} FROM games WHERE name = ?", name)
        if not rows:
            raise StoreError(f"There is no saved game named '{name}'.")
        game, *info = rows[0]
        self._ids[name] = game
        return SlotInfo(*info)

    async def resume(self, name: str, keep: int = 50) -> Resumed:
        """The last `keep` + 1 turns' states that can be read; if none of them can, the
        latest readable before them. The turns among them whose states cannot be read
        (a damaged row or keyframe) are `lost`."""
        slot = await self.slot(name)
        game, found, below = self._ids[name], frames.Read(), ALL
        while not found.states:
            rows = await self._rows(
                f"SELECT {self._state} FROM turns WHERE game = ? AND turn < ?"
                " ORDER BY turn DESC LIMIT ?",
                game,
                below,
                keep + 1,
            )
            if not rows:
                break
            stored = await self._keyframes(game, {base for *_, base in rows if base is not None})
            await asyncio.to_thread(frames.read, rows, stored, found)
            below = rows[-1][0]
        if not found.states:
            raise StoreError(frames.unreadable(name, found.lost))
        return Resumed(slot, tuple(found.states), tuple(sorted(found.lost)))

    async def _keyframes(self, game: int, turns: set[int]) -> dict[int, bytes]:
        """Keyframes `turns` of `game`, as stored (those missing are left out)."""
        if not turns:
            return {}
        marks = ", ".join("?" * len(turns))
        rows = await self._rows(
            f"SELECT turn, state FROM keyframes WHERE game = ? AND turn IN ({marks})",
            game,
            *turns,
        )
        return dict(rows)

    async def story(self, name: str) -> list[TurnLog]:
        """Every turn of slot `name`, in order, without states (for a transcript)."""
        await self.slot(name)
        rows = await self._rows(
            "SELECT turn, command, entries FROM turns WHERE game = ? ORDER BY turn",
            self._ids[name],
        )
        return [_turn_log(turn, command, lines) for turn, command, lines in rows]

    async def load(self, key: str) -> str | None:
        """A model's answer kept under `key` (the `CacheStore` side); None also when the
        cache cannot be read: the model is asked again."""
        try:
            rows = await self._rows("SELECT value FROM cache WHERE key = ?", key)
        except StoreError:
            log.warning("the answer cache could not be read", exc_info=True)
            return None
        return str(rows[0][0]) if rows else None

    async def _rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        """What a read finds; `StoreError` saying why if the file cannot give it."""
        try:
            return [tuple(row) for row in await self._db.execute_fetchall(sql, params)]
        except sqlite3.Error as exc:
            raise unusable(self.path, exc) from exc

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
        waiting: list[_Job] = []
        """Writes the disk failed, to be tried again before anything newer."""
        while True:
            jobs = await self._next(retrying=bool(waiting))
            closing = self._closed and self._queue.empty()
            waiting = await self._commit([*waiting, *jobs])
            if closing:
                if waiting:
                    log.error("%d change(s) were never saved: %s", len(waiting), self.trouble)
                return

    async def _next(self, *, retrying: bool) -> list[_Job]:
        """Everything queued, once there is something; when `retrying`, whatever came
        within the retry delay (perhaps nothing)."""
        jobs: list[_Job] = []
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.retry if retrying else None):
                jobs.append(await self._queue.get())
        while len(jobs) < BATCH and not self._queue.empty():
            jobs.append(self._queue.get_nowait())
        return jobs

    async def _commit(self, jobs: list[_Job]) -> list[_Job]:
        """Write `jobs`, in one transaction when all goes well; the ones to try again.

        If the disk fails the batch, its writes wait to be tried again (an awaited one
        fails at once, so that its caller can say so). If something in the batch fails
        it, each job is written alone, so that only the bad one fails.
        """
        try:
            results = await self._transaction(jobs)
        except Exception as exc:
            trouble = disk_trouble(exc)
            if trouble is not None:
                return self._disk_failed(jobs, trouble, exc)
            log.warning("a write failed (%r): the batch is written one change at a time", exc)
            return await self._one_by_one(jobs)
        _settle(jobs, results)
        self._wrote(jobs)
        return []

    async def _one_by_one(self, jobs: list[_Job]) -> list[_Job]:
        for index, job in enumerate(jobs):
            try:
                results = await self._transaction([job])
            except Exception as exc:
                trouble = disk_trouble(exc)
                if trouble is not None:
                    return self._disk_failed(jobs[index:], trouble, exc)
                log.error("a change could not be saved: %r", exc, exc_info=exc)
                results = {0: StoreError(f"It could not be saved ({type(exc).__name__}).")}
            _settle([job], results)
        self._wrote(jobs)
        return []

    def _disk_failed(self, jobs: list[_Job], trouble: str, exc: Exception) -> list[_Job]:
        """The disk failed `jobs`: those nobody waits for are kept to be tried again."""
        if self.trouble is None:
            log.warning("saving failed: %s (%r); trying again", trouble, exc)
        self._told(trouble)
        failure = StoreError(f"The save file cannot be written: {trouble}.")
        _settle(
            [job for job in jobs if job.done is not None], dict.fromkeys(range(len(jobs)), failure)
        )
        return [job for job in jobs if job.done is None]

    def _wrote(self, jobs: list[_Job]) -> None:
        """`jobs` are on disk: if they changed anything, writing works (again)."""
        if any(job.op is not None for job in jobs):
            self._told(None)

    def _told(self, trouble: str | None) -> None:
        if trouble == self.trouble:
            return
        self.trouble = trouble
        for told in list(self._watchers):
            told(trouble)

    async def _transaction(self, jobs: list[_Job]) -> dict[int, str | StoreError | None]:
        """Make `jobs`' changes in one transaction: each job's result, or the `StoreError`
        it alone met (a copy of a game that is gone, say); raises if the commit fails."""
        results: dict[int, str | StoreError | None] = {}
        try:
            await self._db.execute("BEGIN IMMEDIATE")
            puts: list[Put] = []
            for index, job in enumerate(jobs):
                if isinstance(job.op, Put):
                    puts.append(job.op)
                    continue
                await self._changes.put_all(puts)
                puts = []
                try:
                    results[index] = await self._changes.apply(job.op)
                except StoreError as exc:
                    results[index] = exc
            await self._changes.put_all(puts)
            await self._db.commit()
        except BaseException:
            self._changes.rolled_back()
            if self._db.in_transaction:
                with contextlib.suppress(Exception):  # already failed, and raised below
                    await self._db.rollback()
            raise
        return results


def _columns(version: int, table: str, names: tuple[str, ...]) -> str:
    """What a row of `table` is read as: `names`, then the columns added later, in a
    save of schema `version` (not migrated when it is only read)."""
    have = schema.columns(version, table)
    extra = [c if c in have else f"{d} AS {c}" for c, d in DEFAULTS[table].items()]
    return ", ".join([*names, *extra])


def _settle(jobs: list[_Job], results: dict[int, str | StoreError | None]) -> None:
    """Tell whoever waits on each of `jobs` how it went (by its index in `jobs`)."""
    for index, job in enumerate(jobs):
        if job.done is None or job.done.done():
            continue
        result = results.get(index)
        if isinstance(result, StoreError):
            job.done.set_exception(result)
        else:
            job.done.set_result(result)


def _turn_log(turn: int, command: str, lines: str | bytes) -> TurnLog:
    """A turn of the story as read; `damaged` (and no lines) if its entries are."""
    try:
        return TurnLog(turn, command, codec.decode_lines(lines))
    except (ValueError, TypeError):
        return TurnLog(turn, command, (), damaged=True)
