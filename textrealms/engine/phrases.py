"""Template text: the pack's variants for a key, else the engine's, filled in."""

from __future__ import annotations

from textrealms.world.defaults import DEFAULT_TEMPLATES
from textrealms.world.persona import fits, placeholders
from textrealms.world.rng import Dice
from textrealms.world.schema import WorldPack
from textrealms.world.templates import render


def options(pack: WorldPack, key: str) -> list[str]:
    """The variants of template `key`: the pack's, else the engine's."""
    return pack.templates.variants(key) or DEFAULT_TEMPLATES[key]


def phrase(pack: WorldPack, key: str, dice: Dice, **values: str) -> str:
    """A variant of template `key`, picked with `dice`; `{player}` is always "you"."""
    return render(dice.choice(options(pack, key)), {"player": "you", **values})


def about(pack: WorldPack, key: str, npc: str, dice: Dice, **values: str) -> str:
    """A variant of template `key` about person `npc`: one that fits their body (any, if
    none does), filled with their name and pronouns."""
    person = pack.npcs[npc]
    variants = options(pack, key)
    fitting = [v for v in variants if fits(v, person.body)] or variants
    return render(dice.choice(fitting), {"player": "you", **values, **placeholders(person)})
