"""The narration job: richer prose for the turn's entry, streamed over its template, and
told with the last few turns so that a model keeps the story continuous."""

from __future__ import annotations

import dataclasses
from collections import deque

from textrealms.engine.events import JobFailed, NarrationDelta, NarrationDone
from textrealms.engine.jobs.context import JobContext
from textrealms.engine.jobs.planning import JobDef, NarrationJob
from textrealms.llm.clean import clean
from textrealms.llm.tasks import Describe, Narrate

RECENT = 3
"""Earlier turns a narration prompt is shown, for continuity."""
RECENT_CHARS = 400
"""How much of each earlier turn the prompt shows."""


class Recent:
    """The last few turns as the player saw them (command and text), oldest first."""

    def __init__(self) -> None:
        self._turns: deque[str] = deque(maxlen=RECENT)

    def told(self, jobs: list[JobDef]) -> list[JobDef]:
        """`jobs`, their narration of a command told with the turns before it."""
        recent = tuple(self._turns)
        return [
            dataclasses.replace(job, task=dataclasses.replace(job.task, recent=recent))
            if isinstance(job, NarrationJob) and isinstance(job.task, Narrate)
            else job
            for job in jobs
        ]

    def remember(self, command: str, shown: str) -> None:
        """A turn played: `command`, answered by `shown` (its entries' cleaned text)."""
        self._turns.append(f"> {clean(command)}\n{shown}"[:RECENT_CHARS])


async def narrate(ctx: JobContext, job: NarrationJob) -> None:
    """Stream the narration of entry `job.index`; if the narrator fails, the template stands."""
    turn, index = ctx.work.number, ctx.index
    if isinstance(job.task, Describe):
        ctx.prefetch.narrated(job.task)

    def piece(text: str) -> None:
        ctx.emit(NarrationDelta(turn, index, job.index, text))

    text, failure = await ctx.calls.narrate(job.task, ctx.record, piece)
    if failure is not None:
        ctx.emit(JobFailed(turn, index, "narration", failure, job.template, "Narrator"))
        ctx.emit(NarrationDone(turn, index, job.index, job.template, refined=False))
        return
    ctx.emit(NarrationDone(turn, index, job.index, text, refined=True))
