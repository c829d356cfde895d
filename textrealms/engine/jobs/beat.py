"""A dramatic beat, told: the director picks it (in the world's turn), a model words it."""

from __future__ import annotations

from textrealms.engine.events import DramaticBeat
from textrealms.engine.jobs.context import JobContext
from textrealms.engine.simulation.world import CastBeat
from textrealms.llm.tasks import Beat


async def tell(ctx: JobContext, beat: CastBeat) -> None:
    task = Beat(
        turn=ctx.work.number,
        beat=beat.beat,
        fallback=beat.fallback,
        conflict=beat.conflict,
        npc=beat.npc,
        phase=beat.phase,
    )
    text = await ctx.line(task, beat.fallback)
    ctx.emit(DramaticBeat(ctx.work.number, ctx.index, beat.beat, text, beat.conflict))
