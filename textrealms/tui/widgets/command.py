"""The command line: history on up/down, completion of verbs and nouns in scope on tab."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Self

from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Input

from textrealms.engine.complete import common_prefix
from textrealms.tui.textual_private import acyclic_rows

HISTORY = 500


class CommandInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history(-1)", "Previous command", show=False),
        Binding("down", "history(1)", "Next command", show=False),
        Binding("tab", "complete", "Complete", show=False),
    ]

    def __init__(self, complete: Callable[[str], list[str]], submit: Callable[[str], None]) -> None:
        super().__init__(placeholder="What do you do?  (F1 help)", id="command")
        self._complete = complete
        self._submit = submit
        self.history: list[str] = []
        self._at = 0
        self._cycle: list[str] = []

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        """Never a layout: the line is one row across the screen whatever it holds, but
        Input asks for one on every change of its text (it sizes its scrolling by it), and a
        layout of the whole screen would come with every keystroke and every Enter."""
        return super().refresh(*regions, repaint=repaint, recompose=recompose)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Redrawn every turn: its rows must not outlive it (see `acyclic`)."""
        return acyclic_rows(super().render_lines(crop))

    async def action_submit(self) -> None:
        """Enter plays the line at once: no message to pass through two queues first,
        each behind whatever the story is streaming."""
        self._submit(self.value)

    def remember(self, command: str) -> None:
        if not self.history or self.history[-1] != command:
            self.history.append(command)
            del self.history[:-HISTORY]
        self._at = len(self.history)

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        self._at = max(0, min(len(self.history), self._at + step))
        self._set(self.history[self._at] if self._at < len(self.history) else "")

    def action_complete(self) -> None:
        """Complete as far as every option agrees; tab again cycles through the options."""
        if self.value in self._cycle:
            index = (self._cycle.index(self.value) + 1) % len(self._cycle)
            self._set(self._cycle[index], keep_cycle=True)
            return
        options = self._complete(self.value)
        if not options:
            return
        prefix = common_prefix(options)
        if len(options) == 1 or len(prefix) > len(self.value):
            self._set(prefix if len(options) > 1 else options[0])
        else:
            self._cycle = options
            self._set(options[0], keep_cycle=True)

    def _set(self, value: str, *, keep_cycle: bool = False) -> None:
        if not keep_cycle:
            self._cycle = []
        self.value = value
        self.cursor_position = len(value)
