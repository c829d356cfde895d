"""Loading packs: the spec's example, merging files, and a corpus of broken packs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT, TESTS, TESTVALE
from textrealms.world.catalog import discover, open_pack, search_dirs
from textrealms.world.loader import load_pack
from textrealms.world.problems import PackError

BROKEN = TESTS / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())
SPEC = ROOT / "docs" / "world-pack-format.md"
"""The format's authority: its example pack must load."""


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    return [str(p).replace(str(folder), "<pack>") for p in caught.value.problems]


@pytest.mark.parametrize("case", CASES)
def test_broken_pack_reports_every_problem(case: str) -> None:
    """Each case's expected.txt lists every problem, with file, key path and message."""
    folder = BROKEN / case
    expected = (folder / "expected.txt").read_text().splitlines()
    assert problems_of(folder) == expected


def test_missing_folder_and_a_file(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nowhere") == ["<pack>: no such folder"]
    file = tmp_path / "pack.toml"
    file.write_text("")
    assert problems_of(file) == ["<pack>: not a folder (a world pack is a folder of .toml files)"]


def test_the_spec_example_loads(tmp_path: Path) -> None:
    text = SPEC.read_text()
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    folder = tmp_path / "lantern-hill"
    folder.mkdir()
    (folder / "world.toml").write_text(example)
    pack = load_pack(folder)
    assert list(pack.locations) == ["square", "inn", "tower"]
    assert pack.locations["square"].exits["north"].requires_flag == "tower_unlocked"
    assert pack.locations["square"].exits["east"].to == "inn"


def test_files_merge_in_name_order(pack) -> None:
    assert list(pack.npcs) == ["oda", "bren", "mira"]
    assert pack.templates.variants("take") == ["You pocket the {item}."]
    assert pack.templates.variants("gossip.rumor") == ["They say {topic}."]
    assert pack.templates.variants("transition.falling") == ["The heat goes out of {conflict}."]
    assert pack.templates.variants("drop") is None


def test_discover_and_open_by_id(tmp_path: Path) -> None:
    packs = tmp_path / "more"
    shutil.copytree(TESTVALE, packs / "testvale")
    shutil.copytree(BROKEN / "wrong-id", packs / "wrong-id")
    dirs = search_dirs(cwd=tmp_path, environ={"TEXTREALMS_WORLDS": str(packs)})
    assert dirs == [tmp_path / "worlds", packs]
    found = discover(dirs)
    assert [(p.id, p.valid) for p in found] == [("testvale", True), ("wrong-id", False)]
    assert open_pack("testvale", dirs).world.name == "Test Vale"
    assert open_pack(None, dirs).world.id == "testvale"
    with pytest.raises(PackError, match="no world pack with this id"):
        open_pack("atlantis", dirs)


def test_a_single_pack_folder_in_the_search_path(tmp_path: Path) -> None:
    found = discover(search_dirs(cwd=tmp_path, environ={"TEXTREALMS_WORLDS": str(TESTVALE)}))
    assert [p.id for p in found] == ["testvale"]
