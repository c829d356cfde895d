"""A scrolling view of lines that its subclass renders, at the view's width, itself.

Textual lays out the whole screen when a widget's scrollable size changes, which costs
more than the rest of a frame together. A view here changes its size without that: only
its own scrollbar is sized again, since nothing around it moves. So a new line of story
or a changed side panel repaints only its own rows.
"""

from __future__ import annotations

from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class LinesView(ScrollView):
    """Subclasses render at `width` in `rewrap` (called again when it changes), say how
    many rows they have with `measure`, and draw a row with `row`."""

    DEFAULT_CSS = """
    LinesView {
        overflow-x: hidden;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.width = 0
        """The width the lines are rendered at; 0 until the view has a size."""
        self.base = Style()
        """The view's own style, as of the frame being drawn."""

    def rewrap(self) -> None:
        """Render every line again at `width` (which has changed)."""

    def row(self, row: int, width: int) -> Strip:
        """A row of the content, `width` wide (past the end: blank)."""
        return Strip.blank(width, self.base)

    def measure(self, rows: int) -> None:
        """The content is `rows` high now: size the scrolling to fit, with no layout."""
        size = Size(self.width, rows)
        if size != self.virtual_size:
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)

    def repaint_rows(self, start: int, end: int | None = None) -> None:
        """Repaint content rows from `start` up to `end` (to the end of the view)."""
        top = int(self.scroll_y)
        first = max(start, top) - top
        last = self.size.height if end is None else min(end - top, self.size.height)
        if last > first:
            self.refresh(Region(0, first, self.size.width, last - first))

    def _check_width(self) -> None:
        width = self.scrollable_content_region.width
        if width == self.width or width <= 0:
            return
        self.width = width
        self.rewrap()
        self.refresh()

    def on_resize(self) -> None:
        self._check_width()

    def watch_show_vertical_scrollbar(self) -> None:
        self._check_width()

    def render_lines(self, crop: Region) -> list[Strip]:
        # the style is looked up once a frame, not once a row
        self.base = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        return self.row(scroll_y + y, width).crop_extend(scroll_x, scroll_x + width, self.base)
