"""The real `textrealms` command in a pseudo-terminal, timed to its first screen.

What a player waits for is the whole command: the interpreter, the CLI, opening the
saves, finding the worlds, then Textual's first frame. So the command runs as a player
runs it, on a terminal of its own, and the clock stops when the screen's text arrives.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping

from textrealms.bench.child import ChildFailed

SIZE = (120, 40)
TIMEOUT = 30.0


def first_screen(argv: list[str], marker: str, env: Mapping[str, str]) -> float:
    """Seconds from just before spawning `python ARGV` on a new terminal to `marker`
    appearing in what it writes there; the app is then stopped (SIGTERM), as only its
    start is measured."""
    master, slave = pty.openpty()
    columns, rows = SIZE
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    began = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *argv],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**env, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(slave)
    try:
        shown = _until(master, marker.encode(), began) - began
    finally:
        proc.terminate()
        try:
            proc.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(master)
    return shown


def _until(master: int, marker: bytes, began: float) -> float:
    """Read the terminal until `marker` has been written to it; return when."""
    seen = b""
    while marker not in seen:
        left = began + TIMEOUT - time.perf_counter()
        ready, _, _ = select.select([master], [], [], max(0.0, left))
        if not ready:
            raise ChildFailed(f"nothing more on the terminal after {TIMEOUT:g} s")
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # the other end closed: Linux says EIO
            chunk = b""
        if not chunk:
            raise ChildFailed(f"the command ended before showing {marker.decode()!r}")
        seen = seen[-len(marker) :] + chunk  # a marker may come in two reads
    return time.perf_counter()
