"""The vocabulary of world packs: ids, ranges, and the closed sets of names (phases, roles,
directions...), with the base every pack model shares. Both the world and the story
models (`schema`, `story`) are built from these.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[a-z0-9_-]+$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Signed = Annotated[float, Field(ge=-1.0, le=1.0)]
Variants = Annotated[list[str], Field(min_length=1)]

Direction = Literal[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "up",
    "down",
    "in",
    "out",
]
SocialRole = Literal[
    "alpha",
    "beta",
    "confidant",
    "rival",
    "outsider",
    "gossip",
    "mediator",
    "influencer",
    "follower",
    "wildcard",
]
DecisionStyle = Literal[
    "emotional",
    "rational",
    "instinctive",
    "calculating",
    "reactive",
    "principled",
]
Phase = Literal[
    "seeds",
    "emerging",
    "rising",
    "confrontation",
    "climax",
    "falling",
    "resolution",
    "aftermath",
]
Pacing = Literal["slow_burn", "rapid_escalation", "waves", "steady", "erratic"]
StakeholderRole = Literal[
    "instigator",
    "defender",
    "mediator",
    "opportunist",
    "victim",
    "bystander",
    "escalator",
    "peacemaker",
]
Dimension = Literal[
    "trustworthy",
    "submissive",
    "rebellious",
    "mysterious",
    "influential",
    "scandalous",
    "nurturing",
    "dangerous",
]
GossipType = Literal["rumor", "secret", "scandal", "praise", "warning", "speculation"]
BeatType = Literal[
    "revelation",
    "betrayal",
    "escalation",
    "reconciliation",
    "twist",
    "complication",
    "climax",
    "moment",
]

Pronouns = Literal["she", "he", "they", "it"]
Body = Literal["human", "machine", "voice"]
"""What a person is, for the gestures the story gives them: a machine has no face or hands,
a voice no body at all."""

DIRECTIONS: tuple[Direction, ...] = get_args(Direction)
PHASES: tuple[Phase, ...] = get_args(Phase)
DIMENSIONS: tuple[Dimension, ...] = get_args(Dimension)
STAKEHOLDER_ROLES: tuple[StakeholderRole, ...] = get_args(StakeholderRole)
GOSSIP_TYPES: tuple[GossipType, ...] = get_args(GossipType)
BEAT_TYPES: tuple[BeatType, ...] = get_args(BeatType)


class Strict(BaseModel):
    """Base of every pack model: unknown keys are errors, values never change after load."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
