"""The database's tables, their forward migrations, and the checks made before any write.

A file is only ever written once it is known to be ours: its header is read as bytes and
checked (SQLite magic, complete length, our application id, a schema version we know),
then its tables are checked over a read-only, immutable connection that creates no side
files. Anything else is refused with a message and left byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path


class StoreError(Exception):
    """The save database cannot be used; the message says why, for the player."""


APPLICATION_ID = 0x54526C6D
"""'TRlm' in the header: marks a file as a TextRealms save database."""

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE games (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            world_id TEXT NOT NULL,
            world_version TEXT NOT NULL,
            seed INTEGER NOT NULL,
            turn INTEGER NOT NULL DEFAULT 0,
            location TEXT NOT NULL DEFAULT '',
            state_hash TEXT NOT NULL DEFAULT '',
            created REAL NOT NULL,
            played REAL NOT NULL
        )""",
        """CREATE TABLE turns (
            game INTEGER NOT NULL REFERENCES games(id) ON DELETE CASCADE,
            turn INTEGER NOT NULL,
            command TEXT NOT NULL,
            entries TEXT NOT NULL,
            state BLOB NOT NULL,
            state_hash TEXT NOT NULL,
            PRIMARY KEY (game, turn)
        )""",
    ),
    (
        """CREATE TABLE cache (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            saved REAL NOT NULL
        ) WITHOUT ROWID""",
    ),
    ("CREATE INDEX games_played ON games(played)",),
    ("ALTER TABLE games ADD COLUMN world_folder TEXT NOT NULL DEFAULT ''",),
)
"""Step `i` takes the schema from version `i` to `i + 1`; only ever append."""
VERSION = len(MIGRATIONS)
TABLES: tuple[frozenset[str], ...] = (
    frozenset(),
    frozenset({"games", "turns"}),
    frozenset({"games", "turns", "cache"}),
    frozenset({"games", "turns", "cache"}),
    frozenset({"games", "turns", "cache"}),
)
"""The tables each schema version has (index: version)."""
HEADER = 100
MAGIC = b"SQLite format 3\x00"


def migrate(db: sqlite3.Connection, start: int, end: int = VERSION) -> None:
    """Run the steps from version `start` to `end` (the caller holds the transaction)."""
    for step in MIGRATIONS[start:end]:
        for statement in step:
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {end}")


def check(path: Path) -> int:
    """The schema version of the save database at `path`; `StoreError` if it is not ours.

    Reads only: nothing is written, and no journal or WAL file is created beside it.
    """
    try:
        with path.open("rb") as file:
            header = file.read(HEADER)
        size = path.stat().st_size
    except OSError as exc:
        raise StoreError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc
    if len(header) < HEADER or not header.startswith(MAGIC):
        raise StoreError(f"{path}: not a TextRealms save file (not an SQLite database).")
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(header[28:32], "big")
    if page < 512 or size % page or size < pages * page:
        raise StoreError(f"{path}: the save file is truncated or damaged.")
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise StoreError(f"{path}: an SQLite database of another program, not TextRealms saves.")
    version = int.from_bytes(header[60:64], "big")
    if version > VERSION:
        raise StoreError(
            f"{path}: saved by a newer TextRealms (save format {version}; this version reads "
            f"up to {VERSION}). Update TextRealms to open it."
        )
    if version < 1:
        raise StoreError(f"{path}: the save file is damaged (no schema version).")
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        ) as db:
            rows = db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'").fetchall()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: the save file is damaged ({exc}).") from exc
    if not TABLES[version] <= {name for (name,) in rows}:
        raise StoreError(f"{path}: the save file is damaged (tables are missing).")
    return version


def create(path: Path) -> None:
    """Make a new, fully migrated database at `path`, unless another process just did.

    It is built beside the target with a rollback journal, so its schema is in the main
    file itself, then linked into place: `path` is either absent or complete.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        with contextlib.closing(sqlite3.connect(draft, isolation_level=None)) as db:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute("BEGIN")
            migrate(db, 0)
            db.execute("COMMIT")
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
    finally:
        draft.unlink(missing_ok=True)


def prepare(path: Path) -> None:
    """Make `path` a database of the current schema in WAL mode, or refuse it untouched."""
    if not path.exists():
        create(path)
    version = check(path)
    with contextlib.closing(sqlite3.connect(path, isolation_level=None, timeout=10)) as db:
        db.execute("PRAGMA journal_mode = WAL")
        if version == VERSION:
            return
        db.execute("BEGIN IMMEDIATE")
        (now,) = db.execute("PRAGMA user_version").fetchone()
        migrate(db, now)
        db.execute("COMMIT")
