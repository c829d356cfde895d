"""What people and things answer the player with (format 2): topics that may be asked by
other names, and responses to the verbs the player uses on them (`on.<verb>`), the way
Inform's "Instead of opening the door" works.

Which verb names an `on` table may use is the engine's to say (its verb registry); the
world layer checks everything else about a response (`textrealms.world.checks`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from textrealms.world.kinds import Id, Strict
from textrealms.world.story import Condition, Lines, Outcome, to_lines


class Topic(Strict):
    """A person's reply about a topic, and other names a player may ask by (format 2)."""

    reply: Lines
    aliases: list[str] = []


def _to_topic(value: Any) -> Any:
    """A topic is its lines (format 1), or a `{ reply, aliases }` table (format 2)."""
    if isinstance(value, dict):
        return value
    to_lines(value)
    return {"reply": value}


Topics = dict[str, Annotated[Topic, BeforeValidator(_to_topic)]]


class Response(Outcome):
    """What a thing or a person does in place of the engine's default for a verb, while
    `when` holds (and, for a verb with two objects, when the other one is `with`)."""

    text: Lines
    when: list[Condition] = []
    with_: Id | None = Field(default=None, alias="with")
    gives: list[Id] = []
    removes: list[Id] = []
    takes_time: bool = True


Responses = dict[str, list[Response]]
"""Verb name -> the responses tried in order; the first whose conditions hold is played."""
