"""Plain line mode: commands in on stdin, story out on stdout, one paragraph per entry.

For scripts, pipes and screen readers. Background entries (refined narration, reactions,
rumours, beats) print as paragraphs as they arrive, labelled for a reader. With `wait`,
each turn's background work finishes before the next command is read and its entries
print in a fixed order, so the same seed and commands give a byte-identical transcript.
A reader that leaves (`textrealms continue | head`) is the end of input: the game reads
no more commands, and ends as it does then, its turns saved.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
import shutil
import textwrap
import threading
from collections import defaultdict
from collections.abc import Iterable
from types import ModuleType
from typing import TextIO

from textrealms.engine.entries import Entry
from textrealms.engine.events import Told, TurnSettled, Understood
from textrealms.engine.front import Game
from textrealms.engine.text import INDENT, entry_text, labelled
from textrealms.llm.clean import clean

log = logging.getLogger(__name__)

MAX_WIDTH = 100
"""Wrap no wider than this, however wide the terminal: long lines are hard to read."""


class _Lines:
    """Lines from stdin, read by a daemon thread so the game's loop never blocks on input.

    A line is read only when asked for, so a person's prompt appears when the game is
    ready for the next command, and an abandoned read never keeps the process alive.
    """

    def __init__(self, stdin: TextIO, *, prompted: bool) -> None:
        self._stdin = stdin
        self._prompted = prompted
        self._want = threading.Semaphore(0)
        self._loop = asyncio.get_running_loop()
        self._got: asyncio.Queue[str | None] = asyncio.Queue()
        self.prompting = False
        """True while a person's prompt is on screen (for redrawing it under new text)."""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            self._want.acquire()
            try:
                if self._prompted:
                    self.prompting = True
                    line: str | None = input("> ")
                else:
                    line = self._stdin.readline()
            except EOFError:
                line = None
            finally:
                self.prompting = False
            if line == "" and not self._prompted:
                line = None
            self._loop.call_soon_threadsafe(self._got.put_nowait, line)
            if line is None:
                return

    async def next(self) -> str | None:
        """The next line without its newline, or None at end of input."""
        self._want.release()
        line = await self._got.get()
        return None if line is None else line.rstrip("\r\n")


class _Printer:
    """Writes entries as paragraphs; holds a turn's background entries until it settles
    when `wait` is on, so they come out in the turn's job order."""

    def __init__(
        self, out: TextIO, width: int | None, *, wait: bool, readline: ModuleType | None
    ) -> None:
        self.out = out
        self.width = width
        self.wait = wait
        self.readline = readline
        self.lines: _Lines | None = None
        self.done = False
        """Set on quit: whatever lands after the farewell is not printed."""
        self.gone = False
        """Set once the reader has closed the output: nothing more is printed."""
        self._held: dict[int, list[tuple[int, Entry]]] = defaultdict(list)
        self._settled: dict[int, asyncio.Event] = defaultdict(asyncio.Event)

    def write(self, entries: Iterable[Entry]) -> None:
        self.say("".join(self._paragraph(entry) for entry in entries))

    def _paragraph(self, entry: Entry) -> str:
        indent = INDENT if labelled(entry) else ""
        return _wrap(entry_text(entry), self.width, indent) + "\n\n"

    def say(self, text: str) -> None:
        """Print `text` now, unless the reader has gone. A closed pipe ends the output
        rather than raising in whichever task printed: the game ends as at end of input."""
        if self.gone:
            return
        try:
            self.out.write(text)
            self.out.flush()
        except BrokenPipeError:
            self.gone = True
            log.info("the reader of the output has gone: the game ends")
            _silence(self.out)

    async def consume(self, gm: Game) -> None:
        async for event in gm.events():
            if self.done:
                continue
            if isinstance(event, TurnSettled):
                held = sorted(self._held.pop(event.turn, []), key=lambda pair: pair[0])
                self.write(entry for _, entry in held)
                self._settled[event.turn].set()
                continue
            if isinstance(event, Understood):  # a turn of its own, as if typed
                self._interrupt(event.entries, head=f"> {clean(event.shown)}\n")
                continue
            entry = event.entry()
            if entry is None:
                continue
            if self.wait and not isinstance(event, Told):
                self._held[event.turn].append((event.job, entry))
            else:
                self._interrupt([entry])

    def _interrupt(self, entries: Iterable[Entry], head: str = "") -> None:
        """Background text for a person mid-prompt: print it (after `head`), then redraw
        what they typed."""
        text = head + "".join(self._paragraph(entry) for entry in entries)
        if self.lines is not None and self.lines.prompting and self.readline is not None:
            self.say(f"\r\x1b[K{text}> {self.readline.get_line_buffer()}")
        else:
            self.say(text)

    async def settled(self, turn: int) -> None:
        await self._settled[turn].wait()

    def expect(self, turn: int) -> None:
        """Turn `turn` was just played: wait for its own settling, not an undone one's."""
        self._settled[turn] = asyncio.Event()

    def forget(self, after: int) -> None:
        """The turns after `after` were undone: a turn played by itself (a line the model
        read) waits for its own settling too."""
        for turn in [t for t in self._settled if t > after]:
            del self._settled[turn]


def _wrap(text: str, width: int | None, indent: str) -> str:
    """`text` wrapped to `width`; a line wrapped goes on after `indent` (a labelled entry's
    lines all do: see `textrealms.engine.text.INDENT`)."""
    if width is None:
        return text
    return "\n".join(
        textwrap.fill(line, width, subsequent_indent=indent) if line else ""
        for line in text.split("\n")
    )


def _silence(out: TextIO) -> None:
    """Point `out`'s file at the null device, if it has one: what is left in its buffer
    then goes nowhere when the process exits, rather than failing on the closed pipe."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, out.fileno())
        finally:
            os.close(null)


def _readline() -> ModuleType | None:
    """The readline module where it exists: loading it is what gives input() editing."""
    with contextlib.suppress(ImportError):
        return importlib.import_module("readline")
    return None


async def run(
    gm: Game, stdin: TextIO, out: TextIO, *, interactive: bool, wait: bool = False
) -> int:
    """Play until end of input or `quit`, then settle or stop the background work.

    A person at a terminal gets a prompt and text wrapped to the window; piped input is
    echoed and lines are left whole, so transcripts are exact and screen readers read
    whole paragraphs.
    """
    width = min(shutil.get_terminal_size().columns, MAX_WIDTH) - 1 if interactive else None
    printer = _Printer(out, width, wait=wait, readline=_readline() if interactive else None)
    consumer = asyncio.create_task(printer.consume(gm))
    try:
        printer.write(gm.opening())
        lines = printer.lines = _Lines(stdin, prompted=interactive)
        quit_ = False
        while not quit_:
            if wait:
                await gm.settled()
                await printer.settled(gm.state.turn)
            await gm.saved()  # piped input must not outrun the disk
            command = None if printer.gone else await lines.next()
            if command is None or printer.gone:
                if interactive:
                    printer.say("\n")
                break
            if not command.strip():
                continue
            if not interactive:
                printer.say(f"> {clean(command)}\n")
            before = gm.state.turn
            result = gm.submit(command)
            if result.undone_after is not None:
                printer.forget(result.undone_after)
            for step in result.steps:  # several commands in one line: a turn each
                if step.state.turn != before:
                    printer.expect(step.state.turn)
                    before = step.state.turn
                printer.write(step.entries)
            quit_ = printer.done = result.quit
        if not quit_:
            await gm.settled()
            await printer.settled(gm.state.turn)
    finally:
        await gm.aclose()
        await consumer
    return 0
