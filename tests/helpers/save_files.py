"""Files where a saves database should be that are not one TextRealms can use, each with
the words of its refusal; a file's digest, to show it was left untouched; a save file
read or changed as another program would; and a store on a disk that is full."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import sqlite3
from pathlib import Path

import aiosqlite

from textrealms.store import schema
from textrealms.store.database import FILENAME, SaveStore
from textrealms.world.state import GameState

FULL = "Your game is not being saved: the disk is full."
AGAIN = "Your game is being saved again."


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


def change(path: Path, sql: str, *params: object) -> None:
    """Change the save file at `path` as another program would (to damage a row, say)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute(sql, params)
        db.commit()


async def full_store(folder: Path) -> tuple[SaveStore, aiosqlite.Connection]:
    """A store whose file cannot grow past its pages now (SQLite's own full disk)."""
    await (await SaveStore.open(folder)).aclose()
    db = await aiosqlite.connect(folder / FILENAME, isolation_level=None)
    await db.execute("PRAGMA busy_timeout = 10000")
    await db.execute("PRAGMA foreign_keys = ON")
    ((pages,),) = list(await db.execute_fetchall("PRAGMA page_count"))
    await db.execute(f"PRAGMA max_page_count = {pages + 2}")
    return SaveStore(folder / FILENAME, db, retry=0.01), db


def integrity(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


def latest(folder: Path) -> GameState | None:
    """The last saved state of the game played last in `folder`; None if none is saved."""

    async def read() -> GameState | None:
        store = await SaveStore.open(folder)
        try:
            slots = await store.slots()
            if not slots:
                return None
            return (await store.resume(slots[0].name)).recent[-1][1]
        finally:
            await store.aclose()

    if not (folder / FILENAME).exists():
        return None
    return asyncio.run(read())


def _not_sqlite(path: Path) -> None:
    path.write_text("these are my notes, not a database\n" * 20)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _truncated(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        schema.migrate(db, 0)
        db.execute("CREATE TABLE padding (x)")
        db.executemany("INSERT INTO padding VALUES (?)", [("x" * 500,)] * 50)
        db.commit()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])


def _other_schema(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        db.execute("INSERT INTO invoices (total) VALUES (9.5)")
        db.commit()


def _newer(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        schema.migrate(db, 0)
        db.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
        db.commit()


def _tables_missing(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {schema.VERSION}")
        db.execute("CREATE TABLE games (id INTEGER)")
        db.commit()


BAD_FILES = {
    "not sqlite": (_not_sqlite, "not an SQLite database"),
    "empty": (_empty, "not an SQLite database"),
    "truncated": (_truncated, "damaged"),
    "other schema": (_other_schema, "another program"),
    "newer version": (_newer, "newer TextRealms"),
    "tables missing": (_tables_missing, "tables are missing"),
}
