"""The code stays clean: ruff, mypy, and the import contracts, checked with the tests."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT, TESTS

BIN = Path(sys.executable).parent
FRONT_ENDS = {"tui", "cli"}
TIERS = {"unit", "engine", "tui", "e2e"}


def check(*command: str) -> None:
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff() -> None:
    check(sys.executable, "-m", "ruff", "check", ".")
    check(sys.executable, "-m", "ruff", "format", "--check", ".")


@pytest.mark.slow
def test_mypy() -> None:
    check(sys.executable, "-m", "mypy")


def test_import_contracts() -> None:
    check(str(BIN / "lint-imports"))


def test_textual_contract_covers_every_package_below_the_front_ends() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["forbidden_modules"] == ["textual"])
    packages = {p.name for p in (ROOT / "textrealms").iterdir() if (p / "__init__.py").exists()}
    assert set(contract["source_modules"]) == {
        f"textrealms.{name}" for name in packages - FRONT_ENDS
    }


def test_the_layers_list_every_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["type"] == "layers")
    packages = {p.name for p in (ROOT / "textrealms").iterdir() if (p / "__init__.py").exists()}
    listed = {m.strip() for layer in contract["layers"] for m in layer.split("|")}
    assert listed == {f"textrealms.{name}" for name in packages}


MODULE_LINES = 450
"""No module in textrealms/ is longer: past this, it holds more than one idea."""
SCHEDULER_LINES = 400
"""The game master is the scheduler only (model calls, jobs and prefetch live apart)."""


def test_no_module_is_too_long() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / "textrealms").rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MODULE_LINES
    }
    assert not long, f"modules over {MODULE_LINES} lines: {long}"


def test_the_game_master_class_stays_a_scheduler() -> None:
    source = (ROOT / "textrealms" / "engine" / "gm.py").read_text()
    gm = next(
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.ClassDef) and node.name == "GameMaster"
    )
    assert gm.end_lineno is not None
    assert gm.end_lineno - gm.lineno + 1 < SCHEDULER_LINES


def test_tests_live_in_their_tiers_and_share_only_through_helpers() -> None:
    """A new test goes in a tier's folder; what tests share goes in tests/helpers, never
    imported from another test module or from conftest.py."""
    modules = sorted(TESTS.rglob("test_*.py"))
    assert {m.relative_to(TESTS).parts[0] for m in modules} == TIERS
    reaching = re.compile(r"^\s*(?:from|import) tests\.(?!helpers\b)", re.MULTILINE)
    assert [m for m in TESTS.rglob("*.py") if reaching.search(m.read_text())] == []
