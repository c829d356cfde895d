"""The side panel: where you are and what time is left, who is here, what you carry, where
each conflict stands and which way it leans, your name.

It fits itself to its height: with room to spare, sections stand apart and long names
wrap in their column; in a small terminal it closes up, then keeps each entry to a row
and says your reputation in words, and at the last keeps a conflict and each person to a
row too, so that a whole panel still shows at 80x24.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip

from textrealms.engine.panel import Panel
from textrealms.engine.stakes import capital
from textrealms.llm.clean import clean
from textrealms.tui.widgets.entries import speaker_style
from textrealms.tui.widgets.lines import LinesView

SPARKS = "▁▂▃▄▅▆▇█"
BAR = 10
TENSION_SHOWN = 20
"""Recent turns in the tension sparkline (it must fit a narrow panel)."""
KNOWN_FOR = 0.5
"""Told in words, the reputation names the sides of you seen at least this strongly."""


@dataclass(frozen=True, slots=True)
class Layout:
    """How the panel spends its rows; `LAYOUTS` from the roomiest."""

    gaps: bool
    """A blank row between sections."""
    wrap: bool
    """Long names wrap in their column; else each is cut short to its row (…). People's
    names always wrap: who is here is worth the rows."""
    bars: bool
    """Reputation as a bar for each side of you, and the tension's sparkline; else the
    sides you are known for, in words, and no sparkline."""
    packed: bool = False
    """The last resort of a small terminal: the exits share a row (their directions), so
    do a conflict's standing and leaning, and people's names are cut short to theirs."""


LAYOUTS = (
    Layout(gaps=True, wrap=True, bars=True),
    Layout(gaps=False, wrap=True, bars=True),
    Layout(gaps=True, wrap=True, bars=False),
    Layout(gaps=False, wrap=True, bars=False),
    Layout(gaps=False, wrap=False, bars=False),
    Layout(gaps=False, wrap=False, bars=False, packed=True),
)
"""The panel shows the first of these that fits its height (the last, if none does)."""


def sparkline(values: list[float]) -> str:
    """Values in 0..1 as a row of block characters, one per value."""
    top = len(SPARKS) - 1
    return "".join(SPARKS[round(max(0.0, min(1.0, v)) * top)] for v in values)


def bar(value: float, width: int = BAR) -> str:
    filled = round(max(0.0, min(1.0, value)) * width)
    return "█" * filled + "░" * (width - filled)


class Columns:
    """Rows of two cells, indented a column. The `flex` cell (0 or 1) takes the room the
    other leaves, where it wraps or, without `wrap`, is cut short: beside a first column
    as wide as its widest cell, or before a last cell that ends at the panel's edge, so
    that a long name has all the room its own row leaves it. A value (0..1) in the flex
    column is drawn as a bar that fits.

    Drawn here rather than by Rich's `Table`, which took five times as long as the rest
    of the panel together: the panel is drawn again whenever what it shows changes."""

    def __init__(
        self, rows: list[tuple[Text, Text | float]], *, flex: int, wrap: bool = True
    ) -> None:
        self.rows = rows
        self.flex = flex
        self.wrap = wrap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        fixed = 1 - self.flex
        widest = max(_text(row[fixed], 0).cell_len for row in self.rows)
        for row in self.rows:
            beside = _text(row[fixed], 0)
            size = widest if self.flex else beside.cell_len
            room = max(1, options.max_width - size - 2)
            cell = _text(row[self.flex], min(BAR, room))
            lines: Iterable[Text] = [cell]
            if cell.cell_len > room and self.wrap:
                lines = cell.wrap(console, room)
            elif cell.cell_len > room:
                cell.truncate(room, overflow="ellipsis")
            for line in lines:
                pair = (beside, line) if self.flex else (line, beside)
                yield Segment(" ")
                yield from _segments(pair[0], console)
                yield Segment(" " * (1 + (size if self.flex else room) - pair[0].cell_len))
                yield from _segments(pair[1], console)
                yield Segment.line()
                beside = Text("")


def _segments(text: Text, console: Console) -> Iterable[Segment]:
    """One line of text as segments, in its own style (which `Text.render` leaves out)."""
    return Segment.apply_style(text.render(console), console.get_style(text.style or "none"))


def _text(cell: Text | float, width: int) -> Text:
    """A cell as text (a copy, to pad or cut): a value as a bar `width` long."""
    return cell.copy() if isinstance(cell, Text) else Text(bar(cell, width))


def _heading(text: str, layout: Layout) -> Text:
    return _name(text, layout, style="bold underline")


def _name(text: str, layout: Layout, style: str = "") -> Text:
    """A name as the layout shows it: wrapping, or cut short to its row."""
    return _cut(Text(text, style=style), layout)


def _cut(text: Text, layout: Layout) -> Text:
    """`text` as the layout shows a line of its own: wrapping, or cut short to its row."""
    text.no_wrap = not layout.wrap
    text.overflow = "ellipsis"
    return text


def _list(names: list[str], layout: Layout, empty: str) -> list[RenderableType]:
    if not names:
        return [Text(f" {empty}", style="dim")]
    return [Padding(_name(clean(name), layout), (0, 0, 0, 1)) for name in names]


def _exits(view: Panel, layout: Layout) -> RenderableType:
    if not view.exits:
        return Text(" none", style="dim")
    if layout.packed:
        return Padding(Text(", ".join(w.direction for w in view.exits)), (0, 0, 0, 1))
    return Columns(
        [(Text(w.direction), Text(clean(w.place or ""), style="dim")) for w in view.exits],
        flex=1,
        wrap=layout.wrap,
    )


def _reputation(view: Panel, layout: Layout) -> RenderableType:
    if layout.bars:
        return Columns([(Text(dim), v) for dim, v in view.reputation.items()], flex=1)
    known = sorted(
        (dim for dim, v in view.reputation.items() if v >= KNOWN_FOR),
        key=lambda dim: -view.reputation[dim],
    )
    words = Text(", ".join(known) or "nothing yet", style="" if known else "dim")
    return Padding(_cut(words, layout), (0, 0, 0, 1))


def render(view: Panel, layout: Layout = LAYOUTS[0]) -> Group:
    """The panel's text; every name from the pack goes in as literal text."""
    sections: list[list[RenderableType]] = [
        [
            _name(clean(view.place), layout, style="bold"),
            Text(view.clock, style="dim"),
            *(_name(f"{clean(d.title)} in {d.left}", layout, style="bold") for d in view.deadlines),
        ],
        [
            _heading("Exits", layout),
            _exits(view, layout),
        ],
        [
            _heading("People here", layout),
            Columns(
                [
                    (Text(clean(p.name), style=speaker_style(clean(p.name))), Text(p.mood))
                    for p in view.people
                ],
                flex=0,
                wrap=not layout.packed,
            )
            if view.people
            else Text(" no one", style="dim"),
        ],
        [_heading("Carrying", layout), *_list(view.inventory, layout, "nothing")],
    ]
    for c in view.conflicts:
        told = [Text(c.standing), Text(clean(c.leaning), style="dim")]
        if layout.packed:
            told = [Text.assemble(told[0], " ", told[1])]
        sections.append(
            [
                _heading(capital(clean(c.name)), layout),
                *(Padding(_cut(line, layout), (0, 0, 0, 1)) for line in told),
            ]
        )
    if view.conflicts and layout.bars:
        sections[-1].append(Text(f" tension {sparkline(view.tension[-TENSION_SHOWN:]) or '-'}"))
    sections.append([_heading("Reputation", layout), _reputation(view, layout)])
    if view.standing:
        sections.append(
            [
                _heading("Standing", layout),
                Columns(
                    [(Text(clean(name)), Text(feeling)) for name, feeling in view.standing],
                    flex=0,
                    wrap=layout.wrap,
                ),
            ]
        )
    parts: list[RenderableType] = []
    for section in sections:
        if parts and layout.gaps:
            parts.append(Text(""))
        parts += section
    return Group(*parts)


class SidePanel(LinesView):
    """Shown again after every background event and every turn, so it repaints only the
    rows whose text changed (the clock, say), and never lays out the screen."""

    def __init__(self) -> None:
        super().__init__(id="side")
        self._view: Panel | None = None
        self._lines: list[Strip] = []
        self._fitted = 0
        """The height the panel was last fitted to."""
        self._layout = 0
        """Which of `LAYOUTS` it was fitted with: the search for the next fit starts there."""

    def show(self, view: Panel) -> None:
        if view != self._view:
            self._view = view
            self.rewrap()

    def rewrap(self) -> None:
        if self._view is None or not self.width:
            return
        was = self._lines
        self._fitted = self.scrollable_content_region.height
        rendered = self._fit(self._view)
        self._lines = [Strip(line, self.width) for line in rendered]
        self.measure(len(self._lines))
        now = self._lines
        changed = [
            y
            for y in range(max(len(was), len(now)))
            if y >= len(was) or y >= len(now) or was[y] != now[y]
        ]
        if changed:  # rows past a shorter panel's end count as changed: they go blank
            self.repaint_rows(changed[0], changed[-1] + 1)

    def _fit(self, view: Panel) -> list[list[Segment]]:
        """The panel's lines in the roomiest layout that fits its height (the last, if none
        does). A tighter layout is never taller, so the search steps from the layout that
        fitted last: one or two renderings, where trying each in turn took five."""
        console = self.app.console
        options = console.options.update_width(self.width)
        tried: dict[int, list[list[Segment]]] = {}

        def fits(index: int) -> bool:
            tried[index] = console.render_lines(render(view, LAYOUTS[index]), options, pad=True)
            return len(tried[index]) <= self._fitted

        index = self._layout
        if fits(index):
            while index > 0 and fits(index - 1):
                index -= 1
        else:
            while index < len(LAYOUTS) - 1:
                index += 1
                if fits(index):
                    break
        self._layout = index
        return tried[index]

    def resized(self) -> None:
        if self.scrollable_content_region.height != self._fitted:
            self.rewrap()

    def row(self, y: int, width: int) -> Strip:
        if y < len(self._lines):
            return self._lines[y].apply_style(self.base)
        return super().row(y, width)
