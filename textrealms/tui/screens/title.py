"""The title screen: start a new game or leave."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from textrealms import __version__

TAGLINE = "A text adventure told by a game master who never keeps you waiting."


class TitleScreen(Screen[None]):
    class NewGame(Message):
        """The player wants a new game: the app opens the world picker."""

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Static(Text("T E X T R E A L M S", style="bold"), id="title-name")
            yield Static(Text(TAGLINE), id="title-tagline")
            with Center():
                yield OptionList(
                    Option("New game", id="new"), Option("Quit", id="quit"), id="title-menu"
                )
            yield Static(Text(f"version {__version__}", style="dim"), id="title-version")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "new":
            self.post_message(self.NewGame())
        elif event.option.id == "quit":
            self.app.exit()
