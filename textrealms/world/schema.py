"""Pydantic models of a world pack, formats 1 and 2 (`docs/world-pack-format.md`).

The story's models (conditions, lines, conflicts, events, quests, endings) are in
`textrealms.world.story`; the names both share, in `textrealms.world.kinds`. The models
are frozen and reject unknown keys, so a typo in a pack is an error at load
time instead of a silently ignored setting. Cross-references between sections are
checked by `textrealms.world.checks`, which sees the whole pack.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from textrealms.world.kinds import (
    BEAT_TYPES,
    DIMENSIONS,
    DIRECTIONS,
    GOSSIP_TYPES,
    ID_PATTERN,
    PHASES,
    STAKEHOLDER_ROLES,
    BeatType,
    Body,
    DecisionStyle,
    Dimension,
    Direction,
    GossipType,
    Id,
    Pacing,
    Phase,
    Pronouns,
    Signed,
    SocialRole,
    StakeholderRole,
    Strict,
    Unit,
    Variants,
)
from textrealms.world.prose import sentences
from textrealms.world.responses import Response, Responses, Topic, Topics
from textrealms.world.story import (
    CONDITION_KEYS,
    Clock,
    Condition,
    Conflict,
    Ending,
    Event,
    Line,
    Lines,
    Quest,
)

__all__ = [
    "BEAT_TYPES",
    "CONDITION_KEYS",
    "DIMENSIONS",
    "DIRECTIONS",
    "GOSSIP_TYPES",
    "ID_PATTERN",
    "PHASES",
    "STAKEHOLDER_ROLES",
    "BeatType",
    "Body",
    "Clock",
    "Condition",
    "Conflict",
    "DecisionStyle",
    "Dimension",
    "Direction",
    "Ending",
    "Event",
    "GossipType",
    "Id",
    "Line",
    "Lines",
    "Pacing",
    "Phase",
    "Pronouns",
    "Quest",
    "Response",
    "Signed",
    "SocialRole",
    "StakeholderRole",
    "Strict",
    "Topic",
    "Unit",
    "Variants",
]
"""The names other modules take from here that are defined in `kinds`, `story` and
`responses`."""


class WorldInfo(Strict):
    id: Id
    name: str
    description: str
    version: str
    format: Literal[1, 2]
    intro: str
    author: str | None = None
    genre: str | None = None
    style: str | None = None


class Start(Strict):
    location: Id
    inventory: list[Id] = []
    flags: list[str] = []
    time: Clock = "08:00"


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
    brief: str | None = None
    scenery: dict[str, Lines] = {}
    """Things the description names that are no item, by a name of a word or a few, with
    what examining them shows (format 2)."""

    @property
    def glimpse(self) -> str:
        """What a revisit shows of the place: its `brief`, else its first sentence."""
        return self.brief or next(iter(sentences(self.description)), self.description)

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
    on: Responses = {}


class Reactions(Strict):
    """A person's own reaction lines (pools), replacing the generic ones."""

    pleased: Lines = []
    displeased: Lines = []
    moves: Lines = []
    instigator: Lines = []
    defender: Lines = []
    mediator: Lines = []
    opportunist: Lines = []
    victim: Lines = []
    bystander: Lines = []
    escalator: Lines = []
    peacemaker: Lines = []


class Npc(Strict):
    name: str
    description: str
    location: Id
    personality: list[str]
    social_role: SocialRole
    decision_style: DecisionStyle
    gossip_tendency: Unit
    greeting: Lines
    topics: Topics
    aliases: list[str] = []
    faction: Id | None = None
    wants: list[Id] = []
    disposition: Signed = 0.0
    pronouns: Pronouns = "they"
    body: Body = "human"
    secrets: list[str] = []
    gestures: Lines = []
    reactions: Reactions = Reactions()
    on: Responses = {}

    @property
    def hidden(self) -> frozenset[str]:
        """Traits the story never states: `secrets`, and format 1's "secretly ..." traits."""
        return frozenset(
            [*self.secrets, *(t for t in self.personality if t.lower().startswith("secretly"))]
        )


class Faction(Strict):
    name: str
    description: str
    relations: dict[Id, Signed] = {}


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
    hint_none: Variants | None = None
    topic_spent: Variants | None = None
    revisit: Variants | None = None
    person: Variants | None = None
    open: Variants | None = None
    close: Variants | None = None
    lock: Variants | None = None
    unlock: Variants | None = None
    search: Variants | None = None
    wear: Variants | None = None
    take_off: Variants | None = None
    take_from: Variants | None = None
    put: Variants | None = None
    climb: Variants | None = None
    listen: Variants | None = None
    smell: Variants | None = None
    touch: Variants | None = None
    push: Variants | None = None
    pull: Variants | None = None
    eat: Variants | None = None
    drink: Variants | None = None
    knock: Variants | None = None
    ring: Variants | None = None
    attack: Variants | None = None
    attack_thing: Variants | None = None
    show: Variants | None = None
    tell: Variants | None = None
    told: Variants | None = None
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


VERB_TEMPLATES = (
    "person",
    "open",
    "close",
    "lock",
    "unlock",
    "search",
    "wear",
    "take_off",
    "take_from",
    "put",
    "climb",
    "listen",
    "smell",
    "touch",
    "push",
    "pull",
    "eat",
    "drink",
    "knock",
    "ring",
    "attack",
    "attack_thing",
    "show",
    "tell",
    "told",
)
"""Format 2's templates for the standard verbs: what each says when no `on` response
holds (`person`: a verb for things, done to a person)."""


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
    events: dict[Id, Event] = {}
    templates: Templates = Templates()
    lexicon: dict[str, list[str]] = {}
    _folder: Path | None = PrivateAttr(default=None)

    @classmethod
    def read_from(cls, folder: Path, data: dict[str, Any]) -> WorldPack:
        """The pack validated from `data`, which was read from `folder`."""
        pack = cls.model_validate(data)
        pack._folder = folder.resolve()
        return pack

    @property
    def folder(self) -> Path | None:
        """The folder the pack was read from, absolute; None for a pack made in memory.
        A saved game keeps it, so that `continue` looks for the pack there first."""
        return self._folder


SECTIONS: dict[str, type[Strict]] = {
    "locations": Location,
    "items": Item,
    "npcs": Npc,
    "factions": Faction,
    "conflicts": Conflict,
    "quests": Quest,
    "endings": Ending,
    "events": Event,
}
"""Sections whose entries are keyed by id, each validated on its own."""

SINGLES: dict[str, type[Strict]] = {"world": WorldInfo, "start": Start, "templates": Templates}
"""Sections that are one table each."""
