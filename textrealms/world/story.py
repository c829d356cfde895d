"""Pydantic models of a pack's story: conditions, lines, conflicts, events, quests, endings.

Format 2 (`docs/world-pack-format.md`) adds most of what is here: lines that depend on
conditions, timed events and turning points, hints, and endings that say whether they
are a failure. A format-1 pack leaves every format-2 key at its default, and
`textrealms.world.checks` reports any it does set.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from textrealms.world.kinds import Dimension, Id, Phase, StakeholderRole, Strict

CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
Clock = Annotated[str, Field(pattern=CLOCK_PATTERN)]
"""A time of day, "HH:MM"."""

CONDITION_KEYS = (
    "at",
    "has",
    "flag",
    "not_flag",
    "quest_done",
    "phase",
    "reputation",
    "disposition",
    "event",
    "not",
    "after",
    "npc",
)
"""Each condition has exactly one of these tests (the last four are format 2)."""
FORMAT2_TESTS = frozenset({"event", "not", "after", "npc"})


class Condition(Strict):
    """Exactly one test. Companions: `phase` with `conflict` (and `or_later`), `reputation`
    and `disposition` with `above`/`below`, `after` with `day`, `npc` with `in`."""

    at: Id | None = None
    has: Id | None = None
    flag: str | None = None
    not_flag: str | None = None
    quest_done: Id | None = None
    phase: Phase | None = None
    conflict: Id | None = None
    or_later: bool = False
    reputation: Dimension | None = None
    disposition: Id | None = None
    above: float | None = None
    below: float | None = None
    event: Id | None = None
    not_: Condition | None = Field(default=None, alias="not")
    after: Clock | None = None
    day: Annotated[int, Field(ge=1)] | None = None
    npc: Id | None = None
    in_: Id | None = Field(default=None, alias="in")

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        present = [k for k in CONDITION_KEYS if self._value(k) is not None]
        if len(present) != 1:
            raise ValueError(
                "a condition needs exactly one of "
                + ", ".join(CONDITION_KEYS)
                + (f" (found {', '.join(present)})" if present else "")
            )
        test = present[0]
        self._companions(test)
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

    def _companions(self, test: str) -> None:
        if (test == "phase") != (self.conflict is not None):
            raise ValueError("'phase' and 'conflict' go together")
        if self.or_later and test != "phase":
            raise ValueError("'or_later' only goes with 'phase'")
        if self.day is not None and test != "after":
            raise ValueError("'day' only goes with 'after'")
        if (test == "npc") != (self.in_ is not None):
            raise ValueError("'npc' and 'in' go together")

    def _value(self, key: str) -> object:
        return getattr(self, {"not": "not_"}.get(key, key))

    @functools.cached_property
    def test(self) -> str:
        """The test's key, found once: conditions are tested on every turn."""
        return next(k for k in CONDITION_KEYS if self._value(k) is not None)


class Line(Strict):
    """Text that is said only while its conditions hold."""

    text: str
    when: list[Condition] = []


def to_lines(value: Any) -> Any:
    """A string is one line with no conditions; a list holds strings and line tables."""
    if isinstance(value, str):
        return [{"text": value}]
    if not isinstance(value, list):
        raise ValueError("must be a string or a list of lines")
    for item in value:
        if not isinstance(item, str | dict):
            raise ValueError("each line is a string or a { text, when } table")
    return [{"text": item} if isinstance(item, str) else item for item in value]


Lines = Annotated[list[Line], BeforeValidator(to_lines)]
"""One line, or several that depend on conditions (format 2: see "Lines" in the doc).
Always held as a list; a single line with no conditions is what format 1 allows."""


def plain(lines: list[Line]) -> bool:
    """Whether `lines` is what format 1 can say: one line, with no conditions."""
    return len(lines) == 1 and not lines[0].when


class Leaning(Strict):
    up: str = "toward trouble"
    down: str = "toward calm"


class Stake(Strict):
    role: StakeholderRole
    wants: str | None = None
    met: list[Condition] = []
    """When these hold, what they wanted is met or dropped, and is told so."""


class Conflict(Strict):
    name: str
    description: str
    stakes: str
    kind: str
    phase: Phase
    pacing: Literal["slow_burn", "rapid_escalation", "waves", "steady", "erratic"]
    intensity: Annotated[float, Field(ge=0.0, le=1.0)]
    momentum: Annotated[float, Field(ge=-1.0, le=1.0)]
    stakeholders: dict[Id, StakeholderRole]
    wants: dict[Id, str] = {}
    """What each stakeholder wants from it: from the `{ role, wants }` form (format 2)."""
    met: dict[Id, list[Condition]] = {}
    """When each stakeholder's want is met or dropped: from `{ role, wants, met }`."""
    settle: str | None = None
    leaning: Leaning = Leaning()
    drift_limit: Phase = "climax"

    @model_validator(mode="before")
    @classmethod
    def _stakes(cls, data: Any) -> Any:
        """`npc = { role = "...", wants = "...", met = [...] }` is a role with what they
        want, and when that is met or dropped."""
        if not isinstance(data, dict) or not isinstance(data.get("stakeholders"), dict):
            return data
        for key in ("wants", "met"):
            if key in data:
                raise ValueError(
                    f"unknown key '{key}' (write stakeholders.<npc> = {{ role, {key} }})"
                )
        roles: dict[str, Any] = {}
        wants: dict[str, Any] = {}
        met: dict[str, Any] = {}
        for npc, value in data["stakeholders"].items():
            if isinstance(value, dict):
                stake = Stake.model_validate(value)
                roles[npc] = stake.role
                if stake.wants is not None:
                    wants[npc] = stake.wants
                if stake.met:
                    met[npc] = stake.met
            else:
                roles[npc] = value
        found = {"wants": wants, "met": met}
        return {**data, "stakeholders": roles, **{k: v for k, v in found.items() if v}}


class Warning(Strict):
    before: Annotated[int, Field(ge=1)]
    """Minutes before the event's time."""
    text: str


class Outcome(Strict):
    """What an event or a response to the player (`on`) changes: flags, a conflict's phase
    (a turning point), where people are."""

    sets_flags: list[str] = []
    clears_flags: list[str] = []
    conflict: Id | None = None
    phase: Phase | None = None
    moves: dict[Id, Id] = {}

    @model_validator(mode="after")
    def _turning_point(self) -> Outcome:
        if (self.conflict is None) != (self.phase is None):
            raise ValueError("'conflict' and 'phase' go together")
        return self


class Event(Outcome):
    """Something that happens once, when its time comes and its conditions hold."""

    text: Lines
    title: str | None = None
    at: Clock | None = None
    day: Annotated[int, Field(ge=1)] = 1
    after_turns: Annotated[int, Field(ge=1)] | None = None
    when: list[Condition] = []
    warnings: list[Warning] = []

    @model_validator(mode="after")
    def _triggered(self) -> Event:
        if self.at is None and self.after_turns is None and not self.when:
            raise ValueError("an event needs 'at', 'after_turns' or 'when'")
        if self.at is not None and self.after_turns is not None:
            raise ValueError("'at' and 'after_turns' cannot both be given")
        if self.warnings and self.at is None:
            raise ValueError("'warnings' only go with 'at'")
        return self

    @property
    def minute(self) -> int | None:
        """Minutes since midnight of day 1 at which a timed event happens."""
        return None if self.at is None else clock_minutes(self.at, self.day)


def clock_minutes(at: str, day: int = 1) -> int:
    """`"23:30"` on `day` as minutes since midnight of day 1."""
    hours, minutes = at.split(":")
    return (day - 1) * 24 * 60 + int(hours) * 60 + int(minutes)


class Quest(Strict):
    title: str
    description: str
    objectives: Annotated[list[Condition], Field(min_length=1)]
    completion: str
    hints: list[Lines] = []
    """Per objective, hints from gentle to direct; a hint with `when` is given only while
    its conditions hold (it may quote what the player has heard only once they have)."""

    @model_validator(mode="after")
    def _one_hint_list_per_objective(self) -> Quest:
        if self.hints and len(self.hints) != len(self.objectives):
            raise ValueError(
                f"'hints' needs one list per objective ({len(self.objectives)}), "
                f"not {len(self.hints)}"
            )
        return self


EndingKind = Literal["victory", "bittersweet", "failure"]


class Ending(Strict):
    title: str
    text: Lines
    when: Annotated[list[Condition], Field(min_length=1)]
    kind: EndingKind = "victory"

    @model_validator(mode="after")
    def _failure_is_named(self) -> Ending:
        if self.kind == "failure" and not any(c.test == "event" for c in self.when):
            raise ValueError(
                "a failure ending must name its failure: give 'when' an event condition "
                "(a deadline passed, a turning point)"
            )
        return self


UNTIL = re.compile(r"\{until:([a-z0-9_-]+)\}")
"""A countdown in a format-2 description: the time left until that event."""


def countdowns(text: str) -> list[str]:
    """The event ids a description counts down to."""
    return UNTIL.findall(text)


def time_left(event: Event, clock: int) -> int:
    """Minutes from `clock` until a timed event's time (0 once it has come; a timed event
    never happens before its time, so this is 0 once it has happened too)."""
    minute = event.minute
    return 0 if minute is None else max(0, minute - clock)


def hours(minutes: int) -> str:
    """Minutes as `H:MM`; the hours may run past a day (`61:14`)."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def until(text: str, events: Mapping[str, Event], clock: int | None) -> str:
    """`text` with each `{until:EVENT}` naming one of `events` shown as the time left at
    `clock` (as written when there is no clock); anything else in braces stays as written."""
    if clock is None:
        return text

    now = clock

    def shown(found: re.Match[str]) -> str:
        event = events.get(found.group(1))
        return found.group(0) if event is None else hours(time_left(event, now))

    return UNTIL.sub(shown, text)
