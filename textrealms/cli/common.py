"""What the commands share: exit statuses, where the saves are, and saying what went wrong.

Kept free of heavy imports: `textrealms --version` and `--help` load only this, the
parser and the standard library.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from textrealms.llm.clean import clean

if TYPE_CHECKING:
    from textrealms.world.problems import PackError

EXIT_OK = 0
EXIT_BAD_INPUT = 2
SAVES_ENV = "TEXTREALMS_SAVES_DIR"
WEB_DRIVER_ENV = "TEXTUAL_DRIVER"


def full_screen() -> bool:
    """Whether the full-screen interface can run: in a terminal, or under a web driver.
    textual-serve runs each browser tab's game with pipes for stdin and stdout and names
    its driver in TEXTUAL_DRIVER; there the pipes carry the screen, not plain text."""
    return bool(os.environ.get(WEB_DRIVER_ENV)) or (sys.stdin.isatty() and sys.stdout.isatty())


def saves_dir(args: argparse.Namespace) -> Path:
    folder: Path | None = args.saves_dir
    return folder or Path(os.environ.get(SAVES_ENV) or "saves")


def fail(message: str) -> int:
    print(clean(message), file=sys.stderr)
    return EXIT_BAD_INPUT


def problems(exc: PackError) -> int:
    for problem in exc.problems:
        print(clean(str(problem)), file=sys.stderr)
    return EXIT_BAD_INPUT
