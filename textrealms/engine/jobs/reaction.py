"""The reaction job: how a stakeholder takes the player's choice, in words and numbers.

The rules decide the change to their stress and commitment; a model words the reaction
and may nudge it. A turn with several reactions may ask for all of them in one call.
"""

from __future__ import annotations

import asyncio

from textrealms.engine.bookkeeping import JobRecord, Proposal, TurnWork
from textrealms.engine.events import JobFailed, NpcReaction
from textrealms.engine.jobs.context import Batching, JobContext
from textrealms.engine.jobs.nudge import nudge
from textrealms.engine.jobs.planning import ReactionJob
from textrealms.engine.simulation import lines, stakeholders
from textrealms.llm.clean import clean
from textrealms.llm.schemas import Reaction, Reactions
from textrealms.llm.tasks import React, ReactAll
from textrealms.world import effects as fx
from textrealms.world.rng import Dice
from textrealms.world.schema import WorldPack

BATCH_AUTO = 3
"""With batching "auto", a turn with at least this many reactions asks for them in one call."""


async def react(ctx: JobContext, job: ReactionJob) -> Proposal:
    """`job.npc`'s reaction, told (the template's line if the model has none), and its
    changes: the rules', then the model's clamped nudges."""
    work = ctx.work
    task = _task(ctx.pack, work, job)
    changes = stakeholders.reaction(work.after, job.npc, job.deed, job.target)
    if _batched(work, ctx.batching):
        answer = await _from_batch(ctx, task)
    else:
        answer = await ctx.answer(task, Reaction, task.fallback)
    line = (clean(answer.line).strip() if answer else "") or task.fallback
    if lines.untold(work.after, line):
        name = ctx.pack.npcs[job.npc].name
        ctx.emit(NpcReaction(work.number, ctx.index, job.npc, name, line))
        changes.append(lines.told(line))
    if answer is not None:
        changes += [
            fx.AdjustDisposition(job.npc, nudge(answer.disposition)),
            fx.AdjustStress(job.npc, nudge(answer.stress)),
        ]
    return ctx.applying(changes)


def _task(pack: WorldPack, work: TurnWork, job: ReactionJob) -> React:
    """What a model is asked for `job.npc`'s reaction, with the pack's line as fallback."""
    before, after = work.before, work.after
    npc = after.npcs[job.npc]
    role = npc.role or "bystander"
    dice = Dice.derived(after.seed, work.number, "react", job.npc)
    line, own = lines.reaction(pack, before, after, job.npc, conflict=job.conflict, dice=dice)
    return React(
        turn=work.number,
        npc=job.npc,
        deed=job.deed,
        fallback=line,
        role=role,
        conflict=job.conflict,
        target=job.target,
        disposition=round(npc.disposition, 2),
        stress=round(npc.stress, 2),
        own=own,
        gestures=lines.gestures(pack, after, job.npc),
        said=tuple(after.said),
    )


def _batched(work: TurnWork, batching: Batching) -> bool:
    """Whether the turn's reactions are asked for in one call."""
    count = len(work.reactions)
    return count > 1 and (batching == "on" or (batching == "auto" and count >= BATCH_AUTO))


async def _from_batch(ctx: JobContext, task: React) -> Reaction | None:
    """This NPC's part of the turn's one batched call (made by whichever job asks first).

    A failed batch fails every part; an NPC the answer leaves out gets its template.
    """
    work, record = ctx.work, ctx.record
    if work.batch is None:
        batch = ReactAll(
            turn=work.number,
            reactions=tuple(_task(ctx.pack, work, job) for job in work.reactions),
        )
        ctx.metrics.batched_calls += 1
        failed = JobRecord()
        work.batch = ctx.spawn(
            ctx.calls.answer(batch, Reactions, failed, ctx.index, None, note=False)
        )
        work.batch_record = failed
    answers = await asyncio.shield(work.batch)
    if answers is None:
        record.failed, record.timeout = work.batch_record.failed, work.batch_record.timeout
        reason = work.batch_record.reason or "the model failed"
    else:
        mine = next((r for r in answers.reactions if r.npc == task.npc), None)
        if mine is not None:
            return mine
        record.failed = True
        reason = "the model left this one out"
    label = ctx.pack.npcs[task.npc].name
    ctx.emit(JobFailed(task.turn, ctx.index, "reaction", reason, task.fallback, label))
    return None
