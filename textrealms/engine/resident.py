"""A process's resident memory (RSS), read from Linux's /proc: the bench reads a child's,
and the TUI probe its own, so the two sides of the memory scenario count alike."""

from __future__ import annotations

import os

MB = 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")


def resident_mb(pid: int | None = None) -> float:
    """The resident memory of process `pid` (this one by default) in megabytes."""
    with open(f"/proc/{pid or 'self'}/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * PAGE / MB
