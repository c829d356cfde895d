"""Structured answers a model gives, validated before anything uses them.

Unknown fields are dropped; numbers are read here and clamped by the engine, which also
checks every id; text is cleaned of control sequences where it is shown. `strict_schema`
turns a model into the JSON schema sent as `response_format` in strict mode.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from textrealms.llm.tasks import Interpret, Task

MAX_LINE = 600
MAX_BATCH = 16
"""The most reactions one batched answer may carry; more is malformed."""
MAX_WORDS = 64
"""The longest verb, id or topic an interpretation may name."""
NONE = "none"
"""The verb an interpretation names when the line is none of the actions offered."""


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


class NpcReaction(Reaction):
    """One NPC's part of a batched answer: whose reaction it is, by id."""

    npc: str = Field(min_length=1, max_length=64)


class Reactions(Answer):
    """Several NPCs' reactions to one deed, asked for in one call."""

    reactions: list[NpcReaction] = Field(max_length=MAX_BATCH)


class Nudge(Answer):
    """A proposed change of one reputation dimension; the engine clamps it."""

    dimension: str = Field(min_length=1, max_length=32)
    delta: float = 0.0


class Assessment(Answer):
    """How the world reads a turn: the conflict's momentum and the player's reputation.

    The numbers are nudges on top of what the rules already did, clamped small.
    """

    momentum: float = 0.0
    reputation: list[Nudge] = Field(default_factory=list, max_length=8)


class Interpretation(Answer):
    """A line the game could not place, read as one action: `verb` on `target` (and
    `second`), or the verb `NONE`; `line` is said in character either way. The ids are
    read as plain text here: the engine checks each against what is possible now."""

    verb: str = Field(max_length=MAX_WORDS)
    target: str = Field(default="", max_length=MAX_WORDS)
    second: str = Field(default="", max_length=MAX_WORDS)
    line: str = Field(default="", max_length=MAX_LINE)


def request_schema(schema: type[Answer], task: Task) -> dict[str, Any]:
    """The schema a request for `task` holds its answer to: `schema`'s strict one; for a
    line to interpret, with only the verbs possible now (and `NONE`), and what their
    slots may name (and "" for none), as enums: what the model is held to where its server
    enforces a schema. Made from the task, so no model class is made per scene."""
    strict = strict_schema(schema)
    if not isinstance(task, Interpret):
        return strict
    ids = tuple(ident for ident, _, _ in task.things)
    enums = {
        "verb": [*(name for name, _, _ in task.verbs), NONE],
        "target": [*dict.fromkeys(ids + tuple(way for way, _ in task.ways)), ""],
        "second": [*dict.fromkeys(ids + task.topics), ""],
    }
    properties = {
        name: {**prop, "enum": enums[name]} if name in enums else prop
        for name, prop in strict["properties"].items()
    }
    return {**strict, "properties": properties}


@functools.cache
def strict_schema(model: type[Answer]) -> dict[str, Any]:
    """`model`'s JSON schema as strict structured outputs need it: every property
    required, no other properties allowed, no defaults.

    Made once per model and shared by every request (pydantic takes milliseconds to
    build one, and a busy server asks for thousands): callers must not change it.
    """
    schema = model.model_json_schema()
    _tighten(schema)
    for sub in schema.get("$defs", {}).values():
        _tighten(sub)
    return schema


def _tighten(schema: dict[str, Any]) -> None:
    schema.pop("title", None)
    properties: dict[str, dict[str, Any]] = schema.get("properties", {})
    for prop in properties.values():
        prop.pop("default", None)
        prop.pop("title", None)
    if schema.get("type") == "object":
        schema["additionalProperties"] = False
        schema["required"] = list(properties)
