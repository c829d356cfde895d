"""The database's tables, their forward migrations, and the checks made before any write.

A file is only ever written once it is known to be ours: it must be a regular file (a
FIFO would make the read wait forever), its header is read as bytes and checked (SQLite
magic, our application id, a schema version we know), then SQLite itself checks it
(`PRAGMA quick_check`, and our tables) over a read-only connection: an immutable one that
creates no side files, unless a WAL beside it holds pages that SQLite must read too.
Anything else is refused with a message and left byte for byte as it was. File sizes are
not compared: a checkpoint cut short by a full disk leaves the main file shorter than its
header says, while the WAL still holds every page, and such a save is whole.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import stat
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
    # Which game a slot is a save of (the slot it began as); NULL in older rows: itself.
    ("ALTER TABLE games ADD COLUMN lineage INTEGER",),
    # A turn's state against a keyframe (`textrealms.store.codec`): `base` is the turn
    # of the keyframe it needs, NULL in older rows, whose states are whole. Old rows are
    # read as they are, not rewritten: a migration stays instant on a save of any size.
    (
        "ALTER TABLE turns ADD COLUMN base INTEGER",
        """CREATE TABLE keyframes (
            game INTEGER NOT NULL REFERENCES games(id) ON DELETE CASCADE,
            turn INTEGER NOT NULL,
            state BLOB NOT NULL,
            PRIMARY KEY (game, turn)
        )""",
    ),
)
"""Step `i` takes the schema from version `i` to `i + 1`; only ever append."""
VERSION = len(MIGRATIONS)
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

    Reads only: nothing is written, and no side file is made unless a WAL is there.
    """
    header = _header(path)
    if len(header) < HEADER or not header.startswith(MAGIC):
        raise StoreError(f"{path}: not a TextRealms save file (not an SQLite database).")
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
    _inspect(path, version)
    return version


def _header(path: Path) -> bytes:
    """The file's first bytes, read without waiting: anything but a regular file (a FIFO,
    a folder, a device) is refused before it is read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        raise StoreError(f"{path}: not a TextRealms save file (not a regular file).") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise StoreError(f"{path}: not a TextRealms save file (not a regular file).")
        return os.read(fd, HEADER)
    except OSError as exc:
        raise StoreError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc
    finally:
        os.close(fd)


def writable(path: Path) -> bool:
    """Whether the database at `path` (and its side files, beside it) may be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def reader(path: Path) -> str:
    """The URI that reads the database at `path` without writing anything: immutable
    (no side files, no locks), unless a WAL beside it holds pages to read as well."""
    wal = Path(f"{path}-wal")
    live = wal.is_file() and wal.stat().st_size > 0
    return f"{path.resolve().as_uri()}?mode=ro" + ("" if live else "&immutable=1")


def _inspect(path: Path, version: int) -> None:
    """`StoreError` unless SQLite finds the database whole, with the tables and columns
    of schema `version`."""
    try:
        with contextlib.closing(sqlite3.connect(reader(path), uri=True)) as db:
            (verdict,) = db.execute("PRAGMA quick_check(1)").fetchone()
            found = _shape(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: the save file is damaged ({exc}).") from exc
    except UnicodeDecodeError as exc:
        raise StoreError(f"{path}: the save file is damaged (its schema is not text).") from exc
    if verdict != "ok":
        raise StoreError(f"{path}: the save file is damaged ({verdict}).")
    expected = _expected(version)
    if not expected.keys() <= found.keys():
        raise StoreError(f"{path}: the save file is damaged (tables are missing).")
    for table, columns in expected.items():
        if not columns <= found[table]:
            raise StoreError(f"{path}: the save file is damaged (table {table} is not as made).")


def _shape(db: sqlite3.Connection) -> dict[str, set[str]]:
    """Each table's column names."""
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
    return {
        t: {row[1] for row in db.execute("SELECT * FROM pragma_table_info(?)", (t,))}
        for t in tables
    }


def columns(version: int, table: str) -> set[str]:
    """The columns `table` has in schema `version`."""
    return _expected(version).get(table, set())


@functools.cache
def _expected(version: int) -> dict[str, set[str]]:
    """The tables and columns schema `version` has, as its migrations make them."""
    with contextlib.closing(sqlite3.connect(":memory:")) as db:
        migrate(db, 0, version)
        return _shape(db)


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
