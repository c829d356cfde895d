"""The offline narrator as a `Provider`: the default, with no network and no key.

It writes its answers from the task and the world pack, deterministically from the
game's seed, and streams them word by word like a model would, so the game, its tests
and its benchmarks all run the same paths a real provider does. It is also what the game
falls back to when a real provider fails.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

from pydantic import ValidationError

from textrealms.llm.offline.beat import beat
from textrealms.llm.offline.describe import describe
from textrealms.llm.offline.narrate import narrate, template_patterns
from textrealms.llm.offline.react import react
from textrealms.llm.offline.rumour import rumour
from textrealms.llm.offline.shaping import tidy
from textrealms.llm.offline.writer import UnknownId, Writer
from textrealms.llm.provider import A, ProviderError
from textrealms.llm.schemas import Answer, Assessment, Line, Reaction, Reactions
from textrealms.llm.tasks import Assess, Beat, Describe, Narrate, React, ReactAll, Rumour, Task
from textrealms.world.rng import Dice
from textrealms.world.said import tally
from textrealms.world.schema import WorldPack

_PIECES = re.compile(r"\S+\s*")

_SCHEMAS: dict[type[Task], type[Answer]] = {
    React: Reaction,
    ReactAll: Reactions,
    Rumour: Line,
    Beat: Line,
    Assess: Assessment,
}


class OfflineNarrator:
    """A `Provider` that composes prose from the pack: same inputs, same bytes, everywhere."""

    name = "offline narrator"

    def __init__(
        self,
        pack: WorldPack,
        seed: int,
        *,
        pace: float = 0.0,
        latency: float = 0.0,
        jitter: float = 0.0,
    ) -> None:
        if pace < 0 or latency < 0 or not 0 <= jitter <= 1:
            raise ValueError("pace and latency must be >= 0, jitter within 0..1")
        self.pack = pack
        self.seed = seed
        self.pace = pace
        self.latency = latency
        self.jitter = jitter
        self._patterns = template_patterns(pack)

    async def stream(self, task: Task) -> AsyncIterator[str]:
        """The prose for a `Describe` or `Narrate` task, one word (and its space) at a time."""
        text = self._prose(task)
        await self._wait(task)
        for index, piece in enumerate(_PIECES.findall(text)):
            if index and self.pace:
                await asyncio.sleep(self.pace)
            yield piece

    async def complete(self, task: Task, schema: type[A]) -> A:
        """A reaction, a rumour or a beat, validated against the schema the caller named."""
        expected = _SCHEMAS.get(type(task))
        if expected is None or schema is not expected:
            raise ProviderError(f"the offline narrator has no {schema.__name__} for {task.kind}")
        fields = self._answer(task)
        await self._wait(task)
        try:
            return schema.model_validate(fields)
        except ValidationError as exc:
            raise ProviderError(f"offline {task.kind} did not validate: {exc}") from exc

    async def aclose(self) -> None:
        """Nothing to release: no connections, no tasks of its own."""

    def _prose(self, task: Task) -> str:
        writer = self._writer(task)
        try:
            if isinstance(task, Describe):
                return tidy(describe(writer, task))
            if isinstance(task, Narrate):
                return tidy(narrate(writer, task, self._patterns))
        except UnknownId as exc:
            raise ProviderError(str(exc)) from exc
        raise ProviderError(f"the offline narrator does not stream {task.kind} tasks")

    def _answer(self, task: Task) -> dict[str, object]:
        writer = self._writer(task)
        try:
            if isinstance(task, React):
                line, disposition, stress = react(writer, task)
                return {"line": line, "disposition": disposition, "stress": stress}
            if isinstance(task, ReactAll):
                return {"reactions": [{"npc": r.npc, **self._answer(r)} for r in task.reactions]}
            if isinstance(task, Assess):
                return {}  # no nudges: the rules alone move the world offline
            if isinstance(task, Rumour):
                return {"text": rumour(writer, task)}
            if isinstance(task, Beat):
                return {"text": beat(writer, task)}
        except UnknownId as exc:
            raise ProviderError(str(exc)) from exc
        raise ProviderError(f"the offline narrator cannot answer {task.kind} tasks")

    def _writer(self, task: Task) -> Writer:
        said = task.said if isinstance(task, React | Rumour | Beat) else ()
        return Writer(self.pack, self._dice(task), tally(said))

    def _dice(self, task: Task, *purpose: str) -> Dice:
        """The task's own dice: equal tasks agree, and a repeated action gets fresh words."""
        turn = () if task.cacheable else (task.turn,)
        return Dice.derived(self.seed, task.identity(), *turn, *purpose)

    async def _wait(self, task: Task) -> None:
        """Simulated model latency before the first piece; always yields to the loop once."""
        if self.latency <= 0:
            await asyncio.sleep(0)
            return
        swing = self._dice(task, "latency").uniform(-1.0, 1.0)
        await asyncio.sleep(self.latency * (1 + self.jitter * swing))
