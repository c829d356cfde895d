"""Structured answers a model gives, validated before anything uses them.

Unknown fields are dropped; numbers are read here and clamped by the engine, which also
checks every id; text is cleaned of control sequences where it is shown.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MAX_LINE = 600


class Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Line(Answer):
    """A single line of story text: gossip as told, a dramatic beat."""

    text: str = Field(min_length=1, max_length=MAX_LINE)


class Reaction(Answer):
    """An NPC's reaction: what they say or do, and how it leaves them."""

    line: str = Field(min_length=1, max_length=MAX_LINE)
    disposition: float = 0.0
    """Proposed change of their attitude to the player; the engine clamps it."""
    stress: float = 0.0
    """Proposed change of their stress; the engine clamps it."""
