"""The docs players read stay true to the sources they describe."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

SHARED_SPEC = ROOT.parent / "shared" / "spec" / "world-pack.md"


def test_pack_format_doc_is_the_spec() -> None:
    if not SHARED_SPEC.exists():
        pytest.skip("the shared spec is not beside this checkout")
    assert (ROOT / "docs" / "world-pack-format.md").read_text() == SHARED_SPEC.read_text()


def test_readme_names_every_shipped_world() -> None:
    readme = (ROOT / "README.md").read_text()
    for folder in (ROOT / "worlds").iterdir():
        assert f"`{folder.name}`" in readme
