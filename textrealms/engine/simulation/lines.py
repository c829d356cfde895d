"""The lines people are given between the player's turns: their moves in a conflict and
their reactions to the player's choices.

A person's own pools come first (format 2: `reactions.<role>`, `moves`, `pleased`,
`displeased`, each line only while its conditions hold); the pack's generic
`reaction.<role>` lines, else the engine's, only when the pack gives them none, and only
those that fit their body. Every line is filled with the person's pronouns, and the one
said least in the game so far is told: a move said twice already is not told again.
"""

from __future__ import annotations

from collections.abc import Sequence

from textrealms.engine.phrases import options
from textrealms.engine.simulation.stakeholders import Move
from textrealms.world import effects as fx
from textrealms.world import said
from textrealms.world.conditions import all_hold
from textrealms.world.defaults import DEFAULT_TEMPLATES
from textrealms.world.persona import fits, placeholders
from textrealms.world.rng import Dice
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState
from textrealms.world.templates import render


def own(pack: WorldPack, state: GameState, npc: str, pools: Sequence[str]) -> list[str]:
    """The lines of the first of a person's own `pools` that has any holding in `state`."""
    reactions = pack.npcs[npc].reactions
    for pool in pools:
        lines = [line.text for line in getattr(reactions, pool) if all_hold(line.when, state)]
        if lines:
            return lines
    return []


def generic(pack: WorldPack, npc: str, key: str) -> list[str]:
    """The pack's variants of template `key` that fit the person's body, else the engine's."""
    body = pack.npcs[npc].body
    for variants in (options(pack, key), DEFAULT_TEMPLATES[key]):
        fitting = [v for v in variants if fits(v, body)]
        if fitting:
            return fitting
    return DEFAULT_TEMPLATES[key]


def values(pack: WorldPack, npc: str, conflict: str | None) -> dict[str, str]:
    """What a line about `npc` in `conflict` is filled with."""
    person = pack.npcs[npc]
    found = {"player": "you", **placeholders(person)}
    if conflict is not None:
        found["conflict"] = pack.conflicts[conflict].name
    if person.faction is not None and person.faction in pack.factions:
        found["faction"] = pack.factions[person.faction].name
    return found


def least_said(
    pool: Sequence[str], fill: dict[str, str], state: GameState, dice: Dice
) -> tuple[str, int]:
    """One of the lines of `pool` (at least one), filled, among those told least in the
    game so far; with how often it was told."""
    told = said.tally(state.said)
    filled = list(dict.fromkeys(render(line, fill) for line in pool))
    line = dice.choice(said.least_said(filled, told))
    return line, said.staleness(line, told)[0]


def move(pack: WorldPack, state: GameState, made: Move, dice: Dice) -> str | None:
    """What a stakeholder is seen doing in their conflict, in their role; None once every
    line they could be given has been told twice."""
    npc, role = made.npc, made.role
    pool = own(pack, state, npc, (role, "moves")) or generic(pack, npc, f"reaction.{role}")
    line, times = least_said(pool, values(pack, npc, made.conflict), state, dice)
    return line if times < said.TWICE else None


def reaction(
    pack: WorldPack, before: GameState, after: GameState, npc: str, *, conflict: str, dice: Dice
) -> tuple[str, bool]:
    """How `npc` takes the player's choice, and whether it is their own line (from
    `pleased` or `displeased`, as the choice moved their feeling for the player)."""
    fill = values(pack, npc, conflict)
    role = after.npcs[npc].role or "bystander"
    feeling = after.npcs[npc].disposition - before.npcs[npc].disposition
    pool = "pleased" if feeling > 0 else "displeased" if feeling < 0 else None
    mine = own(pack, after, npc, (pool,)) if pool is not None else []
    if mine:
        line, times = least_said(mine, fill, after, dice)
        if times < said.TWICE:
            return line, True
    return least_said(generic(pack, npc, f"reaction.{role}"), fill, after, dice)[0], False


def gestures(pack: WorldPack, state: GameState, npc: str) -> tuple[str, ...]:
    """A person's own gestures (format 2) that hold in `state`, filled in."""
    fill = values(pack, npc, None)
    return tuple(render(g.text, fill) for g in pack.npcs[npc].gestures if all_hold(g.when, state))


def told(*texts: str) -> fx.Tell:
    """The effect that remembers `texts` as told."""
    return fx.Tell(tuple(k for text in texts for k in said.keys(text)))


def untold(state: GameState, text: str) -> bool:
    """Whether `text` may still be told: none of its sentences told twice already."""
    return said.staleness(text, said.tally(state.said))[0] < said.TWICE
