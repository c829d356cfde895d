"""An answer cache in a dict, standing in for the SQLite one."""

from __future__ import annotations

import asyncio


class MemoryStore:
    """A `CacheStore` in a dict; `loads` counts the lookups."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.loads = 0

    async def load(self, key: str) -> str | None:
        self.loads += 1
        await asyncio.sleep(0)
        return self.values.get(key)

    def save(self, key: str, value: str) -> None:
        self.values[key] = value
