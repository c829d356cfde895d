"""Checks that need the whole pack: references between sections, flags, placeholders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from textrealms.world import flags, schema
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
}


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
    def __init__(self, raw: RawPack, known: dict[str, set[str]]) -> None:
        self.raw = raw
        self.known = known
        self.problems: list[Problem] = []

    def add(self, section: str, entry: str | None, key: str, message: str) -> None:
        self.problems.append(Problem(self.raw.file_of(section, entry), key, message))

    def ref(self, section: str, entry: str | None, key: str, value: str, target: str) -> bool:
        if value in self.known[target]:
            return True
        self.add(
            section,
            entry,
            key,
            f"unknown {_KIND[target]} '{value}'" + suggest(value, self.known[target]),
        )
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
        value = getattr(cond, test)
        targets = {"at": "locations", "has": "items", "quest_done": "quests", "disposition": "npcs"}
        if test in targets:
            self.ref(section, entry, f"{key}.{test}", value, targets[test])
        elif test == "phase" and cond.conflict is not None:
            self.ref(section, entry, f"{key}.conflict", cond.conflict, "conflicts")
        elif test in ("flag", "not_flag"):
            self.flag(section, entry, f"{key}.{test}", value, settable)


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
    c = _Checker(raw, known)
    world: schema.WorldInfo | None = singles["world"]
    start: schema.Start | None = singles["start"]
    locations: Mapping[str, schema.Location] = sections["locations"]
    items: Mapping[str, schema.Item] = sections["items"]
    npcs: Mapping[str, schema.Npc] = sections["npcs"]

    settable = auto_flags(known["locations"], npcs, items)
    settable |= {item.use.sets_flag for item in items.values() if item.use and item.use.sets_flag}
    if start is not None:
        settable |= set(start.flags)

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

    for loc_id, loc in locations.items():
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
        if item_model.use and item_model.use.target is not None:
            target = item_model.use.target
            if target not in known["items"] and target not in known["npcs"]:
                c.add(
                    "items",
                    item_id,
                    f"items.{item_id}.use.target",
                    f"unknown item or NPC '{target}'"
                    + suggest(target, known["items"] | known["npcs"]),
                )

    for npc_id, npc in npcs.items():
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
        for npc_id in conflict.stakeholders:
            c.ref(
                "conflicts",
                conflict_id,
                f"conflicts.{conflict_id}.stakeholders.{npc_id}",
                npc_id,
                "npcs",
            )

    for quest_id, quest in sections["quests"].items():
        for i, cond in enumerate(quest.objectives):
            c.condition("quests", quest_id, f"quests.{quest_id}.objectives[{i}]", cond, settable)
    for ending_id, ending in sections["endings"].items():
        for i, cond in enumerate(ending.when):
            c.condition("endings", ending_id, f"endings.{ending_id}.when[{i}]", cond, settable)

    for path, text in _template_strings(raw.data.get("templates", {})):
        problem = template_problem(text)
        if problem is not None:
            c.add("templates", path.split(".")[0], f"templates.{path}", problem)
    return c.problems
