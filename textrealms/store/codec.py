"""Turns to rows and back: entries and states as zlib-compressed JSON.

A turn's state is stored as its difference from a keyframe, a full state kept apart
(`textrealms.store.frames`): the keyframe's JSON is the zlib dictionary the state is
compressed with, so a state that changed little since costs a hundred bytes or two, not
the two kilobytes of a whole one, and it is read back with the keyframe alone, never
through other turns. Saves before format 6 hold whole states, read with no keyframe.
A state is stored in its own key order, not the canonical sorted one: the simulation
walks its maps in order, so a resumed game must see them as the running game did. The
hash is the canonical one (`GameState.state_hash`) and is checked on every read.
"""

from __future__ import annotations

import json
import zlib

from textrealms.world.saved import SavedLine
from textrealms.world.state import GameState

LEVEL = 6


class DamagedState(Exception):
    """A stored state does not match its hash, or is not a valid state."""


def encode_lines(lines: tuple[SavedLine, ...]) -> bytes:
    text = json.dumps(
        [[x.job, x.kind, x.text, x.title, x.speaker] for x in lines],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return zlib.compress(text.encode(), LEVEL)


def decode_lines(stored: str | bytes) -> tuple[SavedLine, ...]:
    """A turn's entries, compressed or (before save format 6) as JSON text; `ValueError`
    if they cannot be read."""
    if isinstance(stored, bytes):
        try:
            stored = zlib.decompress(stored).decode()
        except zlib.error as exc:
            raise ValueError("the entries cannot be decompressed") from exc
    return tuple(SavedLine(*row) for row in json.loads(stored))


def encode_frame(state: GameState) -> tuple[bytes, bytes]:
    """A keyframe of `state`: what is stored, and the JSON states are compressed against."""
    text = state.model_dump_json().encode()
    return zlib.compress(text, LEVEL), text


def decode_frame(blob: bytes) -> bytes:
    """A stored keyframe's JSON."""
    try:
        return zlib.decompress(blob)
    except zlib.error as exc:
        raise DamagedState("cannot be decompressed") from exc


def encode_state(state: GameState, frame: bytes | None = None) -> tuple[bytes, str]:
    """The compressed state and its hash: whole, or against `frame` (a keyframe's JSON)."""
    packer = zlib.compressobj(LEVEL) if frame is None else zlib.compressobj(LEVEL, zdict=frame)
    return packer.compress(state.model_dump_json().encode()) + packer.flush(), state.state_hash()


def decode_state(blob: bytes, expected: str, frame: bytes | None = None) -> GameState:
    unpacker = zlib.decompressobj() if frame is None else zlib.decompressobj(zdict=frame)
    try:
        text = unpacker.decompress(blob) + unpacker.flush()
    except zlib.error as exc:
        raise DamagedState("cannot be decompressed") from exc
    if not unpacker.eof:
        raise DamagedState("cannot be decompressed (it is cut short)")
    try:
        state = GameState.model_validate_json(text)
    except ValueError as exc:
        raise DamagedState("is not a valid game state") from exc
    if state.state_hash() != expected:
        raise DamagedState("does not match its hash")
    return state
