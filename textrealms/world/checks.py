"""Checks that need the whole pack: references between sections, flags, placeholders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from textrealms.world import flags, schema, story
from textrealms.world.kinds import Strict
from textrealms.world.problems import Problem, suggest
from textrealms.world.raw import RawPack
from textrealms.world.templates import template_problem

_KIND = {
    "locations": "location",
    "items": "item",
    "npcs": "NPC",
    "factions": "faction",
    "conflicts": "conflict",
    "quests": "quest",
    "endings": "ending",
    "events": "event",
}
NEEDS_FORMAT_2 = "needs format = 2 in [world]"
REACTION_POOLS = tuple(schema.Reactions.model_fields)
FORMAT2_TESTS = story.FORMAT2_TESTS
FORMAT2_FIELDS: dict[type[Strict], set[str]] = {
    schema.Start: {"time"},
    schema.Location: {"brief", "scenery"},
    schema.Item: {"on"},
    schema.Npc: {"pronouns", "body", "secrets", "gestures", "reactions", "on"},
    schema.Topic: {"aliases"},
    story.Conflict: {"wants", "met", "settle", "leaning", "drift_limit"},
    story.Quest: {"hints"},
    story.Ending: {"kind"},
    schema.Templates: {"hint_none", "topic_spent", "revisit", *schema.VERB_TEMPLATES},
}
"""Keys a format-1 pack may not set (lines are checked where they are used)."""


def auto_flags(
    locations: Iterable[str], npcs: Mapping[str, schema.Npc], items: Mapping[str, schema.Item]
) -> set[str]:
    """The flags play sets by itself (see docs/authoring.md)."""
    found = {flags.visited(loc) for loc in locations}
    for npc_id, npc in npcs.items():
        found |= {flags.talked(npc_id), flags.supported(npc_id), flags.opposed(npc_id)}
        found |= {flags.asked(npc_id, topic) for topic in npc.topics}
        found |= {flags.gave(item, npc_id) for item in npc.wants}
    found |= {flags.used(item_id) for item_id, item in items.items() if item.use}
    return found


class _Checker:
    def __init__(self, raw: RawPack, known: dict[str, set[str]], format_: int) -> None:
        self.raw = raw
        self.known = known
        self.format = format_
        self.problems: list[Problem] = []

    def add(self, section: str, entry: str | None, key: str, message: str) -> None:
        self.problems.append(Problem(self.raw.file_of(section, entry), key, message))

    def ref(self, section: str, entry: str | None, key: str, value: str, *targets: str) -> bool:
        """Whether `value` is an id of one of the `targets` sections; if not, a problem."""
        known = set().union(*(self.known[target] for target in targets))
        if value in known:
            return True
        kinds = " or ".join(_KIND[target] for target in targets)
        self.add(section, entry, key, f"unknown {kinds} '{value}'" + suggest(value, known))
        return False

    def flag(
        self, section: str, entry: str | None, key: str, value: str, settable: set[str]
    ) -> None:
        if value not in settable:
            self.add(
                section,
                entry,
                key,
                f"flag '{value}' is never set (start.flags, an item's use.sets_flag, "
                "or a flag play sets)" + suggest(value, settable),
            )

    def condition(
        self, section: str, entry: str, key: str, cond: schema.Condition, settable: set[str]
    ) -> None:
        test = cond.test
        if self.format == 1 and test in FORMAT2_TESTS:
            self.add(section, entry, f"{key}.{test}", NEEDS_FORMAT_2)
            return
        targets = {
            "at": "locations",
            "has": "items",
            "quest_done": "quests",
            "disposition": "npcs",
            "event": "events",
            "npc": "npcs",
        }
        if cond.not_ is not None:
            self.condition(section, entry, f"{key}.not", cond.not_, settable)
        elif test in targets:
            self.ref(section, entry, f"{key}.{test}", getattr(cond, test), targets[test])
            if test == "npc" and cond.in_ is not None:
                self.ref(section, entry, f"{key}.in", cond.in_, "locations")
        elif test == "phase" and cond.conflict is not None:
            self.ref(section, entry, f"{key}.conflict", cond.conflict, "conflicts")
        elif test in ("flag", "not_flag"):
            self.flag(section, entry, f"{key}.{test}", getattr(cond, test), settable)

    def conditions(
        self,
        section: str,
        entry: str,
        key: str,
        conds: Iterable[schema.Condition],
        settable: set[str],
    ) -> None:
        for i, cond in enumerate(conds):
            self.condition(section, entry, f"{key}[{i}]", cond, settable)

    def lines(
        self, section: str, entry: str, key: str, value: schema.Lines, settable: set[str]
    ) -> None:
        """Conditions of each line; in format 1, a key that is not one plain string."""
        if self.format == 1 and not story.plain(value):
            self.add(section, entry, key, NEEDS_FORMAT_2)
            return
        for i, line in enumerate(value):
            self.conditions(section, entry, f"{key}[{i}].when", line.when, settable)

    def countdowns(self, section: str, entry: str, key: str, text: str, timed: set[str]) -> None:
        """`{until:EVENT}` in a format-2 description names a timed event."""
        if self.format == 1:
            return
        for event in story.countdowns(text):
            if event not in timed:
                self.add(
                    section,
                    entry,
                    key,
                    f"'{{until:{event}}}': no event '{event}' with 'at'" + suggest(event, timed),
                )

    def person(self, npc_id: str, npc: schema.Npc, settable: set[str]) -> None:
        """A person's format-2 keys: lines and their conditions, reaction placeholders."""
        key = f"npcs.{npc_id}"
        self.format_2_keys("npcs", npc_id, key, npc)
        self.lines("npcs", npc_id, f"{key}.greeting", npc.greeting, settable)
        for name, topic in npc.topics.items():
            self.format_2_keys("npcs", npc_id, f"{key}.topics.{name}", topic)
            self.lines("npcs", npc_id, f"{key}.topics.{name}", topic.reply, settable)
        self.responses("npcs", npc_id, npc.on, settable)
        pools = {"gestures": npc.gestures}
        pools |= {f"reactions.{name}": getattr(npc.reactions, name) for name in REACTION_POOLS}
        for name, pool in pools.items():
            for i, line in enumerate(pool):
                where = f"{key}.{name}[{i}]"
                self.conditions("npcs", npc_id, f"{where}.when", line.when, settable)
                problem = template_problem(line.text)
                if problem is not None:
                    self.add("npcs", npc_id, where, problem)

    def responses(
        self, section: str, entry: str, on: Mapping[str, list[schema.Response]], settable: set[str]
    ) -> None:
        """What an item's or a person's `on` responses say, set, give and move (the verb
        names are the engine's to check)."""
        if self.format == 1:
            return
        for verb, responses in on.items():
            for i, response in enumerate(responses):
                key = f"{section}.{entry}.on.{verb}[{i}]"
                self.lines(section, entry, f"{key}.text", response.text, settable)
                self.conditions(section, entry, f"{key}.when", response.when, settable)
                if response.with_ is not None:
                    self.ref(section, entry, f"{key}.with", response.with_, "items", "npcs")
                for name in ("gives", "removes"):
                    for j, item in enumerate(getattr(response, name)):
                        self.ref(section, entry, f"{key}.{name}[{j}]", item, "items")
                self.outcome(section, entry, key, response, settable)

    def outcome(
        self, section: str, entry: str, key: str, outcome: story.Outcome, settable: set[str]
    ) -> None:
        """The flags an event or a response clears, the conflict it moves, whom it moves."""
        for i, flag in enumerate(outcome.clears_flags):
            self.flag(section, entry, f"{key}.clears_flags[{i}]", flag, settable)
        if outcome.conflict is not None:
            self.ref(section, entry, f"{key}.conflict", outcome.conflict, "conflicts")
        for npc, place in outcome.moves.items():
            if self.ref(section, entry, f"{key}.moves.{npc}", npc, "npcs"):
                self.ref(section, entry, f"{key}.moves.{npc}", place, "locations")

    def event(self, event_id: str, event: story.Event, settable: set[str]) -> None:
        key = f"events.{event_id}"
        if self.format == 1:
            self.add("events", event_id, key, NEEDS_FORMAT_2)
            return
        self.lines("events", event_id, f"{key}.text", event.text, settable)
        self.conditions("events", event_id, f"{key}.when", event.when, settable)
        self.outcome("events", event_id, key, event, settable)

    def format_2_keys(self, section: str, entry: str | None, key: str, model: Strict) -> None:
        """In a format-1 pack, every format-2 key the model was given is a problem."""
        if self.format != 1:
            return
        for name in sorted(model.model_fields_set & FORMAT2_FIELDS.get(type(model), set())):
            self.add(section, entry, f"{key}.{name}", NEEDS_FORMAT_2)


def _template_strings(data: object, path: str = "") -> list[tuple[str, str]]:
    """Every string in the raw `[templates]` table with its key path, valid table or not."""
    if isinstance(data, str):
        return [(path, data)]
    if isinstance(data, list):
        return [pair for i, v in enumerate(data) for pair in _template_strings(v, f"{path}[{i}]")]
    if isinstance(data, dict):
        return [
            pair
            for k, v in data.items()
            for pair in _template_strings(v, f"{path}.{k}" if path else str(k))
        ]
    return []


def cross_references(
    raw: RawPack,
    singles: Mapping[str, Any],
    sections: Mapping[str, Mapping[str, Any]],
    known: dict[str, set[str]],
) -> list[Problem]:
    """Every reference in the valid parts of the pack, checked against the ids it defines."""
    world: schema.WorldInfo | None = singles["world"]
    c = _Checker(raw, known, world.format if world is not None else 2)
    start: schema.Start | None = singles["start"]
    locations: Mapping[str, schema.Location] = sections["locations"]
    items: Mapping[str, schema.Item] = sections["items"]
    npcs: Mapping[str, schema.Npc] = sections["npcs"]
    events: Mapping[str, story.Event] = sections["events"]

    settable = auto_flags(known["locations"], npcs, items)
    settable |= {item.use.sets_flag for item in items.values() if item.use and item.use.sets_flag}
    settable |= {flag for event in events.values() for flag in event.sets_flags}
    owners: list[schema.Item | schema.Npc] = [*items.values(), *npcs.values()]
    settable |= {f for o in owners for rs in o.on.values() for r in rs for f in r.sets_flags}
    if start is not None:
        settable |= set(start.flags)
        c.format_2_keys("start", None, "start", start)

    folder_name = Path(raw.folder).resolve().name
    if world is not None and world.id != folder_name:
        c.add(
            "world",
            "id",
            "world.id",
            f"'{world.id}' must equal the pack's folder name '{folder_name}'",
        )

    placed: dict[str, str] = {}
    if start is not None:
        c.ref("start", "location", "start.location", start.location, "locations")
        for i, item in enumerate(start.inventory):
            if c.ref("start", "inventory", f"start.inventory[{i}]", item, "items"):
                placed.setdefault(item, "the start inventory")

    timed = {eid for eid, event in events.items() if event.at is not None}
    for loc_id, loc in locations.items():
        c.format_2_keys("locations", loc_id, f"locations.{loc_id}", loc)
        for key, text in (("description", loc.description), ("brief", loc.brief or "")):
            c.countdowns("locations", loc_id, f"locations.{loc_id}.{key}", text, timed)
        for noun, lines in loc.scenery.items():
            key = f"locations.{loc_id}.scenery.{noun}"
            if not noun.strip():
                c.add("locations", loc_id, key, "a scenery key names the thing it describes")
            c.lines("locations", loc_id, key, lines, settable)
        for direction, exit_ in loc.exits.items():
            key = f"locations.{loc_id}.exits.{direction}"
            c.ref(
                "locations",
                loc_id,
                f"{key}.to" if exit_.requires_flag or exit_.blocked else key,
                exit_.to,
                "locations",
            )
            if exit_.requires_flag is not None:
                c.flag("locations", loc_id, f"{key}.requires_flag", exit_.requires_flag, settable)
        for i, item in enumerate(loc.items):
            key = f"locations.{loc_id}.items[{i}]"
            if not c.ref("locations", loc_id, key, item, "items"):
                continue
            if item in placed:
                c.add(
                    "locations", loc_id, key, f"item '{item}' is already placed in {placed[item]}"
                )
            else:
                placed[item] = f"location '{loc_id}'"

    for item_id, item_model in items.items():
        c.format_2_keys("items", item_id, f"items.{item_id}", item_model)
        c.responses("items", item_id, item_model.on, settable)
        c.countdowns(
            "items", item_id, f"items.{item_id}.description", item_model.description, timed
        )
        if item_model.use and item_model.use.target is not None:
            target = item_model.use.target
            c.ref("items", item_id, f"items.{item_id}.use.target", target, "items", "npcs")

    for npc_id, npc in npcs.items():
        c.person(npc_id, npc, settable)
        c.ref("npcs", npc_id, f"npcs.{npc_id}.location", npc.location, "locations")
        if npc.faction is not None:
            c.ref("npcs", npc_id, f"npcs.{npc_id}.faction", npc.faction, "factions")
        for i, want in enumerate(npc.wants):
            c.ref("npcs", npc_id, f"npcs.{npc_id}.wants[{i}]", want, "items")

    for faction_id, faction in sections["factions"].items():
        for other in faction.relations:
            key = f"factions.{faction_id}.relations.{other}"
            if other == faction_id:
                c.add("factions", faction_id, key, "a faction has no relation to itself")
            else:
                c.ref("factions", faction_id, key, other, "factions")

    for conflict_id, conflict in sections["conflicts"].items():
        c.format_2_keys("conflicts", conflict_id, f"conflicts.{conflict_id}", conflict)
        for npc_id in conflict.stakeholders:
            key = f"conflicts.{conflict_id}.stakeholders.{npc_id}"
            c.ref("conflicts", conflict_id, key, npc_id, "npcs")
            met = conflict.met.get(npc_id, [])
            c.conditions("conflicts", conflict_id, f"{key}.met", met, settable)

    for quest_id, quest in sections["quests"].items():
        c.format_2_keys("quests", quest_id, f"quests.{quest_id}", quest)
        key = f"quests.{quest_id}.objectives"
        c.conditions("quests", quest_id, key, quest.objectives, settable)
        for i, pool in enumerate(quest.hints):
            for j, line in enumerate(pool):
                key = f"quests.{quest_id}.hints[{i}][{j}].when"
                c.conditions("quests", quest_id, key, line.when, settable)
    for ending_id, ending in sections["endings"].items():
        key = f"endings.{ending_id}"
        c.format_2_keys("endings", ending_id, key, ending)
        c.conditions("endings", ending_id, f"{key}.when", ending.when, settable)
        c.lines("endings", ending_id, f"{key}.text", ending.text, settable)
    for event_id, event in events.items():
        c.event(event_id, event, settable)
    if singles["templates"] is not None:
        c.format_2_keys("templates", None, "templates", singles["templates"])

    for path, text in _template_strings(raw.data.get("templates", {})):
        problem = template_problem(text)
        if problem is not None:
            c.add("templates", path.split(".")[0], f"templates.{path}", problem)
    return c.problems
