"""Many players' games in one process, for the sessions scenario: the games, what each
player types, and how long after a command its first narration word reaches the player.

The games share one HTTP session (one connection pool), as a server hosting many
players should. Every game's events are read as a front end would read them. The
model's own latency is known from the loopback server, which says in a header how long
it means to wait before an answer's first token (`FIRST_TOKEN_HEADER`): the time from a
command to its first narration word, less that, is what the process itself added.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Self

import aiohttp
from aiohttp.connector import Connection

from textrealms.bench.model import MODEL, game
from textrealms.bench.scenario import Options
from textrealms.bench.script import Tour, random_command
from textrealms.engine.events import NarrationDelta
from textrealms.engine.gm import GameMaster
from textrealms.llm.openai import OpenAICompatible, shared_session
from textrealms.llm.presets import PRESETS, LlmConfig
from textrealms.llm.testing.replies import FIRST_TOKEN_HEADER

RANDOM_SHARE = 0.2
"""Commands typed at random rather than taken from the tour."""


@dataclass(slots=True)
class Turn:
    """One command as its player typed it, and its narration's model call, once made."""

    began: float
    model_ms: float | None = None
    """The model's own wait before the first token of the turn's narration call; None
    while it has made none (and for good when its narration was prefetched)."""


_TURN: ContextVar[Turn | None] = ContextVar("turn", default=None)
"""The turn whose command the current task serves: its jobs' tasks inherit it, and so do
the model calls they make."""


@dataclass
class Tally:
    """What the players, their front ends and the loop monitor measured."""

    hot: list[float] = field(default_factory=list)
    first_text: list[float] = field(default_factory=list)
    overhead: list[float] = field(default_factory=list)
    """First text less the model's own first-token wait, for turns narrated by a call."""
    events: int = 0


class Player:
    """A game and the person at it: the tour, with a few random commands mixed in."""

    def __init__(self, gm: GameMaster, rng: random.Random, tally: Tally) -> None:
        self.gm = gm
        self.rng = rng
        self.tally = tally
        self.tour = Tour(gm.pack)
        self.submitted: dict[int, Turn] = {}

    def command(self) -> str:
        if self.rng.random() < RANDOM_SHARE:
            return random_command(self.gm.pack, self.gm.state, self.rng)
        return self.tour.next(self.gm.state)

    def type(self) -> None:
        """The next command, timed; its turn is remembered until its first text comes."""
        turn = Turn(time.perf_counter())
        reset = _TURN.set(turn)
        try:
            result = self.gm.submit(self.command())
        finally:
            _TURN.reset(reset)
        self.tally.hot.append((time.perf_counter() - turn.began) * 1000)
        self.submitted[result.state.turn] = turn

    async def follow(self) -> None:
        """A front end's share of the work: every event read, and the first narration
        word of each command's turn timed."""
        async for event in self.gm.events():
            self.tally.events += 1
            if not isinstance(event, NarrationDelta):
                continue
            turn = self.submitted.pop(event.turn, None)
            if turn is None:
                continue
            waited = (time.perf_counter() - turn.began) * 1000
            self.tally.first_text.append(waited)
            if turn.model_ms is not None:
                self.tally.overhead.append(waited - turn.model_ms)


@contextlib.asynccontextmanager
async def players(
    options: Options, urls: list[str], n: int, tally: Tally
) -> AsyncIterator[list[Player]]:
    """`n` games on the real client, dealt among the model servers at `urls`, each with
    a front end following it; all closed after."""
    session = shared_session(response_class=_Timed)
    games: list[Player] = []
    followers: list[asyncio.Task[None]] = []
    try:
        for i in range(n):
            pack = options.packs[i % len(options.packs)]
            config = LlmConfig(PRESETS["vllm"], urls[i % len(urls)], MODEL)
            client = OpenAICompatible(config, pack, seed=options.seed + i, session=session)
            rng = random.Random(f"{options.seed}:{n}:{i}")
            player = Player(game(client, pack, options.seed + i), rng, tally)
            games.append(player)
            followers.append(asyncio.create_task(player.follow()))
        yield games
    finally:
        await asyncio.gather(*(p.gm.aclose() for p in games))
        await asyncio.gather(*followers)
        await session.close()


class _Timed(aiohttp.ClientResponse):
    """A response that notes, on the turn its call serves, the first-token wait its
    server planned, as its headers arrive; the loopback server says it only on a streamed
    answer, a narration's (a structured answer and a prefetch come whole). A response
    class of the bench's own, not a trace config: aiohttp sends a trace's every signal on
    every request, 1.5 % of the loop at a thousand games, for the one header read here."""

    async def start(self, connection: Connection) -> Self:
        await super().start(connection)
        turn = _TURN.get()
        planned = self.headers.get(FIRST_TOKEN_HEADER)
        if turn is not None and turn.model_ms is None and planned:
            turn.model_ms = float(planned)
        return self
