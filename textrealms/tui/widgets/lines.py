"""A scrolling view of lines that its subclass renders, at the view's width, itself.

Textual lays out the whole screen when a widget's scrollable size changes, which costs
more than the rest of a frame together. A view here changes its size without that: only
its own scrollbar is sized again, since nothing around it moves. So a new line of story
or a changed side panel repaints only its own rows.

Textual also styles every row again (padding, background, colour filters) whenever it
moves, which a view that follows streaming text does several times a second: a third of
a frame. A plain view (padding at the sides, no border, tint or opacity) keeps each
row's styled form for as long as the row is the same, so a scroll costs list lookups.
It draws exactly what Textual draws (tests/tui/test_lines.py compares the two).

Both lean on Textual's internals, through `textrealms.tui.textual_private`: sizing the
scrollbar, and making it. `textual` is pinned exactly, and the tests in
tests/tui/test_lines.py and tests/tui/test_frames.py fail if an upgrade changes them.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.style import Style as TextualStyle

from textrealms.tui.textual_private import (
    acyclic,
    acyclic_rows,
    size_scrollbars,
    vertical_scrollbar,
)


class Styling(NamedTuple):
    """How a plain view styles a row: what its kept styled rows are good for."""

    width: int
    content_width: int
    left: int
    right: int
    padding: Style
    filters: tuple[LineFilter, ...]
    background: Color


class QuickScrollBar(ScrollBar):
    """Textual's vertical scrollbar, drawn from the bar's segments straight to rows, which
    are kept while the bar looks the same: it changes with every line the view grows by,
    and Textual's way to draw it cost as much as the rest of the view."""

    def __init__(self, *, thickness: int) -> None:
        super().__init__(vertical=True, name="vertical", thickness=thickness)
        self._kept: tuple[object, list[Strip]] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        bar = self.render()
        if not isinstance(bar, ScrollBarRender) or not isinstance(bar.style, Style):
            return super().render_lines(crop)
        back, colour = bar.style.bgcolor, bar.style.color
        if back is None or colour is None:
            return super().render_lines(crop)
        width, height = self.size
        segments = bar.render_bar(
            size=height,
            virtual_size=bar.virtual_size,
            window_size=bar.window_size,
            position=bar.position,
            thickness=width,
            back_color=back,
            bar_color=colour,
        ).segments
        base = self.visual_style.rich_style
        background = self.background_colors[1]
        filters = tuple(self.get_line_filters())
        key = (tuple(segments), width, base, background, filters)
        if self._kept is None or self._kept[0] != key:
            rows = []
            for segment in segments:
                strip = Strip([Segment(segment.text, base + segment.style)], width)
                for line_filter in filters:
                    strip = strip.apply_filter(line_filter, background)
                rows.append(acyclic(strip))
            self._kept = (key, rows)
        rows = self._kept[1][crop.y : crop.bottom]
        if crop.column_span != (0, width):
            rows = [acyclic(row.crop(*crop.column_span)) for row in rows]
        return rows


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
        self._styling: Styling | None = None
        self._styled: dict[int, tuple[Strip, int, Strip]] = {}
        """Row (by id) -> (that row, the scroll across it was drawn at, it styled), for the
        rows last shown."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The scrollbar, made as Textual makes it (hidden until needed), but quick."""
        return vertical_scrollbar(
            self, lambda: QuickScrollBar(thickness=self.scrollbar_size_vertical)
        )

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
            size_scrollbars(self, size)

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
        self.resized()

    def resized(self) -> None:
        """The view has a new size (and, if its width changed, has been through `rewrap`)."""

    def watch_show_vertical_scrollbar(self) -> None:
        self._check_width()

    def render_lines(self, crop: Region) -> list[Strip]:
        # the style is looked up once a frame, not once a row
        self.base = self.rich_style
        styling = self.plain_styling()
        if styling is None:
            return acyclic_rows(super().render_lines(crop))
        if styling != self._styling:
            self._styling = styling
            self._styled = {}
        kept, styled = self._styled, {}
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        strips: list[Strip] = []
        for y in crop.line_range:
            row = self.row(scroll_y + y, width)
            done = kept.get(id(row))
            if done is None or done[0] is not row or done[1] != scroll_x:
                line = self._seen(row, scroll_x, width)
                done = (row, scroll_x, acyclic(self._style_row(line, styling)))
            styled[id(row)] = done
            strips.append(done[2])
        self._styled = styled
        x1, x2 = crop.column_span
        if (x1, x2) != (0, styling.width):
            strips = [acyclic(strip.crop(x1, x2)) for strip in strips]
        return strips

    def plain_styling(self) -> Styling | None:
        """How rows are styled, if the view is plain; None: Textual styles them."""
        styles = self.styles
        top, right, bottom, left = styles.padding
        if (
            top
            or bottom
            or any(edge for edge, _ in styles.border)
            or any(edge for edge, _ in styles.outline)
            or styles.tint.a
            or styles.text_opacity != 1
            or self.opacity != 1
            or (styles.has_rule("hatch") and styles.hatch != "none")
            or self.border_title
            or self.border_subtitle
        ):
            return None
        base_background, background = self.background_colors
        padding = TextualStyle(background=base_background + background).rich_style
        width, content_width = self.region.width, self.content_region.width
        filters = tuple(self.get_line_filters())
        return Styling(width, content_width, left, right, padding, filters, background)

    @staticmethod
    def _style_row(line: Strip, styling: Styling) -> Strip:
        """A content row padded, over the view's background, through the app's filters."""
        line = line.adjust_cell_length(styling.content_width, styling.padding)
        segments = list(line)
        if styling.left:
            segments.insert(0, Segment(" " * styling.left, styling.padding))
        if styling.right:
            segments.append(Segment(" " * styling.right, styling.padding))
        strip = Strip(segments, styling.width)
        for line_filter in styling.filters:
            strip = strip.apply_filter(line_filter, styling.background)
        return strip

    def _seen(self, row: Strip, scroll_x: int, width: int) -> Strip:
        """`row` as seen through the view, `width` wide from `scroll_x`. A row that fits
        as it is is not cropped: `Strip.crop_extend` would cache the row in itself, a cycle
        that keeps it alive after its turn is gone (see `textual_private.acyclic`)."""
        if scroll_x == 0 and row.cell_length == width:
            return row
        return row.crop_extend(scroll_x, scroll_x + width, self.base)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        return self._seen(self.row(scroll_y + y, width), scroll_x, width)
