"""Completing a half-typed command: the registry's verbs, then what each verb's slots take.

Any front end can offer it (the TUI on tab; a line editor could too). It only suggests:
what the player sends is still parsed as typed. After a verb's words, its syntax says
what comes next, so `talk to ` offers the people here, `take ` the things here and
`ask mira about ` what Mira can talk about, each in the order the room shows them.
"""

from __future__ import annotations

from textrealms.engine.parser import DIRECTION_WORDS
from textrealms.engine.scope import Thing, carried, in_room, people, reachable, resolve
from textrealms.engine.verbs.registry import BY_NAME, VERBS
from textrealms.engine.verbs.verb import Kind, Slot, Verb
from textrealms.world import flags
from textrealms.world.conditions import first_line
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

SHORTEST = 3
"""Verb phrases shorter than this ("x", "l", "inv"...) are abbreviations, not completions."""
SKIPPED = frozenset({"the", "a", "an"})
"""Words before a slot's name that the parser drops: `take the ` still offers things."""
_PHRASES = sorted(
    ((phrase, verb) for verb in VERBS for phrase in verb.phrases), key=lambda pv: -len(pv[0])
)
"""Every phrase with its verb, the longest first: `talk to` is found before `talk`."""


def verbs() -> list[str]:
    """Every verb phrase and direction the parser knows, in full, each once."""
    phrases = [p for verb in VERBS for p in verb.phrases if len(p) >= SHORTEST]
    return sorted(set(phrases) | {d for d in DIRECTION_WORDS if len(d) >= SHORTEST})


def nouns(pack: WorldPack, state: GameState) -> list[str]:
    """The names of what the player can act on now, lowercased as a player types them."""
    return sorted({t.name.lower() for t in reachable(pack, state)})


def complete(pack: WorldPack, state: GameState, text: str) -> list[str]:
    """Whole commands that `text` could be the start of.

    The first words complete to a verb (shortest first); after a verb, the words its next
    slot takes, in the order of what is here: `take iron k` -> `take iron key`.
    """
    if not text.strip():
        return []
    lowered = text.lower()
    found = sorted(
        (v for v in verbs() if v.startswith(lowered) and v != lowered), key=lambda c: (len(c), c)
    )
    return list(dict.fromkeys(found + _after_verb(pack, state, text)))


def _after_verb(pack: WorldPack, state: GameState, text: str) -> list[str]:
    """Completions of the words after the verb that `text` starts with (none without one)."""
    lowered = text.lower()
    for phrase, verb in _PHRASES:
        if lowered.startswith(phrase + " "):
            return _slots(pack, state, verb, text, len(phrase) + 1)
    return []


def _slots(pack: WorldPack, state: GameState, verb: Verb, text: str, start: int) -> list[str]:
    """Completions of `text[start:]`, the words after `verb`'s phrase, by its syntax."""
    syntax = verb.syntax
    word, rest = _word(text, start)
    if syntax.handover is not None and rest is not None and word in syntax.handover.words:
        return _slots(pack, state, BY_NAME[syntax.handover.verb], text, rest)
    if not syntax.slots:
        return []
    first = syntax.slots[0]
    second = syntax.slots[1] if len(syntax.slots) > 1 else None
    start = _skip(text, start, syntax.fillers | SKIPPED)
    if second is not None:
        opened = _opening(text, start, second.opened_by)
        if opened is not None:
            named, tail_at = opened
            choices = [c for c in _choices(pack, state, second, named) if c != named.lower()]
            return _fits(text, _skip(text, tail_at, SKIPPED), choices)
    choices = _choices(pack, state, first, None)
    found = _fits(text, start, choices)
    if found or second is None:
        return found
    return _openers(text, start, choices, second)


def _word(text: str, start: int) -> tuple[str, int | None]:
    """The word at `start` (lowered), and where the next one starts (None: still typing)."""
    end = text.find(" ", start)
    if end < 0:
        return text[start:].lower(), None
    return text[start:end].lower(), end + 1


def _skip(text: str, start: int, words: frozenset[str]) -> int:
    """Past any whole `words` at `start` (a filler, an article), as the parser drops them."""
    while True:
        word, rest = _word(text, start)
        if rest is None or word not in words:
            return start
        start = rest


def _opening(text: str, start: int, openers: tuple[str, ...]) -> tuple[str, int] | None:
    """(the first slot's words, where the second's start) once one of `openers` is typed
    whole, as `to` in `give flint to `; None before that."""
    at = start
    while True:
        word, rest = _word(text, at)
        if rest is None:
            return None
        if word in openers:
            return text[start:at].strip(), rest
        at = rest


def _fits(text: str, start: int, choices: list[str]) -> list[str]:
    """`text` with each choice that the words from `start` are the beginning of."""
    tail = text[start:].lower()
    return [text[:start] + c for c in choices if c.startswith(tail) and c != tail]


def _openers(text: str, start: int, choices: list[str], second: Slot) -> list[str]:
    """After a whole first slot (`give flint `), the word that opens the second (`to`)."""
    tail = text[start:].lower()
    for choice in choices:
        if tail.startswith(choice + " "):
            typed = tail[len(choice) + 1 :]
            at = start + len(choice) + 1
            word = next((o for o in second.opened_by if o.startswith(typed)), typed)
            return [text[:at] + word] if word != typed else []
    return []


def _choices(pack: WorldPack, state: GameState, slot: Slot, named: str | None) -> list[str]:
    """What `slot` takes here, lowercased, in the order the room shows it; `named` is the
    first slot's words, for a topic (whose topics they are)."""
    things: list[Thing] = []
    match slot.kind:
        case Kind.DIRECTION:
            return _ways(pack, state)
        case Kind.TOPIC:
            return _topics(pack, state, named)
        case Kind.IN_REACH:
            things = in_room(pack, state) + people(pack, state) + carried(pack, state)
        case Kind.CARRIED:
            things = carried(pack, state)
        case Kind.PERSON:
            things = people(pack, state)
    return list(dict.fromkeys(t.name.lower() for t in things))


def _ways(pack: WorldPack, state: GameState) -> list[str]:
    """The exits here, then the places they lead that the player has seen."""
    exits = pack.locations[state.location].exits
    seen = [
        pack.locations[e.to].name.lower()
        for e in exits.values()
        if flags.visited(e.to) in state.flags
    ]
    return list(dict.fromkeys([*exits, *seen]))


def _topics(pack: WorldPack, state: GameState, named: str | None) -> list[str]:
    """What the person named (or the only one here) will talk about now."""
    here = people(pack, state)
    found = resolve(pack, named, here) if named else here
    if len(found) != 1:
        return []
    npc = pack.npcs[found[0].id]
    return [key.lower() for key, lines in npc.topics.items() if first_line(lines, state)]


def common_prefix(candidates: list[str]) -> str:
    """What every candidate starts with: as far as tab can complete without choosing."""
    if not candidates:
        return ""
    first, last = min(candidates), max(candidates)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]
