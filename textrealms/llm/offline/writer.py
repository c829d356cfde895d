"""The offline narrator's choices and frames: one `Writer` draws every word of a task.

Every choice is drawn from one `Dice`, so the same task, seed and pack always give the
same words. Frames name their slots like pack templates, and are filled the same way.
What the story has already said (given with the task) is not said again while there is
something else to say.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from string import Formatter
from typing import TypeVar

from textrealms.llm.offline.shaping import cap
from textrealms.world.defaults import DEFAULT_TEMPLATES
from textrealms.world.kinds import Body
from textrealms.world.persona import fits
from textrealms.world.rng import Dice
from textrealms.world.said import staleness
from textrealms.world.schema import WorldPack
from textrealms.world.templates import render

T = TypeVar("T")

_FORMATTER = Formatter()
_OPENS_SENTENCE = re.compile(r"[.!?][\"”]?\s+[\"“]?$")

PRONOUNS = frozenset({"obj", "pos"})
"""Slots that only refer back to a name, so they never count as naming anyone."""
DRAFTS = 16
"""How many times a line is written afresh to find one that says nothing said before."""
FULLEST = 4
"""Drafts written from the frames that name the most before any frame may be used."""


class UnknownId(LookupError):
    """A task named something the pack does not have; the provider turns it into an error."""


class Writer:
    """One task's choices: every draw comes from the task's own dice, in a fixed order."""

    def __init__(self, pack: WorldPack, dice: Dice, said: Counter[str] | None = None) -> None:
        self.pack = pack
        self.dice = dice
        self.said = said if said is not None else Counter()
        """How often the story has told each sentence lately (`textrealms.world.said`)."""
        self._loose = False
        """Whether frames that name less than they could are allowed too."""

    def fresh(self, write: Callable[[], str], body: Body = "human") -> str:
        """The first of a few drafts by `write` that tells nothing told before and suits
        `body`; failing that, the draft told least."""
        drafts: list[tuple[tuple[int, int, int], str]] = []
        try:
            for attempt in range(DRAFTS):
                self._loose = attempt >= FULLEST
                draft = write()
                score = (0 if fits(draft, body) else 1, *staleness(draft, self.said))
                if score == (0, 0, 0):
                    return draft
                drafts.append((score, draft))
        finally:
            self._loose = False
        return min(drafts, key=lambda scored: scored[0])[1]

    def pick(self, options: Sequence[T]) -> T:
        return self.dice.choice(options)

    def chance(self, probability: float) -> bool:
        return self.dice.random() < probability

    def sample(self, options: Sequence[T], count: int) -> list[T]:
        """Up to `count` distinct options, in drawn order."""
        left = list(options)
        chosen: list[T] = []
        while left and len(chosen) < count:
            chosen.append(left.pop(int(self.dice.random() * len(left))))
        return chosen

    def frame(self, frames: Sequence[str], values: Mapping[str, str | None]) -> str:
        """A frame that uses as many of the given values as any frame can, filled in (any
        frame it can fill, once `fresh` has found those all said before).

        Frames name their slots like templates; a slot in capitals (`{Conflict}`) takes
        the value with a capital letter, for the start of a sentence.
        """
        given = {k for k, v in values.items() if v}
        usable = [f for f in frames if slots(f) <= given]
        best = max(len(slots(f) - PRONOUNS) for f in usable)
        fullest = [f for f in usable if len(slots(f) - PRONOUNS) == best]
        chosen = self.pick(usable if self._loose else fullest)
        filled: dict[str, str] = {}
        for key, value in values.items():
            if value:
                filled[key] = value
                filled[key.capitalize()] = cap(value)
        return render(chosen, filled)


def variants(pack: WorldPack, key: str) -> list[str]:
    """The variants for a template key (the pack's, else the engine's defaults), none for a
    key the format does not have."""
    group, dot, name = key.partition(".")
    holder = getattr(pack.templates, group) if dot else pack.templates
    if (name if dot else key) not in type(holder).model_fields:
        return []
    return pack.templates.variants(key) or DEFAULT_TEMPLATES.get(key, [])


def fill(template: str, values: Mapping[str, str]) -> str:
    """A pack template filled in, each value capitalised where it opens a sentence."""
    out: list[str] = []
    for literal, field, _spec, _conversion in _FORMATTER.parse(template):
        out.append(literal)
        if field is not None:
            value = values.get(field, "")
            so_far = "".join(out)
            opens = not so_far.strip() or _OPENS_SENTENCE.search(so_far)
            out.append(cap(value) if opens else value)
    return "".join(out)


def slots(frame: str) -> set[str]:
    """The slots a frame or template names, in lower case."""
    return {field.lower() for _, field, _, _ in _FORMATTER.parse(frame) if field}
