"""Scenario 9: what an hour of play costs a player, and where the tokens go.

Every world is toured with the real client against the loopback server, as `play --llm`
plays it: with a circuit breaker (so each turn is also assessed), reactions batched from
three up, and idle prefetch while the player reads. The server bills tokens as a
tokenizer would cut them (`llm.testing.tokens`) and answers at once: what a turn costs
does not depend on how fast the model is, and the run repeats exactly with its seed.

Besides tokens, calls and dollars it measures how much of each prompt repeats the start
of an earlier one in the same game, and how much of that a provider's prompt cache would
serve, as OpenAI's does: a shared prefix counts from 1,024 tokens, in steps of 128.
"""

from __future__ import annotations

import asyncio
import statistics
from dataclasses import dataclass
from typing import Any

from textrealms.bench.model import client, game, server
from textrealms.bench.scenario import Options, Outcome, Row
from textrealms.bench.script import SETTLE_SECONDS, Tour
from textrealms.engine.gm import GameMaster
from textrealms.llm.testing import Latency, LoopbackServer
from textrealms.llm.testing import tokens as tokenizer
from textrealms.llm.usage import Price, Usage
from textrealms.world.schema import WorldPack

TURNS = 50
"""Commands per world; quick or not, so that every run measures the same games."""
PRICE = Price(0.15, 0.60)
"""Dollars per million prompt and completion tokens (gpt-4o-mini's list price)."""
TURNS_PER_HOUR = 240
"""A player's pace: four commands a minute."""
CACHE_MIN = 1024
CACHE_STEP = 128
"""OpenAI's prompt cache: a prefix of at least 1,024 tokens, cached in steps of 128."""
BASELINE = 0.04876
"""Dollars an hour before issue 18's cuts: this scenario on the code it was added to
(docs/performance.md, section 9)."""
BASELINE_KINDS = frozenset(
    {"narration", "describe", "reaction", "reactions", "gossip", "beat", "assess"}
)
"""The task kinds there were then: kinds added since are reported on their own."""
GOAL = 0.6
"""The cuts' goal: at most this share of the baseline."""


@dataclass(slots=True)
class _Tally:
    """One game's spend: tokens per turn, calls, and the prompts as they were sent."""

    world: str
    prompt: list[int]
    completion: list[int]
    calls: int
    repeated: int
    cacheable: int
    usage: Usage


async def run(options: Options) -> Outcome:
    tallies: list[_Tally] = []
    async with server(Latency(), options.seed) as served:
        for pack in options.packs:
            options.progress(f"cost: {pack.world.id}, {TURNS} turns")
            tallies.append(await _play(served, pack, options.seed))
    prompt = [t for tally in tallies for t in tally.prompt]
    completion = [t for tally in tallies for t in tally.completion]
    turns = len(prompt)
    sent = sum(prompt)
    calls = sum(t.calls for t in tallies) / turns
    dollars = _dollars(sum(prompt) / turns, sum(completion) / turns)
    kinds = _kinds([t.usage for t in tallies], turns)
    old = sum(_per_hour(k) for kind, k in kinds.items() if kind in BASELINE_KINDS)
    new = sorted(set(kinds) - BASELINE_KINDS)
    data: dict[str, Any] = {
        "cost": {
            "prompt_tokens_per_turn": {"mean": sent / turns, "p95": _p95(prompt)},
            "completion_tokens_per_turn": {
                "mean": sum(completion) / turns,
                "p95": _p95(completion),
            },
            "calls_per_turn": calls,
            "repeated_share": sum(t.repeated for t in tallies) / sent,
            "cacheable_share": sum(t.cacheable for t in tallies) / sent,
            "dollars_per_hour": dollars,
            "baseline_kinds_dollars_per_hour": old,
            "baseline_dollars_per_hour": BASELINE,
            "price_per_million": {"prompt": PRICE.prompt, "completion": PRICE.completion},
            "turns_per_hour": TURNS_PER_HOUR,
            "turns": turns,
            "by_kind": kinds,
            "worlds": {
                t.world: _dollars(sum(t.prompt) / len(t.prompt), sum(t.completion) / len(t.prompt))
                for t in tallies
            },
        }
    }
    rows = [
        Row(f"$ an hour ({TURNS_PER_HOUR // 60} turns a minute)", f"${dollars:.4f}"),
        Row(
            "$ an hour, the kinds there were at the baseline",
            f"${old:.4f} ({old / BASELINE - 1:+.0%})",
            f"<= ${BASELINE * GOAL:.4f}",
            old <= BASELINE * GOAL,
        ),
        Row(
            "prompt tokens a turn, mean / p95",
            f"{sent / turns:,.0f} / {_p95(prompt):,.0f}",
        ),
        Row(
            "completion tokens a turn, mean / p95",
            f"{sum(completion) / turns:,.0f} / {_p95(completion):,.0f}",
        ),
        Row("model calls a turn", f"{calls:.2f}"),
        Row(
            "prompt repeating an earlier one / cacheable",
            f"{data['cost']['repeated_share']:.0%} / {data['cost']['cacheable_share']:.1%}",
        ),
        *[Row(f"$ an hour, {kind} (new since)", f"${_per_hour(kinds[kind]):.4f}") for kind in new],
        Row(
            "share of $ by kind",
            ", ".join(f"{k} {v['dollar_share']:.0%}" for k, v in kinds.items()),
        ),
    ]
    return Outcome("9 cost", data, rows)


async def _play(served: LoopbackServer, pack: WorldPack, seed: int) -> _Tally:
    """One game of `TURNS` commands, each let go quiet (prefetch too) before the next."""
    first = len(served.requests)
    made = client(served, pack, seed)
    gm = game(made, pack, seed, batching="auto")
    prompt: list[int] = []
    completion: list[int] = []
    try:
        gm.opening()
        await _quiet(gm)
        tour = Tour(pack)
        for _ in range(TURNS):
            before = (made.usage.prompt_tokens, made.usage.completion_tokens)
            gm.submit(tour.next(gm.state))
            await _quiet(gm)
            prompt.append(made.usage.prompt_tokens - before[0])
            completion.append(made.usage.completion_tokens - before[1])
    finally:
        await gm.aclose()
    prompt[0] += made.usage.prompt_tokens - sum(prompt)  # the opening, with the first turn
    completion[0] += made.usage.completion_tokens - sum(completion)
    bodies = [r.body for r in served.requests[first:] if r.path.endswith("/chat/completions")]
    repeated, cacheable = _prefixes([b for b in bodies if b is not None])
    return _Tally(pack.world.id, prompt, completion, len(bodies), repeated, cacheable, made.usage)


async def _quiet(gm: GameMaster) -> None:
    await asyncio.wait_for(gm.quiet(), SETTLE_SECONDS)


def _prefixes(bodies: list[dict[str, Any]]) -> tuple[int, int]:
    """Prompt tokens that repeat the start of an earlier prompt, and those a prompt cache
    would serve, over `bodies` in the order they were sent."""
    root: dict[str, Any] = {}
    repeated = cacheable = 0
    for body in bodies:
        node, shared = root, 0
        for token in tokenizer.messages(body):
            known = node.get(token)
            if known is None:  # off the beaten path: every node from here on is new
                known = node[token] = {}
            else:
                shared += 1
            node = known
        repeated += shared
        if shared >= CACHE_MIN:
            cacheable += shared - shared % CACHE_STEP
    return repeated, cacheable


def _dollars(prompt: float, completion: float) -> float:
    return (prompt * PRICE.prompt + completion * PRICE.completion) / 1e6 * TURNS_PER_HOUR


def _per_hour(kind: dict[str, float]) -> float:
    return _dollars(kind["prompt_tokens_per_turn"], kind["completion_tokens_per_turn"])


def _kinds(usages: list[Usage], turns: int) -> dict[str, dict[str, float]]:
    """Each task kind's calls and tokens a turn, and its share of the dollars."""
    merged: dict[str, tuple[int, int, int]] = {}
    for usage in usages:
        for kind, u in usage.kinds.items():
            calls, prompt, completion = merged.get(kind, (0, 0, 0))
            merged[kind] = (
                calls + u.reports,
                prompt + u.prompt_tokens,
                completion + u.completion_tokens,
            )
    spent = {kind: _dollars(p, c) for kind, (_, p, c) in merged.items()}
    total = sum(spent.values()) or 1.0
    return {
        kind: {
            "calls_per_turn": calls / turns,
            "prompt_tokens_per_turn": prompt / turns,
            "completion_tokens_per_turn": completion / turns,
            "dollar_share": spent[kind] / total,
        }
        for kind, (calls, prompt, completion) in sorted(merged.items(), key=lambda i: -spent[i[0]])
    }


def _p95(values: list[int]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else 0.0
