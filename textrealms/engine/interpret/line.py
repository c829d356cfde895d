"""A line as the player typed it, played: the parser first, then the interpreter.

The parser answers at once whenever it can place the line. Otherwise the line is read
clause by clause ("take key, then go north": two turns, stopping at the first command
that fails), each clause by the filler it can lose, the sentence patterns it fits, a typo
in its verb, the nouns its words most likely mean. What cannot be placed is answered
without taking a turn: a question when it could mean several things, else what the rules
say to it (the thing is not here, the verb is not known). All of it is pure and quick: it
runs on the hot path, on the game's state alone.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from textrealms.engine import rules
from textrealms.engine.command import Command
from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.interpret import nouns, patterns, spoken
from textrealms.engine.interpret.action import action
from textrealms.engine.interpret.places import WAY_WORDS
from textrealms.engine.interpret.reading import IDLE, Question, Reader, Reading
from textrealms.engine.interpret.scene import Scene
from textrealms.engine.interpret.words import BREAKS, DETERMINERS, clauses, plain, slip
from textrealms.engine.parser import parse
from textrealms.engine.rules import TurnResult
from textrealms.engine.scope import Thing, named, words
from textrealms.engine.verbs import names
from textrealms.engine.verbs.registry import BY_NAME, VERBS
from textrealms.engine.verbs.verb import Kind, own_line
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

_VERB_WORDS = sorted({p.split()[0] for v in VERBS for p in v.phrases if len(p.split()[0]) > 2})
"""The first words of the registry's verb phrases: what a mistyped verb is read as."""
_STARTERS = patterns.MOVES | {"ask", "tell", *spoken.QUESTIONS}
_TO = frozenset({"to", "at", "with"})
LONG = 6
"""A word this long may be suggested for a word one letter different; a shorter one may
be another word entirely ("sneak" is not "speak")."""


def play_line(pack: WorldPack, state: GameState, command: Command) -> TurnResult:
    """Play the line `command` was parsed from: its commands each as a turn, or an answer
    that takes none. The parse is the caller's, done once (a `Session` reads it first)."""
    line = command.raw
    if _rules_own(pack, state, command) or _ended(state, command):
        return rules.play(pack, state, command)
    parts = clauses(line, starts)
    scene = Scene(pack, state)
    if len(parts) == 1 and action(scene, command) is not None and not _listing(scene, parts[0]):
        return rules.play(pack, state, command)
    played: list[TurnResult] = []
    parts, heard = _addressed(Scene(pack, state), parts)
    for i, part in enumerate(parts or [[]]):
        reading = heard.get(i) or read(Scene(pack, state), part)
        if reading.question is not None:
            played.append(_asked(pack, state, reading.question, command))
            break
        if reading.idle:
            continue
        if not reading.commands:
            played.append(_unplaced(pack, state, part))
            break
        for step in reading.commands:
            result = rules.play(pack, state, step)
            played.append(result)
            state = result.state
            if not result.done or (reading.walk and _interrupted(result)):
                return _together(played)
    if not played:
        played.append(_unplaced(pack, state, parts[0] if parts else []))
    return _together(played)


def _addressed(scene: Scene, parts: list[list[str]]) -> tuple[list[list[str]], dict[int, Reading]]:
    """A person's name alone as the first clause or the last ("moth, what happened to the
    tug?", "how is your shoulder, chief?"): the clauses without it, and the clause beside
    it read as said to them, by its place; what cannot be put to them is read as typed."""
    if len(parts) < 2:
        return parts, {}
    for name, said in ((0, 1), (len(parts) - 1, len(parts) - 2)):
        npc = spoken.addressee(scene, plain(parts[name]))
        reading = npc and spoken.put_to(Reader(scene), npc, plain(parts[said]))
        if reading:
            kept = parts[:name] + parts[name + 1 :]
            return kept, {min(said, name): reading}
    return parts, {}


def _ended(state: GameState, command: Command) -> bool:
    """Whether the story has ended and the line is a command the rules refuse after it:
    no reading of it can name someone the ending took away ("talk to quill")."""
    return state.ending is not None and not BY_NAME[command.verb].after_ending


def _rules_own(pack: WorldPack, state: GameState, command: Command) -> bool:
    """Lines the rules read as they are: nothing (no verb), a verb that reads its words as
    typed (`wait until evening`, `say ...`), and the answer to a question the game asked."""
    verb = BY_NAME.get(command.verb)
    if verb is None or (verb.syntax.as_typed and own_line(verb, command)):
        return True
    pending = state.context.pending
    return (
        pending is not None and rules.answer_to(pack, pending.candidates, command.raw) is not None
    )


def starts(said: list[str]) -> bool:
    """Whether words start a command of their own: after "and" or a comma, they are one."""
    if not said:
        return False
    if said[0] in _STARTERS or said[0] in WAY_WORDS:
        return True
    return parse(" ".join(said)).verb != names.UNKNOWN or bool(_retyped(said[0]))


def read(scene: Scene, clause: list[str], *, typed: bool = True) -> Reading:
    """What one clause asks for; `typed`, the clause is the player's own words, and one
    the parser places as they are needs no word on what it understood."""
    said = plain(clause)
    if not said:
        return IDLE
    if _not_its_own(clause):
        return Reading()
    reader = Reader(scene)
    listed = _listing(scene, said)
    if listed is not None:
        return listed
    command = parse(" ".join(said))
    done = action(scene, command)
    if done is not None and typed and said == [w for w in clause if w not in BREAKS]:
        return Reading((command,))  # as typed: nothing to say it understood
    if done is not None:
        return Reading((_restated(reader, command, done.objects),))
    for pattern in patterns.PATTERNS:
        found = pattern(reader, said)
        if found is not None:
            return found
    if command.verb != names.UNKNOWN:
        slots = reader.slots(command.verb, _words(command.noun), _words(command.second))
        if slots is not None:
            return slots
        verb = BY_NAME[command.verb]
        if not verb.syntax.slots and not verb.whole_line:
            return Reading((parse(verb.phrases[0]),))  # words it does not read: "wait for hobb"
    return _mistyped(scene, said)


def _not_its_own(clause: list[str]) -> bool:
    """Whether a clause as typed opens with a verb that needs the line to be its own, and
    is not: "save the girl" is no save, "restart the conversation" no restart."""
    typed = parse(" ".join(clause))
    verb = BY_NAME.get(typed.verb)
    return verb is not None and not own_line(verb, typed)


def _listing(scene: Scene, said: list[str]) -> Reading | None:
    """Several things for one verb ("take the card, the ticket and the pin"), read before
    the parser reads the list as the name of one thing."""
    listed = patterns.several(Reader(scene), plain(said))
    return listed if listed is not None and len(listed.commands) > 1 else None


def _mistyped(scene: Scene, said: list[str]) -> Reading:
    """A verb one slip from a known one ("tkae", "exmaine"), read if exactly one reading
    of the line places it; asked about if several do."""
    readings = []
    for verb in _retyped(said[0]):
        found = read(scene, [verb, *said[1:]], typed=False)
        if found.commands:
            readings.append(found)
    if len(readings) == 1:
        return readings[0]
    if len(readings) > 1:
        shown = [r.commands[0].understood or r.commands[0].raw for r in readings]
        meant = " or ".join(f"to {s.strip('()').split(' ', 1)[0]}" for s in shown)
        return Reading(question=Question(f"Do you mean {meant}?"))
    return Reading()


@lru_cache(maxsize=1024)
def _retyped(word: str) -> tuple[str, ...]:
    """Verb words `word` is one slip away from: a letter too many or too few, or two
    letters swapped; in a word of three letters, only swapped ("gte", but "hit" is not
    "hint"). Kept for words met again: each asks every verb word of the game."""
    if len(word) < 3 or word in _VERB_WORDS or word in WAY_WORDS:  # "east" is no "eat"
        return ()
    return tuple(v for v in _VERB_WORDS if slip(word, v) and (len(word) > 3 or len(v) == 3))


def suggestion(scene: Scene, said: list[str]) -> str | None:
    """A command to suggest for a line with an unknown verb: a long verb one letter off,
    which places the rest of the line ("exanine poppet": "examine thorn poppet")."""
    if not said or len(said[0]) < LONG:
        return None
    close = [v for v in _VERB_WORDS if len(v) == len(said[0]) and _one_letter(said[0], v)]
    found = [r for v in close if (r := read(scene, [v, *said[1:]], typed=False)).commands]
    return found[0].commands[0].raw if len(found) == 1 else None


def _one_letter(word: str, known: str) -> bool:
    return sum(a != b for a, b in zip(word, known, strict=True)) == 1


def _restated(reader: Reader, command: Command, objects: tuple[str, ...]) -> Command:
    """A placed command written out in full, saying what it understood."""
    pack = reader.scene.pack
    filled: list[Thing | str | None] = []
    slots = BY_NAME[command.verb].syntax.slots
    phrases = [command.direction or command.noun or command.text, command.second]
    for slot, value, phrase in zip(slots, objects, phrases, strict=False):
        if slot.kind in (Kind.DIRECTION,):
            filled.append(value)
        elif slot.kind in (Kind.TOPIC, Kind.TEXT):
            filled.append(phrase)
        elif value and (value in pack.items or value in pack.npcs):
            filled.append(named(pack, value))
        else:
            filled.append(phrase)
    built = reader.command(command.verb, *filled[:2]) if filled else None
    return built or command


def _words(phrase: str | None) -> list[str] | None:
    return words(phrase) if phrase else None


def _asked(pack: WorldPack, state: GameState, asked: Question, line: Command) -> TurnResult:
    """A question, taking no turn; its answer (one of the things it names) completes it."""
    entries = [Entry(EntryKind.NOTICE, asked.text)]
    return rules.question(pack, state, line, entries, asked.pending)


def _unplaced(pack: WorldPack, state: GameState, clause: list[str]) -> TurnResult:
    """What the rules say to a clause nothing could place, without a turn."""
    said = plain(clause) or clause
    scene = Scene(pack, state)
    said = patterns.given_plainly(Reader(scene), said) or said
    command = parse(" ".join(said))
    named = [w for w in said[1:] if w not in DETERMINERS and w not in _TO][:1]
    away = nouns.strangers(scene, named)
    if len(away) == 1:  # the one the command is to or about, who is not here
        gone = Entry(EntryKind.NOTICE, f"{pack.npcs[away.pop()].name} isn't here.")
        return TurnResult(state, [gone], command, done=False)
    if (not BY_NAME[command.verb].syntax.slots and command.noun) or _not_its_own(clause):
        command = replace(command, verb=names.UNKNOWN)  # "quit talking to hobb"
    if command.verb == names.UNKNOWN:
        command = replace(command, suggestion=suggestion(scene, said))
    return rules.unplaced(pack, state, command)


def _interrupted(step: TurnResult) -> bool:
    """Whether something happened on a step of a walk that the player should stop for: an
    event, or the story's end."""
    return step.ended or any(e.kind is EntryKind.EVENT for e in step.entries)


def _together(played: list[TurnResult]) -> TurnResult:
    """The last result, with the ones before it from the same line."""
    return replace(played[-1], earlier=tuple(played[:-1]))
