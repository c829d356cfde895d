"""The game screen: the story, the side panel, the status line and the command line.

Handlers here never wait on a model: `submit` answers at once, and background events
arrive through `apply`, called by the app's event worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from textrealms.engine.events import NarrationDelta, SavingChanged, StoryEvent, Understood
from textrealms.engine.front import Game
from textrealms.engine.parser import parse
from textrealms.engine.verbs import names
from textrealms.engine.verbs.registry import BY_NAME
from textrealms.engine.verbs.verb import own_line
from textrealms.tui.collector import Collector
from textrealms.tui.screens.dialogs import SaveAs
from textrealms.tui.textual_private import paint_now
from textrealms.tui.widgets.command import CommandInput
from textrealms.tui.widgets.side import SidePanel
from textrealms.tui.widgets.status import StatusLine
from textrealms.tui.widgets.story import KEEP_TURNS, StoryPane

SAVING = frozenset({"saves", "save", "undo"})
"""The actions that need a saved game: without one their keys are not offered."""


class GameScreen(Screen[None]):
    """`saving`: the game is saved as it goes, so it can be saved, undone and swapped."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", "Help"),
        Binding("f2", "app.stats", "Stats"),
        Binding("f3", "saves", "Saves"),
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("escape", "stop", "Stop narration"),
        Binding("ctrl+r", "regenerate", "Retell"),
    ]

    class OpenSaves(Message):
        """The player wants the Saves screen: the app has the saved games."""

    def __init__(
        self,
        game: Game,
        *,
        clock: Callable[[], float],
        collector: Collector,
        saving: bool = False,
        keep_both: bool = False,
        keep_turns: int = KEEP_TURNS,
    ) -> None:
        super().__init__()
        self.game = game
        self.clock = clock
        self.collector = collector
        self.saving = saving
        self.story = StoryPane(keep_turns=keep_turns, keep_both=keep_both)
        self.side = SidePanel()
        self.status = StatusLine()
        self.command = CommandInput(game.complete, submit=self.entered)
        self.unsaved = game.unsaved()
        """Why the game is not being saved now, if it is not (then from `SavingChanged`)."""
        self.hot_ms: float | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield self.story
            yield self.side
        yield self.status
        yield self.command
        yield Footer()

    def on_mount(self) -> None:
        self.story.begin(self.game.state.turn, None, self.game.opening())
        self.refresh_side()
        self.command.focus()

    def entered(self, text: str) -> None:
        """The command line's Enter."""
        self.command.value = ""
        if text.strip():
            self.play(text)

    def play(self, text: str) -> None:
        """Play a command as if typed: typed at the prompt, or chosen in the palette."""
        self.command.remember(text)
        started = self.clock()
        before = self.game.state.turn
        result = self.game.submit(text)
        self.hot_ms = (self.clock() - started) * 1000
        if result.undone_after is not None:
            self.story.undone(result.undone_after)
        for step in result.steps:  # several commands in one line: a block for each turn
            owns = step.state.turn != before or step.undone_after is not None
            typed = text if step is result.steps[0] else None
            self.story.begin(step.state.turn, typed, step.entries, owns=owns)
            before = step.state.turn
        self.refresh_status()
        paint_now(self)
        self.collector.turn()
        # the panel a frame later: the frame that shows the answer stays cheap
        self.call_after_refresh(self.refresh_side)
        if result.quit:
            self.app.exit()

    def apply(self, event: StoryEvent) -> None:
        """One background event, as it lands."""
        if isinstance(event, SavingChanged):
            self.unsaved = event.trouble
        if isinstance(event, Understood):  # a turn of its own, shown as if typed
            self.story.begin(event.turn, event.shown, list(event.entries))
        else:
            self.story.apply(event)
        if isinstance(event, NarrationDelta):
            self.refresh_status()
        else:
            self.refresh_side()

    def refresh_side(self) -> None:
        self.side.show(self.game.panel())
        self.refresh_status()

    def refresh_status(self) -> None:
        self.status.show(
            self.game.provider_status(), self.game.running(), self.hot_ms, self.unsaved
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.saving or action not in SAVING

    def action_saves(self) -> None:
        self.post_message(self.OpenSaves())

    def action_save(self) -> None:
        """Ask for a name, then save as if `save NAME` were typed."""

        def save(name: str | None) -> None:
            if name is not None:
                line = f"{names.SAVE} {name}"
                own = own_line(BY_NAME[names.SAVE], parse(line))
                self.play(line if own else f'{names.SAVE} "{name}"')  # "the girl"

        self.app.push_screen(SaveAs(self.game.save_name()), save)

    def action_undo(self) -> None:
        self.play(names.UNDO)

    def action_stop(self) -> None:
        self.game.stop_narration()

    def action_regenerate(self) -> None:
        if self.game.regenerate():
            self.refresh_status()
