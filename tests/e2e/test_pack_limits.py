"""Packs that cannot crash the loader: too deep, too big, odd numbers, a BOM, and one broken
pack among good ones."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers.cli import run_cli
from tests.helpers.paths import TESTVALE
from textrealms.world import limits

WORLD = """[world]
id = "{id}"
name = "Broken"
description = "A pack that should not crash anything."
version = "1.0.0"
format = {format}
intro = "{intro}"

[start]
location = "here"

[locations.here]
name = "Here"
description = "Nowhere much."
"""


def pack(
    folder: Path, name: str, *, format_: str = "1", intro: str = "Hi.", extra: str = ""
) -> Path:
    where = folder / name
    where.mkdir(parents=True)
    text = WORLD.format(id=name, format=format_, intro=intro) + extra
    (where / "world.toml").write_text(text)
    return where


def validate(path: Path) -> tuple[int, str, str]:
    result = run_cli("validate", str(path))
    return result.returncode, result.stdout, result.stderr


def test_toml_nested_thousands_deep_is_one_problem(tmp_path: Path) -> None:
    deep = pack(tmp_path, "deep", extra="x = " + "[" * 5000 + "]" * 5000 + "\n")
    status, out, err = validate(deep)
    assert (status, err) == (2, "")
    assert out == f"{deep / 'world.toml'}: nested more than {limits.DEPTH} levels deep\n"


def test_a_nesting_python_can_parse_is_still_too_deep(tmp_path: Path) -> None:
    deep = pack(tmp_path, "deep", extra="x = " + "[" * 200 + "]" * 200 + "\n")
    status, out, err = validate(deep)
    assert (status, err) == (2, "")
    where = "locations.here.x"  # TOML puts it in the table above it
    assert out == f"{deep / 'world.toml'}: {where}: nested more than {limits.DEPTH} levels deep\n"


def test_a_number_of_thousands_of_digits_is_one_problem(tmp_path: Path) -> None:
    huge = pack(tmp_path, "huge", format_="1" * 5000)
    status, out, err = validate(huge)
    assert (status, err) == (2, "")
    assert out.startswith(f"{huge / 'world.toml'}: ") and "number" in out
    assert out.count("\n") == 1


def test_a_file_beyond_the_size_limit_is_not_read(tmp_path: Path) -> None:
    big = pack(tmp_path, "big", intro="x" * (limits.FILE_BYTES + 1))
    status, out, err = validate(big)
    assert (status, err) == (2, "")
    assert out == (f"{big / 'world.toml'}: larger than {limits.FILE_BYTES:,} bytes: not read\n")


def test_a_text_beyond_the_length_limit_is_a_problem(tmp_path: Path) -> None:
    long = pack(tmp_path, "long", intro="x" * (limits.TEXT + 1))
    status, out, _ = validate(long)
    assert status == 2
    assert f"world.intro: longer than {limits.TEXT:,} characters" in out


def test_a_byte_order_mark_is_read_as_utf8(tmp_path: Path) -> None:
    copy = tmp_path / "testvale"
    shutil.copytree(TESTVALE, copy)
    world = copy / "world.toml"
    world.write_bytes(b"\xef\xbb\xbf" + world.read_bytes())
    status, out, err = validate(copy)
    assert (status, err) == (0, ""), out
    assert out.startswith(f"{copy}: ok")


def test_a_broken_pack_is_listed_and_never_stops_another(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    shutil.copytree(TESTVALE, packs / "testvale")
    pack(packs, "deep", extra="x = " + "[" * 5000 + "]" * 5000 + "\n")
    pack(packs, "huge", format_="1" * 5000)
    env = {"TEXTREALMS_WORLDS": str(packs), "TEXTREALMS_SAVES_DIR": str(tmp_path / "saves")}
    listed = run_cli("worlds", "--json", env=env)
    assert (listed.returncode, listed.stderr) == (0, "")
    assert '"id": "testvale"' in listed.stdout and '"valid": true' in listed.stdout
    assert listed.stdout.count('"valid": false') == 2
    played = run_cli("play", "--world", "testvale", "--plain", stdin="look\n", env=env)
    assert (played.returncode, played.stderr) == (0, "")
    assert "Test Vale" in played.stdout
