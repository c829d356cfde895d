"""Pydantic models of a world pack, format 1 (`shared/spec/world-pack.md`).

The models are frozen and reject unknown keys, so a typo in a pack is an error at load
time instead of a silently ignored setting. Cross-references between sections are
checked by `textrealms.world.checks`, which sees the whole pack.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

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

DIRECTIONS: tuple[Direction, ...] = get_args(Direction)
PHASES: tuple[Phase, ...] = get_args(Phase)
DIMENSIONS: tuple[Dimension, ...] = get_args(Dimension)
STAKEHOLDER_ROLES: tuple[StakeholderRole, ...] = get_args(StakeholderRole)
GOSSIP_TYPES: tuple[GossipType, ...] = get_args(GossipType)
BEAT_TYPES: tuple[BeatType, ...] = get_args(BeatType)


class Strict(BaseModel):
    """Base of every pack model: unknown keys are errors, values never change after load."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class WorldInfo(Strict):
    id: Id
    name: str
    description: str
    version: str
    format: Literal[1]
    intro: str
    author: str | None = None
    genre: str | None = None
    style: str | None = None


class Start(Strict):
    location: Id
    inventory: list[Id] = []
    flags: list[str] = []


class Exit(Strict):
    to: Id
    requires_flag: str | None = None
    blocked: str | None = None


class Location(Strict):
    name: str
    description: str
    exits: dict[Direction, Exit] = {}
    items: list[Id] = []
    tags: list[str] = []

    @field_validator("exits", mode="before")
    @classmethod
    def _short_exits(cls, value: Any) -> Any:
        """`east = "inn"` is shorthand for `east = { to = "inn" }`."""
        if isinstance(value, dict):
            return {k: {"to": v} if isinstance(v, str) else v for k, v in value.items()}
        return value


class ItemUse(Strict):
    target: Id | None = None
    sets_flag: str | None = None
    removes_item: bool = False
    message: str | None = None


class Item(Strict):
    name: str
    description: str
    aliases: list[str] = []
    portable: bool = True
    use: ItemUse | None = None


class Npc(Strict):
    name: str
    description: str
    location: Id
    personality: list[str]
    social_role: SocialRole
    decision_style: DecisionStyle
    gossip_tendency: Unit
    greeting: str
    topics: dict[str, str]
    aliases: list[str] = []
    faction: Id | None = None
    wants: list[Id] = []
    disposition: Signed = 0.0


class Faction(Strict):
    name: str
    description: str
    relations: dict[Id, Signed] = {}


class Conflict(Strict):
    name: str
    description: str
    stakes: str
    kind: str
    phase: Phase
    pacing: Pacing
    intensity: Unit
    momentum: Signed
    stakeholders: dict[Id, StakeholderRole]


CONDITION_KEYS = (
    "at",
    "has",
    "flag",
    "not_flag",
    "quest_done",
    "phase",
    "reputation",
    "disposition",
)


class Condition(Strict):
    """Exactly one test; `phase` goes with `conflict`, the two thresholds with `above`/`below`."""

    at: Id | None = None
    has: Id | None = None
    flag: str | None = None
    not_flag: str | None = None
    quest_done: Id | None = None
    phase: Phase | None = None
    conflict: Id | None = None
    reputation: Dimension | None = None
    disposition: Id | None = None
    above: float | None = None
    below: float | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        present = [k for k in CONDITION_KEYS if getattr(self, k) is not None]
        if len(present) != 1:
            raise ValueError(
                "a condition needs exactly one of "
                + ", ".join(CONDITION_KEYS)
                + (f" (found {', '.join(present)})" if present else "")
            )
        test = present[0]
        if (test == "phase") != (self.conflict is not None):
            raise ValueError("'phase' and 'conflict' go together")
        threshold = test in ("reputation", "disposition")
        bounds = [k for k in ("above", "below") if getattr(self, k) is not None]
        if threshold and len(bounds) != 1:
            raise ValueError(f"'{test}' needs exactly one of 'above' or 'below'")
        if not threshold and bounds:
            raise ValueError(f"'{bounds[0]}' only goes with 'reputation' or 'disposition'")
        low = 0.0 if test == "reputation" else -1.0
        for key in bounds:
            value = getattr(self, key)
            if not low <= value <= 1.0:
                raise ValueError(f"'{key}' must be within {low:g}..1, not {value:g}")
        return self

    @property
    def test(self) -> str:
        return next(k for k in CONDITION_KEYS if getattr(self, k) is not None)


class Quest(Strict):
    title: str
    description: str
    objectives: Annotated[list[Condition], Field(min_length=1)]
    completion: str


class Ending(Strict):
    title: str
    text: str
    when: Annotated[list[Condition], Field(min_length=1)]


class GossipTemplates(Strict):
    rumor: Variants | None = None
    secret: Variants | None = None
    scandal: Variants | None = None
    praise: Variants | None = None
    warning: Variants | None = None
    speculation: Variants | None = None


class BeatTemplates(Strict):
    revelation: Variants | None = None
    betrayal: Variants | None = None
    escalation: Variants | None = None
    reconciliation: Variants | None = None
    twist: Variants | None = None
    complication: Variants | None = None
    climax: Variants | None = None
    moment: Variants | None = None


class TransitionTemplates(Strict):
    seeds: Variants | None = None
    emerging: Variants | None = None
    rising: Variants | None = None
    confrontation: Variants | None = None
    climax: Variants | None = None
    falling: Variants | None = None
    resolution: Variants | None = None
    aftermath: Variants | None = None


class ReactionTemplates(Strict):
    instigator: Variants | None = None
    defender: Variants | None = None
    mediator: Variants | None = None
    opportunist: Variants | None = None
    victim: Variants | None = None
    bystander: Variants | None = None
    escalator: Variants | None = None
    peacemaker: Variants | None = None


GROUPS = ("gossip", "beat", "transition", "reaction")


class Templates(Strict):
    take: Variants | None = None
    drop: Variants | None = None
    look: Variants | None = None
    go: Variants | None = None
    go_blocked: Variants | None = None
    talk: Variants | None = None
    ask_unknown: Variants | None = None
    give: Variants | None = None
    give_wanted: Variants | None = None
    use: Variants | None = None
    use_nothing: Variants | None = None
    examine: Variants | None = None
    wait: Variants | None = None
    unknown_verb: Variants | None = None
    not_here: Variants | None = None
    gossip: GossipTemplates = GossipTemplates()
    beat: BeatTemplates = BeatTemplates()
    transition: TransitionTemplates = TransitionTemplates()
    reaction: ReactionTemplates = ReactionTemplates()

    @model_validator(mode="before")
    @classmethod
    def _dotted_keys(cls, data: Any) -> Any:
        """Accept `"gossip.rumor" = [...]` as well as the nested `gossip.rumor = [...]`."""
        if not isinstance(data, dict):
            return data
        out: dict[str, Any] = {}
        for key, value in data.items():
            group, dot, name = key.partition(".")
            if dot and group in GROUPS:
                out.setdefault(group, {})
                if isinstance(out[group], dict):
                    out[group][name] = value
            else:
                out[key] = value
        return out

    def variants(self, key: str) -> list[str] | None:
        """The pack's variants for `take` or `gossip.rumor`, or None for the default."""
        group, dot, name = key.partition(".")
        found: list[str] | None = getattr(getattr(self, group), name) if dot else getattr(self, key)
        return found


class WorldPack(Strict):
    """A whole, validated pack. Section order in the pack files is kept in every table."""

    world: WorldInfo
    start: Start
    locations: Annotated[dict[Id, Location], Field(min_length=1)]
    items: dict[Id, Item] = {}
    npcs: dict[Id, Npc] = {}
    factions: dict[Id, Faction] = {}
    conflicts: dict[Id, Conflict] = {}
    quests: dict[Id, Quest] = {}
    endings: dict[Id, Ending] = {}
    templates: Templates = Templates()
    lexicon: dict[str, list[str]] = {}


SECTIONS: dict[str, type[Strict]] = {
    "locations": Location,
    "items": Item,
    "npcs": Npc,
    "factions": Faction,
    "conflicts": Conflict,
    "quests": Quest,
    "endings": Ending,
}
"""Sections whose entries are keyed by id, each validated on its own."""

SINGLES: dict[str, type[Strict]] = {"world": WorldInfo, "start": Start, "templates": Templates}
"""Sections that are one table each."""
