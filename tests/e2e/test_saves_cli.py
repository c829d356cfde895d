"""Saving from the command line: continue, play --load, saves, export, bad files, crashes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.helpers.cli import COMMANDS, PLAY, SCRIPT, lines, quiet, run_cli, saves_env
from tests.helpers.paths import TESTVALE
from tests.helpers.save_files import BAD_FILES, integrity, latest, sha256
from tests.helpers.waiting import TIMEOUT
from textrealms.cli.main import main
from textrealms.engine.gm import GameMaster
from textrealms.store.database import FILENAME
from textrealms.world.loader import load_pack
from textrealms.world.state import GameState, new_game


def export(folder: Path, name: str, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["export", name, "--format", fmt, "--saves-dir", str(folder)]) == 0
    return capsys.readouterr().out


def test_a_resumed_game_continues_its_transcript_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole, split = tmp_path / "whole", tmp_path / "split"
    args = (*PLAY, "--seed", "4")
    assert run_cli(*args, stdin=lines(*COMMANDS), env=saves_env(whole)).returncode == 0
    assert run_cli(*args, stdin=lines(*COMMANDS[:4]), env=saves_env(split)).returncode == 0
    resumed = run_cli(
        "continue", "--plain", "--wait", stdin=lines(*COMMANDS[4:]), env=saves_env(split)
    )
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.startswith("Resumed 'game-1' at turn 4.\n\n== Village Square ==")
    for fmt in ("txt", "md"):
        assert export(split, "game-1", fmt, capsys) == export(whole, "game-1", fmt, capsys)
    story = export(whole, "game-1", "txt", capsys)
    assert story.startswith("TextRealms: game-1\n\nTest Vale\nYou arrive")
    assert "> support mira\n" in story
    assert "Narrator: " in story
    assert story.count("> ") == len(COMMANDS)


def test_saves_lists_and_play_load_plays_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = saves_env(tmp_path)
    run_cli(*PLAY, "--seed", "2", stdin=lines("e", "save inn", "w"), env=env)
    assert main(["saves", "--json", "--saves-dir", str(tmp_path)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(s["name"], s["world"], s["turn"], s["location"]) for s in listed] == [
        ("game-1", "testvale", 2, "Village Square"),
        ("inn", "testvale", 1, "The Low Inn"),
    ]
    assert all(s["last_played"] for s in listed)
    loaded = run_cli("play", "--load", "inn", "--plain", "--wait", stdin="look\n", env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith(
        "Resumed 'game-3' at turn 1.\n\nA copy of 'inn', which stays as it was."
    )
    assert main(["saves", "--saves-dir", str(tmp_path)]) == 0
    listing = capsys.readouterr().out
    assert "game-3: testvale, turn 2, The Low Inn" in listing
    assert "inn: testvale, turn 1, The Low Inn" in listing
    assert main(["saves", "--delete", "inn", "--saves-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "Deleted 'inn'.\n"
    assert main(["saves", "--delete", "inn", "--saves-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "There is no saved game named 'inn'.\n"
    assert main(["saves", "--json", "--saves-dir", str(tmp_path)]) == 0
    assert [s["name"] for s in json.loads(capsys.readouterr().out)] == ["game-3", "game-1"]


def test_export_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(*PLAY, "--seed", "2", stdin="say *bold* <b>\n", env=saves_env(tmp_path))
    out = tmp_path / "story.md"
    argv = ["export", "game-1", "--format", "md", "--output", str(out)]
    assert main([*argv, "--saves-dir", str(tmp_path)]) == 0
    text = out.read_text()
    assert text.startswith("# TextRealms: game-1\n")
    assert "**> say \\*bold\\* \\<b\\>**" in text


def test_nothing_to_continue_or_export_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["saves", "--saves-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"No saved games in {tmp_path}.\n"
    assert not (tmp_path / FILENAME).exists()
    assert main(["export", "x", "--saves-dir", str(tmp_path)]) == 2
    assert "There are no saved games in" in capsys.readouterr().err
    result = run_cli("continue", "--plain", env=saves_env(tmp_path))
    assert result.returncode == 2
    assert result.stderr == "There is no saved game to continue. Start one: textrealms play\n"
    missing = run_cli("play", "--load", "nope", "--plain", env=saves_env(tmp_path))
    assert (missing.returncode, missing.stderr) == (
        2,
        "There is no saved game named 'nope'.\n",
    )


@pytest.mark.parametrize("case", BAD_FILES)
def test_every_command_refuses_a_bad_file_and_leaves_it_untouched(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make, message = BAD_FILES[case]
    make(tmp_path / FILENAME)
    before = sha256(tmp_path / FILENAME)
    folder = ["--saves-dir", str(tmp_path)]
    commands = (["saves"], ["export", "game-1"], ["continue", "--plain"], ["play", "--load", "x"])
    for argv in commands:
        assert main([*argv, *folder]) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err
    assert sha256(tmp_path / FILENAME) == before
    assert [p.name for p in tmp_path.iterdir()] == [FILENAME]


def _copy_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "packs" / "testvale"
    shutil.copytree(TESTVALE, pack)
    return pack


def test_a_changed_pack_warns_and_a_missing_one_leaves_the_save(tmp_path: Path) -> None:
    pack = _copy_pack(tmp_path)
    env = {"TEXTREALMS_SAVES_DIR": str(tmp_path / "saves"), "TEXTREALMS_WORLDS": str(pack.parent)}
    run_cli("play", "--world", "testvale", "--plain", "--seed", "1", stdin="e\n", env=env)
    world = pack / "world.toml"
    world.write_text(world.read_text().replace('version = "1.0.0"', 'version = "1.1.0"'))
    changed = run_cli("continue", "--plain", stdin="look\n", env=env)
    assert changed.returncode == 0, changed.stderr
    assert "saved with Test Vale 1.0.0; the world is now version 1.1.0" in changed.stdout
    saved = sha256(tmp_path / "saves" / FILENAME)
    shutil.rmtree(pack)
    gone = run_cli("continue", "--plain", env=env)
    assert gone.returncode == 2
    assert "The saved game 'game-1' needs world 'testvale', which cannot be loaded." in gone.stderr
    assert sha256(tmp_path / "saves" / FILENAME) == saved


def test_two_games_on_one_saves_folder_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {**quiet(os.environ), **saves_env(tmp_path)}
    commands = lines(*(COMMANDS * 5))
    games = [
        subprocess.Popen(
            [str(SCRIPT), *PLAY, "--seed", str(seed)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for seed in (1, 2)
    ]
    for game in games:
        game.stdin.write(commands)  # type: ignore[union-attr]
        game.stdin.close()  # type: ignore[union-attr]
    for game in games:
        assert game.wait(timeout=60) == 0, game.stderr.read()  # type: ignore[union-attr]
        game.stdout.close()  # type: ignore[union-attr]
        game.stderr.close()  # type: ignore[union-attr]
    assert integrity(tmp_path / FILENAME) == "ok"
    assert main(["saves", "--json", "--saves-dir", str(tmp_path)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted((s["name"], s["turn"]) for s in listed) == [("game-1", 40), ("game-2", 40)]
    for name in ("game-1", "game-2"):
        assert export(tmp_path, name, "txt", capsys).count("\n> ") == 40


def states_from(state: GameState, commands: list[str]) -> set[str]:
    """Every state a game at `state` has while playing `commands` under --wait."""

    async def replay() -> set[str]:
        pack = load_pack(TESTVALE)
        gm = GameMaster(pack, seed=state.seed, state=state, prefetch=False)
        seen = {state.state_hash()}
        for command in commands:
            seen.add(gm.submit(command).state.state_hash())
            await gm.settled()
            seen.add(gm.state.state_hash())
        await gm.aclose()
        return seen

    return asyncio.run(replay())


def _feed(stdin: object, commands: list[str]) -> None:
    """Type commands a little apart, as a person (or a pipe) might."""
    pause = threading.Event()
    with contextlib.suppress(BrokenPipeError, OSError, ValueError):
        for command in commands:
            stdin.write(f"{command}\n")  # type: ignore[attr-defined]
            stdin.flush()  # type: ignore[attr-defined]
            pause.wait(0.005)


def _read(stdout: object, into: list[str]) -> None:
    for line in stdout:  # type: ignore[attr-defined]
        into.append(line)


def saved_turn(folder: Path) -> int:
    """The last turn on disk in `folder`, read as another program would; -1 if none yet."""
    path = folder / FILENAME
    if not path.exists():
        return -1
    try:
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            (turn,) = db.execute("SELECT max(turn) FROM turns").fetchone()
    except sqlite3.Error:  # not made yet, or being made
        return -1
    return -1 if turn is None else int(turn)


def saves_past(folder: Path, turn: int, game: subprocess.Popen[str]) -> None:
    """Wait until the game has saved a turn after `turn` (or has ended by itself)."""
    deadline = time.monotonic() + TIMEOUT
    while saved_turn(folder) <= turn and game.poll() is None:
        assert time.monotonic() < deadline, f"no turn after {turn} was saved"
        time.sleep(0.01)  # polling the file: nothing to await across processes


@pytest.mark.slow
def test_kill_9_at_random_moments_loses_at_most_the_turn_in_flight(tmp_path: Path) -> None:
    """Most kills come at a random moment after the game has saved a turn of its own (so
    every such round gets on); some come while it starts."""
    dice = random.Random(9)
    env = {**quiet(os.environ), **saves_env(tmp_path)}
    script = COMMANDS * 200  # more than 15 rounds play: every kill comes mid-game
    seed = 8
    for round_ in range(15):
        before = latest(tmp_path)
        start = before if before is not None else new_game(load_pack(TESTVALE), seed)
        todo = script[start.turn :]
        argv = ("continue", "--plain", "--wait") if before else (*PLAY, "--seed", str(seed))
        game = subprocess.Popen(
            [str(SCRIPT), *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        out: list[str] = []
        threads = [
            threading.Thread(target=_feed, args=(game.stdin, todo), daemon=True),
            threading.Thread(target=_read, args=(game.stdout, out), daemon=True),
        ]
        for thread in threads:
            thread.start()
        early = round_ % 4 == 3
        if not early and todo:
            saves_past(tmp_path, start.turn if before is not None else -1, game)
        with contextlib.suppress(subprocess.TimeoutExpired):
            game.wait(timeout=dice.uniform(0.0, 0.6 if early else 0.3))
        game.kill()
        game.wait()
        for thread in threads:
            thread.join(timeout=TIMEOUT)
        for stream in (game.stdin, game.stdout):
            with contextlib.suppress(BrokenPipeError):
                stream.close()  # type: ignore[union-attr]
        if before is not None and out:
            assert out[0] == f"Resumed 'game-1' at turn {before.turn}.\n", (round_, out[:3])
        after = latest(tmp_path)
        if after is None:
            continue
        assert integrity(tmp_path / FILENAME) == "ok"
        assert after.state_hash() in states_from(start, todo[: after.turn - start.turn + 1]), (
            f"round {round_}: turn {after.turn} is no state the game had"
        )
    final = latest(tmp_path)
    assert final is not None and final.turn > 10, "the games got on, round after round"
