"""What the player can do right now, as a model is offered it when the game could not
place a line: the verbs whose every slot can be filled here, and the things, people,
ways and topics those slots may name.

Pure, from the state alone. The model's choice is held to it (`chosen`), and then to the
rules, which play it as they would the command typed: the model translates, never decides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textrealms.engine import scope
from textrealms.engine.command import Command
from textrealms.engine.interpret.reading import Object, Reader
from textrealms.engine.interpret.scene import Scene
from textrealms.engine.scope import Thing
from textrealms.engine.verbs.registry import VERBS
from textrealms.engine.verbs.verb import Kind, Narrated, Verb
from textrealms.llm.schemas import NONE, Interpretation
from textrealms.llm.tasks import Interpret
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

PLACEHOLDERS = {
    Kind.DIRECTION: "WAY",
    Kind.IN_REACH: "THING",
    Kind.CARRIED: "CARRIED",
    Kind.PERSON: "PERSON",
    Kind.TOPIC: "TOPIC",
}
"""How a verb's usage shows each kind of slot (a free-text slot's verb is never offered:
the model would be putting words in the player's mouth)."""


def _offered(verb: Verb) -> bool:
    """A verb a line may be read as: one of the story's deeds, not an answer about the game
    itself, nor a session's command, nor one that says the model's words."""
    return (
        verb.help is not None
        and not verb.session
        and verb.narrated is not Narrated.NEVER
        and all(slot.kind in PLACEHOLDERS for slot in verb.syntax.slots)
    )


OFFERED = tuple(verb for verb in VERBS if _offered(verb))


def usage(verb: Verb) -> str:
    """How `verb` is used, for the model: "give CARRIED to PERSON", "go WAY"."""
    slots = verb.syntax.slots
    head = verb.phrases[0]
    if len(slots) > 1 and head.endswith(f" {slots[1].opened_by[0]}"):  # "take from"
        head = head.rsplit(" ", 1)[0]
    parts = [head, *(PLACEHOLDERS[s.kind] for s in slots[:1])]
    parts += [f"{s.opened_by[0]} {PLACEHOLDERS[s.kind]}" for s in slots[1:2]]
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Possible:
    """The actions possible at one moment of a game."""

    verbs: tuple[Verb, ...]
    carried: tuple[Thing, ...]
    here: tuple[Thing, ...]
    people: tuple[Thing, ...]
    ways: tuple[tuple[str, str], ...]
    """Each exit: its direction, and the name of the place it leads to."""
    topics: tuple[str, ...]

    @property
    def things(self) -> tuple[Thing, ...]:
        return self.carried + self.here + self.people

    def task(self, state: GameState, said: str) -> Interpret:
        """The model's question: which of these actions `said` means."""
        where = [("carried", self.carried), ("here", self.here), ("person", self.people)]
        return Interpret(
            turn=state.turn,
            said=said,
            location=state.location,
            verbs=tuple((v.name, usage(v), v.phrases) for v in self.verbs),
            things=tuple((t.id, t.name, place) for place, found in where for t in found),
            ways=self.ways,
            topics=self.topics,
        )

    def fills(self, kind: Kind, value: str) -> Object | None:
        """What `value` names in a slot of `kind`, if it is one of the choices for it."""
        if kind is Kind.DIRECTION:
            return value if any(way == value for way, _ in self.ways) else None
        among = {Kind.CARRIED: self.carried, Kind.PERSON: self.people}.get(kind, self.things)
        found = next((t for t in among if t.id == value), None)
        if found is None and kind is Kind.TOPIC and value in self.topics:
            return value
        return found


def possible(pack: WorldPack, state: GameState) -> Possible:
    """What can be done in `state`: the verbs whose every slot has something to name."""
    carried, here = scope.carried(pack, state), scope.in_room(pack, state)
    people = scope.people(pack, state)
    exits = pack.locations[state.location].exits
    ways = tuple((way, pack.locations[e.to].name) for way, e in exits.items())
    topics = [n.name for n in pack.npcs.values()] + [t.name for t in carried + here]
    topics += [p.name for p in pack.locations.values()] + [f.name for f in pack.factions.values()]
    topics += [q.title for q in pack.quests.values()]
    topics += [key for person in people for key in pack.npcs[person.id].topics]
    filled = {
        Kind.DIRECTION: bool(ways),
        Kind.IN_REACH: bool(carried or here or people),
        Kind.CARRIED: bool(carried),
        Kind.PERSON: bool(people),
        Kind.TOPIC: True,
    }
    verbs = tuple(v for v in OFFERED if all(filled[s.kind] for s in v.syntax.slots))
    return Possible(
        verbs, tuple(carried), tuple(here), tuple(people), ways, tuple(dict.fromkeys(topics))
    )


def chosen(
    pack: WorldPack, state: GameState, offered: Possible, answer: Interpretation
) -> Command | None:
    """The command a model's answer names, written out as the parser places it; None when
    it names no action, or one not offered (a verb, a thing or a way not among the
    choices, a slot left empty or one the verb does not have)."""
    verb = next((v for v in offered.verbs if v.name == answer.verb), None)
    if answer.verb == NONE or verb is None:
        return None
    slots = verb.syntax.slots
    given = [answer.target, answer.second]
    if any(given[len(slots) :]) or not all(given[: len(slots)]):
        return None
    objects = [offered.fills(slot.kind, value) for slot, value in zip(slots, given, strict=False)]
    if any(o is None for o in objects):
        return None
    command = Reader(Scene(pack, state)).command(verb.name, *objects)
    return None if command is None else replace(command, understood=None)
