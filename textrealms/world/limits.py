"""How big a world pack may be: a file, a text in it, and how deeply its tables nest.

Packs are data from anywhere (a folder on `TEXTREALMS_WORLDS`); a pack past these limits
is refused with a problem naming the file, before it can exhaust the stack or the memory
(a 50 MB description once validated, then took 810 MB in play). The shipped packs use a
small part of each: files of at most 26 kB, texts of at most 1,300 characters, 8 levels.
"""

from __future__ import annotations

from collections.abc import Iterator

FILE_BYTES = 1_000_000
"""The largest pack file read."""
TEXT = 20_000
"""The most characters one text (a description, a line) may have."""
DEPTH = 32
"""The deepest tables and arrays may nest."""


def excesses(data: object, path: str = "", depth: int = 0) -> Iterator[tuple[str, str]]:
    """(key path, what is too big) for each place in parsed TOML `data` past a limit."""
    if depth > DEPTH:
        yield path.partition("[")[0], f"nested more than {DEPTH} levels deep"  # its key, once
        return
    if isinstance(data, str) and len(data) > TEXT:
        yield path, f"longer than {TEXT:,} characters"
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from excesses(value, f"{path}.{key}" if path else str(key), depth + 1)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from excesses(value, f"{path}[{index}]", depth + 1)
