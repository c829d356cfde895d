"""The `textrealms` command: worlds, validate, and plain-mode play."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.cli import SCRIPT, run_cli
from tests.helpers.paths import TESTS, TESTVALE
from textrealms.cli.main import main

COMMANDS = "look\ne\ntake key\niron\nask oda about lantern\nwait\nw\nescalate\nxyzzy\n"


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("textrealms ")


def test_worlds_json_lists_packs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEXTREALMS_WORLDS", str(TESTS / "packs"))
    assert main(["worlds", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == [
        {
            "id": "testvale",
            "name": "Test Vale",
            "version": "1.0.0",
            "description": "A small pack the tests play: every rule has something here to act on.",
            "genre": "test",
            "path": str(TESTVALE),
            "valid": True,
            "problems": [],
        }
    ]


def test_worlds_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(
        "TEXTREALMS_WORLDS",
        os.pathsep.join([str(TESTS / "packs"), str(TESTS / "broken" / "wrong-id")]),
    )
    assert main(["worlds"]) == 0
    out = capsys.readouterr().out
    assert "Test Vale" in out
    assert "invalid" in out


def test_worlds_table_shows_pack_text_literally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = tmp_path / "packs" / "testvale"
    shutil.copytree(TESTVALE, pack)
    world = (pack / "world.toml").read_text()
    world = world.replace('name = "Test Vale"', 'name = "[bold red]Loud[/] \\u001b[2Jvale"')
    (pack / "world.toml").write_text(world)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEXTREALMS_WORLDS", str(tmp_path / "packs"))
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["worlds"]) == 0
    out = capsys.readouterr().out
    assert "[2J" not in out
    assert "[bold red]Loud[/] vale" in out
    assert "\x1b" not in out


def test_validate_ok_and_broken(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(TESTVALE)]) == 0
    assert (
        "ok (Test Vale 1.0.0: 4 locations, 3 NPCs, 2 quests, 2 endings)" in capsys.readouterr().out
    )
    broken = TESTS / "broken"
    assert main(["validate", str(TESTVALE), str(broken / "flags")]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith(": ok (Test Vale 1.0.0: 4 locations, 3 NPCs, 2 quests, 2 endings)")
    assert len(lines) == 1 + 3


@pytest.mark.parametrize("case", sorted(p.name for p in (TESTS / "broken").iterdir()))
def test_validate_never_shows_a_traceback(case: str) -> None:
    result = run_cli("validate", str(TESTS / "broken" / case))
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert len(result.stdout.splitlines()) == len(
        (TESTS / "broken" / case / "expected.txt").read_text().splitlines()
    )


def test_validate_output_is_clean(tmp_path: Path) -> None:
    pack = tmp_path / "testvale"
    shutil.copytree(TESTVALE, pack)
    (pack / "extra.toml").write_text('["\\u001b]0;pwned\\u0007locations"]\nk = 1\n')
    result = run_cli("validate", str(pack))
    assert result.returncode == 2
    assert "\x1b" not in result.stdout
    assert "extra.toml: locations: unknown section" in result.stdout


def test_validate_missing_folder() -> None:
    result = run_cli("validate", "no/such/pack")
    assert (result.returncode, result.stdout) == (2, "no/such/pack: no such folder\n")


def test_plain_play_with_wait_echoes_and_is_byte_identical() -> None:
    args = ("play", "--plain", "--wait", "--world", str(TESTVALE), "--seed", "11")
    first = run_cli(*args, stdin=COMMANDS)
    second = run_cli(*args, stdin=COMMANDS)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert first.stdout.startswith("Test Vale\nYou arrive in Test Vale as the lantern goes dark.")
    assert "> take key\nWhich key: the iron key or the brass key?\n\n> iron\n" in first.stdout
    assert "> xyzzy\n" in first.stdout
    assert first.stderr == ""


def test_play_without_plain_is_plain_when_piped() -> None:
    args = ("--wait", "--world", str(TESTVALE), "--seed", "11")
    piped = run_cli("play", *args, stdin=COMMANDS)
    plain = run_cli("play", "--plain", *args, stdin=COMMANDS)
    assert piped.returncode == 0
    assert piped.stdout == plain.stdout


def test_background_entries_print_labelled_as_they_arrive() -> None:
    commands = "escalate\nsupport mira\nescalate\nwait\nwait\nwait\n"
    result = run_cli("play", "--world", str(TESTVALE), "--seed", "3", stdin=commands)
    assert result.returncode == 0, result.stderr
    paragraphs = [p for p in result.stdout.split("\n\n") if p.strip()]
    assert any(p.startswith(("Bren", "Mira")) and "> " not in p for p in paragraphs)
    assert any(p.startswith("Reputation: ") for p in paragraphs)
    # Piped commands come faster than narration, so earlier turns' narration may be
    # superseded; the last turn's never is, and it lands after the turn's own text.
    last = max(i for i, p in enumerate(paragraphs) if p.startswith("> "))
    assert any(p.startswith("Narrator: ") for p in paragraphs[last + 1 :])


def test_quit_ends_with_status_zero_and_ignores_the_rest() -> None:
    result = run_cli("play", "--world", str(TESTVALE), "--seed", "1", stdin="quit\nlook\n")
    assert result.returncode == 0
    assert result.stdout.endswith("> quit\nFarewell.\n\n")


def test_default_world_is_the_first_listed(tmp_path: Path) -> None:
    result = run_cli(
        "play",
        "--seed",
        "1",
        stdin="",
        cwd=tmp_path,
        env={"TEXTREALMS_WORLDS": str(TESTS / "packs")},
    )
    assert result.returncode == 0
    assert result.stdout.startswith("Test Vale\n")


def test_unknown_world_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli(
        "play", "--world", "atlantis", cwd=tmp_path, env={"TEXTREALMS_WORLDS": str(TESTS / "packs")}
    )
    assert result.returncode == 2
    assert "atlantis: no world pack with this id" in result.stderr
    assert "found: testvale" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_world_is_a_clear_error() -> None:
    result = run_cli("play", "--world", str(TESTS / "broken" / "flags"))
    assert result.returncode == 2
    assert "flag 'door_opne' is never set" in result.stderr


def test_control_sequences_never_reach_the_terminal() -> None:
    result = run_cli(
        "play",
        "--world",
        str(TESTVALE),
        "--seed",
        "1",
        stdin="say \x1b[2J\x1b]0;pwned\x07hello\x1b[31m\n",
    )
    assert "\x1b" not in result.stdout
    assert "\x07" not in result.stdout
    assert 'You say, "[2Jhello"' not in result.stdout
    assert 'You say, "hello"' in result.stdout


def test_undecodable_input_is_replaced_not_fatal() -> None:
    result = subprocess.run(
        [str(SCRIPT), "play", "--world", str(TESTVALE), "--seed", "1"],
        input=b"look\n\xff\xfe odd\nquit\n",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "> \ufffd\ufffd odd\n".encode() in result.stdout
    assert result.stdout.decode("utf-8")


def test_a_failing_jobs_traceback_goes_to_the_log_not_the_screen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    from textrealms.cli.logs import logging_to

    with logging_to(tmp_path) as path:
        try:
            raise ZeroDivisionError("a bug in a job")
        except ZeroDivisionError:
            logging.getLogger("textrealms.engine.gm").exception("job Narrator of turn 3 failed")
    assert capsys.readouterr().err == ""
    assert path is not None
    logged = path.read_text()
    assert "job Narrator of turn 3 failed" in logged
    assert "ZeroDivisionError: a bug in a job" in logged


def test_a_saves_folder_that_cannot_be_made_logs_nowhere(tmp_path: Path) -> None:
    from textrealms.cli.logs import logging_to

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with logging_to(blocker / "saves") as path:
        assert path is None


def test_worlds_to_a_pipe_keeps_each_pack_on_one_line(tmp_path: Path) -> None:
    """However narrow the terminal says it is, a file gets whole rows, unboxed."""
    packs = tmp_path / "packs"
    shutil.copytree(TESTVALE, packs / "testvale")
    description = "A small pack the tests play: every rule has something here to act on."
    listed = run_cli("worlds", cwd=tmp_path, env={"TEXTREALMS_WORLDS": str(packs), "COLUMNS": "40"})
    assert listed.returncode == 0, listed.stderr
    header, row = listed.stdout.splitlines()
    assert header.split() == ["id", "name", "version", "description", "path"]
    assert row.startswith("testvale") and description in row
    assert row.endswith(str(packs / "testvale"))
    assert not any(line.endswith(" ") for line in (header, row))
    assert not set("│┃━─") & set(listed.stdout)
