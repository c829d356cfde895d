"""The social circle: gossip born of deeds and breaking points, and how it spreads.

NPCs who meet (in one place, or a single exit apart) pass on gossip they believe, as
readily as their gossip tendency and the gossip's catchiness allow; whether the listener
believes it depends on how true it is. Believing gossip about the player moves how the
believer feels about them and the player's reputation; believing it about someone of
another faction moves how the two factions get along.

`turn_gossip` is a whole turn of it, decided before any model is asked to word it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from textrealms.engine.phrases import phrase
from textrealms.engine.verbs import names
from textrealms.world import effects as fx
from textrealms.world.persona import placeholders
from textrealms.world.rng import Dice
from textrealms.world.schema import Dimension, GossipType, StakeholderRole, WorldPack
from textrealms.world.state import PLAYER, GameState, Gossip
from textrealms.world.templates import render

MAX_PASSES = 8
"""Gossip passed between NPCs per turn at most: the world stays busy but bounded."""
SECRET_STRESS = 0.6
"""Stress at which a stakeholder's strain becomes a secret worth whispering."""

FEELING: dict[GossipType, float] = {
    "praise": 0.05,
    "warning": -0.05,
    "scandal": -0.06,
    "rumor": 0.0,
    "secret": -0.02,
    "speculation": -0.01,
}
"""Disposition toward the subject of gossip a believer gains (or loses)."""

STANDING: dict[GossipType, dict[Dimension, float]] = {
    "praise": {"trustworthy": 0.02, "nurturing": 0.01},
    "warning": {"dangerous": 0.02},
    "scandal": {"scandalous": 0.03, "trustworthy": -0.01},
    "rumor": {"influential": 0.01},
    "secret": {"mysterious": 0.01},
    "speculation": {"mysterious": 0.01},
}
"""Reputation the player gains each time someone comes to believe gossip about them."""


@dataclass(frozen=True, slots=True)
class Deed:
    """What the player did this turn, as gossip sees it."""

    verb: str
    conflict: str | None = None
    npc: str | None = None
    item: str | None = None


DEED_GOSSIP: dict[str, tuple[GossipType, str]] = {
    names.ESCALATE: ("warning", "you have been stirring up trouble over {conflict}"),
    names.RESIST: ("rumor", "you stood your ground over {conflict}"),
    names.SUBMIT: ("rumor", "you gave way over {conflict}"),
    names.DEESCALATE: ("praise", "you tried to cool tempers over {conflict}"),
    names.NEGOTIATE: ("praise", "you have been looking for terms over {conflict}"),
    names.SUPPORT: ("rumor", "you have taken {npc}'s side"),
    names.OPPOSE: ("scandal", "you have turned against {npc}"),
    names.GIVE: ("praise", "you gave {npc} the {item}"),
}


@dataclass(frozen=True, slots=True)
class Overheard:
    """Gossip the player hears this turn: who tells it, and the pack's words for it."""

    gossip: Gossip
    teller: str
    fallback: str


@dataclass(frozen=True, slots=True)
class TurnGossip:
    effects: list[fx.Effect]
    """Gossip born and believed, passed between NPCs who meet, then heard by the player."""
    heard: Overheard | None


def turn_gossip(pack: WorldPack, state: GameState, deed: Deed, dice: Dice, turn: int) -> TurnGossip:
    """Turn `turn`'s gossip, after `deed` made `state`: what those present make of the deed,
    a secret about a stakeholder near breaking, what NPCs who meet pass on, and what the
    player overhears. `dice` makes each choice, in that order."""
    born = witnessed(pack, state, deed, dice, turn) + strained(pack, state, dice, turn)
    effects: list[fx.Effect] = []
    for g in born:
        effects.append(fx.AddGossip(g))
        for believer in g.believers:
            effects += belief_effects(pack, g, believer)
    effects += spread(pack, state, dice)
    heard = overheard(pack, state, dice, turn)
    if heard is None:
        return TurnGossip(effects, None)
    g, teller = heard
    about = "you" if g.about == PLAYER else pack.npcs[g.about].name
    fallback = phrase(pack, f"gossip.{g.type}", dice, npc=about, topic=g.topic)
    effects.append(fx.HearGossip(g.id, turn, teller))
    return TurnGossip(effects, Overheard(g, teller, fallback))


def witnessed(pack: WorldPack, state: GameState, deed: Deed, dice: Dice, turn: int) -> list[Gossip]:
    """Gossip about the player from what those present saw them do."""
    known = DEED_GOSSIP.get(deed.verb)
    witnesses = state.npcs_in(state.location)
    if known is None or not witnesses:
        return []
    kind, clause = known
    topic = clause.format(
        conflict=pack.conflicts[deed.conflict].name if deed.conflict else "what is going on here",
        npc=pack.npcs[deed.npc].name if deed.npc else "someone",
        item=pack.items[deed.item].name if deed.item else "something",
    )
    origin = dice.choice(witnesses)
    return [
        Gossip(
            id=f"g{turn}-deed",
            type=kind,
            about=PLAYER,
            topic=topic,
            truth=0.9,
            spread=0.6 if kind in ("scandal", "warning") else 0.4,
            origin=origin,
            turn=turn,
            believers=witnesses,
        )
    ]


def strained(pack: WorldPack, state: GameState, dice: Dice, turn: int) -> list[Gossip]:
    """A secret whispered about the first stakeholder near breaking who has none yet."""
    told = {g.about for g in state.gossip if g.type == "secret"}
    for npc, ns in state.npcs.items():
        if ns.role is None or ns.stress < SECRET_STRESS or npc in told:
            continue
        near = neighbours(pack, state, npc)
        if not near:
            continue
        whisperer = dice.choice(near)
        name = pack.npcs[npc].name
        return [
            Gossip(
                id=f"g{turn}-secret",
                type="secret",
                about=npc,
                topic=f"{name} is closer to breaking than anyone knows",
                truth=0.8,
                spread=0.5,
                origin=whisperer,
                turn=turn,
                believers=[whisperer],
            )
        ]
    return []


TURNED: dict[StakeholderRole, str] = {
    "instigator": "{npc} is the one stirring it all up now",
    "escalator": "{npc} has lost {their} temper for good, and wants a fight",
    "defender": "{npc} has dug in {their} heels",
    "victim": "{npc} is the one getting hurt now",
    "mediator": "{npc} is trying to talk everyone round",
    "opportunist": "{npc} is in it for {their} own gain now",
    "bystander": "{npc} has washed {their} hands of the whole business",
    "peacemaker": "{npc} has had enough, and is begging for peace",
}
"""What people say of someone who broke and took a role, in words a neighbour would use."""


def broken(pack: WorldPack, npc: str, new_role: StakeholderRole, turn: int, origin: str) -> Gossip:
    """The scandal a breaking point makes."""
    return Gossip(
        id=f"g{turn}-break-{npc}",
        type="scandal",
        about=npc,
        topic=render(TURNED[new_role], placeholders(pack.npcs[npc])),
        truth=1.0,
        spread=0.8,
        origin=origin,
        turn=turn,
        believers=[origin],
    )


def neighbours(pack: WorldPack, state: GameState, npc: str) -> list[str]:
    """NPCs who meet `npc` this turn: in the same place or one exit away."""
    here = state.npcs[npc].location
    places = {here} | {e.to for e in pack.locations[here].exits.values()}
    return [n for n, s in state.npcs.items() if s.location in places and n != npc]


def _meetings(pack: WorldPack, state: GameState) -> Iterator[tuple[str, str]]:
    for teller in state.npcs:
        for listener in neighbours(pack, state, teller):
            yield teller, listener


def spread(pack: WorldPack, state: GameState, dice: Dice) -> list[fx.Effect]:
    """Gossip passing between NPCs who meet, and what believing it does."""
    effects: list[fx.Effect] = []
    passes = 0
    held = {g.id: set(g.believers) | set(g.deniers) for g in state.gossip}
    for g in reversed(state.gossip):
        for teller, listener in _meetings(pack, state):
            if passes >= MAX_PASSES:
                return effects
            if teller not in g.believers or listener in held[g.id]:
                continue
            chance = pack.npcs[teller].gossip_tendency * (0.3 + 0.7 * g.spread) * 0.6
            if dice.random() >= chance:
                continue
            passes += 1
            held[g.id].add(listener)
            believes = listener != g.about and dice.random() < 0.3 + 0.6 * g.truth
            effects.append(fx.Believe(g.id, listener, believes))
            if believes:
                effects += belief_effects(pack, g, listener)
    return effects


def belief_effects(pack: WorldPack, g: Gossip, believer: str) -> list[fx.Effect]:
    """What coming to believe `g` changes: feelings toward the player and their standing,
    or, for gossip about someone of another faction, how the two factions get along."""
    if g.about == PLAYER:
        return [
            fx.AdjustDisposition(believer, FEELING[g.type]),
            *(fx.AdjustReputation(d, v) for d, v in STANDING[g.type].items()),
        ]
    theirs, ours = pack.npcs[g.about].faction, pack.npcs[believer].faction
    if theirs and ours and theirs != ours and FEELING[g.type]:
        return [fx.AdjustRelation(ours, theirs, FEELING[g.type] / 2)]
    return []


def speaks_of(pack: WorldPack, g: Gossip, npc: str) -> bool:
    """Whether `g` is about `npc` or names them: a person never passes on, in the third
    person, a rumour that speaks of them ("you gave Hobb the locket," Hobb says)."""
    return g.about == npc or pack.npcs[npc].name in g.topic


def overheard(
    pack: WorldPack, state: GameState, dice: Dice, turn: int
) -> tuple[Gossip, str] | None:
    """(gossip, teller) the player hears this turn from someone here, if anyone tells."""
    here = state.npcs_in(state.location)
    heard = {(g.topic, g.teller) for g in state.gossip if g.heard is not None}
    for g in reversed(state.gossip):
        if g.heard is not None or g.turn >= turn:
            continue
        tellers = [
            n
            for n in here
            if n in g.believers and not speaks_of(pack, g, n) and (g.topic, n) not in heard
        ]
        if not tellers:
            continue
        teller = max(tellers, key=lambda n: pack.npcs[n].gossip_tendency)
        keen = 1.3 if pack.npcs[teller].social_role == "gossip" else 1.0
        if dice.random() < pack.npcs[teller].gossip_tendency * 0.8 * keen:
            return g, teller
        return None
    return None
