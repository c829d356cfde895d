"""Plain line mode: commands in on stdin, story out on stdout, one paragraph per entry.

For scripts, pipes and screen readers. With the same seed and commands the output is
byte-identical, so transcripts can be compared and tested.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterable, Iterator
from typing import TextIO

from textrealms.engine.entries import Entry
from textrealms.engine.game import Game
from textrealms.engine.text import clean, entry_text


def _write(out: TextIO, entries: Iterable[Entry]) -> None:
    for entry in entries:
        out.write(entry_text(entry) + "\n\n")
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
    """Play until end of input or `quit`. A person gets a prompt; piped input is echoed."""
    _write(out, game.opening())
    lines = _prompted() if interactive else (line.rstrip("\r\n") for line in stdin)
    for command in lines:
        if not command.strip():
            continue
        if not interactive:
            out.write(f"> {clean(command)}\n")
        result = game.submit(command)
        _write(out, result.entries)
        if result.quit:
            break
    return 0
