"""The world job: the world's own turn, as the simulation decides it, told and committed."""

from __future__ import annotations

import dataclasses
import functools

from textrealms.engine.bookkeeping import Proposal
from textrealms.engine.events import NpcReaction, StoryEvent
from textrealms.engine.jobs import assessment, beat
from textrealms.engine.jobs.context import JobContext
from textrealms.engine.jobs.planning import WorldJob
from textrealms.engine.simulation import lines
from textrealms.engine.simulation.world import commit, world_turn
from textrealms.world.rng import Dice
from textrealms.world.state import GameState


async def world(ctx: JobContext, job: WorldJob) -> Proposal:
    """Stakeholders make their own moves and break; the director paces and picks a beat.

    The moves made in front of the player are shown, the beat is told; a real model's
    assessment of a deed it may judge nudges what is committed.
    """
    pack, work, index = ctx.pack, ctx.work, ctx.index
    after, turn = work.after, work.number
    flow = functools.partial(Dice.derived, after.seed, turn, "flow")
    told = world_turn(pack, work.before, after, Dice.derived(after.seed, turn, "world"), flow())
    said = [move.line for move in told.shown]
    for move in told.shown:
        ctx.emit(NpcReaction(turn, index, move.npc, pack.npcs[move.npc].name, move.line))
    worded = await beat.tell(ctx, told.beat) if told.beat is not None else None
    told = dataclasses.replace(told, effects=[*told.effects, lines.told(*said)])
    if ctx.calls.circuit is not None and job.judged:  # only a real model is asked
        told = await assessment.assess(ctx, told)

    def committed(state: GameState) -> tuple[GameState, list[StoryEvent]]:
        return commit(pack, state, told, flow(), index, beat=worded)

    return committed
