"""kill -9 under commands piped at full speed loses at most the turn in flight."""

from __future__ import annotations

import os
import random
import subprocess
import threading
from pathlib import Path

from tests.helpers.cli import COMMANDS, PLAY, SCRIPT, lines, quiet, saves_env
from tests.helpers.save_files import latest


def _answers(stdout: object, into: list[str], enough: threading.Event, want: int) -> None:
    for line in stdout:  # type: ignore[attr-defined]
        into.append(line)
        if sum(x.startswith("> ") for x in into) >= want:
            enough.set()
    enough.set()


def test_kill_9_under_piped_input_loses_at_most_the_turn_in_flight(tmp_path: Path) -> None:
    """Every command is piped at once; the game is killed once it has answered a random
    number of them. The saved game is then behind the answers by one turn at most."""
    dice = random.Random(17)
    for round_ in range(5):
        folder = tmp_path / str(round_)
        game = subprocess.Popen(
            [str(SCRIPT), *PLAY[:-1], "--seed", "8"],  # no --wait: as fast as it reads
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**quiet(os.environ), **saves_env(folder)},
        )
        assert game.stdin is not None and game.stdout is not None
        out: list[str] = []
        enough = threading.Event()
        want = dice.randint(10, 60)
        reader = threading.Thread(target=_answers, args=(game.stdout, out, enough, want))
        reader.start()
        game.stdin.write(lines(*(COMMANDS * 20)))
        game.stdin.flush()
        assert enough.wait(timeout=60), "the game never answered"
        game.kill()
        game.wait()
        reader.join(timeout=30)
        game.stdin.close()
        game.stdout.close()
        echoed = sum(line.startswith("> ") for line in out)
        answered = echoed - 1  # the last echo's answer may not have been printed
        saved = latest(folder)
        turns = 0 if saved is None else saved.turn
        assert turns >= answered - 1, f"round {round_}: {answered} answered, {turns} saved"
