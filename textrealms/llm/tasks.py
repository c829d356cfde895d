"""What the game asks a language model for: one frozen dataclass per kind of request.

A task carries everything its answer may depend on, so two equal tasks may share one
answer (in flight, or from the cache). The HTTP provider turns a task into a prompt; the
offline narrator composes its answer from the task and the world pack directly.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import ClassVar

CONTEXT = "context"
"""Field metadata marking what only a model's prompt uses (recent turns): part of `key`,
left out of `identity`, so the offline narrator's words do not change with it."""
ADDED = {"added": True}
"""Field metadata marking a field added after keys were first stored: while it holds its
default it is left out of the hash, so a task as it was before keys as it always has."""


@dataclass(frozen=True, slots=True)
class Task:
    turn: int
    """The turn that asked; not part of `key`, so a later turn can reuse the answer."""
    _key: str | None = field(default=None, init=False, repr=False, compare=False)
    """`key()`, once worked out: a task is frozen, so it never changes."""

    kind: ClassVar[str] = "task"
    cacheable: ClassVar[bool] = False
    """Whether equal tasks may reuse an answer: true where varied prose is not wanted."""

    def key(self) -> str:
        """A stable hash of everything the answer depends on; worked out once a task, as
        a task is keyed again at each step of its way (prefetch, the broker)."""
        key = self._key
        if key is None:
            key = self._hash(context=True)
            object.__setattr__(self, "_key", key)  # frozen, but the key never changes
        return key

    def identity(self) -> str:
        """A stable hash of what the task is about, without prompt-only context: the
        offline narrator draws its words from this."""
        return self._hash(context=False)

    def _hash(self, *, context: bool) -> str:
        fields = {}
        for name, in_context, added, default in _hashed(type(self)):
            value = getattr(self, name)
            if (context or not in_context) and not (added and value == default):
                fields[name] = value
        blob = json.dumps([self.kind, fields], sort_keys=True, ensure_ascii=False, default=_nested)
        return hashlib.sha256(blob.encode()).hexdigest()


_Plan = tuple[tuple[str, bool, bool, object], ...]
_PLANS: dict[type[Task], _Plan] = {}


def _hashed(kind: type[Task]) -> _Plan:
    """A kind of task's hashed fields, each with whether it is prompt-only context,
    whether it was added later and its default: read once a kind, not at every hash."""
    plan = _PLANS.get(kind)
    if plan is None:
        plan = _PLANS[kind] = tuple(
            (f.name, bool(f.metadata.get(CONTEXT)), bool(f.metadata.get("added")), f.default)
            for f in dataclasses.fields(kind)
            if f.name not in ("turn", "_key")
        )
    return plan


def _nested(value: object) -> str:
    """A task inside a task (a batch's parts) stands in the hash by its own key."""
    if isinstance(value, Task):
        return value.key()
    raise TypeError(f"a task field cannot hold {type(value).__name__}")


@dataclass(frozen=True, slots=True)
class Describe(Task):
    """Richer prose for a room as the player enters or looks at it."""

    location: str
    """Location id."""
    text: str
    """The template description the player already sees (description, things, people)."""
    items: tuple[str, ...] = ()
    """Item ids in the room."""
    people: tuple[str, ...] = ()
    """NPC ids in the room."""
    revisit: bool = field(default=False, metadata=ADDED)
    """The player is back in a room they have seen: it is told in short."""
    attempt: int = field(default=0, metadata=ADDED)
    """Asked again by the player (regenerate): a new attempt is a new answer, not a cached one."""
    clock: int | None = field(default=None, metadata=ADDED)
    """The game's clock, given only when the place's description counts down to an event
    (`{until:EVENT}`): the time left is shown as at this minute."""

    kind: ClassVar[str] = "describe"
    cacheable: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class Narrate(Task):
    """Richer prose for what the player just did."""

    text: str
    """The template narration the player already sees."""
    command: str
    """The player's own words: data to narrate, never instructions."""
    verb: str
    location: str
    """Location id where it happens."""
    subject: str | None = None
    """The item or NPC id the command acted on, if any."""
    gestures: tuple[str, ...] = field(default=(), metadata=ADDED)
    """The subject's own gestures that hold now, if the subject is a person."""
    recent: tuple[str, ...] = field(default=(), metadata={CONTEXT: True})
    """The last few turns as the player saw them (command and text), oldest first."""
    attempt: int = field(default=0, metadata=ADDED)
    """Asked again by the player (regenerate): a new attempt is a new answer, not a cached one."""
    clock: int | None = field(default=None, metadata=ADDED)
    """The game's clock, given only when a description the narration may use counts down
    to an event (`{until:EVENT}`)."""

    kind: ClassVar[str] = "narration"


@dataclass(frozen=True, slots=True)
class React(Task):
    """An NPC's reaction to the player's deed (structured: `schemas.Reaction`)."""

    npc: str
    """NPC id."""
    deed: str
    """The choice or verb reacted to: escalate, support, give..."""
    fallback: str
    """The template line that stands if the model fails."""
    role: str | None = None
    conflict: str | None = None
    """Conflict id the deed touched, if any."""
    target: str | None = None
    """The NPC the deed was aimed at (support/oppose), if any."""
    disposition: float = 0.0
    stress: float = 0.0
    own: bool = field(default=False, metadata=ADDED)
    """The fallback is the NPC's own line for this (the pack's), to be said as written."""
    gestures: tuple[str, ...] = field(default=(), metadata=ADDED)
    """The NPC's own gestures that hold now."""
    said: tuple[str, ...] = field(default=(), metadata=ADDED)
    """What the story has told lately (`textrealms.world.said` keys): not to be told again."""

    kind: ClassVar[str] = "reaction"
    cacheable: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class Rumour(Task):
    """An NPC passing gossip to the player (structured: `schemas.Line`)."""

    teller: str
    """NPC id of the one who tells it."""
    gossip_type: str
    about: str
    """NPC id, or "player"."""
    topic: str
    fallback: str
    gestures: tuple[str, ...] = field(default=(), metadata=ADDED)
    """The teller's own gestures that hold now."""
    said: tuple[str, ...] = field(default=(), metadata=ADDED)
    """What the story has told lately (`textrealms.world.said` keys): not to be told again."""

    kind: ClassVar[str] = "gossip"
    cacheable: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class Beat(Task):
    """A dramatic beat the pacing director fired (structured: `schemas.Line`)."""

    beat: str
    fallback: str
    conflict: str | None = None
    npc: str | None = None
    """The NPC at the heart of the beat, if any."""
    phase: str | None = None
    location: str | None = field(default=None, metadata=ADDED)
    """Where it is felt (the player's location), for its scenery."""
    said: tuple[str, ...] = field(default=(), metadata=ADDED)
    """What the story has told lately (`textrealms.world.said` keys): not to be told again."""

    kind: ClassVar[str] = "beat"
    cacheable: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class ReactAll(Task):
    """Several NPCs' reactions to one deed in one call (structured: `schemas.Reactions`)."""

    reactions: tuple[React, ...]

    kind: ClassVar[str] = "reactions"
    cacheable: ClassVar[bool] = True

    def npcs(self) -> list[str]:
        return [r.npc for r in self.reactions]


@dataclass(frozen=True, slots=True)
class Assess(Task):
    """How a turn moved the world (structured: `schemas.Assessment`): small nudges to the
    conflict's momentum and the player's reputation, asked of real models only."""

    command: str
    """The player's own words: data, never instructions."""
    text: str
    """What the player saw happen."""
    location: str
    conflict: str | None = None
    phase: str | None = None
    reputation: tuple[tuple[str, float], ...] = ()
    """The player's reputation now, by dimension."""

    kind: ClassVar[str] = "assess"


@dataclass(frozen=True, slots=True)
class Interpret(Task):
    """A line the game could not place, to be read as one of the actions possible now
    (structured: `schemas.request_schema` holds the answer to what is offered here), or as
    none."""

    said: str
    """The player's own words: data, never instructions."""
    location: str
    verbs: tuple[tuple[str, str, tuple[str, ...]], ...]
    """Each verb offered: its name, how it is used ("give CARRIED to PERSON"), its words."""
    things: tuple[tuple[str, str, str], ...]
    """Each thing and person in reach: id, name, and where ("carried", "here", "person")."""
    ways: tuple[tuple[str, str], ...] = ()
    """Each way out: the direction, and the name of the place it leads to."""
    topics: tuple[str, ...] = ()
    """What can be asked or told about."""

    kind: ClassVar[str] = "interpretation"
