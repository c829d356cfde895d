"""The side panel: where you are and what time is left, who is here, what you carry, where
each conflict stands and which way it leans, your name."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
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


def sparkline(values: list[float]) -> str:
    """Values in 0..1 as a row of block characters, one per value."""
    top = len(SPARKS) - 1
    return "".join(SPARKS[round(max(0.0, min(1.0, v)) * top)] for v in values)


def bar(value: float, width: int = BAR) -> str:
    filled = round(max(0.0, min(1.0, value)) * width)
    return "█" * filled + "░" * (width - filled)


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


def render(view: Panel) -> Group:
    """The panel's text; every name from the pack goes in as literal text."""
    parts: list[RenderableType] = [
        Text(clean(view.place), style="bold"),
        Text(view.clock, style="dim"),
    ]
    parts += [Text(f"{clean(d.title)} in {d.left}", style="bold") for d in view.deadlines]
    parts += [Text(""), _heading("Exits")]
    parts += [
        Text.assemble(f" {w.direction}", (f" · {clean(w.place)}" if w.place else "", "dim"))
        for w in view.exits
    ] or [Text(" none", style="dim")]
    parts += [Text(""), _heading("People here")]
    parts += [
        Text.assemble(" ", (clean(p.name), speaker_style(clean(p.name))), f" · {p.mood}")
        for p in view.people
    ] or [Text(" no one", style="dim")]
    parts += [Text(""), _heading("Carrying")]
    parts += [Text(f" {clean(name)}") for name in view.inventory] or [Text(" nothing", style="dim")]
    for c in view.conflicts:
        parts += [
            Text(""),
            _heading(capital(clean(c.name))),
            Padding(Text(c.standing), (0, 0, 0, 1)),
            Padding(Text(clean(c.leaning), style="dim"), (0, 0, 0, 1)),
        ]
    if view.conflicts:
        parts.append(Text(f" tension {sparkline(view.tension[-TENSION_SHOWN:]) or '-'}"))
    parts += [Text(""), _heading("Reputation")]
    width = max(len(dim) for dim in view.reputation)
    parts += [Text(f" {dim:<{width}} {bar(v)}") for dim, v in view.reputation.items()]
    if view.standing:
        parts += [Text(""), _heading("Standing")]
        parts += [Text(f" {clean(name)}: {feeling}") for name, feeling in view.standing]
    return Group(*parts)


class SidePanel(LinesView):
    """Shown again after every background event and every turn, so it repaints only the
    rows whose text changed (the clock, say), and never lays out the screen."""

    def __init__(self) -> None:
        super().__init__(id="side")
        self._view: Panel | None = None
        self._lines: list[Strip] = []

    def show(self, view: Panel) -> None:
        if view != self._view:
            self._view = view
            self.rewrap()

    def rewrap(self) -> None:
        if self._view is None or not self.width:
            return
        console = self.app.console
        options = console.options.update_width(self.width)
        was = self._lines
        rendered = console.render_lines(render(self._view), options, pad=True)
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

    def row(self, y: int, width: int) -> Strip:
        if y < len(self._lines):
            return self._lines[y].apply_style(self.base)
        return super().row(y, width)
