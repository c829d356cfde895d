"""A read-only save: read-only commands work, playing says it cannot save, nothing crashes.

CI runs as root, and root writes into read-only folders; so the game runs here as the
user nobody (`setpriv`), keeping only the right to read any file (CAP_DAC_READ_SEARCH:
the repository and its virtual environment may live where nobody could not read them).
A user who is not root needs none of it: the folder's modes already stop them.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.cli import PLAY, SCRIPT, lines, quiet, saves_env
from tests.helpers.save_files import sha256
from textrealms.store.database import FILENAME

NOBODY = [
    "setpriv",
    "--reuid=65534",
    "--regid=65534",
    "--clear-groups",
    "--inh-caps=+dac_read_search",
    "--ambient-caps=+dac_read_search",
]


def _as_another_user() -> list[str]:
    """How to run a command as someone the file modes apply to."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: root would write the read-only files")
    probe = subprocess.run([*NOBODY, "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"setpriv cannot switch to nobody here: {probe.stderr.decode().strip()}")
    return NOBODY


def run(
    prefix: list[str], folder: Path, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**quiet(os.environ), **saves_env(folder)},
        timeout=60,
        check=False,
    )


@pytest.fixture(params=["folder", "file"])
def read_only(request: pytest.FixtureRequest) -> Iterator[tuple[list[str], Path]]:
    """A saves folder with one game, which the player may read but not write: the whole
    folder, or only the file (in a folder anyone may write)."""
    prefix = _as_another_user()
    with tempfile.TemporaryDirectory() as made:
        top = Path(made)
        top.chmod(0o755)
        folder = top / "saves"
        done = run([], folder, *PLAY, "--seed", "2", stdin=lines("e", "talk to oda", "w"))
        assert done.returncode == 0, done.stderr
        path = folder / FILENAME
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        folder.chmod(0o555 if request.param == "folder" else 0o777)
        try:
            yield prefix, folder
        finally:
            folder.chmod(0o755)


def test_saves_and_export_read_a_read_only_save(read_only: tuple[list[str], Path]) -> None:
    prefix, folder = read_only
    before = sha256(folder / FILENAME)
    listed = run(prefix, folder, "saves")
    assert (listed.returncode, listed.stderr) == (0, "")
    assert "game-1: testvale, turn 3" in listed.stdout
    story = run(prefix, folder, "export", "game-1")
    assert (story.returncode, story.stderr) == (0, "")
    assert "> talk to oda\n" in story.stdout
    assert sha256(folder / FILENAME) == before


def test_playing_a_read_only_save_says_it_cannot_be_saved(
    read_only: tuple[list[str], Path],
) -> None:
    prefix, folder = read_only
    played = run(prefix, folder, "continue", "--plain", "--wait", stdin=lines("e", "w"))
    assert (played.returncode, played.stderr) == (0, "")
    assert played.stdout.startswith("Resumed 'game-1' at turn 3.")
    assert "-- Your game is not being saved: the save file is read-only." in played.stdout


def test_deleting_from_a_read_only_save_is_one_clear_line(
    read_only: tuple[list[str], Path],
) -> None:
    prefix, folder = read_only
    deleted = run(prefix, folder, "saves", "--delete", "game-1")
    assert deleted.returncode == 2
    assert deleted.stderr == "'game-1' cannot be deleted: the save file is read-only.\n"
    assert "game-1" in run(prefix, folder, "saves").stdout
