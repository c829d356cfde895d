"""The Saves screen: every saved game in a table, to load one or delete one.

Loading plays on in a copy, as typing `load NAME` does, so the save stays a checkpoint;
deleting asks first. What the disk or the world pack refuses is said on the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from textrealms.engine.saved_games import Refused, SavedGames, played_ago
from textrealms.engine.session import Session
from textrealms.llm.clean import clean
from textrealms.tui.screens.dialogs import Confirm
from textrealms.world.saved import SlotInfo

COLUMNS = ("Name", "World", "Turn", "Place", "Last played")
HINT = "Loading a save plays on in a copy of it: the save itself stays as it was."


class SavesScreen(Screen[Session | None]):
    """Dismissed with the game loaded, or None when the player goes back.

    `worlds` names each world id it knows; `now` says what time it is, for "5 min ago".
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "load", "Load", priority=True),
        Binding("d,delete", "delete", "Delete"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(
        self, saves: SavedGames, *, worlds: Mapping[str, str], now: Callable[[], float]
    ) -> None:
        super().__init__()
        self.saves = saves
        self.worlds = worlds
        self.now = now
        self.table: DataTable[Text] = DataTable(cursor_type="row", id="saves-table")
        self.message = Static(Text(HINT), id="saves-message")
        self.listed = False
        """The table shows the store as it was last read."""
        self.busy = False
        """A load is under way: one at a time, and the screen stays until it is done."""

    def compose(self) -> ComposeResult:
        yield Static(Text("Saved games", style="bold"), id="saves-title")
        yield self.table
        yield self.message
        yield Footer()

    def on_mount(self) -> None:
        self.run_worker(self._list(), name="list saves", exit_on_error=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("load", "delete"):
            return self.table.row_count > 0 and not self.busy
        return True

    def say(self, text: str) -> None:
        self.message.update(Text(clean(text)))

    async def _list(self) -> None:
        try:
            found = await self.saves.slots()
        except Refused as exc:
            self.say(f"Your saves could not be listed: {exc}")
            return
        row = self.table.cursor_row
        playing = self.saves.playing.slot if self.saves.playing is not None else None
        now = self.now()
        rows = [self._cells(slot, slot.name == playing, now) for slot in found]
        self.table.clear(columns=True)
        for index, label in enumerate(COLUMNS):  # sized here: no frame drawn before it is
            width = max([len(label), *(cells[index].cell_len for cells in rows)])
            self.table.add_column(label, width=width)
        for slot, cells in zip(found, rows, strict=True):
            self.table.add_row(*cells, key=slot.name)
        if found:
            self.table.move_cursor(row=min(row, len(found) - 1))
        else:
            self.say("There are no saved games.")
        self.listed = True
        self.refresh_bindings()

    def _cells(self, slot: SlotInfo, playing: bool, now: float) -> list[Text]:
        name = Text(clean(slot.name))
        if playing:
            name.append(" (this game)", style="dim")
        world = self.worlds.get(slot.world_id, slot.world_id)
        ago = played_ago(slot.played, now)
        return [name, *(Text(clean(t)) for t in (world, str(slot.turn), slot.location, ago))]

    def _chosen(self) -> str | None:
        if self.table.row_count == 0:
            return None
        key = self.table.coordinate_to_cell_key(self.table.cursor_coordinate).row_key
        return key.value

    def action_load(self) -> None:
        name = self._chosen()
        if name is None or self.busy:
            return
        self.busy = True
        self.refresh_bindings()
        self.say(f"Loading '{name}'...")
        self.run_worker(self._load(name), name="load", exit_on_error=False)

    async def _load(self, name: str) -> None:
        try:
            session = await self.saves.open(name, copy=True)
        except Refused as exc:
            self.say(str(exc))
            self.busy = False
            self.refresh_bindings()
            return
        self.dismiss(session)

    def action_delete(self) -> None:
        name = self._chosen()
        if name is None or self.busy:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._delete(name), name="delete", exit_on_error=False)

        self.app.push_screen(Confirm(f"Delete {name}? This cannot be undone."), answered)

    async def _delete(self, name: str) -> None:
        try:
            await self.saves.delete(name)
        except Refused as exc:
            self.say(str(exc))
            return
        self.say(f"Deleted '{name}'.")
        await self._list()

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)
