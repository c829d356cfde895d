"""Which background jobs a turn needs: decided from the command and what it changed.

Planning is cheap and pure, so it runs on the hot path; the jobs themselves run in the
background (see `textrealms.engine.gm`).
"""

from __future__ import annotations

from dataclasses import dataclass

from textrealms.engine.command import Command
from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.rules import scripted
from textrealms.engine.simulation.lines import gestures
from textrealms.engine.simulation.social import Deed
from textrealms.engine.verbs import names
from textrealms.engine.verbs.movement import revisiting
from textrealms.engine.verbs.registry import BY_NAME
from textrealms.engine.verbs.verb import Narrated
from textrealms.llm.tasks import Describe, Narrate
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState
from textrealms.world.story import countdowns


def _changed(before: GameState, after: GameState) -> bool:
    """Whether a command changed the world, not just the clock: a failed attempt is not
    retold ("There is no Mira here." needs no richer prose)."""
    return (
        after.location != before.location
        or after.items != before.items
        or after.flags != before.flags
        or after.npcs != before.npcs
        or after.conflicts != before.conflicts
        or after.reputation != before.reputation
    )


@dataclass(frozen=True, slots=True)
class NarrationJob:
    """Refine immediate entry `index`, whose template text is `template`."""

    index: int
    task: Describe | Narrate
    template: str


@dataclass(frozen=True, slots=True)
class ReactionJob:
    npc: str
    deed: str
    conflict: str
    target: str | None


@dataclass(frozen=True, slots=True)
class GossipJob:
    deed: Deed


@dataclass(frozen=True, slots=True)
class WorldJob:
    """Stakeholders act, the director paces, reputation is told."""

    judged: bool = True
    """Whether a model assesses the deed (see `Verb.judged`)."""


JobDef = NarrationJob | ReactionJob | GossipJob | WorldJob


def describe_task(
    pack: WorldPack, state: GameState, location: str, text: str, *, revisit: bool = False
) -> Describe:
    """The task that refines the room at `location` as shown by `text` (in short, for a
    `revisit`)."""
    place = pack.locations[location]
    return Describe(
        turn=state.turn,
        location=location,
        text=text,
        items=tuple(state.items_in(pack, location)),
        people=tuple(state.npcs_in(location)),
        clock=_clock(state, place.description, place.brief or ""),
        revisit=revisit,
    )


def _clock(state: GameState, *descriptions: str) -> int | None:
    """The clock, for a task whose descriptions count down to an event; else None."""
    return state.clock if any(countdowns(text) for text in descriptions) else None


def plan(
    pack: WorldPack, before: GameState, after: GameState, command: Command, entries: list[Entry]
) -> list[JobDef]:
    """The jobs for a turn that turned `before` into `after` and showed `entries`."""
    jobs: list[JobDef] = []
    narration = _narration(pack, before, after, command, entries)
    if narration is not None:
        jobs.append(narration)
    if after.clock == before.clock:
        return jobs
    deed = _deed(before, after, command)
    if deed.conflict is not None:
        scene = scripted(entries)  # the pack's scene tells how the one it was aimed at took it
        jobs += [
            ReactionJob(npc, deed.verb, deed.conflict, deed.npc)
            for npc in _reactors(pack, after, deed)
            if not (scene and npc == deed.npc)
        ]
    if pack.npcs:
        jobs.append(GossipJob(deed))
    jobs.append(WorldJob(judged=BY_NAME[command.verb].judged or deed.conflict is not None))
    return jobs


def _narration(
    pack: WorldPack, before: GameState, after: GameState, command: Command, entries: list[Entry]
) -> NarrationJob | None:
    narrated = BY_NAME[command.verb].narrated
    if narrated is Narrated.NEVER or not (narrated is Narrated.ALWAYS or _changed(before, after)):
        return None
    for index, entry in enumerate(entries):
        if entry.kind is EntryKind.ROOM:
            revisit = command.verb == names.GO and revisiting(before, after.location)
            room = describe_task(pack, after, after.location, entry.text, revisit=revisit)
            return NarrationJob(index, room, entry.text)
    if scripted(entries):  # retold, the deed would stack stock words on the pack's scene
        return None
    for index, entry in enumerate(entries):
        if entry.kind is EntryKind.NARRATION:
            subject = after.context.last_noun
            item = pack.items.get(subject or "")
            task = Narrate(
                turn=after.turn,
                text=entry.text,
                command=command.raw,
                verb=command.verb,
                location=before.location,
                subject=subject,
                clock=_clock(
                    after,
                    pack.locations[before.location].description,
                    item.description if item else "",
                ),
                gestures=gestures(pack, after, subject) if subject in pack.npcs else (),
            )
            return NarrationJob(index, task, entry.text)
    return None


def _deed(before: GameState, after: GameState, command: Command) -> Deed:
    """What the player did, as the world sees it: the conflict it moved, whom, what."""
    conflict = next(
        (cid for cid, flow in after.conflicts.items() if flow != before.conflicts[cid]), None
    )
    gift = next(
        (
            i
            for i, place in after.items.items()
            if place.startswith("npc:") and before.items.get(i) != place
        ),
        None,
    )
    aimed = (names.SUPPORT, names.OPPOSE, names.GIVE)
    npc = after.context.last_noun if command.verb in aimed else None
    if command.verb == names.GIVE and gift is None:
        return Deed("give-refused")
    return Deed(command.verb, conflict=conflict, npc=npc if npc in after.npcs else None, item=gift)


def _reactors(pack: WorldPack, state: GameState, deed: Deed) -> list[str]:
    """Stakeholders of the conflict who saw the choice, and the one it was aimed at."""
    assert deed.conflict is not None
    here = set(state.npcs_in(state.location))
    return [
        npc
        for npc in pack.conflicts[deed.conflict].stakeholders
        if (npc in here or npc == deed.npc) and state.npcs[npc].role is not None
    ]
