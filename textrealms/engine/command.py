"""A parsed command: the verb it names and the words it fills that verb's slots with."""

from __future__ import annotations

from dataclasses import dataclass

from textrealms.world.schema import Direction


@dataclass(frozen=True, slots=True)
class Command:
    """A parsed command. `noun` and `second` are noun phrases, not yet resolved to ids.

    Parsed once, when the player sends it, and passed on from there; only a command kept
    in the game's state (a question's, or the last one, for `again`) is parsed again.
    """

    verb: str
    raw: str
    noun: str | None = None
    second: str | None = None
    direction: Direction | None = None
    text: str | None = None
    suggestion: str | None = None
    understood: str | None = None
    """What the interpreter read free text as, said before the answer: "(taking the brass
    key)". None for a command the parser placed as typed."""
