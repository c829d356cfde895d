"""The interpretation job: a line that neither the parser nor the interpreter could place,
asked of the model as one of the actions possible now, and played as the next turn.

The player has had the at-once answer; this runs in the background like every job, and
at most one line is being read: a newer command drops it, so it is never played after a
turn the player took since. The model's answer is held to what it was offered
(`possible.chosen`), then to the rules, which must play it as a turn that did what it
asked; else only the model's line, in character, is told, and nothing changes. Only a
real model reads lines (as only a real model assesses turns): the offline interpreter
has done its best already, and an offline game plays as it always has.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textrealms.engine.bookkeeping import JobRecord
from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.events import Flavour, StoryEvent, Understood
from textrealms.engine.interpret.line import play_line
from textrealms.engine.interpret.possible import Possible, chosen, possible
from textrealms.engine.jobs.context import Spawn
from textrealms.engine.model_calls import ModelCalls
from textrealms.engine.rules import TurnResult
from textrealms.llm.clean import clean
from textrealms.llm.schemas import Interpretation
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

MAX_FLAVOUR = 300
"""The most of the model's line that is told, in characters."""

Play = Callable[[GameState, TurnResult], None]
"""Goes on from a turn played: the game master's way for a typed command's turn."""


def judged(
    pack: WorldPack, state: GameState, offered: Possible, answer: Interpretation
) -> TurnResult | None:
    """The turn the model's answer plays from `state`, if it names an action offered and
    the rules play it as a turn that did what it asked (no refusal, no question)."""
    command = chosen(pack, state, offered, answer)
    if command is None:
        return None
    result = play_line(pack, state, command)
    taken = result.state.turn > state.turn and result.done and not result.quit
    return result if taken and not result.earlier else None


def flavour(answer: Interpretation) -> str:
    """The model's line, cleaned and cut to `MAX_FLAVOUR` at a word."""
    text = " ".join(clean(answer.line).split())
    if len(text) <= MAX_FLAVOUR:
        return text
    return text[:MAX_FLAVOUR].rsplit(" ", 1)[0] + "..."


class Understanding:
    """The line a game's model is reading, if any."""

    def __init__(
        self,
        pack: WorldPack,
        calls: ModelCalls,
        spawn: Spawn,
        *,
        tell: Callable[[StoryEvent], None],
        now: Callable[[], GameState],
        play: Play,
    ) -> None:
        """`tell` streams an event to the front ends; `now` is the game's state."""
        self._pack = pack
        self._calls = calls
        self._spawn = spawn
        self._tell = tell
        self._now = now
        self._play = play
        self._pending: asyncio.Task[None] | None = None

    def ask(self, state: GameState, said: str, result: TurnResult) -> None:
        """Have the model read the line `said`, if the game could not place it (`result`)."""
        if self._calls.circuit is None or state.ending is not None:
            return
        if not (result.placed or result.earlier):
            self._pending = self._spawn(self._read(state, said))

    def drop(self) -> None:
        """A newer command: the line being read is forgotten, its answer never played."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    async def settled(self) -> None:
        """Wait until the line being read, if any, is played or answered."""
        if self._pending is not None:
            await asyncio.wait({self._pending})

    async def _read(self, asked: GameState, said: str) -> None:
        offered = possible(self._pack, asked)
        task = offered.task(asked, said)
        answer = await self._calls.answer(task, Interpretation, JobRecord(), -1, None, note=False)
        state = self._now()
        if answer is None or state.turn != asked.turn or state.ending is not None:
            return
        result = judged(self._pack, state, offered, answer)
        if result is None:
            line = flavour(answer)
            if line:
                self._tell(Flavour(state.turn, -1, Entry(EntryKind.REFINED, line)))
            return
        entries = tuple(result.entries)
        told = Understood(result.state.turn, -1, result.command.raw, said, entries, result.state)
        if result.ended:  # the ending drops what is left to tell: its own turn comes after
            self._play(state, result)
            self._tell(told)
        else:
            self._tell(told)
            self._play(state, result)
