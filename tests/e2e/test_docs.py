"""The docs players read stay true to the sources they describe."""

from __future__ import annotations

from tests.helpers.paths import ROOT


def test_readme_names_every_shipped_world() -> None:
    readme = (ROOT / "README.md").read_text()
    for folder in (ROOT / "worlds").iterdir():
        assert f"`{folder.name}`" in readme
