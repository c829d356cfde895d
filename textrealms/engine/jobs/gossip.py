"""The gossip job: the turn's gossip as the simulation decides it, and, when the player
overhears some, the teller's words for it."""

from __future__ import annotations

from textrealms.engine.bookkeeping import Proposal
from textrealms.engine.events import GossipHeard
from textrealms.engine.jobs.context import JobContext
from textrealms.engine.jobs.planning import GossipJob
from textrealms.engine.simulation import lines
from textrealms.engine.simulation.social import turn_gossip
from textrealms.llm.tasks import Rumour
from textrealms.world.rng import Dice


async def gossip(ctx: JobContext, job: GossipJob) -> Proposal:
    after, turn = ctx.work.after, ctx.work.number
    told = turn_gossip(ctx.pack, after, job.deed, Dice.derived(after.seed, turn, "gossip"), turn)
    heard = told.heard
    if heard is None:
        return ctx.applying(told.effects)
    g = heard.gossip
    task = Rumour(
        turn=turn,
        teller=heard.teller,
        gossip_type=g.type,
        about=g.about,
        topic=g.topic,
        fallback=heard.fallback,
        gestures=lines.gestures(ctx.pack, after, heard.teller),
        said=tuple(after.said),
    )
    text = await ctx.line(task, heard.fallback)
    ctx.emit(GossipHeard(turn, ctx.index, g.id, ctx.pack.npcs[heard.teller].name, text))
    return ctx.applying([*told.effects, lines.told(text)])
