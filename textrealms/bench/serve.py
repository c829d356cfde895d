"""Scenario 9: players in browsers, each game a process of its own under `textrealms serve`.

`textrealms serve` runs in a child process on a free loopback port, its games told by
the loopback model server (another child) at the realistic latency. Players join in
steps. Each is a websocket client speaking to the server as a browser tab does (the same
endpoint, the same messages): it starts a game, then plays a scripted route at human
pace, a command every 2–5 s, typed, then Enter a moment later.

An answer's latency is what the browser sees: from sending Enter to the frame that draws
the answer. The game draws its answer in the handler of Enter, in the same frame as it
empties the command line, so that frame is the first after Enter to show both the
command line's placeholder and the command's echo in the story (a cursor blink drawn
before the command arrived shows only the first).

Each step's new players open their tabs a second apart while the others play, and the
step times how long each waits for their game's first screen. Then it holds its players
until they have played `COMMANDS` commands (and for `HOLD` seconds at least) and
measures: the answers' p50/p99, CPU per command (the server and every game process, from
/proc), and memory per player (the game processes' RSS, and their PSS, which counts
pages they share once).

A step holds its players while their answers' p99 stays under `TARGET_P99_MS`. The ramp
goes on past that, to show the curve, and stops where it breaks: half the answers over
the target (p50), an answer lost, a game gone, or a game that does not start in time;
or at its cap of players or of time. Then every player leaves (each game ends as its
tab closes) and the server stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median
from typing import Any

import aiohttp

from textrealms.bench.child import ChildFailed, Listening, children, listening
from textrealms.bench.model import MODEL, QUICK_SCALE, loopback_model, scaled
from textrealms.bench.scenario import Options, Outcome, Row, ms
from textrealms.bench.script import Tour
from textrealms.engine import rules
from textrealms.engine.metrics import percentiles
from textrealms.engine.parser import parse
from textrealms.world.schema import WorldPack
from textrealms.world.state import new_game

TARGET_P99_MS = 200.0
"""The seed design's bound on answering a player's choice: a machine whose p99 is past
it holds no more players; one whose p50 is past it is broken."""
STEPS = {"quick": (1, 2), "full": (8, 16, 24, 32, 48, 64)}
"""Players playing at once, step by step: a quick run's and a full run's (the cap)."""
RAMPING = {"quick": 60.0, "full": 300.0}
"""Seconds after which no new step starts: the cap on the ramp's time."""
HOLD = {"quick": 4.0, "full": 20.0}
"""The least seconds a step is measured for, once its players have all started."""
COMMANDS = {"quick": 5, "full": 100}
"""The commands a step waits for its players to play: as many answers in every step."""
HOLDING = 180.0
"""The most seconds a step waits for its commands."""
PAUSE = {"quick": (0.5, 1.0), "full": (2.0, 5.0)}
"""Seconds a player takes between two commands, uniformly."""
TYPING = 0.3
"""Seconds between sending a command's text and its Enter, as a person types."""
TERMINAL = (120, 50)
"""The size of each player's terminal, in cells: a laptop's browser window."""
PROMPT = b"(F1 help)"
"""The end of the empty command line's placeholder (its first letter is drawn apart
under the cursor)."""
ARRIVING = {"quick": 0.1, "full": 1.0}
"""Seconds between two new players of a step opening their tabs."""
JOINING = 60.0
"""Seconds a new player may wait to see their game: a machine that cannot start a game
in that time is full."""
ANSWERING = 30.0
"""Seconds after which an answer not seen is lost."""
ROUTE = 200
"""Commands in the scripted route, played round and round."""
URL = re.compile(r"http://\S+/")
STOPPING = 60.0
"""Seconds the server may take to stop, ending every game still playing."""
TICKS = os.sysconf("SC_CLK_TCK")
MB = 1024 * 1024


async def run(options: Options) -> Outcome:
    size = "quick" if options.quick else "full"
    latency = scaled(options.latency, QUICK_SCALE) if options.quick else options.latency
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="textrealms-bench-") as saves:
        try:
            async with (
                loopback_model(latency, options.seed) as model,
                _serving(options.pack, model.address, saves) as server,
                aiohttp.ClientSession() as http,
            ):
                ramp = _Ramp(options, server, http, size)
                steps, broke = await ramp.run(STEPS[size], RAMPING[size])
        except ChildFailed as exc:
            return Outcome("10 serve", {"serve": {"error": str(exc)}}, [Row("failed", str(exc))])
    held = [s for s in steps if s["held"]]
    best = held[-1] if held else steps[0]
    found = {
        "players": best["players"] if held else 0,
        "rss_mb_per_player": best["rss_mb_per_player"],
        "pss_mb_per_player": best["pss_mb_per_player"],
        "cpu_ms_per_command": best["cpu_ms_per_command"],
        "answer_ms": best["answer_ms"],
        "broke": broke,
        "steps": steps,
        "cpus": os.cpu_count(),
        "load_average": {"before": list(load), "after": list(os.getloadavg())},
    }
    return Outcome("10 serve", {"serve": found}, _rows(found))


def _rows(found: dict[str, Any]) -> list[Row]:
    p99 = found["answer_ms"]["p99"]
    rows = [
        Row(
            f"{_players(s['players'])}: answer p50 / p99",
            f"{ms(s['answer_ms']['p50'])} / {ms(s['answer_ms']['p99'])}, CPU {s['cpu_share']:.0%}",
        )
        for s in found["steps"]
    ]
    return [
        *rows,
        Row("players held at once", str(found["players"])),
        Row("answer p99 at that", ms(p99), f"< {TARGET_P99_MS:g} ms", p99 < TARGET_P99_MS),
        Row("memory per player", f"{found['rss_mb_per_player']:.0f} MB RSS"),
        Row("CPU per command", ms(found["cpu_ms_per_command"])),
        Row("broke", found["broke"] or "no: the ramp reached its cap"),
    ]


def _players(n: int) -> str:
    return f"{n} player" if n == 1 else f"{n} players"


def _serving(
    pack: WorldPack, model: str, saves: str
) -> contextlib.AbstractAsyncContextManager[Listening]:
    return listening(
        "serve",
        "--port",
        "0",
        "--world",
        pack.world.id,
        "--saves-dir",
        saves,
        "--llm",
        "vllm",
        "--llm-base-url",
        model,
        "--llm-model",
        MODEL,
        address=URL,
        stopping=STOPPING,
    )


def route(pack: WorldPack, seed: int, turns: int = ROUTE) -> list[str]:
    """The scripted tour of `pack`, played by the rules alone: the commands a player
    types (a served game may go its own way; every command still gets its answer)."""
    state = new_game(pack, seed)
    tour = Tour(pack)
    commands = []
    for _ in range(turns):
        command = tour.next(state)
        commands.append(command)
        state = rules.play(pack, state, parse(command)).state
    return commands


@dataclass
class _Step:
    """What a step's players played while it was measured."""

    needed: int
    began: float = field(default_factory=time.perf_counter)
    answers: list[float] = field(default_factory=list)
    """Milliseconds from each Enter to its answer on screen."""
    lost: int = 0
    """Enters whose answer never showed."""
    enough: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once `needed` commands have been played."""

    def played(self, sent: float, answer_ms: float | None) -> None:
        """A command whose Enter was sent at `sent` has its answer (None: lost)."""
        if sent < self.began:
            return
        if answer_ms is None:
            self.lost += 1
        else:
            self.answers.append(answer_ms)
        if len(self.answers) + self.lost >= self.needed:
            self.enough.set()


@dataclass
class _Player:
    """One browser tab's worth of websocket, playing the route."""

    route: list[str]
    rng: random.Random
    pause: tuple[float, float]
    played: Callable[[float, float | None], None]
    """Told of every command: when its Enter was sent, and ms until its answer showed."""
    gone: bool = False
    """The game's websocket closed under the player."""
    _wanted: tuple[bytes, ...] = field(default=(), init=False)
    _shown: asyncio.Future[float] | None = field(default=None, init=False)
    _ws: aiohttp.ClientWebSocketResponse | None = field(default=None, init=False)
    _reader: asyncio.Task[None] | None = field(default=None, init=False)

    async def join(self, http: aiohttp.ClientSession, url: str) -> float:
        """Open the game, as a new tab does; milliseconds until its first screen."""
        columns, rows = TERMINAL
        began = time.perf_counter()
        self._ws = await http.ws_connect(f"{url}ws", params={"width": columns, "height": rows})
        self._reader = asyncio.create_task(self._read(self._ws))
        return (await self._until(PROMPT) - began) * 1000

    async def _until(self, *wanted: bytes) -> float:
        """When the first frame showing all of `wanted` arrives."""
        self._wanted = wanted
        self._shown = asyncio.get_running_loop().create_future()
        try:
            return await self._shown
        finally:
            self._shown = None

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            shown = self._shown
            if message.type is not aiohttp.WSMsgType.BINARY or shown is None or shown.done():
                continue
            if all(part in message.data for part in self._wanted):
                shown.set_result(time.perf_counter())
        self.gone = True
        if self._shown is not None and not self._shown.done():
            self._shown.set_exception(ConnectionError("the game's websocket closed"))

    async def play(self, stop: asyncio.Event) -> None:
        """Commands at a human pace until `stop`; the one in flight is seen through."""
        assert self._ws is not None
        turn = 0
        while not self.gone:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.rng.uniform(*self.pause))
            if stop.is_set():
                return
            command = self.route[turn % len(self.route)]
            turn += 1
            try:
                await self._ws.send_str(json.dumps(["stdin", command]))
                await asyncio.sleep(TYPING)
                sent = time.perf_counter()
                await self._ws.send_str(json.dumps(["stdin", "\r"]))
                async with asyncio.timeout(ANSWERING):
                    shown = await self._until(PROMPT, b"> " + command.encode())
            except TimeoutError:
                self.played(sent, None)
                continue
            except ConnectionError:
                return
            self.played(sent, (shown - sent) * 1000)

    async def leave(self) -> None:
        """Close the tab."""
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await self._reader


class _Ramp:
    """Players joining step by step, all playing until the ramp ends."""

    def __init__(
        self, options: Options, server: Listening, http: aiohttp.ClientSession, size: str
    ) -> None:
        self.options = options
        self.server = server
        self.http = http
        self.hold = HOLD[size]
        self.needed = COMMANDS[size]
        self.step = _Step(0)
        """The step being measured (before the first: one that counts nothing)."""
        self.pause = PAUSE[size]
        self.arriving = ARRIVING[size]
        self.route = route(options.pack, options.seed)
        self.players: list[_Player] = []

    async def run(
        self, steps: tuple[int, ...], cap: float
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Each step measured, and where the ramp broke (None: it did not)."""
        until = time.perf_counter() + cap
        stop = asyncio.Event()
        playing: list[asyncio.Task[None]] = []
        measured: list[dict[str, Any]] = []
        broke = None
        try:
            for n in steps:
                if time.perf_counter() > until:
                    break
                self.options.progress(f"serve: {n} players")
                new = [self._player(i) for i in range(len(self.players), n)]
                self.players += new
                try:
                    starts = await asyncio.gather(
                        *(self._arrive(player, i * self.arriving) for i, player in enumerate(new))
                    )
                except (TimeoutError, ConnectionError, aiohttp.ClientError) as exc:
                    broke = f"at {_players(n)}: a game did not start ({exc!r})"
                    break
                playing += [asyncio.create_task(p.play(stop)) for p in new]
                step = await self._measure()
                measured.append({**step, "start_ms": {"p50": median(starts), "max": max(starts)}})
                if step["broke"] is not None:
                    broke = f"at {_players(n)}: {step['broke']}"
                    break
        finally:
            stop.set()
            await asyncio.gather(*playing)
            await asyncio.gather(*(p.leave() for p in self.players))
        if not measured:
            raise ChildFailed(broke or "no step was measured")
        return measured, broke

    async def _arrive(self, player: _Player, after: float) -> float:
        """`player` opens their tab `after` seconds from now; ms until their game showed."""
        await asyncio.sleep(after)
        async with asyncio.timeout(JOINING):
            return await player.join(self.http, self.server.address)

    def _player(self, i: int) -> _Player:
        rng = random.Random(f"{self.options.seed}:{i}")
        return _Player(self.route, rng, self.pause, self._played)

    def _played(self, sent: float, answer_ms: float | None) -> None:
        self.step.played(sent, answer_ms)

    async def _measure(self) -> dict[str, Any]:
        """The step's players, held for `needed` commands and `hold` seconds at least:
        what their commands cost."""
        server = self.server.proc.pid
        games = children(server)
        cpu, relay = _cpu_seconds([server, *games]), _cpu_seconds([server])
        ours = time.process_time()
        step = self.step = _Step(self.needed)
        await asyncio.sleep(self.hold)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(HOLDING):
                await step.enough.wait()
        ended = time.perf_counter()
        cpu = _cpu_seconds([server, *games]) - cpu
        relay = _cpu_seconds([server]) - relay
        ours = time.process_time() - ours
        began, lost = step.began, step.lost
        gone = sum(p.gone for p in self.players)
        commands = len(step.answers) + lost
        answer = percentiles(step.answers)
        n = len(self.players)
        broke = (
            f"{gone} games gone"
            if gone
            else f"{lost} answers lost"
            if lost
            else f"answer p50 {answer.p50:.0f} ms"
            if answer.p50 >= TARGET_P99_MS
            else None
        )
        return {
            "players": n,
            "games": len(games),
            "seconds": round(ended - began, 1),
            "commands": commands,
            "answer_ms": {"p50": answer.p50, "p99": answer.p99, "max": answer.max},
            "lost": lost,
            "gone": gone,
            "cpu_ms_per_command": cpu * 1000 / max(commands, 1),
            "server_cpu_ms_per_command": relay * 1000 / max(commands, 1),
            "cpu_share": cpu / (ended - began) / (os.cpu_count() or 1),
            "players_cpu_share": ours / (ended - began) / (os.cpu_count() or 1),
            "rss_mb_per_player": sum(_memory(pid, "Rss") for pid in games) / MB / n,
            "pss_mb_per_player": sum(_memory(pid, "Pss") for pid in games) / MB / n,
            "server_rss_mb": _memory(server, "Rss") / MB,
            "load_average": os.getloadavg()[0],
            "held": broke is None and answer.p99 < TARGET_P99_MS,
            "broke": broke,
        }


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU the processes have used so far (those gone count nothing)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime and stime, after the name
    return total / TICKS


def _memory(pid: int, kind: str) -> int:
    """A process's resident memory in bytes: `Rss`, or `Pss` (shared pages shared out)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith(f"{kind}:"):
                    return int(line.split()[1]) * 1024
    except FileNotFoundError:
        pass
    return 0
