"""The story pane on its own in an app, for tests of how it draws."""

from __future__ import annotations

from textual.app import App, ComposeResult

from textrealms.engine.entries import Entry, EntryKind
from textrealms.tui.app import TextRealmsApp
from textrealms.tui.probe import DrawnStory
from textrealms.tui.widgets.story import KEEP_TURNS


class StoryApp(App[None]):
    """Just the story, styled as the game styles it; it says which turns it drew."""

    CSS_PATH = TextRealmsApp.CSS_PATH

    def __init__(self, *, keep_turns: int = KEEP_TURNS, keep_both: bool = False) -> None:
        super().__init__()
        self.story = DrawnStory(keep_turns=keep_turns, keep_both=keep_both)

    def compose(self) -> ComposeResult:
        yield self.story


def narration(text: str) -> list[Entry]:
    """A turn's entries: `text` alone, as its narration."""
    return [Entry(EntryKind.NARRATION, text)]
