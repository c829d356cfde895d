"""Every verb, by family: the one table of verbs that the parser, the rules, the job
planner, the session, completion, `help` and the TUI's palette all read.

The verbs about the game's own running (wait, again, help, quit) live here rather than
in a module of their own, because `help` shows this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from textrealms.engine.turn import Turn
from textrealms.engine.verbs import (
    conflict,
    game,
    handling,
    looking,
    movement,
    names,
    people,
    questions,
    senses,
    things,
)
from textrealms.engine.verbs.verb import Family, Narrated, Syntax, Verb, answer
from textrealms.engine.verbs.waiting import wait


def nothing_to_repeat(t: Turn) -> None:
    """`again` before any command: what there is to repeat, the rules play instead."""
    t.minutes = 0
    t.notice("There is nothing to repeat yet.")


def help_(t: Turn) -> None:
    t.minutes = 0
    t.notice(HELP)


def quit_(t: Turn) -> None:
    t.minutes = 0
    t.quit = True
    t.notice("Farewell.")


def unknown(t: Turn) -> None:
    t.minutes = 0
    line = t.text("unknown_verb")
    if t.command.suggestion:
        line += f" Did you mean '{t.command.suggestion}'?"
    elif "help" not in line:
        line += " (help lists what you can do.)"
    t.say(line)


OTHER = Family(
    "Other",
    (
        Verb(
            names.WAIT,
            ("wait", "z"),
            wait,
            syntax=Syntax(own_words=True),
            help="wait (z), wait until TIME",
            narrated=Narrated.ALWAYS,
            palette="Let time pass",
            judged=False,
        ),
        Verb(
            names.AGAIN,
            ("again", "g"),
            nothing_to_repeat,
            help="again (g)",
            narrated=Narrated.NEVER,
            after_ending=True,  # what it repeats is judged on its own
        ),
        answer("help", ("help", "h", "?", "commands"), help_, help="help", counts=False),
        answer("quit", ("quit", "q"), quit_, help="quit", whole_line=True),
        Verb(names.UNKNOWN, (), unknown, narrated=Narrated.NEVER),
    ),
)

FAMILIES = (
    movement.FAMILY,
    looking.FAMILY,
    senses.FAMILY,
    questions.FAMILY,
    things.FAMILY,
    handling.FAMILY,
    people.FAMILY,
    conflict.FAMILY,
    OTHER,
    game.FAMILY,
)
"""In the order `help` lists them."""

VERBS: tuple[Verb, ...] = tuple(verb for family in FAMILIES for verb in family.verbs)
BY_NAME: Mapping[str, Verb] = MappingProxyType({verb.name: verb for verb in VERBS})

HELP = "\n".join(
    f"{family.title}: {', '.join(v.help for v in family.verbs if v.help)}" for family in FAMILIES
)
"""What `help` shows: each family's row of commands."""

PALETTE = tuple((verb.name, verb.palette) for verb in VERBS if verb.palette)
"""The commands the TUI's palette offers, with what each does, to play as if typed."""
