"""A dramatic beat, told: the director picks it (in the world's turn), a model words it."""

from __future__ import annotations

from textrealms.engine.events import DramaticBeat
from textrealms.engine.jobs.context import JobContext
from textrealms.engine.simulation.lines import untold
from textrealms.engine.simulation.world import CastBeat
from textrealms.llm.tasks import Beat


async def tell(ctx: JobContext, beat: CastBeat) -> DramaticBeat | None:
    """The beat, worded as `ctx.work.after` stands, so not as it was told before; None if
    the words for it have all been said twice. It is told when the turn commits, if it is
    still due then (`textrealms.engine.simulation.world.commit`)."""
    task = Beat(
        turn=ctx.work.number,
        beat=beat.beat,
        fallback=beat.fallback,
        conflict=beat.conflict,
        npc=beat.npc,
        phase=beat.phase,
        location=beat.location,
        said=tuple(ctx.work.after.said),
    )
    text = await ctx.line(task, beat.fallback)
    if not untold(ctx.work.after, text):
        return None
    return DramaticBeat(ctx.work.number, ctx.index, beat.beat, text, beat.conflict)
