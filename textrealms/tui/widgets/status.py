"""The status line: who tells the story, what runs in the background, how fast the turn was."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Static

from textrealms.llm.clean import clean
from textrealms.llm.provider import ProviderStatus
from textrealms.tui.textual_private import acyclic_rows


def render(
    status: ProviderStatus, running: list[str], hot_ms: float | None, unsaved: str | None = None
) -> Text:
    """`unsaved`: why the game is not being saved now, if it is not."""
    line = Text()
    if unsaved is not None:
        line.append(f"▲ not saved: {clean(unsaved)}", style="bold")
        line.append("  │  ", style="dim")
    if status.degraded:
        reason = f": {clean(status.reason)}" if status.reason else ""
        line.append(f"▲ {clean(status.name)} degraded{reason}", style="bold")
    else:
        line.append(f"● {clean(status.name)}", style="bold")
    line.append("  │  ", style="dim")
    if running:
        line.append(" · ".join(clean(job) for job in running), style="italic")
    else:
        line.append("quiet", style="dim")
    if hot_ms is not None:
        line.append("  │  ", style="dim")
        line.append(f"turn {hot_ms:.1f} ms", style="dim")
    return line


class StatusLine(Static):
    """Shown again on every narration delta, so it redraws only when its text changes, and
    never asks for a layout (it is one line high whatever it says)."""

    def __init__(self) -> None:
        super().__init__(id="status")
        self._shown = Text()

    def show(
        self,
        status: ProviderStatus,
        running: list[str],
        hot_ms: float | None,
        unsaved: str | None = None,
    ) -> None:
        self.set_class(status.degraded or unsaved is not None, "degraded")
        line = render(status, running, hot_ms, unsaved)
        if line != self._shown:
            self._shown = line
            self.update(line, layout=False)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Redrawn every turn: its rows must not outlive it (see `acyclic`)."""
        return acyclic_rows(super().render_lines(crop))
