"""Answers kept for reuse, so an equal task (a room looked at twice) costs no model call."""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, Protocol, TypeVar

V = TypeVar("V")


class LruCache(Generic[V]):
    """A bounded in-memory map from task keys to answers; the least recently used goes first.

    The interface is only `get` and `put`, so a SQLite-backed cache can stand in later.
    """

    def __init__(self, size: int = 512) -> None:
        if size < 1:
            raise ValueError(f"cache size must be at least 1, not {size}")
        self.size = size
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[str, V] = OrderedDict()

    def get(self, key: str) -> V | None:
        """The value stored under `key`, now the most recently used; None if absent."""
        try:
            value = self._items[key]
        except KeyError:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key: str, value: V) -> None:
        """Store `value`, evicting the least recently used entry when full."""
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class CacheStore(Protocol):
    """Where cached answers outlive one game: the SQLite store implements this.

    Values are text: prose, or a structured answer as JSON. `save` only queues the write,
    so it can be called from anywhere without waiting on the disk.
    """

    async def load(self, key: str) -> str | None:
        """The value saved under `key`, or None."""
        ...

    def save(self, key: str, value: str) -> None:
        """Keep `value` under `key` (queued; written in the background)."""
        ...
