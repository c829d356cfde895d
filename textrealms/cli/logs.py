"""Where the game's own troubles go: a log file beside the saves, never the screen.

A job that fails is told to the player as a note; its traceback is for developers. Left
to Python's defaults it would land on stderr, in the middle of a plain-mode reader's
story or over the TUI's screen.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from logging.handlers import RotatingFileHandler
from pathlib import Path

FILENAME = "textrealms.log"
MAX_BYTES = 1_000_000
"""The log is rotated at this size, keeping one old file: it never grows without bound."""


class _Quiet(RotatingFileHandler):
    """A log file that never raises: when the disk is full, what would have been logged is
    lost, but no "--- Logging error ---" and no traceback reaches the screen (the player
    hears of the full disk in the story)."""

    def handleError(self, record: logging.LogRecord) -> None:
        """Dropped: where would it go? Not to the screen."""

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            super().flush()

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            super().close()


@contextmanager
def logging_to(folder: Path) -> Iterator[Path | None]:
    """While inside, warnings and errors from anywhere go to `folder`/textrealms.log
    (created only when something is logged), or nowhere if it cannot be written."""
    root = logging.getLogger()
    path: Path | None = folder / FILENAME
    handler: logging.Handler
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = _Quiet(
            folder / FILENAME, maxBytes=MAX_BYTES, backupCount=1, encoding="utf-8", delay=True
        )
    except OSError:
        path, handler = None, logging.NullHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    level = root.level
    root.addHandler(handler)
    root.setLevel(min(level, logging.WARNING) if level else logging.WARNING)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()
