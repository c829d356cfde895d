"""What went wrong with a write, in words for the player, and whether trying later helps.

A write fails for one of two reasons. The disk or the file is in trouble (full, read-only,
failing, held by another game for too long): nothing in the writes is wrong, so they are
kept and tried again, and the player is told that the game is not being saved and why.
Or one write is bad in itself (a row that cannot be stored, a game deleted meanwhile by
another process): only that write fails, alone, and every other one lands.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textrealms.store.schema import StoreError

# SQLite's primary result codes (https://sqlite.org/rescode.html) that are the disk's
# trouble, not the data's, with what the player is told.
_DISK: dict[int, str] = {
    3: "the save file may not be written (permission denied)",  # SQLITE_PERM
    5: "another game holds the save file",  # SQLITE_BUSY
    6: "another game holds the save file",  # SQLITE_LOCKED
    7: "out of memory",  # SQLITE_NOMEM
    8: "the save file is read-only",  # SQLITE_READONLY
    10: "the disk could not be written",  # SQLITE_IOERR
    13: "the disk is full",  # SQLITE_FULL
    14: "the save file cannot be opened",  # SQLITE_CANTOPEN
    15: "the save file is locked",  # SQLITE_PROTOCOL
}


def disk_trouble(exc: BaseException) -> str | None:
    """Why writing failed, if the disk or the file is to blame (worth trying again later);
    None if the write itself is at fault."""
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None:
            return _DISK.get(code & 0xFF)
        return None
    if isinstance(exc, OSError):
        return "the disk is full" if exc.errno == 28 else f"the disk failed ({exc.strerror})"
    return None


def unusable(path: Path, exc: sqlite3.Error) -> StoreError:
    """The error for a file SQLite could not open or read: the disk's trouble if it is
    that, else the file is damaged (SQLite says how)."""
    trouble = disk_trouble(exc)
    if trouble is not None:
        return StoreError(f"{path}: cannot be used ({trouble}).")
    return StoreError(f"{path}: the save file is damaged ({exc}).")
