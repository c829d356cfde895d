"""Small questions asked over the game: a name to save under, and a yes or no."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from textrealms.engine.saves import NAME_LENGTH
from textrealms.llm.clean import clean


class SaveAs(ModalScreen[str | None]):
    """Dismissed with the name typed (the offered one, if kept), or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, offered: str) -> None:
        super().__init__()
        self.offered = offered

    def compose(self) -> ComposeResult:
        with Vertical(id="save-as", classes="small-dialog"):
            yield Static(Text("Save the game as", style="bold"))
            yield Input(self.offered, max_length=NAME_LENGTH, id="save-name")
            yield Static(Text("enter: save  ·  escape: cancel", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes or no whose answer is No unless the player says Yes: enter, escape and `n`
    all keep things as they were."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "No"),
        Binding("y", "answer(True)", "Yes"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="small-dialog"):
            yield Static(Text(clean(self.question)))
            with Horizontal(id="confirm-buttons"):
                yield Button("No", id="no", variant="primary")
                yield Button("Yes", id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
