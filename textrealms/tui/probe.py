"""The TUI measured from the inside, for `textrealms bench` (which must not import Textual).

    python -m textrealms.tui.probe ui --turns N --seed S [--world ID] [--streams 8] [--pace S]
        [--press random|aligned]
    python -m textrealms.tui.probe memory --turns N --seed S [--world ID] [--from 100]
        --command look --command inventory

prints one JSON object on stdout. The bench runs it in a child process, so Textual stays
out of the bench package and every run starts in a clean interpreter.

"On screen" means: the compositor has rendered a frame that holds the text, and that
frame has been encoded into the bytes a terminal would be sent. Headless Textual skips
only the final write, so the probe encodes the update itself before taking the time
(`FramesTold`). A frame "holds" a turn's text when the compositor's update for that frame
drew lines of the turn's block (the probe's story pane says which blocks it drew lines of
since the last frame); the story marks a block's rows to repaint as each streamed word
arrives, so the first frame after a word arrives that draws them shows it.

`memory` plays the commands in turn, back to back (each Enter pressed as soon as the one
before has played), told at once by the offline narrator, and reports the process's
resident memory at turn `--from` and at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from textual import events

from textrealms.engine.checks import CHECKS
from textrealms.engine.events import NarrationDelta, NarrationDone, StoryEvent
from textrealms.engine.front import Game
from textrealms.engine.gm import GameMaster
from textrealms.engine.metrics import percentiles
from textrealms.engine.resident import resident_mb
from textrealms.engine.rules import TurnResult
from textrealms.engine.verbs import names
from textrealms.llm.clean import clean
from textrealms.llm.offline import OfflineNarrator
from textrealms.tui.app import TextRealmsApp
from textrealms.tui.screens.game import GameScreen
from textrealms.tui.textual_private import FramesTold
from textrealms.tui.widgets.story import StoryPane, TurnBlock
from textrealms.world.catalog import open_pack, search_dirs
from textrealms.world.problems import PackError
from textrealms.world.schema import WorldPack

SIZE = (120, 40)
"""A roomy terminal, so that several streaming turns are on screen at once."""
COMMAND = f"{names.WAIT} 1 minute"
"""Narrated afresh every turn (never a cache hit), fifteen to twenty words, in every world.
A minute at a time, so no story ends while the probe plays (a bare `wait` passes half an
hour: Emberfall ended at turn 72, and every Enter after it waited for a turn that never
came, so a full run failed)."""
EXIT_BAD_INPUT = 2
FILLING = 4
"""Untimed presses allowed per stream while the narrations fill up to their number."""
LIMIT = 64
"""Model calls at once: enough that a narration never queues behind the other jobs of
the turns before it (with the engine's 8, it did after a hundred turns or so, and later
Enters were timed with only one narration streaming, or none)."""
PRESS_WINDOW = 0.05
"""A player's Enter comes at no moment in particular: once a narration ends, the probe
waits a random time (from its seed) of up to three 60 Hz frames before it presses."""
PRESSES = ("random", "aligned")
"""`aligned` presses the instant a narration's end reaches the app, so every Enter queues
behind the frame that draws that end: the worst moment, every time."""
TIMEOUT = 10.0
"""Longest wait for any one thing the probe expects; past it the probe fails loudly."""


class DrawnStory(StoryPane):
    """The story pane, telling which blocks it drew into frames as they are now."""

    def __init__(self, *, keep_turns: int, keep_both: bool) -> None:
        super().__init__(keep_turns=keep_turns, keep_both=keep_both)
        self.drawn: set[TurnBlock] = set()
        """Blocks whose newest lines went into a frame since the last `take_drawn`."""
        self._versions: dict[TurnBlock, int] = {}
        """Each block's version as last drawn."""

    def take_drawn(self) -> set[TurnBlock]:
        """The blocks drawn as they are now into frames since the last call: the changes
        the screen has shown since then (a turn scrolled, not changed, is not one)."""
        drawn, self.drawn = self.drawn, set()
        return drawn

    def block_at(self, row: int) -> tuple[TurnBlock, int] | None:
        """As the pane's, which asks it only for the rows it draws: their block is noted."""
        found = super().block_at(row)
        if found is not None:
            block = found[0]
            if self._versions.get(block) != block.version:
                self._versions[block] = block.version
                self.drawn.add(block)
        return found


class FramedApp(FramesTold, TextRealmsApp):
    """The real app, told of every frame it draws, its story pane saying what it drew."""

    def __init__(self, *args: Any, on_frame: Callable[[float], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_frame = on_frame
        self.story: DrawnStory | None = None
        """The story of the game screen last made."""

    def new_screen(self, game: Game) -> GameScreen:
        screen = super().new_screen(game)
        screen.story = self.story = DrawnStory(keep_turns=self.keep_turns, keep_both=self.keep_both)
        return screen

    def frame_drawn(self) -> None:
        self.on_frame(time.perf_counter())


class Unsuperseded(GameMaster):
    """A game whose narration a newer command does not stop, so that the last turns'
    narrations stream side by side (the engine stops them; the probe needs the load).
    It also times when each event reaches the app and when each command is submitted."""

    def __init__(self, pack: WorldPack, seed: int, pace: float, probe: UiProbe) -> None:
        super().__init__(
            pack, seed=seed, provider=OfflineNarrator(pack, seed, pace=pace), limit=LIMIT
        )
        self.probe = probe

    def _supersede(self) -> int:
        return 0

    def submit(self, command: str) -> TurnResult:
        self.probe.submitted = time.perf_counter()
        return super().submit(command)

    async def events(self) -> AsyncIterator[StoryEvent]:
        async for event in super().events():
            self.probe.arrived(event)
            yield event


@dataclass
class UiProbe:
    """What the frames show, turn by turn and delta by delta."""

    streams: int
    live: set[tuple[int, int]] = field(default_factory=set)
    """Narrations streaming now: (turn, entry)."""
    deltas: list[tuple[int, float]] = field(default_factory=list)
    """Deltas drawn but not yet on screen: (turn, when it reached the app)."""
    pressed: tuple[int, float] | None = None
    """The Enter being timed: the newest turn before it, and when it was pressed."""
    submitted: float = 0.0
    enter_ms: list[float] = field(default_factory=list)
    key_ms: list[float] = field(default_factory=list)
    """Enter to the command reaching the game: Textual's key and message handling."""
    token_ms: list[float] = field(default_factory=list)
    live_at: list[int] = field(default_factory=list)
    offscreen: int = 0
    """Deltas for turns scrolled out of view, never on screen, so not timed."""
    frames: int = 0
    screen: GameScreen | None = None
    story: DrawnStory | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def arrived(self, event: StoryEvent) -> None:
        key = (event.turn, getattr(event, "index", -1))
        if isinstance(event, NarrationDelta):
            self.live.add(key)
            self.deltas.append((event.turn, time.perf_counter()))
        elif isinstance(event, NarrationDone):
            self.live.discard(key)
            self.changed.set()

    def frame(self, now: float) -> None:
        self.frames += 1
        screen, story = self.screen, self.story
        if screen is None or story is None or not screen.is_current:
            return
        drawn = story.take_drawn()
        blocks = story.blocks
        for turn, when in self.deltas:
            block = blocks.get(turn)
            if block is not None and block in drawn:
                self.token_ms.append((now - when) * 1000)
            else:
                self.offscreen += 1
        self.deltas.clear()
        if self.pressed is None:
            return
        before, when = self.pressed
        newest = max(blocks)
        if newest > before and blocks[newest] in drawn:
            self.enter_ms.append((now - when) * 1000)
            self.key_ms.append((self.submitted - when) * 1000)
            self.live_at.append(len(self.live))
            self.pressed = None
            self.changed.set()

    async def wait(self, test: Callable[[], bool]) -> None:
        async with asyncio.timeout(TIMEOUT):
            while not test():
                self.changed.clear()
                await self.changed.wait()


async def measure_ui(
    pack: WorldPack, turns: int, seed: int, streams: int, pace: float, *, press: str = "random"
) -> dict[str, Any]:
    """Play `turns` commands, each pressed once a narration ends while `streams` - 1 others
    still stream (at once or a moment later: `press`), and time Enter (and every delta) to
    the frame that shows it. Presses while the streams fill up are not timed (at most
    `FILLING` presses per stream: with narrations too short to overlap, the live counts in
    the report say so)."""
    probe = UiProbe(streams)
    moments = random.Random(seed)

    def factory(pack: WorldPack, seed: int) -> Unsuperseded:
        return Unsuperseded(pack, seed, pace, probe)

    app = FramedApp([], start=pack, seed=seed, factory=factory, on_frame=probe.frame)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.game_screen
        assert screen is not None and app.story is not None
        probe.screen, probe.story = screen, app.story
        measured = presses = 0
        while measured < turns:
            await probe.wait(lambda: len(probe.live) < streams)
            if press == "random":
                await asyncio.sleep(moments.uniform(0, PRESS_WINDOW))
            presses += 1
            warm = len(probe.live) >= streams - 1 or presses > FILLING * streams
            if warm and not measured:  # words streamed while filling up are not timed
                probe.token_ms.clear()
                probe.offscreen = 0
            screen.command.value = COMMAND
            probe.pressed = (max(screen.story.blocks), time.perf_counter())
            app.post_message(events.Key("enter", "\r"))
            await probe.wait(lambda: probe.pressed is None)
            if warm:
                measured += 1
            else:  # still filling up to `streams`: not a measurement
                probe.enter_ms.pop()
                probe.key_ms.pop()
                probe.live_at.pop()
    return report(probe) | {"press": press}


def report(probe: UiProbe) -> dict[str, Any]:
    enter = percentiles(probe.enter_ms)
    token = percentiles(probe.token_ms)
    key = percentiles(probe.key_ms)
    live = sorted(probe.live_at)
    return {
        "p50": enter.p50,
        "p95": enter.p95,
        "p99": enter.p99,
        "max": enter.max,
        "samples": enter.count,
        "key_to_game_p50": key.p50,
        "key_to_game_p99": key.p99,
        "token_to_screen_p50": token.p50,
        "token_to_screen_p99": token.p99,
        "token_samples": token.count,
        "tokens_offscreen": probe.offscreen,
        "streams": probe.streams,
        "streams_live_min": live[0] if live else 0,
        "streams_live_median": live[len(live) // 2] if live else 0,
        "streams_live_max": live[-1] if live else 0,
        "frames": probe.frames,
    }


class Played(GameMaster):
    """A game that says when each command has been played."""

    def __init__(self, pack: WorldPack, seed: int, played: asyncio.Event) -> None:
        super().__init__(pack, seed=seed, provider=OfflineNarrator(pack, seed))
        self.played = played

    def submit(self, command: str) -> TurnResult:
        result = super().submit(command)
        self.played.set()
        return result


async def measure_memory(
    pack: WorldPack, turns: int, seed: int, commands: list[str], start: int
) -> dict[str, Any]:
    """Play `turns` of `commands` (in turn) back to back; RSS at turn `start` and at the end."""
    played = asyncio.Event()
    app = TextRealmsApp([], start=pack, seed=seed, factory=lambda p, s: Played(p, s, played))
    rss: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.game_screen
        assert screen is not None
        for turn in range(1, turns + 1):
            screen.command.value = commands[turn % len(commands)]
            played.clear()
            app.post_message(events.Key("enter", "\r"))
            async with asyncio.timeout(TIMEOUT):
                await played.wait()
            if turn == start:
                rss["start"] = resident_mb()
        rss["end"] = resident_mb()
        sweeps = app.collector.sweeps
    return {
        "turns": turns,
        "from_turn": start,
        "rss_start_mb": rss["start"],
        "rss_end_mb": rss["end"],
        "growth_mb": rss["end"] - rss["start"],
        "sweeps": sweeps,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m textrealms.tui.probe")
    sub = parser.add_subparsers(dest="probe", required=True)
    ui = sub.add_parser("ui", help="Enter and token to screen under streaming narration")
    ui.add_argument("--turns", type=int, default=100)
    ui.add_argument("--seed", type=int, default=7)
    ui.add_argument("--world", metavar="ID_OR_PATH")
    ui.add_argument("--streams", type=int, default=8, help="narrations streaming at once")
    ui.add_argument("--pace", type=float, default=0.022, help="seconds per narrated word")
    ui.add_argument("--press", choices=PRESSES, default=PRESSES[0], help="when Enter is pressed")
    memory = sub.add_parser("memory", help="resident memory over back-to-back turns")
    memory.add_argument("--turns", type=int, default=3000)
    memory.add_argument("--seed", type=int, default=7)
    memory.add_argument("--world", metavar="ID_OR_PATH")
    memory.add_argument("--from", dest="start", type=int, default=100, help="the first turn")
    memory.add_argument("--command", action="append", required=True, help="played in turn")
    args = parser.parse_args(argv)
    try:
        pack = open_pack(args.world, search_dirs(), CHECKS)
    except PackError as exc:
        for problem in exc.problems:
            print(clean(str(problem)), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.probe == "memory":
        measured = measure_memory(pack, args.turns, args.seed, args.command, args.start)
    else:
        measured = measure_ui(
            pack, args.turns, args.seed, args.streams, args.pace, press=args.press
        )
    found = asyncio.run(measured)
    print(json.dumps(found), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
