"""A dramatic beat (`Beat`) in a sentence or two: who and what it touches, and where it
is felt (the place the task names: where the player is) or how far the conflict has gone.
"""

from __future__ import annotations

from collections.abc import Mapping

from textrealms.llm.offline.places import lexicon_phrases
from textrealms.llm.offline.shaping import clip, lower_start, mid, tidy
from textrealms.llm.offline.voice import voice
from textrealms.llm.offline.writer import PRONOUNS, Writer, fill, slots, variants
from textrealms.llm.tasks import Beat

BEATS: dict[str, tuple[str, ...]] = {
    "revelation": (
        "{npc} says it out loud at last, and {conflict} is never the same again.",
        "The truth at the bottom of {conflict} comes up, and {npc} is the one who drags it out.",
        "A truth buried in {conflict} works its way to the surface, and nobody can push it down.",
        "Everyone in {conflict} learns the same thing at once, and the silence after is enormous.",
        "{npc} knows something now that cannot be unknown, and it shows.",
        "What {npc} has been carrying comes out all at once.",
        "Something hidden comes into the open, and the air changes.",
        "A truth surfaces, and every face around you rearranges itself.",
        "{npc} hears something about {conflict} that changes how {obj} stands in it.",
        "Word gets around about {npc}, and it is not the word anyone wanted.",
    ),
    "betrayal": (
        "{npc} breaks faith in {conflict}, quietly, the way the worst betrayals go.",
        "Nobody in {conflict} saw it coming: {npc} has changed sides.",
        "Somebody in {conflict} has been dealing on both sides, and now everyone knows.",
        "A promise made in {conflict} breaks with a sound only the betrayed can hear.",
        "{npc} turns on the people who trusted {obj}.",
        "{npc} breaks faith, and does not look back.",
        "A promise breaks, and someone who trusted it is left standing alone.",
        "Somebody has been sold out, and the price was low.",
        "{npc} leaves {pos} old friends in {conflict} to fend for themselves.",
        "Trust runs out all at once, and {npc} is the one who spent it.",
    ),
    "escalation": (
        "{Conflict} takes a dangerous turn, and {npc} is right in the path of it.",
        "With {npc} at the heart of it, {conflict} lurches toward open violence.",
        "{Conflict} takes a dangerous turn; voices rise and do not come down.",
        "Fresh fuel lands on {conflict}, and it flares.",
        "Everything around {npc} turns sharper, and more dangerous.",
        "Voices rise, and do not come down.",
        "Somewhere a line is crossed, and everyone feels it.",
        "Somebody says what nobody should have said about {conflict}, and it cannot be unsaid.",
        "Tempers over {conflict} run past talking, and {npc} is pushed hardest.",
        "Someone is hurt in the crush around {conflict}; not badly, not yet.",
        "People stop arguing about {conflict} and start getting ready for it.",
        "{npc} is on the wrong end of it now, and everyone can see it.",
        "Whatever held {conflict} back gives way a little more.",
        "The talk turns ugly, and stays ugly.",
        "Doors close, and stay closed.",
    ),
    "reconciliation": (
        "{npc} offers a hand across {conflict}, and after a long moment it is taken.",
        "For the first time since {conflict} began, {npc} laughs, and the sound changes things.",
        "Two sides of {conflict} find one thing they can agree on, and hold onto it.",
        "In the middle of {conflict}, someone says sorry and means it.",
        "{npc} offers a hand, and after a moment it is taken.",
        "{npc} lets go of an old grudge, and stands a little straighter for it.",
        "An old grudge loosens its grip.",
        "Two people who meant to be enemies find they cannot manage it.",
        "{npc} gives a little ground in {conflict}, and is surprised how little it costs.",
        "Something between {npc} and {pos} rivals eases, just slightly.",
    ),
    "twist": (
        "Everything {npc} said about {conflict} turns out to be only half the story.",
        "{npc} steps out from the edge of {conflict}, and nothing about it is what it seemed.",
        "Nothing about {conflict} is what it seemed, and the knowledge spreads like cold water.",
        "{Conflict} turns inside out, and everyone has to look at it again.",
        "{npc} is not who everyone thought, and the room is slowly realising it.",
        "The ground shifts: nothing is quite what it seemed an hour ago.",
        "A fact nobody expected lands in {conflict}, and {npc} is standing closest.",
        "It turns out {npc} has been playing a longer game in {conflict} than anyone guessed.",
        "What everyone thought {conflict} was about is not what it is about.",
        "Somebody in {conflict} has been lied to, and it is beginning to show.",
        "{npc} says one quiet thing, and a whole story comes apart.",
        "The story everyone agreed on starts to come apart at the seams.",
        "Someone was wrong about something important, and it was not who you would have guessed.",
    ),
    "complication": (
        "A new knot appears in {conflict}, and it is tied around {npc}.",
        "Just as {conflict} seemed simple, something about {npc} makes it anything but.",
        "A new problem tangles {conflict}, and nobody has a free hand to deal with it.",
        "{Conflict} grows another head, and this one is looking at you.",
        "A new problem lands on {npc}, and through {obj} on everyone else.",
        "Just when things seemed simple, they are not.",
        "A new problem arrives, uninvited and in no hurry to leave.",
        "{Conflict} picks up a complication nobody asked for, and {npc} is left holding it.",
        "Another grievance is dragged into {conflict}, an old one with a long memory.",
        "{npc} has a problem of {pos} own now, and it will not wait.",
        "Something that should have been simple goes wrong.",
    ),
    "climax": (
        "{Conflict} comes to a head, and {npc} stands at the very centre of it.",
        "Everything in {conflict} narrows to {npc}, and to what happens next.",
        "{Conflict} reaches its breaking point, and every side of it knows.",
        "All of it comes down to this: {conflict} has come to a head.",
        "Everything narrows to {npc}, and to what happens next.",
        "This is the moment everything has been running toward.",
        "{npc} is where {conflict} has to be decided, one way or the other.",
        "Nobody around {conflict} can look away now.",
        "It all hangs by a thread now, and {npc} is holding the thread.",
        "Every road in this has led here.",
    ),
    "moment": (
        "For a moment, in the middle of {conflict}, {npc} is simply still, and so is everyone.",
        "{npc} catches your eye across {conflict}, and for once there is nothing hostile in it.",
        "For a moment {conflict} forgets itself, and everything is quiet.",
        "For a moment {npc} is only a tired person, and the quiet holds.",
        "For a moment, everything is still.",
        "A small, ordinary kindness happens in the middle of it all, and nobody knows what to do.",
        "{npc} shares something small with the other side of {conflict}, and nobody remarks on it.",
        "For a breath or two, {conflict} is not the only thing in the world.",
        "{npc} is quiet for a while, and so, for once, is everyone else.",
        "The noise drops away, and for a little while nobody needs anything from anybody.",
        "Someone laughs at something that has nothing to do with any of it.",
    ),
}

CALM_BEATS = frozenset({"reconciliation", "moment"})

PHASE_TAILS: dict[str, tuple[str, ...]] = {
    "seeds": (
        "It is still small enough to smother, if anyone tried.",
        "Nobody is calling it trouble yet.",
        "For now it is only talk.",
    ),
    "emerging": (
        "It is still small enough to smother, if anyone tried.",
        "It is turning into something with a name.",
        "People are starting to pick sides.",
    ),
    "rising": (
        "Every hour makes it harder to walk back.",
        "It is gathering weight.",
        "Nobody has to say where this is going.",
        "Each day it takes a little more.",
    ),
    "confrontation": (
        "Nobody is pretending any more.",
        "It is out in the open now, face to face.",
        "Every word now is an answer to someone.",
        "There are sides now, and everyone knows theirs.",
    ),
    "climax": (
        "There is no walking back from here.",
        "Everything hangs on what happens next.",
        "It cannot hold like this much longer.",
        "Whatever breaks now stays broken.",
    ),
    "falling": (
        "Even with the worst past, it stings.",
        "The heat is going out of it, slowly.",
        "People are beginning to count the cost.",
        "What was said cannot all be taken back.",
    ),
    "resolution": (
        "It may be the last hard thing before an ending.",
        "An ending is in sight, if it holds.",
        "What is left is the settling of it.",
    ),
    "aftermath": (
        "It will be remembered long after.",
        "This is how it will be told, later.",
        "The marks it left will take a long time to fade.",
    ),
}


def beat(w: Writer, task: Beat) -> str:
    """The beat in a sentence or two, naming who and what it touches."""
    conflict = w.pack.conflicts.get(task.conflict or "")
    v = voice(w.pack, task.npc) if task.npc and task.npc in w.pack.npcs else None
    values = {
        "npc": v.name if v else None,
        "conflict": mid(conflict.name) if conflict else None,
        "obj": v.obj if v else None,
    }

    def write() -> str:
        core = _pack_beat(w, task, values) or w.frame(BEATS.get(task.beat, BEATS["moment"]), values)
        tail = _beat_tail(w, task)
        return clip(tidy(f"{core} {tail}" if tail else core))

    return w.fresh(write, v.body if v else "human")


def _pack_beat(w: Writer, task: Beat, values: Mapping[str, str | None]) -> str | None:
    """Now and then the pack's own line for the beat, when it names all the task gives."""
    given = {k for k, v in values.items() if v} - PRONOUNS
    filled = {k: v for k, v in values.items() if v}
    told = [fill(v, filled) for v in variants(w.pack, f"beat.{task.beat}") if slots(v) == given]
    fresh = [v for v in told if v != task.fallback]
    return w.pick(fresh) if fresh and w.chance(0.3) else None


def _beat_tail(w: Writer, task: Beat) -> str | None:
    where = task.location if task.location in w.pack.locations else None
    roll = w.dice.random()
    if task.phase in PHASE_TAILS and task.beat not in CALM_BEATS and roll < 0.35:
        return w.pick(PHASE_TAILS[task.phase])
    if where is not None and roll < 0.8:
        phrases = lexicon_phrases(w, where, 1)
        if phrases:
            values = {"p1": phrases[0], "a1": lower_start(phrases[0])}
            return w.frame(("{P1}.", "All the while, {a1}."), values)
    return None
