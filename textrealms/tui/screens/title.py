"""The title screen: a new game, the latest game continued, a saved one loaded, or leave.

Continue and Load are offered only when there are saved games to offer, and the menu
is read again each time the screen comes back (after deleting the last save, say).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from textrealms import __version__
from textrealms.engine.saved_games import Refused, SavedGames

TAGLINE = "A text adventure told by a game master who never keeps you waiting."


def menu(saved: bool) -> list[Option]:
    """The title's choices; Continue and Load only with saved games."""
    middle = [Option("Continue", id="continue"), Option("Load", id="load")] if saved else []
    return [Option("New game", id="new"), *middle, Option("Quit", id="quit")]


class TitleScreen(Screen[None]):
    """`saves`: the saved games, if the game is saved at all (None: no Continue or Load)."""

    class NewGame(Message):
        """The player wants a new game: the app opens the world picker."""

    class Continue(Message):
        """The player wants to play on in the latest game."""

    class Load(Message):
        """The player wants to pick a saved game: the app opens the Saves screen."""

    def __init__(self, saves: SavedGames | None = None) -> None:
        super().__init__()
        self.saves = saves
        self.saved: bool | None = None
        """Whether there are saved games, once they have been looked up."""

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Static(Text("T E X T R E A L M S", style="bold"), id="title-name")
            yield Static(Text(TAGLINE), id="title-tagline")
            with Center():
                yield OptionList(*menu(False), id="title-menu")
            yield Static(Text(f"version {__version__}", style="dim"), id="title-version")
        yield Footer()

    def on_screen_resume(self) -> None:
        if self.saves is not None:
            self.run_worker(self._look(self.saves), exclusive=True, exit_on_error=False)

    async def _look(self, saves: SavedGames) -> None:
        """Offer Continue (highlighted: the likely choice) and Load if there is a save."""
        try:
            saved = bool(await saves.slots())
        except Refused as exc:
            self.notify(str(exc), severity="error", markup=False)
            saved = False
        menu_list = self.query_one("#title-menu", OptionList)
        menu_list.set_options(menu(saved))
        menu_list.highlighted = 1 if saved else 0
        self.saved = saved

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id
        if chosen == "new":
            self.post_message(self.NewGame())
        elif chosen == "continue":
            self.post_message(self.Continue())
        elif chosen == "load":
            self.post_message(self.Load())
        elif chosen == "quit":
            self.app.exit()
