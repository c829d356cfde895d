"""The status line: who tells the story, what runs in the background, how fast the turn was."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from textrealms.engine.text import clean
from textrealms.llm.provider import ProviderStatus


def render(status: ProviderStatus, running: list[str], hot_ms: float | None) -> Text:
    line = Text()
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
    def __init__(self) -> None:
        super().__init__(id="status")

    def show(self, status: ProviderStatus, running: list[str], hot_ms: float | None) -> None:
        self.set_class(status.degraded, "degraded")
        self.update(render(status, running, hot_ms))
