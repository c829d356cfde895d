"""The names of the flags play sets by itself, in one place for the rules and the checks.

Authors use these names in conditions and `requires_flag` (see docs/authoring.md).
"""

from __future__ import annotations


def visited(location: str) -> str:
    return f"visited_{location}"


def talked(npc: str) -> str:
    return f"talked_{npc}"


def asked(npc: str, topic: str) -> str:
    return f"asked_{npc}_{topic}"


def heard(npc: str, topic: str, line: int) -> str:
    """Line `line` of a person's reply on a topic has been told: not again word for word."""
    return f"heard_{npc}_{topic}_{line}"


def gave(item: str, npc: str) -> str:
    return f"gave_{item}_{npc}"


def used(item: str) -> str:
    return f"used_{item}"


def supported(npc: str) -> str:
    return f"supported_{npc}"


def opposed(npc: str) -> str:
    return f"opposed_{npc}"
