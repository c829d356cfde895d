"""What the tests of asking look for in an answer."""

from __future__ import annotations

import re

from textrealms.world.defaults import DEFAULT_TEMPLATES
from textrealms.world.schema import WorldPack


def refused(text: str, pack: WorldPack | None = None) -> bool:
    """Whether a reply is a "nothing to say" line (`ask_unknown`) of the engine, or of
    `pack` when it words its own: every fixed part of one of them is in it."""
    own = pack.templates.ask_unknown if pack is not None else None
    for variant in DEFAULT_TEMPLATES["ask_unknown"] + list(own or []):
        parts = [p.strip(' "') for p in re.split(r"\{\w+\}", variant)]
        if all(p in text for p in parts if p):
            return True
    return False
