"""The world picker: every pack found, with its name, genre and description."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from textrealms.llm.clean import clean
from textrealms.world.catalog import PackInfo
from textrealms.world.schema import WorldPack


def describe(info: PackInfo) -> Text:
    if not info.valid:
        count = len(info.problems)
        return Text.assemble(
            (clean(info.id), "bold"),
            f"  cannot be played: {count} problem{'s' * (count != 1)} ",
            "(textrealms validate)",
        )
    genre = f"  ·  {clean(info.genre)}" if info.genre else ""
    return Text.assemble(
        (clean(info.name), "bold"), (genre, "italic"), "\n", clean(info.description)
    )


class WorldPicker(Screen[WorldPack]):
    """Dismissed with the chosen pack; escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def __init__(self, worlds: list[PackInfo]) -> None:
        super().__init__()
        self.worlds = worlds

    def compose(self) -> ComposeResult:
        yield Static(Text("Choose a world", style="bold"), id="picker-title")
        if self.worlds:
            options: list[Option | None] = []
            for i, info in enumerate(self.worlds):
                options += [Option(describe(info), id=str(i), disabled=not info.valid), None]
            yield OptionList(*options[:-1], id="picker")
        else:
            yield Static(
                Text("No world packs found. Put packs in ./worlds or set TEXTREALMS_WORLDS."),
                id="picker-empty",
            )
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        pack = self.worlds[int(event.option.id or 0)].pack
        if pack is not None:
            self.dismiss(pack)

    def action_back(self) -> None:
        self.app.pop_screen()
