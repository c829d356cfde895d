"""What a person says about something they have no written reply for: what the game
knows, in their person.

About someone else: the gossip they believe about them, what that person wants from a
conflict, which side each stands on, their faction; about a thing: whether they have it,
want it, or have seen it here; about a place: the way there; about a faction, a quest, a
conflict or an event: where they stand and what is known. Then how they feel about the
player colours the answer. Each kind of fact has a pool of lines: the one told least in
this game comes first (as in `textrealms.engine.simulation.lines`), every line is filled
with the person's pronouns, and a line that speaks of a face or hands is only given to a
body that has them.
"""

from __future__ import annotations

from dataclasses import dataclass

from textrealms.engine import hints, stakes
from textrealms.engine.simulation import lines
from textrealms.engine.topics import Ref
from textrealms.engine.verbs.looking import listing, mood, tie
from textrealms.llm.offline.shaping import mid
from textrealms.world import story
from textrealms.world.persona import agree, fits, placeholders, pronouns
from textrealms.world.rng import Dice
from textrealms.world.schema import WorldPack
from textrealms.world.state import PLAYER, GameState

NAMED = "{npc} "
"""How a line that opens with the person's name begins."""
FACTS = 2
"""At most this many facts in one answer, the most telling first."""
FIRE = frozenset({"instigator", "escalator"})
"""Roles that push a conflict on; the others pull it back or stand aside."""
STANDING_BY = frozenset({"bystander", "opportunist"})


@dataclass(frozen=True, slots=True)
class Fact:
    """Something the game knows, as a pool of lines to say it with, and what fills them."""

    pool: tuple[str, ...]
    values: dict[str, str]


PERSON_FALLBACK = (
    "{npc} knows {other}, as everyone here does, and leaves it at that.",
    "{npc} has little to say about {other}.",
    "{npc} has nothing to add about {other} that you could not see for yourself.",
)
THING_FALLBACK = ("{npc} has not seen the {other}.", "{npc} cannot help you find the {other}.")
FALLBACKS = (PERSON_FALLBACK, THING_FALLBACK)
"""What anyone could say: said only when there is nothing else."""
MOODS: dict[str, tuple[str, ...]] = {
    "hostile": ("makes it plain you are not welcome", "gives you nothing more"),
    "unfriendly": ("says it without warmth", "gives you no more than that"),
    "neutral": (),
    "warm": ("says it kindly", "seems glad you asked"),
    "devoted": ("would tell you anything you asked", "says it as to a friend"),
}
"""How the person's feeling for the player colours an answer: what they do as they say it."""


def answer(
    pack: WorldPack,
    state: GameState,
    npc: str,
    ref: Ref | None,
    dice: Dice,
    *,
    elsewhere: str | None = None,
) -> str:
    """What `npc` says about `ref` (or of a matter `elsewhere` has the words for): a fact
    or two, then how they say it. What anyone could say is said only when nothing else is."""
    facts = _facts(pack, state, npc, ref) if ref is not None else []
    if elsewhere is not None:
        pool: tuple[str, ...] = (
            "{npc} says you would do better to ask {who} about that.",
            "For that, {npc} sends you to {who}.",
        )
        facts.append(Fact(pool, {"who": pack.npcs[elsewhere].name}))
    known = [fact for fact in facts if fact.pool not in FALLBACKS] or facts
    said = [_say(pack, state, npc, fact, dice, again=i > 0) for i, fact in enumerate(known[:FACTS])]
    moody = 0 < len(said) < FACTS and (ref is None or ref.kind != "player")
    tail = _mood(pack, state, npc, dice) if moody else None
    return " ".join([*said, *([tail] if tail else [])])


def _say(
    pack: WorldPack, state: GameState, npc: str, fact: Fact, dice: Dice, *, again: bool = False
) -> str:
    """A line of the fact's pool, told least so far; `again` (not the answer's first
    sentence), one that opens with the person's name opens with their pronoun instead."""
    person = pack.npcs[npc]
    fitting = [line for line in fact.pool if fits(line, person.body)] or list(fact.pool)
    if again:
        forms = pronouns(person)
        fitting = [
            f"{forms.subject} {agree(line.removeprefix(NAMED), forms)}"
            if line.startswith(NAMED)
            else line
            for line in fitting
        ]
    fill = {**{k: mid(v) for k, v in fact.values.items()}, **placeholders(person)}
    line = lines.least_said(fitting, fill, state, dice)[0]
    return stakes.capital(line)


def _mood(pack: WorldPack, state: GameState, npc: str, dice: Dice) -> str | None:
    feeling = mood(state.npcs[npc].disposition)
    person = pack.npcs[npc]
    pool = [p for p in MOODS[feeling] if fits(p, person.body)]
    if not pool:
        return None
    forms = pronouns(person)
    return f"{stakes.capital(forms.subject)} {agree(dice.choice(pool), forms)}."


def _facts(pack: WorldPack, state: GameState, npc: str, ref: Ref) -> list[Fact]:
    if ref.kind == "npc":
        return _about_person(pack, state, npc, ref)
    if ref.kind == "item":
        return _about_thing(pack, state, npc, ref)
    if ref.kind == "location":
        return _about_place(pack, state, npc, ref)
    if ref.kind == "player":
        return _about_player(pack, state, npc)
    return _about_matter(pack, state, npc, ref)


def _about_person(pack: WorldPack, state: GameState, npc: str, ref: Ref) -> list[Fact]:
    if ref.id == npc:
        pool: tuple[str, ...] = (
            "{npc} would sooner talk about anything else.",
            "{npc} is not about to tell you {their} life story.",
        )
        return [Fact(pool, {})]
    other = {"other": ref.name}
    facts: list[Fact] = []
    believed = [g for g in state.gossip if g.about == ref.id and npc in g.believers]
    if believed:
        pool = (
            "{npc} lowers {their} voice: the word is that {gossip}.",
            "{npc} has heard that {gossip}, and believes it.",
        )
        facts.append(Fact(pool, {**other, "gossip": believed[-1].topic}))
    for cid, conflict in pack.conflicts.items():
        wants = conflict.wants.get(ref.id)
        if wants is not None and state.conflicts[cid].phase != "aftermath":
            pool = (
                "{npc} knows what {other} wants: {wants}.",
                "What {other} wants is no secret to {npc}: {wants}.",
            )
            facts.append(Fact(pool, {**other, "wants": wants}))
    facts += _sides(pack, state, npc, ref)
    facts += _factions(pack, state, npc, ref)
    return [*facts, Fact(PERSON_FALLBACK, other)]


def _sides(pack: WorldPack, state: GameState, npc: str, ref: Ref) -> list[Fact]:
    """Where the two stand in a conflict both are in."""
    mine, theirs = state.npcs[npc].role, state.npcs[ref.id].role
    if mine is None or theirs is None or {mine, theirs} & STANDING_BY:
        return []
    shared = [c.name for c in pack.conflicts.values() if {npc, ref.id} <= set(c.stakeholders)]
    if not shared:
        return []
    values = {"other": ref.name, "conflict": shared[0]}
    if (mine in FIRE) != (theirs in FIRE):
        pool: tuple[str, ...] = (
            "{npc} has no good word for {other}: they stand on opposite sides of {conflict}.",
            "Between {npc} and {other} lies {conflict}, and neither will give way.",
        )
        return [Fact(pool, values)]
    pool = (
        "{npc} counts {other} on {their} side of {conflict}.",
        "{npc} and {other} stand together in {conflict}.",
    )
    return [Fact(pool, values)]


def _factions(pack: WorldPack, state: GameState, npc: str, ref: Ref) -> list[Fact]:
    """The two people's factions: the same one, or how theirs stand."""
    mine, theirs = pack.npcs[npc].faction, pack.npcs[ref.id].faction
    if theirs is None or theirs not in pack.factions:
        return []
    values = {"other": ref.name, "faction": pack.factions[theirs].name}
    if mine == theirs:
        pool: tuple[str, ...] = (
            "{npc} speaks of {other} as one of {their} own, of {faction}.",
            "To {npc}, {other} is one of {faction}, and that settles it.",
        )
        return [Fact(pool, values)]
    if mine is None or mine not in pack.factions:
        return [Fact(("{npc} knows {other} as one of {faction}.",), values)]
    return [_tie(pack, state, mine, theirs, values)]


def _tie(pack: WorldPack, state: GameState, mine: str, theirs: str, values: dict[str, str]) -> Fact:
    relation = state.relations.get("|".join(sorted((mine, theirs))), 0.0)
    pool: tuple[str, ...] = (
        "As {npc} tells it, {own} and {faction} are {tie}.",
        "{npc} will tell you that {own} and {faction} are {tie}.",
    )
    return Fact(pool, {**values, "own": pack.factions[mine].name, "tie": tie(relation)})


def _about_thing(pack: WorldPack, state: GameState, npc: str, ref: Ref) -> list[Fact]:
    other = {"other": ref.name}
    place = state.items.get(ref.id)
    here = f"room:{state.npcs[npc].location}"
    facts: list[Fact] = []
    if place == f"npc:{npc}":
        pool: tuple[str, ...] = (
            "{npc} has the {other}, and keeps it close.",
            "The {other} is with {npc} now.",
        )
        facts.append(Fact(pool, other))
    if ref.id in pack.npcs[npc].wants:
        pool = (
            "{npc} wants the {other}, and makes no secret of it.",
            "{npc} would give a good deal for the {other}.",
        )
        facts.append(Fact(pool, other))
    if place == PLAYER:
        pool = (
            "{npc} has noticed the {other} you carry, and says nothing of it.",
            "{npc} looks from you to the {other} you carry, and keeps {their} thoughts on it.",
        )
        facts.append(Fact(pool, other))
    elif place == here:
        pool = ("{npc} points you to the {other}: it is right here.",)
        facts.append(Fact(pool, other))
    elif ref.id in pack.locations[state.npcs[npc].location].items:
        facts.append(Fact(("{npc} remembers the {other} being here, and not since.",), other))
    return [*facts, Fact(THING_FALLBACK, other)]


def _about_place(pack: WorldPack, state: GameState, npc: str, ref: Ref) -> list[Fact]:
    values = {"other": ref.name}
    if ref.id == state.location:
        return [Fact(("{npc} knows {other} well: you are standing in it.",), values)]
    way = hints.route(pack, state.location, ref.id)
    if not way:
        pool: tuple[str, ...] = ("{npc} knows {other}, but not how you would get there from here.",)
        return [Fact(pool, values)]
    pool = (
        "{npc} tells you the way to {other}: {way}.",
        "To {other}? {npc} gives you the way: {way}.",
    )
    return [Fact(pool, {**values, "way": ", then ".join(way)})]


def _about_player(pack: WorldPack, state: GameState, npc: str) -> list[Fact]:
    feeling = mood(state.npcs[npc].disposition)
    pools: dict[str, tuple[str, ...]] = {
        "hostile": ("{npc} has nothing good to say about you, and says so.",),
        "unfriendly": ("{npc} does not think much of you, and lets it show.",),
        "neutral": ("{npc} has not made up {their} mind about you yet.",),
        "warm": ("{npc} thinks well of you, and says so.",),
        "devoted": ("{npc} would trust you with anything.",),
    }
    facts = [Fact(pools[feeling], {})]
    seen = sorted(((v, d) for d, v in state.reputation.items() if v >= 0.5), reverse=True)
    if seen:
        word = listing([d for _, d in seen[:2]])
        facts.append(Fact(("Word is you are {seen}.",), {"seen": word}))
    return facts


def _about_matter(pack: WorldPack, state: GameState, npc: str, ref: Ref) -> list[Fact]:
    """A faction, a quest, a conflict or an event."""
    values = {"other": ref.name}
    if ref.kind == "faction":
        return _about_faction(pack, state, npc, ref)
    if ref.kind == "quest":
        if state.quests[ref.id].done:
            return [Fact(("{npc} knows {other} is settled, and how.",), values)]
        pool: tuple[str, ...] = (
            "{npc} knows what you are after, and wishes you luck with it.",
            "{npc} has heard what you are about: {other}.",
        )
        return [Fact(pool, values)]
    if ref.kind == "conflict":
        return _about_conflict(pack, state, npc, ref)
    return [_about_event(pack, state, ref)]


def _about_faction(pack: WorldPack, state: GameState, npc: str, ref: Ref) -> list[Fact]:
    values = {"other": ref.name, "faction": ref.name}
    mine = pack.npcs[npc].faction
    facts: list[Fact] = []
    if mine == ref.id:
        pool: tuple[str, ...] = (
            "{npc} is one of {faction}, and does not care who knows it.",
            "{npc} speaks for {faction}, being one of them.",
        )
        facts.append(Fact(pool, values))
    elif mine is not None and mine in pack.factions:
        facts.append(_tie(pack, state, mine, ref.id, values))
    members = [p.name for i, p in pack.npcs.items() if p.faction == ref.id and i != npc]
    if members:
        pool = ("{npc} names the people of {faction}: {members}.",)
        facts.append(Fact(pool, {**values, "members": listing(members)}))
    return [*facts, Fact(("{npc} knows of {faction}, as everyone does.",), values)]


def _about_conflict(pack: WorldPack, state: GameState, npc: str, ref: Ref) -> list[Fact]:
    conflict = pack.conflicts[ref.id]
    values = {"other": ref.name}
    standing = Fact((stakes.standing(conflict, state.conflicts[ref.id]),), {})
    wants = conflict.wants.get(npc)
    if wants is not None:
        pool: tuple[str, ...] = ("What {npc} wants from {other} is plain: {wants}.",)
        return [Fact(pool, {**values, "wants": wants}), standing]
    if npc in conflict.stakeholders:
        return [Fact(("{npc} is in the thick of {other}.",), values), standing]
    return [Fact(("{npc} keeps out of {other}, as far as anyone can.",), values), standing]


def _about_event(pack: WorldPack, state: GameState, ref: Ref) -> Fact:
    event = pack.events[ref.id]
    values = {"other": ref.name}
    if ref.id in state.events:
        return Fact(("{npc} speaks of {other}, which has come and gone.",), values)
    if event.minute is not None:
        left = story.hours(story.time_left(event, state.clock))
        return Fact(("{npc} knows {other} is coming: {left} from now.",), {**values, "left": left})
    return Fact(("{npc} has heard talk of {other}.",), values)
