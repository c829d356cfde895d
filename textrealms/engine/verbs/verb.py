"""What a verb is: its words and slots, its help, its handler, and how the game treats it.

Everything the game knows about a verb is on its `Verb` object, so adding one is one
object in its family's module; `textrealms.engine.verbs.registry` collects them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from textrealms.engine.command import Command
from textrealms.engine.turn import Turn

Handler = Callable[[Turn], None]
"""Plays a verb: reads the turn's state, adds effects and entries. No I/O."""


class Kind(Enum):
    """What a slot's words name: what completion can offer there, and what an
    interpreter of free text looks for."""

    DIRECTION = "a direction, or a place an exit leads to"
    IN_REACH = "a thing or person in reach"
    CARRIED = "a thing carried"
    PERSON = "a person here"
    TOPIC = "a topic"
    TEXT = "free text, as typed"


@dataclass(frozen=True, slots=True)
class Slot:
    kind: Kind
    opened_by: tuple[str, ...] = ()
    """Words that start this slot, as "to" in `give X to Y`; the first slot needs none."""


Where = Literal["first", "within", "last"]


@dataclass(frozen=True, slots=True)
class Handover:
    """A word after the verb that makes the line another verb's. `first`: the word right
    after the verb, dropped (`look at X` is `examine X`); `last`: the line's last word,
    dropped (`take X off` is `take off X`); `within`: a word after the first, kept to open
    the other verb's slot (`take X from Y` is `take_from`)."""

    words: frozenset[str]
    verb: str
    where: Where = "first"


@dataclass(frozen=True, slots=True)
class Syntax:
    """How the words after a verb fill its slots.

    The first slot is `Command.noun` (a direction slot: `.direction`, when one direction
    word fills it; a free-text slot: `.text`, the line as typed after the verb's word),
    the second is `.second`, from the first of its opening words on. A verb without slots
    keeps any words after it in `.noun`, unread unless it reads them as typed.
    """

    slots: tuple[Slot, ...] = ()
    fillers: frozenset[str] = frozenset()
    """Words dropped wherever they stand, as "to" in `walk to the west`."""
    handovers: tuple[Handover, ...] = ()
    own_words: bool = False
    """Whether the handler reads the words after the verb itself, in `.noun` ("wait until
    evening"): nothing for an interpreter of free text to fill or drop."""

    @property
    def as_typed(self) -> bool:
        """Whether the rules read the line as typed: the handler reads its own words, or
        its one slot is free text (`say ...`)."""
        return self.own_words or (bool(self.slots) and self.slots[0].kind is Kind.TEXT)


class Narrated(Enum):
    """When the narrator retells a verb's result."""

    NEVER = "never"
    """Lists and answers about the game itself."""
    ALWAYS = "always"
    """Worth retelling even when it changes nothing."""
    CHANGED = "changed"
    """Only when it changed the world: a failed attempt needs no richer prose."""


@dataclass(frozen=True, slots=True)
class Verb:
    name: str
    phrases: tuple[str, ...]
    """What a player may type for it; the parser tries the longest phrases first."""
    handler: Handler
    """How the rules play it; a session command's says it needs a session."""
    syntax: Syntax = Syntax()
    help: str | None = None
    """Its entry in its family's row of `help`; None for one a player never types."""
    narrated: Narrated = Narrated.CHANGED
    after_ending: bool = False
    """Whether it can still be played once the story has ended."""
    counts: bool = True
    """Whether playing it is a turn (the turn counter, the clock, the world's moves); one
    that is not (a hint) keeps only the changes its handler makes."""
    session: bool = False
    """Answered by the `Session` (saving, loading, undo, restart), not by the rules."""
    palette: str | None = None
    """What the TUI's command palette says of it; None: not offered there."""
    whole_line: bool = False
    """Played only for a line that is its own (`own_line`): a command about the game
    itself, which "quit talking to hobb" or "save the girl" must not set off."""
    judged: bool = True
    """Whether the world may judge the deed: a model's assessment of the turn nudges
    the conflicts and the player's reputation. Not walking, looking or waiting, which
    move nobody (unless a conflict moved that turn all the same)."""


ARTICLES = frozenset({"the", "a", "an"})
_QUOTES = "\"'“”‘’"


def own_line(verb: Verb, command: Command) -> bool:
    """Whether `command`'s line is `verb`'s own: always, unless the verb needs the whole
    line; then nothing may follow it but what fills its free-text slot (a save's name), one
    word, words in quotes, or words that do not open with an article ("save before the
    fight", not "save the girl")."""
    if not verb.whole_line:
        return True
    if not verb.syntax.slots:
        return command.noun is None
    rest = command.raw.strip().partition(" ")[2].strip()
    said = rest.lower().split()
    return not rest or rest[0] in _QUOTES or len(said) == 1 or said[0] not in ARTICLES


def answer(
    name: str,
    phrases: tuple[str, ...],
    handler: Handler,
    *,
    help: str,
    palette: str | None = None,
    counts: bool = True,
    whole_line: bool = False,
) -> Verb:
    """A verb that answers about the game itself (a list, the help): nothing to narrate,
    and still there to look back with once the story has ended."""
    return Verb(
        name,
        phrases,
        handler,
        help=help,
        narrated=Narrated.NEVER,
        after_ending=True,
        counts=counts,
        palette=palette,
        whole_line=whole_line,
    )


@dataclass(frozen=True, slots=True)
class Family:
    """Verbs that belong together: one module, one row of `help`."""

    title: str
    verbs: tuple[Verb, ...]
