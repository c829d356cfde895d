"""Sentence patterns: how people say commands that a verb-first grammar cannot read.

"ask hobb what he knows about the witch", "whats maud know about tamsin", "tell hobb the
witch is innocent", "go to the tavern", "give hobb his daughter's locket", "put the suit
on", "take the ticket out of his shoe", "cut the door open with the torch", "take the book
and the locket". Each pattern reads the words it knows and leaves the rest to the verbs'
slots; the verbs and their synonyms are the registry's, so a pattern names a verb only by
its name, and one the registry lacks is simply not read.
"""

from __future__ import annotations

from collections.abc import Callable

from textrealms.engine.command import Command
from textrealms.engine.interpret import going, nouns, places, topics, walks
from textrealms.engine.interpret.reading import IDLE, Question, Reader, Reading
from textrealms.engine.interpret.spoken import (
    ASKING,
    GREET,
    QUESTIONS,
    THANKS,
    asked_of_someone,
    greeting,
)
from textrealms.engine.interpret.words import wordset
from textrealms.engine.parser import parse
from textrealms.engine.scope import Thing, resolve
from textrealms.engine.verbs import names
from textrealms.engine.verbs.registry import BY_NAME
from textrealms.engine.verbs.verb import Kind, Verb

Pattern = Callable[[Reader, list[str]], Reading | None]

EVERYONE = frozenset({"everyone", "everybody", "all", "them", "people", "folks", "crowd"})
_HAILED = EVERYONE | wordset("there again friend friends mate folks all")
"""Words a greeting may end with that name no one: "hello there"."""
MOVES = wordset(
    """go walk run head travel move climb enter board follow return come hurry step
    wander crawl descend ascend proceed cross"""
)
"""Verbs of going somewhere, read with the place they name."""
_SUBORDINATE = wordset("if unless because so while before after when once")
_PARTICLES = ("on", "off", "up", "down", "in", "out", "away", "back", "open")
_OUT_OF = (("out", "of"), ("from",), ("off",), ("out", "from"), ("from", "inside"))
_SIPS = wordset("swig sip drink gulp mouthful nip slug pull shot taste")
_POURING = wordset("pour")
_TOOLING = wordset("cut pry prise prize force lever break saw slice smash jimmy")
_PAST = frozenset({"past", "by", "around", "round"})
_SHOVING = wordset("push shove squeeze slip sneak barge elbow get edge")


def person(reader: Reader, verb: str, said: list[str]) -> tuple[Thing, list[str]] | Question | None:
    """The person the words after `verb` start with, and the words after them ("hobb",
    "what he knows"); a question if "him" could be several people here."""
    scene = reader.scene
    named = None
    for end in range(1, min(len(said), 4) + 1):
        found = resolve(scene.pack, " ".join(said[:end]), scene.people)
        if len(found) != 1 or (named is not None and found[0] != named[0]):
            break
        named = found[0], said[end:]
    if named is not None:
        return named
    found = nouns.find(scene, said[:1], scene.people)
    if len(found) == 1:
        return found[0], said[1:]
    return reader.which(verb, said[:1], found, said[1:]) if found else None


def conversation(reader: Reader, said: list[str]) -> Reading | None:
    """Asking and telling people things, and questions put to them."""
    head, rest = said[0], said[1:]
    if head == "ask" and rest:
        return _ask(reader, rest)
    if head == "tell" and rest:
        return _tell(reader, rest)
    if head in QUESTIONS or head in ASKING:
        return _question(reader, said)
    if head in THANKS:  # "thank auntie sol", "thanks, deacon"
        return _greet(reader, [w for w in rest if w != "you"])
    after = greeting(said)
    return None if after is None else _greet(reader, after)


def _ask(reader: Reader, rest: list[str]) -> Reading | None:
    found = person(reader, "ask", rest)
    if isinstance(found, Question):
        return Reading(question=found)
    if found is None:
        if nouns.strangers(reader.scene, _addressed(rest)):
            return None  # someone not here: the rules say so
        npc = reader.scene.people[0] if len(reader.scene.people) == 1 else None
        after = rest
    else:
        npc, after = found
    if npc is None:
        return None
    topic = topics.mentioned(reader.scene.pack, npc.id, after)
    return None if topic is None else reader.reading("ask", npc, topic)


def _addressed(rest: list[str]) -> list[str]:
    """The words that name whom a question is put to: "the doc" of "the doc about the
    stim"."""
    for i, word in enumerate(rest):
        if word == "about" or word in QUESTIONS:
            return rest[:i]
    return rest[:2]


def _tell(reader: Reader, rest: list[str]) -> Reading | None:
    if rest[0] in ("me", "us"):  # "tell me about tamsin, maud": asking
        return _asked_of_someone(reader, rest[1:])
    if rest[0] in EVERYONE and rest[1:2] == ["to"]:
        told = parse(" ".join(rest[2:]))
        verb = BY_NAME.get(told.verb)
        if verb is not None and not verb.syntax.slots and told.verb != names.UNKNOWN:
            return reader.reading(told.verb)
        return None
    found = person(reader, "tell", rest)
    if not isinstance(found, tuple):
        return None if found is None else Reading(question=found)
    npc, after = found
    topic = topics.mentioned(reader.scene.pack, npc.id, after)
    return None if topic is None else reader.reading("tell", npc, topic)


def _asked_of_someone(reader: Reader, said: list[str]) -> Reading | None:
    """A topic asked of the person named anywhere in the words, or of the one here."""
    scene = reader.scene
    named = {t for w in said for t in resolve(scene.pack, w, scene.people)}
    people = list(named) if named else scene.people
    if len(people) != 1:
        return None
    rest = [w for w in said if not resolve(scene.pack, w, people)]
    topic = topics.mentioned(scene.pack, people[0].id, rest)
    return None if topic is None else reader.reading("ask", people[0], topic)


def _question(reader: Reader, said: list[str]) -> Reading | None:
    """ "whats maud know about tamsin", "who is this guy", "what happened to me doc"."""
    scene = reader.scene
    if said[:2] in (["who", "is"], ["who", "are"]) and len(said) > 2:
        return reader.slots(names.EXAMINE, said[2:], None)
    for start in range(1, len(said)):
        for end in range(min(len(said), start + 3), start, -1):
            found = nouns.find(scene, said[start:end], scene.people)
            if len(found) == 1 and _named_outright(said[start:end]):
                after = said[end:] if end < len(said) else said[1:start]  # "..., hobb?"
                topic = topics.mentioned(scene.pack, found[0].id, after)
                if topic is not None:
                    return reader.reading("ask", found[0], topic)
                if start == len(said) - 1 or end == len(said):
                    return reader.reading("talk", found[0])
    return asked_of_someone(reader, said)


def _named_outright(said: list[str]) -> bool:
    """Whether words name a person by name, not by "he" or "it"."""
    return not any(w in nouns.IT or w in ("he", "she", "him", "her", "me", "you") for w in said)


def _greet(reader: Reader, rest: list[str]) -> Reading | None:
    verb = GREET
    people = reader.scene.people
    rest = [w for w in rest if w not in _HAILED]
    if rest:
        return reader.slots(verb, rest, None)
    if len(people) == 1:
        return reader.reading(verb, people[0])
    if people:
        return Reading(question=reader.which(verb, ["them"], people))
    return IDLE  # "hi there, where am i?" with nobody about: the rest is what it asks


def movement(reader: Reader, said: list[str]) -> Reading | None:
    """Going somewhere by what lies that way: "go to the tavern", "climb the ladder"."""
    said = going.where_to(reader.scene, said) or said
    if said[0] in places.WAY_WORDS:  # "east into the union hall", "up to command"
        said = ["go", *said]
    head = said[0]
    if head not in MOVES and parse(" ".join(said)).verb != names.GO:
        return None
    rest = [w for w in said[1:] if w != "back"]
    if head == "climb" and "climb" in BY_NAME:
        climbed = [w for w in rest if w not in ("up", "down", "on", "onto", "over")]
        thing = nouns.find(reader.scene, climbed, reader.scene.reachable) if climbed else []
        if len(thing) == 1:
            return reader.reading("climb", thing[0])
    place = places.place_words(rest)
    if place and reader.scene.is_place(place):  # "go back to the lab annex", standing in it
        return Reading(question=Question(f"You are in {reader.scene.location.name} already."))
    ways = places.ways(reader.scene, rest)
    if len(ways) > 1:
        return Reading(question=Question(f"Which way: {' or '.join(ways)}?"))
    if ways:
        return reader.reading(names.GO, ways[0])
    return walks.walk(reader.scene, place)


def through(reader: Reader, said: list[str]) -> Reading | None:
    """ "open the iron door" where the door is only the way west."""
    if said[0] not in ("open", "use", "enter") or len(said) < 2:
        return None
    if nouns.find(reader.scene, said[1:], reader.scene.reachable):
        return None
    ways = places.ways(reader.scene, said[1:])
    return reader.reading(names.GO, ways[0]) if len(ways) == 1 else None


def double_object(reader: Reader, said: list[str]) -> Reading | None:
    """ "give hobb his daughter's locket": a verb of giving, the person, then the thing."""
    found = _given(reader, said)
    if found is None:
        return None
    verb, someone, rest = found
    things = reader.things(rest, verb.syntax.slots[0].kind)
    if len(things) == 1:
        return reader.reading(verb.name, things[0], someone)
    if things:
        return Reading(question=reader.which(verb.name, rest, things))
    return None


def given_plainly(reader: Reader, said: list[str]) -> list[str] | None:
    """ "give tesk the painkillers" as the parser reads it, "give the painkillers to tesk",
    so that what the rules say of it names the painkillers."""
    found = _given(reader, said)
    if found is None:
        return None
    verb, someone, rest = found
    return [*verb.phrases[0].split(), *rest, verb.syntax.slots[1].opened_by[0], someone.name]


def _given(reader: Reader, said: list[str]) -> tuple[Verb, Thing, list[str]] | None:
    """A verb of giving, the person here it names first, and the words after them."""
    said = main_clause(said)
    verb = BY_NAME.get(parse(" ".join(said)).verb)
    if verb is None or len(verb.syntax.slots) != 2 or verb.syntax.slots[1].kind is not Kind.PERSON:
        return None
    rest = said[len(_phrase_of(verb.phrases, said)) :]
    found = person(reader, verb.name, rest) if len(rest) > 1 else None
    if not isinstance(found, tuple) or not found[1]:
        return None
    return verb, found[0], found[1]


def _phrase_of(phrases: tuple[str, ...], said: list[str]) -> list[str]:
    """The verb's phrase that `said` starts with, longest first."""
    for phrase in sorted(phrases, key=len, reverse=True):
        words = phrase.split()
        if said[: len(words)] == words:
            return words
    return said[:1]


def main_clause(said: list[str]) -> list[str]:
    """The words before a clause of condition or reason: "offer pell the writ if he talks"."""
    for i, word in enumerate(said[1:], start=1):
        if word in _SUBORDINATE:
            return said[:i]
    return said


def particles(reader: Reader, said: list[str]) -> Reading | None:
    """A verb's particle at the end: "put the suit on", "pick the key up"."""
    if len(said) < 3 or said[-1] not in _PARTICLES:
        return None
    moved = [said[0], said[-1], *said[1:-1]]
    if parse(" ".join(moved[:2])).verb == names.UNKNOWN:
        return None
    command = parse(" ".join(moved))
    return reader.slots(command.verb, _words(command.noun), _words(command.second))


def taken_from(reader: Reader, said: list[str]) -> Reading | None:
    """ "take the ticket out of his shoe": the thing, when it is here to take."""
    if parse(said[0]).verb != "take":
        return None
    for cut in _OUT_OF:
        for i in range(1, len(said)):
            if tuple(said[i : i + len(cut)]) == cut:
                things = nouns.find(reader.scene, said[1:i], reader.scene.reachable)
                if len(things) == 1 and things[0].kind == "item":
                    return reader.reading("take", things[0])
    return None


def sipped(reader: Reader, said: list[str]) -> Reading | None:
    """ "take a swig from my flask" is drinking from it; "offer finch a drink from my
    flask", "pour finch a drink from the flask", giving it to him."""
    for i, word in enumerate(said):
        if word in _SIPS and i + 1 < len(said) and said[i + 1] in ("from", "of", "out"):
            tail = [w for w in said[i + 2 :] if w != "of"]
            if i == 0:
                return None
            poured = said[0] in _POURING or parse(said[0]).verb == "give"
            someone = person(reader, "give", said[1:i]) if poured and i > 1 else None
            if isinstance(someone, tuple):
                things = reader.things(tail, Kind.CARRIED)
                return reader.reading("give", things[0], someone[0]) if len(things) == 1 else None
            return reader.slots("drink", tail, None)
    return None


def tooled(reader: Reader, said: list[str]) -> Reading | None:
    """ "cut the door open with the torch" is using the torch on the door."""
    if said[0] not in _TOOLING:
        return None
    for joint in ("with", "using"):
        if joint in said:
            i = said.index(joint)
            target = [w for w in said[1:i] if w != "open"]
            tool = nouns.find(reader.scene, said[i + 1 :], reader.scene.reachable)
            thing = nouns.find(reader.scene, target, reader.scene.reachable)
            if len(tool) == 1 and len(thing) == 1:
                return reader.reading("use", tool[0], thing[0])
    return None


def shoving(reader: Reader, said: list[str]) -> Reading | None:
    """ "push past her" asks for nothing by itself: what follows it does."""
    if said[0] in _SHOVING and len(said) > 1 and said[1] in _PAST:
        return IDLE
    return None


def several(reader: Reader, said: list[str]) -> Reading | None:
    """ "take the book and the locket", "take the card, the ticket": one verb, several
    things, a command each."""
    command = parse(" ".join(said))
    verb = BY_NAME.get(command.verb)
    if verb is None or len(verb.syntax.slots) != 1 or command.noun is None:
        return None
    if verb.syntax.slots[0].kind not in _LISTED:  # "go down the ladder" is one way
        return None
    found: list[Command] = []
    listed = _listed(said[len(_phrase_of(verb.phrases, said)) :])
    if len(listed) < 2:
        return None
    for part in listed:
        reading = reader.slots(verb.name, part, None)
        if reading is None or not reading.commands:
            return None
        found += reading.commands
    return Reading(tuple(found))


_LISTED = frozenset({Kind.IN_REACH, Kind.CARRIED})
"""Slots that may name several things at once."""
_JOINING = wordset("of on in at from with to under behind near by for into onto")


def _listed(said: list[str]) -> list[list[str]]:
    """The things of a list: "card the ticket and the pin" (from "the card, the ticket
    and the pin") is the card, the ticket and the pin."""
    found: list[list[str]] = [[]]
    for word in said:
        joined = found[-1] and found[-1][-1] in _JOINING  # "the picture of the man"
        if word == "and" or (word in ("the", "a", "an") and found[-1] and not joined):
            found.append([])
        if word != "and":
            found[-1].append(word)
    return [part for part in found if part]


def _words(phrase: str | None) -> list[str] | None:
    return phrase.split() if phrase else None


PATTERNS: tuple[Pattern, ...] = (
    conversation,
    shoving,
    particles,
    taken_from,
    sipped,
    tooled,
    several,
    double_object,
    movement,
    through,
)
"""Tried in order; the first to read the words decides."""
