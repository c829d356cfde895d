"""Scenario 7: saving as you play, and resuming a long game.

A real game is played through the `Session` into a real SQLite file: the autosave's
latency is the time from a turn settling (its last write queued) to its rows being on
disk, which the player never waits for; the hot path with saving on is timed too. A
10,000-turn game is then written from the states and stories of those real turns, in
their order, and its file weighed once closed (the WAL checkpointed into it). The full
run writes it on to 50,000 turns; the game is then opened and resumed as `textrealms
continue` would.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from textrealms.bench.scenario import Options, Outcome, Row, ms
from textrealms.bench.script import Tour, random_command
from textrealms.engine.events import StoryEvent, TurnSettled
from textrealms.engine.gm import GameMaster
from textrealms.engine.metrics import percentiles
from textrealms.engine.session import Session
from textrealms.store.database import FILENAME, SaveStore
from textrealms.world.saved import SavedTurn, TurnLog
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

LONG_GAME = 10_000
RESUMED_GAME = 50_000
BYTES_TARGET = 1536
RESUME_TARGET_MS = 100.0
SETTLE_SECONDS = 10.0


async def run(options: Options) -> Outcome:
    turns = options.size(200, 1000)
    with tempfile.TemporaryDirectory(prefix="textrealms-bench-") as name:
        folder = Path(name)
        played = await _play(folder / "played", options.pack, options.seed, turns)
        options.progress(f"saves: writing a {LONG_GAME:,}-turn game")
        long = await _long_game(folder / "long", played, options.size(LONG_GAME, RESUMED_GAME))
    autosave = percentiles(played.autosave_ms)
    submit = percentiles(played.submit_ms)
    per_thousand = played.bytes / played.turns * 1000
    data: dict[str, Any] = {
        "save": {
            "autosave_p50_ms": autosave.p50,
            "autosave_p99_ms": autosave.p99,
            "autosave_max_ms": autosave.max,
            "submit_p50_ms": submit.p50,
            "submit_p99_ms": submit.p99,
            "bytes_per_1000_turns": per_thousand,
            "turns_played": played.turns,
            "resume_10k_ms": long.resume_ms[LONG_GAME],
            "bytes_10k": long.bytes,
            "bytes_per_turn": long.bytes / LONG_GAME,
            "resume_turns": long.turns,
            "resume_ms": long.resume_ms[long.turns],
            "resume_cpu_ms": long.resume_cpu_ms,
        }
    }
    rows = [
        Row("turns played and saved", str(played.turns)),
        Row("settled to on disk p50 / p99", f"{ms(autosave.p50)} / {ms(autosave.p99)}"),
        Row("submit with autosave p99", ms(submit.p99), "< 2 ms", submit.p99 < 2.0),
        Row("database per 1,000 turns", f"{per_thousand / 1e6:.2f} MB"),
        Row(
            f"database per turn, {LONG_GAME:,}-turn game",
            f"{long.bytes / LONG_GAME:,.0f} B",
            f"<= {BYTES_TARGET:,} B",
            long.bytes / LONG_GAME <= BYTES_TARGET,
        ),
        Row(f"open + resume a {LONG_GAME:,}-turn game", ms(long.resume_ms[LONG_GAME])),
        Row(
            f"open + resume a {long.turns:,}-turn game (CPU {ms(long.resume_cpu_ms)})",
            ms(long.resume_ms[long.turns]),
            f"< {RESUME_TARGET_MS:g} ms",
            long.resume_ms[long.turns] < RESUME_TARGET_MS,
        ),
    ]
    return Outcome("7 saves", data, rows)


class Played:
    """What a played game left: its timings, its turns as saved, its file's size."""

    def __init__(self) -> None:
        self.autosave_ms: list[float] = []
        self.submit_ms: list[float] = []
        self.saved: list[SavedTurn] = []
        self.first: GameState | None = None
        self.bytes = 0
        self.turns = 0


async def _play(folder: Path, pack: WorldPack, seed: int, turns: int) -> Played:
    out = Played()
    store = await SaveStore.open(folder)
    try:
        gm = GameMaster(pack, seed=seed)
        slot = await store.create(gm.state)
        session = Session(gm, store, slot=slot.name)
        settled: asyncio.Queue[int] = asyncio.Queue()
        watcher = asyncio.create_task(_watch(session.events(), settled))
        try:
            out.first = session.state
            states = await _turns(session, store, settled, out, turns=turns, seed=seed)
        finally:
            await session.aclose()
            await watcher
        logs = await store.story(slot.name)
    finally:
        await store.aclose()
    out.saved = [_saved(log, states[log.turn]) for log in logs if log.turn in states]
    out.turns = len(states)
    out.bytes = _size(folder)
    return out


async def _turns(
    session: Session,
    store: SaveStore,
    settled: asyncio.Queue[int],
    out: Played,
    *,
    turns: int,
    seed: int,
) -> dict[int, GameState]:
    """Play `turns` commands, timing each submit and each settled turn's way to disk;
    the state each turn settled in."""
    pack = session.pack
    tour, rng = Tour(pack), random.Random(seed)
    states: dict[int, GameState] = {}
    session.opening()
    for n in range(turns):
        command = tour.next(session.state) if n % 2 else random_command(pack, session.state, rng)
        before = session.state.turn
        began = time.perf_counter()
        result = session.submit(command)
        out.submit_ms.append((time.perf_counter() - began) * 1000)
        if result.state.turn == before:
            continue
        await asyncio.wait_for(_until(settled, result.state.turn), SETTLE_SECONDS)
        queued = time.perf_counter()
        await store.flush()
        out.autosave_ms.append((time.perf_counter() - queued) * 1000)
        states[result.state.turn] = session.state
    return states


def _saved(log: TurnLog, state: GameState) -> SavedTurn:
    return SavedTurn(log.turn, log.command, log.lines, state)


async def _watch(events: AsyncIterator[StoryEvent], settled: asyncio.Queue[int]) -> None:
    """Turns the session has settled: their final rows are queued by then."""
    async for event in events:
        if isinstance(event, TurnSettled):
            settled.put_nowait(event.turn)


async def _until(settled: asyncio.Queue[int], turn: int) -> None:
    while await settled.get() < turn:
        pass


class Long:
    """A long game written: its file's size at `LONG_GAME` turns, and how long opening
    and resuming it took at each size written."""

    def __init__(self) -> None:
        self.bytes = 0
        self.turns = 0
        self.resume_ms: dict[int, float] = {}
        self.resume_cpu_ms = 0.0


async def _long_game(folder: Path, played: Played, turns: int) -> Long:
    """A game of `turns` turns made of the real turns over and over, written in two
    parts: `LONG_GAME` turns, weighed once closed, then the rest; each part opened and
    resumed as `continue` does."""
    assert played.first is not None and played.saved
    out = Long()
    async with _opened(folder) as store:
        slot = (await store.create(played.first)).name
    for first, last in [(1, LONG_GAME), (LONG_GAME + 1, turns)]:
        if first > last:
            continue
        async with _opened(folder) as store:
            await store.slot(slot)
            for turn in range(first, last + 1):
                real = played.saved[turn % len(played.saved)]
                state = real.state.model_copy(update={"turn": turn})
                store.record(slot, SavedTurn(turn, real.command, real.lines, state), "The bench")
        if last == LONG_GAME:
            out.bytes = _size(folder)
        began, cpu = time.perf_counter(), time.process_time()
        async with _opened(folder) as store:
            resumed = await store.resume(slot)
            out.resume_ms[last] = (time.perf_counter() - began) * 1000
            out.resume_cpu_ms = (time.process_time() - cpu) * 1000
        assert resumed.recent[-1][0] == last and not resumed.lost
        out.turns = last
    return out


@contextlib.asynccontextmanager
async def _opened(folder: Path) -> AsyncIterator[SaveStore]:
    store = await SaveStore.open(folder)
    try:
        yield store
    finally:
        await store.aclose()


def _size(folder: Path) -> int:
    """The bytes of the saves database in `folder`, its side files included."""
    return sum(p.stat().st_size for p in folder.iterdir() if p.name.startswith(FILENAME))
