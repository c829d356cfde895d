"""The installed `textrealms` script, run in a child process as a player would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from tests.helpers.paths import ROOT

SCRIPT = Path(sys.executable).with_name("textrealms")
"""This virtual environment's console script: the code of this checkout."""


def quiet(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment without asyncio debug mode, whose timing warnings go to stderr."""
    return {k: v for k, v in environ.items() if k != "PYTHONASYNCIODEBUG"}


def run_cli(
    *args: str, stdin: str = "", cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a player would run it (stdin and stdout are pipes)."""
    return subprocess.run(
        [str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**quiet(os.environ), **(env or {})},
        timeout=60,
        check=False,
    )
