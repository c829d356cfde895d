"""Plain line mode: commands in on stdin, story out on stdout, one paragraph per entry.

For scripts, pipes and screen readers. With the same seed and commands the output is
byte-identical, so transcripts can be compared and tested.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from textrealms.engine.entries import Entry
from textrealms.engine.game import Game
from textrealms.engine.text import clean, entry_text


def _write(out: TextIO, entries: Iterable[Entry]) -> None:
    for entry in entries:
        out.write(entry_text(entry) + "\n\n")
    out.flush()


def run(game: Game, stdin: TextIO, out: TextIO, *, interactive: bool) -> int:
    """Play until end of input or `quit`. Interactive input gets a prompt, piped input an echo."""
    _write(out, game.opening())
    while True:
        if interactive:
            out.write("> ")
            out.flush()
        line = stdin.readline()
        if not line:
            if interactive:
                out.write("\n")
            return 0
        command = line.rstrip("\r\n")
        if not command.strip():
            continue
        if not interactive:
            out.write(f"> {clean(command)}\n")
        result = game.submit(command)
        _write(out, result.entries)
        if result.quit:
            return 0
