"""What a parsed command does, in the world's ids: the verb, and what each of its slots
names here. A command whose slots name nothing is one the parser could not place.

Two commands are the same action when their words differ but they name the same verb and
the same things ("take the jug" and "get jug of ember ale"), which is how the corpus
judges what the interpreter read.
"""

from __future__ import annotations

from dataclasses import dataclass

from textrealms.engine.command import Command
from textrealms.engine.interpret import places, topics
from textrealms.engine.interpret.scene import Scene
from textrealms.engine.scope import resolve, words
from textrealms.engine.turn import PRONOUNS
from textrealms.engine.verbs import names
from textrealms.engine.verbs.registry import BY_NAME
from textrealms.engine.verbs.verb import Kind, Slot, own_line

ALL = frozenset({"all", "everything"})
UNSURE = "?"
"""A slot naming several things equally: the rules will ask which."""


@dataclass(frozen=True, slots=True)
class Action:
    verb: str
    objects: tuple[str, ...] = ()
    """Per slot: an id, a direction, a topic's identity, free text; "" when left empty."""


def action(scene: Scene, command: Command) -> Action | None:
    """The action `command` stands for here, or None if a slot names nothing here (or
    nobody, where the rules would have to ask whom and cannot), or words are left over
    that the verb does not read ("look closely at the knot")."""
    verb = BY_NAME.get(command.verb)
    if verb is None or command.verb == names.UNKNOWN or not own_line(verb, command):
        return None
    slots = verb.syntax.slots
    if not slots:
        return None if command.noun else Action(verb.name)
    first = _first(scene, command, slots[0])
    if first is None:
        if command.verb == "ask" and command.second is None:
            return _ask_of_the_one_here(scene, command)
        return None
    if len(slots) == 1:
        return Action(verb.name, (first,))
    second = _phrase(scene, slots[1], command.second, first)
    return None if second is None else Action(verb.name, (first, second))


def _first(scene: Scene, command: Command, slot: Slot) -> str | None:
    if slot.kind is Kind.DIRECTION:
        if command.direction is not None:
            return command.direction
        found = places.named_way(scene, words(command.noun or ""))
        return found[0] if found else None
    if slot.kind is Kind.TEXT:
        return command.text or ""
    return _phrase(scene, slot, command.noun, None)


def _phrase(scene: Scene, slot: Slot, phrase: str | None, first: str | None) -> str | None:
    """What one slot's words name: an id, "" for none, `UNSURE` for a tie."""
    if slot.kind is Kind.TOPIC:
        if phrase is None:
            return ""
        return topics.identity(scene.pack, first, phrase)
    candidates = scene.candidates(slot.kind)
    if phrase is None:
        if slot.kind is Kind.PERSON:
            return candidates[0].id if len(candidates) == 1 else None
        return ""
    said = words(phrase)
    if slot.kind is not Kind.PERSON and (phrase in ALL or scene.is_place(said)):
        return phrase if phrase in ALL else ""
    if phrase in PRONOUNS:  # as the rules read one: the thing last spoken of, if here
        last = scene.state.context.last_noun
        return last if any(t.id == last for t in candidates) else None
    found = resolve(scene.pack, phrase, candidates)
    if not found:
        return None
    return found[0].id if len(found) == 1 else UNSURE


def _ask_of_the_one_here(scene: Scene, command: Command) -> Action | None:
    """`ask witch`: a topic asked of the only person here."""
    if len(scene.people) != 1 or command.noun is None:
        return None
    npc = scene.people[0].id
    topic = topics.identity(scene.pack, npc, command.noun)
    return None if topic is None else Action("ask", (npc, topic))
