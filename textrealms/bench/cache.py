"""Scenario 6: the answer cache on a replay, and idle prefetch.

A tour is played twice with the same seed against the same model, each pass a new game
sharing only the saves database's answer cache, as a player replaying a world would. The
second pass should find what the first asked for. Between turns the player "reads"
(the game is let go quiet), so idle prefetch can describe the next rooms in time.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from textrealms.bench.model import QUICK_SCALE, chats, client, game, scaled, server
from textrealms.bench.scenario import Options, Outcome, Row
from textrealms.bench.script import Tour, play_through
from textrealms.engine.metrics import MetricsSnapshot
from textrealms.llm.testing import LoopbackServer
from textrealms.store.database import SaveStore
from textrealms.world.schema import WorldPack

TARGET = 0.8


async def run(options: Options) -> Outcome:
    turns = options.size(25, 50)
    latency = scaled(options.latency, QUICK_SCALE) if options.quick else options.latency
    passes: list[tuple[MetricsSnapshot, int]] = []
    with tempfile.TemporaryDirectory(prefix="textrealms-bench-") as folder:
        store = await SaveStore.open(Path(folder))
        try:
            async with server(latency, options.seed) as served:
                for n in (1, 2):
                    options.progress(f"cache: pass {n}, {turns} turns")
                    passes.append(await _play(served, store, options.pack, options.seed, turns))
        finally:
            await store.aclose()
    (first, first_calls), (second, second_calls) = passes
    data: dict[str, Any] = {
        "cache": {
            "hit_rate": second.cache_hit_rate,
            "hits": second.cache_hits,
            "misses": second.cache_misses,
            "first_pass_hit_rate": first.cache_hit_rate,
            "first_pass_http_calls": first_calls,
            "second_pass_http_calls": second_calls,
            "turns": turns,
        },
        "prefetch": {
            "hit_rate": first.prefetch_hit_rate,
            "hits": first.prefetch_hits,
            "room_narrations": first.room_narrations,
            "started": first.prefetch_started,
        },
    }
    looked = second.cache_hits + second.cache_misses
    rows = [
        Row(
            "replay hit rate",
            f"{second.cache_hit_rate:.0%} ({second.cache_hits} of {looked})",
            f"> {TARGET:.0%}",
            second.cache_hit_rate > TARGET,
        ),
        Row("model calls, first / replay", f"{first_calls} / {second_calls}"),
        Row(
            "rooms already described on entry",
            f"{first.prefetch_hit_rate:.0%} ({first.prefetch_hits}/{first.room_narrations})",
        ),
    ]
    return Outcome("6 cache", data, rows)


async def _play(
    served: LoopbackServer, store: SaveStore, pack: WorldPack, seed: int, turns: int
) -> tuple[MetricsSnapshot, int]:
    """One pass: its metrics, and how many chat requests reached the server."""
    before = chats(served)
    gm = game(client(served, pack, seed), pack, seed, store=store)
    try:
        await play_through(gm, Tour(pack), turns, quiet=True)
        return gm.snapshot(), chats(served) - before
    finally:
        await gm.aclose()
