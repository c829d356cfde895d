"""What "the same game" means: every route's transcript on seeds 1-3, byte for byte.

The files in `tests/golden/` were written by `textrealms play --plain --wait --seed N`
on each route in `tests/routes`. A change that alters what a player reads on purpose
regenerates them (`TEXTREALMS_GOLDEN=update pytest tests/engine/test_golden.py`) and
says why in its commit; any other difference is a regression.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT, TESTS
from textrealms.cli import plain
from textrealms.engine.gm import GameMaster
from textrealms.world.loader import load_pack

GOLDEN = TESTS / "golden"
SEEDS = (1, 2, 3)
CASES = [(route, seed) for route in sorted((TESTS / "routes").glob("*/*.txt")) for seed in SEEDS]


def golden_file(route: Path, seed: int) -> Path:
    return GOLDEN / route.parent.name / f"{route.stem}.seed{seed}.txt"


@pytest.mark.parametrize(
    ("route", "seed"), CASES, ids=[f"{r.parent.name}/{r.stem}/{s}" for r, s in CASES]
)
async def test_route_transcript_is_unchanged(route: Path, seed: int) -> None:
    pack = load_pack(ROOT / "worlds" / route.parent.name)
    gm = GameMaster(pack, seed=seed)
    out = io.StringIO()
    try:
        await plain.run(gm, io.StringIO(route.read_text()), out, interactive=False, wait=True)
    finally:
        await gm.aclose()
    expected = golden_file(route, seed)
    if os.environ.get("TEXTREALMS_GOLDEN") == "update":
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(out.getvalue())
    assert out.getvalue() == expected.read_text()
