"""Drawing a screen's pending changes at once, for the answer to a command.

Textual draws on a 60 Hz timer: a change waits for the next tick, and a tick after one
that overran is skipped, so a player's Enter could wait 17 to 33 ms before its answer
is drawn. The answer is what the player is waiting for, so it is drawn as soon as it
is in the widgets; narration streaming in the background keeps to the timer.

Textual has no public call for this. It is done with the screen's own update step,
which the timer calls, so the pinned `textual==` version matters: tests/test_tui_paint.py
fails if an upgrade changes it.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def paint_now(screen: Screen[Any]) -> None:
    """Draw what the widgets of `screen` have changed (a layout too, if one is pending)."""
    if not screen.is_current or screen.app._batch_count:
        return
    screen._dirty_widgets.update(screen._compositor.visible_widgets)
    screen._on_timer_update()
