"""Shared fixtures: the test pack and a game on it; every test's saves in its own folder.

The whole suite runs with asyncio's debug mode on, and a test fails if asyncio reports a
task destroyed while pending or an exception nobody retrieved. No test asserts a timing:
hypothesis's deadline for each example (200 ms) is off, as a busy machine exceeds it.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

from tests.helpers.paths import FERRY, TESTS, TESTVALE
from tests.helpers.rules_game import Game
from textrealms.world.catalog import ENV_VAR
from textrealms.world.loader import load_pack
from textrealms.world.schema import WorldPack

os.environ["PYTHONASYNCIODEBUG"] = "1"
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")

LEAKS = (
    "Task was destroyed but it is pending",
    "exception was never retrieved",
    "Unclosed client session",
    "Unclosed connector",
)


class _AsyncioComplaints(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if any(leak in message for leak in LEAKS):
            self.messages.append(message)


@contextmanager
def _complaints_fail() -> Iterator[None]:
    """asyncio's complaints about leaks, heard while the block runs, fail it at its end."""
    handler = _AsyncioComplaints()
    logging.getLogger("asyncio").addHandler(handler)
    try:
        yield
    finally:
        logging.getLogger("asyncio").removeHandler(handler)
    assert not handler.messages, handler.messages


@pytest.fixture(autouse=True)
def _no_leaked_tasks() -> Iterator[None]:
    """A test's garbage is collected after it, and a task it left pending or an exception
    nobody retrieved fails it. What was alive when it began is frozen first (after the
    garbage earlier tests left is collected, heard here as ever), so that collection scans
    only what the test made, not the session's whole heap: a full scan after every test
    was a fifth of the suite's time."""
    with _complaints_fail():
        gc.collect()
        gc.freeze()
        yield
        gc.collect()


@pytest.fixture(autouse=True, scope="session")
def _no_leaks_at_the_end() -> Iterator[None]:
    """A cycle that was frozen alive and has died since is out of every test's reach:
    it is collected once all have run, and what it leaked fails the run."""
    yield
    with _complaints_fail():
        gc.unfreeze()
        gc.collect()


@pytest.fixture
def thawed() -> None:
    """For a test that reads the collector's freeze count: nothing is frozen as it begins
    (autouse fixtures, `_no_leaked_tasks` among them, are set up before this one)."""
    gc.unfreeze()


@pytest.fixture(autouse=True)
def _saves_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Games played by tests save into their own temporary folder, never into ./saves."""
    monkeypatch.setenv("TEXTREALMS_SAVES_DIR", str(tmp_path / "saves"))


@pytest.fixture
def served_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """For `textrealms serve` in a child process: it and its games find only the test pack,
    and run at full speed (asyncio's debug mode, on for this suite, slows them and talks
    on stderr)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_VAR, str(TESTS / "packs"))
    monkeypatch.delenv("PYTHONASYNCIODEBUG")


@pytest.fixture(scope="session")
def pack() -> WorldPack:
    return load_pack(TESTVALE)


@pytest.fixture(scope="session")
def ferry() -> WorldPack:
    return load_pack(FERRY)


@pytest.fixture
def game(pack: WorldPack) -> Game:
    return Game(pack, seed=7)
