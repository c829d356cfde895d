"""Files where a saves database should be that are not one TextRealms can use, each with
the words of its refusal; and a file's digest, to show it was left untouched."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from pathlib import Path

from textrealms.store import schema


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    "truncated": (_truncated, "truncated"),
    "other schema": (_other_schema, "another program"),
    "newer version": (_newer, "newer TextRealms"),
    "tables missing": (_tables_missing, "tables are missing"),
}
