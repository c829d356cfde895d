"""Plain line mode: commands in on stdin, story out on stdout, one paragraph per entry.

For scripts, pipes and screen readers. With the same seed and commands the output is
byte-identical, so transcripts can be compared and tested.
"""

from __future__ import annotations

import contextlib
import importlib
import shutil
import textwrap
from collections.abc import Iterable, Iterator
from typing import TextIO

from textrealms.engine.entries import Entry
from textrealms.engine.game import Game
from textrealms.engine.text import clean, entry_text

MAX_WIDTH = 100
"""Wrap no wider than this, however wide the terminal: long lines are hard to read."""


def _wrap(text: str, width: int | None) -> str:
    if width is None:
        return text
    return "\n".join(textwrap.fill(line, width) if line else "" for line in text.split("\n"))


def _write(out: TextIO, entries: Iterable[Entry], width: int | None) -> None:
    for entry in entries:
        out.write(_wrap(entry_text(entry), width) + "\n\n")
    out.flush()


def _prompted() -> Iterator[str]:
    """Lines typed at a `> ` prompt, with line editing and history where readline exists."""
    with contextlib.suppress(ImportError):
        importlib.import_module("readline")  # loading it is what gives input() editing
    while True:
        try:
            yield input("> ")
        except EOFError:
            print()
            return


def run(game: Game, stdin: TextIO, out: TextIO, *, interactive: bool) -> int:
    """Play until end of input or `quit`.

    A person at a terminal gets a prompt and text wrapped to the window; piped input is
    echoed and lines are left whole, so transcripts are exact and screen readers read
    whole paragraphs.
    """
    width = min(shutil.get_terminal_size().columns, MAX_WIDTH) - 1 if interactive else None
    _write(out, game.opening(), width)
    lines = _prompted() if interactive else (line.rstrip("\r\n") for line in stdin)
    for command in lines:
        if not command.strip():
            continue
        if not interactive:
            out.write(f"> {clean(command)}\n")
        result = game.submit(command)
        _write(out, result.entries, width)
        if result.quit:
            break
    return 0
