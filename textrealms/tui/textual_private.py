"""Every use of Textual's private API, in one place: upgrading the pinned `textual` means
checking each name below still exists and means the same, then running
tests/tui/test_frames.py, tests/tui/test_lines.py and `textrealms bench --only ui`.

Each is used for speed, where no public call does the job:

- `Screen._dirty_widgets`, `Screen._compositor.visible_widgets`, `Screen._on_timer_update`
  (`paint_now`): the answer to a command is drawn by the handler of Enter, not at
  Textual's next 60 Hz tick, which is 17 to 33 ms later.
- `App._batch_count` (`paint_now`, `FramesTold`): nothing is drawn in a batch update, as
  in Textual's own update step and `App._display`.
- `Widget._scroll_update` (`size_scrollbars`): a view whose scrollable size changes sizes
  its own scrollbar only; setting `virtual_size` lays out the whole screen, which costs
  more than the rest of a frame together.
- `Widget._vertical_scrollbar`, `App._start_widget` (`vertical_scrollbar`): a view's
  scrollbar is one of our own (quicker to draw), made as Textual makes its own.
- `App._display`, `textual._compositor.CompositorUpdate` (`FramesTold`): the bench probe,
  and tests, are told of each frame as it is drawn, encoded for a terminal when headless.
- `Strip._divide_cache` (`acyclic`): a strip kept across turns must not hold itself, or it
  outlives its last use (see `acyclic`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import RenderableType
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.cache import FIFOCache
from textual.geometry import Size
from textual.screen import Screen
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget


def paint_now(screen: Screen[Any]) -> None:
    """Draw what the widgets of `screen` have changed (a layout too, if one is pending)."""
    if not screen.is_current or screen.app._batch_count:
        return
    screen._dirty_widgets.update(screen._compositor.visible_widgets)
    screen._on_timer_update()


class _Forgetful(FIFOCache[Any, Any]):
    """A cache that keeps nothing."""

    def set(self, key: Any, value: Any) -> None:
        """Kept nowhere."""

    __setitem__ = set


_KEEPS_NOTHING = _Forgetful(0)


def acyclic(strip: Strip) -> Strip:
    """`strip`, made never to hold itself. The compositor divides each row it is given at
    the cuts of the frame, and the strip caches the pieces: itself, when nothing cuts it.
    That cycle outlives the strip's last use until a full collection, and the game freezes
    what each turn leaves alive (`textrealms.tui.collector`), so every row the story or
    its scrollbar dropped stayed in memory for good. Dividing a row nothing cuts is free;
    under an overlay, a kept row is divided again each frame."""
    strip._divide_cache = _KEEPS_NOTHING
    return strip


def acyclic_rows(rows: list[Strip]) -> list[Strip]:
    """Each of `rows` made `acyclic`: for a widget drawn Textual's way and redrawn every
    turn (the status line, the command line), as its `render_lines`."""
    return [acyclic(strip) for strip in rows]


def size_scrollbars(widget: Widget, virtual_size: Size) -> None:
    """Size `widget`'s scrollbars (showing or hiding them) for `virtual_size`, with no
    layout of the screen."""
    widget._scroll_update(virtual_size)


def vertical_scrollbar(widget: Widget, make: Callable[[], ScrollBar]) -> ScrollBar:
    """`widget`'s vertical scrollbar: the first time it is asked for, one that `make`
    makes, hidden until needed, as Textual makes its own."""
    if widget._vertical_scrollbar is None:
        bar = widget._vertical_scrollbar = make()
        bar.display = False
        widget.app._start_widget(widget, bar)
    return widget._vertical_scrollbar


class FramesTold(App[None]):
    """An app told (by `frame_drawn`) of every frame it draws, once the frame is encoded
    for a terminal: headless, Textual skips that step (and the write), so it is done here."""

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        super()._display(screen, renderable)
        if renderable is None or self._batch_count:
            return
        if self.is_headless and isinstance(renderable, CompositorUpdate):
            renderable.render_segments(self.console)
        self.frame_drawn()

    def frame_drawn(self) -> None:
        """A frame has been drawn."""
