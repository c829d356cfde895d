"""The delays code asks `asyncio.sleep` for, checked without waiting them out."""

from __future__ import annotations

import asyncio

import pytest


def record_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every `asyncio.sleep` asked for from now on (in this test), in order, each taken
    as a bare yield to the loop."""
    asked: list[float] = []
    real = asyncio.sleep

    async def sleep(delay: float) -> None:
        asked.append(delay)
        await real(0)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    return asked
