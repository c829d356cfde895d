"""The assessment: a real model's reading of how a turn moved the world, as small nudges
to the conflict the player moved and to their reputation (an offline game has none)."""

from __future__ import annotations

from textrealms.engine.jobs.context import JobContext
from textrealms.engine.jobs.nudge import nudge
from textrealms.engine.simulation.world import WorldTurn, assessed
from textrealms.llm.schemas import Assessment
from textrealms.llm.tasks import Assess
from textrealms.world import effects as fx
from textrealms.world.schema import DIMENSIONS

REPUTATION_NUDGE = 0.05
"""The most a model's assessment may move one reputation dimension in a turn."""


async def assess(ctx: JobContext, world: WorldTurn) -> WorldTurn:
    """`world` with the model's clamped nudges added; unchanged if the model has none."""
    before, after = ctx.work.before, ctx.work.after
    moved = next((c for c in after.conflicts if after.conflicts[c] != before.conflicts[c]), None)
    task = Assess(
        turn=ctx.work.number,
        command=ctx.work.command,
        text=ctx.work.shown,
        location=after.location,
        conflict=moved,
        phase=after.conflicts[moved].phase if moved else None,
        reputation=tuple((d, round(after.reputation[d], 2)) for d in DIMENSIONS),
    )
    answer = await ctx.answer(task, Assessment, None, note=False)
    if answer is None:
        return world
    seen: set[str] = set()
    changes: list[fx.Effect] = []
    for proposed in answer.reputation:
        delta = nudge(proposed.delta, REPUTATION_NUDGE)
        if proposed.dimension in DIMENSIONS and proposed.dimension not in seen and delta:
            seen.add(proposed.dimension)
            changes.append(fx.AdjustReputation(proposed.dimension, delta))
    return assessed(world, moved, nudge(answer.momentum), changes)
