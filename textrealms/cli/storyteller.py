"""Who tells the story, from the `play` flags and the environment: a model, or offline.

A setting that cannot work (an unknown preset, a missing key, a bad price) gets one
clear line on stderr and the game starts on the offline narrator: the player still plays.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from typing import TextIO

from textrealms.llm import presets
from textrealms.llm.circuit import Circuit
from textrealms.llm.clean import clean
from textrealms.llm.offline import OfflineNarrator
from textrealms.llm.provider import Provider
from textrealms.llm.usage import PRICES, Price, parse_price
from textrealms.world.schema import WorldPack

PRICE_ENV = "TEXTREALMS_LLM_PRICE"


@dataclass(frozen=True, slots=True)
class Storyteller:
    provider: Provider
    circuit: Circuit | None = None
    """Set for a model: it is bypassed for the offline narrator while it keeps failing."""
    price: Price | None = None


def storyteller(pack: WorldPack, seed: int, args: argparse.Namespace, err: TextIO) -> Storyteller:
    offline = Storyteller(OfflineNarrator(pack, seed, pace=max(args.pace, 0.0) / 1000))
    try:
        config = presets.resolve(
            args.llm, args.llm_base_url, args.llm_model, concurrency=args.llm_concurrency
        )
        price = _price(os.environ.get(PRICE_ENV), config.model if config else "")
    except (presets.ConfigError, ValueError) as exc:
        err.write(f"textrealms: {clean(str(exc))}; playing with the offline narrator.\n")
        return offline
    if config is None:
        return offline
    # Only a game told by a model loads the HTTP client (aiohttp takes a while to import).
    from textrealms.llm.openai import OpenAICompatible

    provider = OpenAICompatible(config, pack, seed=seed)
    return Storyteller(provider, Circuit(cooldown=max(args.llm_cooldown, 0.0)), price)


def _price(text: str | None, model: str) -> Price | None:
    if text:
        return parse_price(text)
    return PRICES.get(model)
