"""Where the tests find the repository, their data folders and the test pack."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).parent.parent
"""The tests' root: its data folders (packs, broken, routes, golden, fixtures, format2)."""
ROOT = TESTS.parent
TESTVALE = TESTS / "packs" / "testvale"
"""The small pack the tests play: every rule has something here to act on."""
FERRY = TESTS / "format2" / "ferry"
"""A small format-2 pack that uses every format-2 key."""
