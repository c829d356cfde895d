"""A world pack as read, before validation: its merged TOML, and which file defined what.

The loader fills it in; the checks that need the whole pack read it to name the file
behind each problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textrealms.world.problems import Problem


@dataclass
class RawPack:
    """The merged TOML of a pack and, for each `section.key`, the file that defined it."""

    folder: Path
    data: dict[str, dict[str, Any]] = field(default_factory=dict)
    origin: dict[tuple[str, str], str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def file_of(self, section: str, key: str | None = None) -> str:
        """The file to name for a problem at `section[.key]`."""
        if key is not None and (section, key) in self.origin:
            return self.origin[(section, key)]
        for (sec, _), file in self.origin.items():
            if sec == section:
                return file
        return str(self.folder)
