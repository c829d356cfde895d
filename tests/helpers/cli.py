"""The installed `textrealms` script, run in a child process as a player would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from tests.helpers.paths import ROOT, TESTS, TESTVALE

SCRIPT = Path(sys.executable).with_name("textrealms")
"""This virtual environment's console script: the code of this checkout."""
PLAY = ("play", "--world", str(TESTVALE), "--plain", "--wait")
"""A new game of the test pack in plain mode, each command's jobs awaited."""
COMMANDS = ["e", "talk to oda", "escalate", "w", "support mira", "escalate", "wait", "look"]
"""A round of the test pack that plays on when repeated."""


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


def saves_env(folder: Path) -> dict[str, str]:
    """The environment of a game that saves into `folder` and finds the test packs."""
    return {"TEXTREALMS_SAVES_DIR": str(folder), "TEXTREALMS_WORLDS": str(TESTS / "packs")}


def lines(*commands: str) -> str:
    """`commands` as typed, one a line."""
    return "".join(f"{c}\n" for c in commands)
