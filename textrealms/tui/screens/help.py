"""The help screen: the game's commands and the screen's keys."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from textrealms.engine.verbs.registry import HELP

KEYS = (
    ("enter", "play the command"),
    ("up / down", "earlier commands"),
    ("tab", "complete a verb or a name; again to cycle"),
    ("escape", "stop the narration streaming (the plain text stays)"),
    ("ctrl+r", "tell the last narration again"),
    ("F1", "this help"),
    ("F2", "the engine's numbers"),
    ("F3", "saved games: load or delete one"),
    ("ctrl+s", "save the game under a name (as: save NAME)"),
    ("ctrl+z", "undo the last turn (as: undo)"),
    ("ctrl+p", "command palette"),
    ("ctrl+q", "quit"),
)


def keys() -> Text:
    """The keys as two aligned columns (plain text: a Rich table's padding is lost here)."""
    width = max(len(key) for key, _ in KEYS) + 2
    lines = Text()
    for key, what in KEYS:
        lines.append(key.ljust(width), style="bold")
        lines.append(what + "\n")
    lines.rstrip()
    return lines


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "app.pop_screen", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(Text("Help  (F1 or escape to close)", style="bold"))
            yield Static(Text("Commands", style="bold underline"))
            yield Static(Text(HELP))
            yield Static(Text("Keys", style="bold underline"))
            yield Static(keys())
