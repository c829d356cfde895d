"""Which body runs a job: one module per kind of job."""

from __future__ import annotations

from textrealms.engine.bookkeeping import Proposal
from textrealms.engine.jobs import gossip, narration, reaction, world
from textrealms.engine.jobs.context import JobContext
from textrealms.engine.jobs.planning import GossipJob, JobDef, NarrationJob, ReactionJob, WorldJob


async def run(ctx: JobContext, job: JobDef) -> Proposal | None:
    """Run `job`'s body: what it proposes to change, to be committed in turn order."""
    match job:
        case NarrationJob():
            await narration.narrate(ctx, job)
            return None
        case ReactionJob():
            return await reaction.react(ctx, job)
        case GossipJob():
            return await gossip.gossip(ctx, job)
        case WorldJob():
            return await world.world(ctx, job)
