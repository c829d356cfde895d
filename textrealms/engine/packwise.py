"""Work done once per world pack: what the rules and the interpreter read on every command
and a pack never changes (its names, their words)."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TypeVar

from textrealms.world.schema import WorldPack

T = TypeVar("T")


def per_pack(build: Callable[[WorldPack], T]) -> Callable[[WorldPack], T]:
    """`build`, worked out once per world pack (a pack is not hashable, so not `cache`)."""
    kept: dict[int, tuple[weakref.ref[WorldPack], T]] = {}

    def once(pack: WorldPack) -> T:
        key = id(pack)
        held = kept.get(key)
        if held is None or held[0]() is not pack:
            gone = weakref.ref(pack, lambda _: kept.pop(key, None))
            held = kept[key] = (gone, build(pack))
        return held[1]

    return once
