"""The story pane: a block per turn that grows as its background entries land.

Refined narration replaces the template it retells, in place, as it streams (or goes
below it, when the player keeps both). Each turn is one widget, and only the newest
turns stay mounted: older ones fold into one line, so a story of thousands of turns
lays out as quickly as a short one.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.styled import Styled
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.events import NarrationDelta, NarrationDone, StoryEvent
from textrealms.engine.text import clean
from textrealms.tui.widgets.entries import render

KEEP_TURNS = 100
"""Turn blocks kept mounted; older ones are folded."""

LOOKS: dict[EntryKind, tuple[str, str, int]] = {
    EntryKind.NOTICE: ("", "dim", 0),
    EntryKind.REFINED: ("", "dim italic", 2),
    EntryKind.REACTION: ("", "", 2),
    EntryKind.GOSSIP: ("text-secondary", "", 2),
    EntryKind.BEAT: ("text-warning", "", 2),
    EntryKind.REPUTATION: ("text-success", "", 2),
    EntryKind.CONFLICT: ("text-error", "", 0),
    EntryKind.QUEST: ("text-success", "", 0),
    EntryKind.ENDING: ("text-success", "", 0),
}
"""Each kind's look: a theme colour (so it reads in dark and light themes), a style,
and an indent that sets background entries off from the turn's own text."""


def _look(kind: EntryKind, colours: Mapping[str, str]) -> tuple[str, int]:
    colour, style, indent = LOOKS.get(kind, ("", "", 0))
    return " ".join(filter(None, (colours.get(colour, ""), style))), indent


class TurnBlock(Static):
    """One turn: the command as typed, its immediate entries, then what the jobs add."""

    def __init__(self, turn: int, command: str | None, entries: list[Entry], *, keep_both: bool):
        super().__init__(classes="turn")
        self.turn = turn
        self.command = command
        self.keep_both = keep_both
        self.entries = entries
        """The immediate entries, as the rules gave them (the templates narration retells)."""
        self.current = list(entries)
        """The immediate entries as shown now: refined narration replaces their text."""
        self.refined: dict[int, Entry] = {}
        """With `keep_both`: refined narration shown under immediate entry index -> it."""
        self.background: list[Entry] = []
        self._pieces: dict[int, list[str]] = {}
        self._draw()  # drawn before it is mounted: the answer shows in the same frame

    def add(self, entry: Entry) -> None:
        self.background.append(entry)
        self._draw()

    def stream(self, index: int, piece: str) -> None:
        pieces = self._pieces.setdefault(index, [])
        pieces.append(piece)
        self._show(index, "".join(pieces).strip())

    def done(self, event: NarrationDone) -> None:
        self._pieces.pop(event.index, None)
        if event.refined:
            self._show(event.index, event.text)
        elif self.keep_both:
            self.refined.pop(event.index, None)
            self._draw()
        else:
            self._show(event.index, event.text)

    def _show(self, index: int, text: str) -> None:
        if not 0 <= index < len(self.entries):
            return
        if self.keep_both:
            self.refined[index] = Entry(EntryKind.REFINED, text)
        else:
            self.current[index] = dataclasses.replace(self.entries[index], text=text)
        self._draw()

    def shown(self) -> list[Entry]:
        """Every entry in the block, in the order it is drawn."""
        entries: list[Entry] = []
        for index, entry in enumerate(self.current):
            entries.append(entry)
            if index in self.refined:
                entries.append(self.refined[index])
        return entries + self.background

    def _draw(self) -> None:
        colours = self.app.theme_variables
        parts: list[RenderableType] = []
        if self.command:
            echo = Text("> " + clean(self.command), style="bold")
            parts.append(Styled(echo, colours.get("text-accent", "")))
        for entry in self.shown():
            style, indent = _look(entry.kind, colours)
            body: RenderableType = Styled(render(entry), style) if style else render(entry)
            parts.append(Padding(body, (1 if parts else 0, 0, 0, indent)))
        self.update(Group(*parts))


class StoryPane(VerticalScroll):
    """Follows the newest text (`anchor`) unless the player has scrolled up to reread."""

    def __init__(self, *, keep_turns: int = KEEP_TURNS, keep_both: bool = False) -> None:
        super().__init__(id="story")
        self.keep_turns = keep_turns
        self.keep_both = keep_both
        self.blocks: dict[int, TurnBlock] = {}
        """The newest block of each turn: where its background events go."""
        self.folded = 0
        self._mounted: deque[TurnBlock] = deque()
        """Every block still shown, oldest first: a turn told again (by a save command, or
        after an undo) leaves its older block in the story, to fold in its time."""
        self._fold = Static("", id="fold")

    def compose(self) -> ComposeResult:
        self._fold.display = False
        yield self._fold

    def follow(self, *, jump: bool = False) -> None:
        """Keep the newest text in view once the story fills the pane (a short one stays at
        the top); `jump` brings a player who scrolled up back down, as a new command does."""
        self.call_after_refresh(self._follow, jump)

    def _follow(self, jump: bool) -> None:
        if self.max_scroll_y > 0 and (jump or not self.is_anchored):
            self.anchor()

    def begin(self, turn: int, command: str | None, entries: list[Entry]) -> None:
        """A new turn's block, with the text the rules gave at once."""
        block = TurnBlock(turn, command, entries, keep_both=self.keep_both)
        self.blocks[turn] = block
        self._mounted.append(block)
        self.mount(block)
        self.follow(jump=True)
        while len(self._mounted) > self.keep_turns:
            old = self._mounted.popleft()
            if self.blocks.get(old.turn) is old:
                del self.blocks[old.turn]
            old.remove()
            self.folded += 1
        if self.folded:
            turns = "turn" if self.folded == 1 else "turns"
            self._fold.update(Text(f"··· {self.folded} earlier {turns} folded away ···"))
            self._fold.display = True

    def undone(self, turn: int) -> None:
        """The story went back to `turn` (undo, restart): later turns stay to reread, dimmed,
        and take no more events (the session dropped theirs)."""
        for block in self._mounted:
            if block.turn > turn:
                block.add_class("undone")
                if self.blocks.get(block.turn) is block:
                    del self.blocks[block.turn]

    def apply(self, event: StoryEvent) -> None:
        """Put a background event into its turn's block (if that turn is still shown)."""
        block = self.blocks.get(event.turn)
        if block is None:
            return
        self.follow()
        if isinstance(event, NarrationDelta):
            block.stream(event.index, event.text)
        elif isinstance(event, NarrationDone):
            block.done(event)
        else:
            entry = event.entry()
            if entry is not None:
                block.add(entry)
