"""A game played from a pack folder of its own is continued from that folder, in plain mode:
`continue` and `play --load` find the pack where it was played from, then by its id, and
say which folder when it has moved."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers.cli import run_cli
from tests.helpers.paths import TESTVALE

PLAIN = ("--plain", "--wait")


def test_continue_and_load_find_the_pack_where_it_was_played_from(tmp_path: Path) -> None:
    pack = (tmp_path / "elsewhere" / "testvale").resolve()
    shutil.copytree(TESTVALE, pack)
    # no ./worlds and no TEXTREALMS_WORLDS: the pack is found by its folder or not at all
    env = {"TEXTREALMS_SAVES_DIR": str(tmp_path / "saves"), "TEXTREALMS_WORLDS": ""}

    def run(*args: str, stdin: str = "look\n") -> tuple[int, str, str]:
        done = run_cli(*args, stdin=stdin, cwd=tmp_path, env=env)
        return done.returncode, done.stdout, done.stderr

    code, _, err = run("play", "--world", str(pack), "--seed", "1", *PLAIN, stdin="e\nsave inn\n")
    assert code == 0, err
    code, out, err = run("continue", *PLAIN)
    assert code == 0, err
    assert out.startswith("Resumed 'game-1' at turn 1.")
    code, out, err = run("play", "--load", "inn", *PLAIN)
    assert code == 0, err
    assert "A copy of 'inn'" in out  # which keeps the folder too

    moved = (tmp_path / "moved" / "testvale").resolve()
    moved.parent.mkdir()
    pack.rename(moved)
    for resume in (("continue",), ("play", "--load", "inn")):
        code, out, err = run(*resume, *PLAIN)
        assert code == 2 and out == ""
        assert f"It was played from {pack}, which is not there now: say where" in err
        assert "Traceback" not in err
    code, out, err = run("continue", "--world", str(moved), *PLAIN)
    assert code == 0, err
    code, out, err = run("continue", *PLAIN)  # the new folder is the one kept now
    assert code == 0, err
    assert out.startswith("Resumed ")

    on_path = (tmp_path / "worlds" / "testvale").resolve()
    on_path.parent.mkdir()
    moved.rename(on_path)
    code, out, err = run("continue", *PLAIN)  # gone again, but ./worlds has it by its id
    assert code == 0, err
    assert f"Its world pack is not in {moved} now; playing it from {on_path}." in out
