"""Turns to rows and back: entries as JSON, states as zlib-compressed JSON.

A full compressed snapshot per turn (about 2 kB late in a game) costs more disk than
diffs would, but resuming and undoing read only the last rows, with no keyframe to
replay from. A state
is stored in its own key order, not the canonical sorted one: the simulation walks its
maps in order, so a resumed game must see them as the running game did. The hash is the
canonical one (`GameState.state_hash`) and is checked on every read.
"""

from __future__ import annotations

import json
import zlib

from textrealms.world.saved import SavedLine
from textrealms.world.state import GameState

LEVEL = 6


class DamagedState(Exception):
    """A stored state does not match its hash, or is not a valid state."""


def encode_lines(lines: tuple[SavedLine, ...]) -> str:
    return json.dumps(
        [[x.job, x.kind, x.text, x.title, x.speaker] for x in lines],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode_lines(text: str) -> tuple[SavedLine, ...]:
    return tuple(SavedLine(*row) for row in json.loads(text))


def encode_state(state: GameState) -> tuple[bytes, str]:
    """The compressed state and its hash."""
    return zlib.compress(state.model_dump_json().encode(), LEVEL), state.state_hash()


def decode_state(blob: bytes, expected: str) -> GameState:
    try:
        state = GameState.model_validate_json(zlib.decompress(blob))
    except zlib.error as exc:
        raise DamagedState("cannot be decompressed") from exc
    except ValueError as exc:
        raise DamagedState("is not a valid game state") from exc
    if state.state_hash() != expected:
        raise DamagedState("does not match its hash")
    return state
