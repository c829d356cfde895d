"""The real `textrealms` in a real terminal (tmux): start, play a few commands, quit."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT, TESTVALE
from tests.helpers.waiting import TIMEOUT

TMUX = shutil.which("tmux")
SOCKET: list[Path] = []
"""The socket of a tmux server of the tests' own: a player's tmux server never sees
them, nor keeps the environment they start in once they are done. A session of its
own keeps it up until the module is done: a server left with no session exits, and a
session asked of it meanwhile fails ("server exited unexpectedly"), as one test's
session ends just before the next one's starts. That session ends by itself after
`KEEPING` seconds, so a run killed midway leaves no server behind for long."""
KEEPING = 600
pytestmark = [pytest.mark.slow, pytest.mark.skipif(TMUX is None, reason="tmux is not installed")]


def tmux(*args: str) -> str:
    assert TMUX is not None
    done = subprocess.run(
        [TMUX, "-S", str(SOCKET[0]), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return done.stdout


@pytest.fixture(scope="module", autouse=True)
def _server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    SOCKET.append(tmp_path_factory.mktemp("tmux") / "socket")
    tmux("new-session", "-d", "-s", "keeper", f"sleep {KEEPING}")
    assert tmux("list-sessions", "-F", "#{session_name}").split() == ["keeper"]
    yield
    tmux("kill-server")
    SOCKET.pop().unlink(missing_ok=True)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[str]:
    name = f"textrealms-{uuid.uuid4().hex[:8]}"
    SAVES[name] = tmp_path
    yield name
    tmux("kill-session", "-t", name)
    del SAVES[name]


SAVES: dict[str, Path] = {}
"""Each tmux session's saves folder (a tmux server keeps the environment it started in)."""


def screen(name: str) -> str:
    return tmux("capture-pane", "-p", "-t", name)


def wait_for(name: str, text: str) -> str:
    """The screen once `text` is on it; fail after `TIMEOUT` seconds."""
    deadline = time.monotonic() + TIMEOUT
    shown = ""
    while time.monotonic() < deadline:
        shown = screen(name)
        if text in shown:
            return shown
        time.sleep(0.1)  # polling the terminal: nothing to await across processes
    pytest.fail(f"{text!r} never appeared; the screen was:\n{shown}")


def test_play_a_few_commands_in_a_real_terminal(session: str) -> None:
    start(session, "play", "--world", str(TESTVALE), "--seed", "1")
    wait_for(session, "What do you do?")
    wait_for(session, "offline narrator")
    tmux("send-keys", "-t", session, "escalate", "Enter")
    wait_for(session, "> escalate")
    wait_for(session, "press hard on the tower feud")
    tmux("send-keys", "-t", session, "east", "Enter")
    shown = wait_for(session, "The Low Inn")
    assert "Traceback" not in shown
    tmux("send-keys", "-t", session, "F1")
    wait_for(session, "Help  (F1 or escape to close)")  # the verbs by family fill 30 rows
    tmux("send-keys", "-t", session, "Escape")
    tmux("send-keys", "-t", session, "C-q")
    shown = wait_for(session, "exited-0")
    assert "Traceback" not in shown and "Task was destroyed" not in shown


def start(session: str, *args: str) -> None:
    program = Path(sys.executable).parent / "textrealms"
    command = " ".join([str(program), *args, "; echo exited-$?; sleep 30"])
    tmux(
        "new-session", "-d", "-s", session, "-x", "100", "-y", "30",
        "-e", "TERM=xterm-256color", "-e", f"TEXTREALMS_SAVES_DIR={SAVES[session]}",
        "-c", str(ROOT), command,
    )  # fmt: skip


def test_no_arguments_opens_the_title_screen(session: str) -> None:
    start(session)
    wait_for(session, "New game")
    tmux("send-keys", "-t", session, "C-q")
    wait_for(session, "exited-0")


def test_plain_keeps_line_mode_in_a_terminal(session: str) -> None:
    start(session, "play", "--plain", "--world", str(TESTVALE), "--seed", "1")
    wait_for(session, "Exits:")
    tmux("send-keys", "-t", session, "quit", "Enter")
    shown = wait_for(session, "exited-0")
    assert "Farewell." in shown and "What do you do?" not in shown


def to_the_inn(session: str) -> None:
    """A new game on seed 1 in `session`, one step east: turn 1, in The Low Inn."""
    start(session, "play", "--world", str(TESTVALE), "--seed", "1")
    wait_for(session, "What do you do?")
    tmux("send-keys", "-t", session, "east", "Enter")
    wait_for(session, "The Low Inn")


def test_continue_opens_the_last_game_where_it_was_left(session: str) -> None:
    to_the_inn(session)
    tmux("send-keys", "-t", session, "C-q")
    wait_for(session, "exited-0")
    again = f"{session}-again"  # a session of its own: a name just killed may not be free yet
    SAVES[again] = SAVES[session]
    try:
        start(again, "continue", "--world", str(TESTVALE))
        shown = wait_for(again, "Resumed 'game-1' at turn 1.")
        assert "The Low Inn" in shown
        tmux("send-keys", "-t", again, "undo", "Enter")
        wait_for(again, "Undone: back to turn 0.")
        tmux("send-keys", "-t", again, "C-q")
        wait_for(again, "exited-0")
    finally:
        tmux("kill-session", "-t", again)
        del SAVES[again]


def test_ctrl_s_saves_and_f3_lists_it_in_a_real_terminal(session: str) -> None:
    """ctrl+s reaches the game through a real terminal (no flow control takes it)."""
    to_the_inn(session)
    tmux("send-keys", "-t", session, "C-s")
    wait_for(session, "Save the game as")
    tmux("send-keys", "-t", session, "Enter")
    wait_for(session, "Saved as 'testvale-turn-1'")
    tmux("send-keys", "-t", session, "F3")
    shown = wait_for(session, "game-1 (this game)")
    assert "testvale-turn-1" in shown
    tmux("send-keys", "-t", session, "Escape")  # alone: escape and a key at once read as alt
    wait_for(session, "What do you do?")
    tmux("send-keys", "-t", session, "C-z")
    wait_for(session, "Undone: back to turn 0.")
    tmux("send-keys", "-t", session, "C-q")
    shown = wait_for(session, "exited-0")
    assert "Traceback" not in shown
