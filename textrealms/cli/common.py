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
