"""The story pane: a block of lines per turn that grows as its background entries land.

Refined narration replaces the template it retells, in place, as it streams (or goes
below it, when the player keeps both). The pane is one line-API widget: each turn keeps
its lines rendered at the pane's width, and a change re-renders only its own turn and
repaints only the rows it covers, so a streamed word or a new turn costs no layout of the
screen. Only the newest turns are kept; older ones fold into one line.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections import deque
from collections.abc import Mapping
from typing import ClassVar

from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.styled import Styled
from rich.text import Text
from textual.strip import Strip
from textual.theme import Theme

from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.events import NarrationDelta, NarrationDone, StoryEvent, Told
from textrealms.llm.clean import clean
from textrealms.tui.widgets.entries import render
from textrealms.tui.widgets.lines import LinesView

KEEP_TURNS = 100
"""Turns kept to reread; older ones are folded."""

COMMAND = "command"
"""The command as typed: its look is `story--command`, beside each entry kind's."""
LOOKS = (COMMAND, *EntryKind)
"""What has a look of its own in a turn's block, `story--NAME` in the stylesheet: theme
colours there keep the story readable in dark and light themes alike."""
FOLD, UNDONE = "fold", "undone"
"""The looks of the fold line and of an undone turn (`story--fold`, `story--undone`)."""
INDENTED = frozenset(
    {EntryKind.REFINED, EntryKind.REACTION, EntryKind.GOSSIP, EntryKind.BEAT, EntryKind.REPUTATION}
)
"""Background entries, indented to set them off from the turn's own text."""


class TurnBlock:
    """One turn: the command as typed, its immediate entries, then what the jobs add.

    Not a widget: the pane draws it, from the lines it keeps for the pane's width."""

    def __init__(
        self,
        turn: int,
        command: str | None,
        entries: list[Entry],
        *,
        keep_both: bool,
        looks: Mapping[str, Style],
    ):
        self.turn = turn
        self.command = command
        self.keep_both = keep_both
        self.looks = looks
        """Each of `LOOKS` as a Rich style: the pane gives new ones when the theme changes."""
        self.entries = entries
        """The immediate entries, as the rules gave them (the templates narration retells)."""
        self.current = list(entries)
        """The immediate entries as shown now: refined narration replaces their text."""
        self.refined: dict[int, Entry] = {}
        """With `keep_both`: refined narration shown under immediate entry index -> it."""
        self.background: list[Entry] = []
        self.undone = False
        """Taken back by an undo: shown dimmed and struck through, and takes no events."""
        self.version = 0
        """Bumped on every change, so the pane knows its lines are stale."""
        self._pieces: dict[int, list[str]] = {}
        self._lines: list[Strip] = []
        self._drawn: tuple[int, int] | None = None
        """(width, version) that `_lines` were rendered for."""
        self._parts: dict[tuple[Entry | str, int], list[Strip]] = {}
        """Each part's lines at the width last drawn at: a streamed word renders only its
        own entry again, not the whole turn."""
        self._styled: tuple[Style, list[Strip]] | None = None
        """The lines over the pane's own style, as last asked for."""

    def recolour(self, looks: Mapping[str, Style]) -> None:
        self.looks = looks
        self._parts.clear()
        self.version += 1

    def add(self, entry: Entry) -> None:
        self.background.append(entry)
        self.version += 1

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
            self.version += 1
        else:
            self._show(event.index, event.text)

    def _show(self, index: int, text: str) -> None:
        if not 0 <= index < len(self.entries):
            return
        if self.keep_both:
            self.refined[index] = Entry(EntryKind.REFINED, text)
        else:
            self.current[index] = dataclasses.replace(self.entries[index], text=text)
        self.version += 1

    def shown(self) -> list[Entry]:
        """Every entry in the block, in the order it is drawn."""
        entries: list[Entry] = []
        for index, entry in enumerate(self.current):
            entries.append(entry)
            if index in self.refined:
                entries.append(self.refined[index])
        return entries + self.background

    def _parts_of(self) -> list[tuple[Entry | str, RenderableType]]:
        """Each part of the block (its command, then each entry), keyed by what it shows."""
        looks = self.looks
        parts: list[tuple[Entry | str, RenderableType]] = []
        if self.command:
            echo = Text("> " + clean(self.command))
            parts.append((self.command, Styled(echo, looks.get(COMMAND, Style()))))
        for entry in self.shown():
            look = looks.get(entry.kind)
            body: RenderableType = Styled(render(entry), look) if look else render(entry)
            indent = 2 if entry.kind in INDENTED else 0
            parts.append((entry, Padding(body, (1 if parts else 0, 0, 0, indent))))
        return parts

    def lines(self, console: Console, width: int, undone: Style) -> list[Strip]:
        """The block's lines at `width`, rendered again only when it or the width changed."""
        if self._drawn == (width, self.version):
            return self._lines
        if self._drawn is None or self._drawn[0] != width:
            self._parts.clear()
        options = console.options.update_width(width)
        parts: dict[tuple[Entry | str, int], list[Strip]] = {}
        lines: list[Strip] = []
        for index, (key, part) in enumerate(self._parts_of()):
            known = self._parts.get((key, index))
            if known is None:
                rendered = console.render_lines(part, options, pad=True)
                known = [Strip(line, width) for line in rendered]
            parts[(key, index)] = known
            lines.extend(known)
        self._parts = parts
        if self.undone:
            lines = [Strip(Segment.apply_style(line, post_style=undone), width) for line in lines]
        self._lines = lines
        self._drawn = (width, self.version)
        self._styled = None
        return lines

    def styled(self, console: Console, width: int, undone: Style, base: Style) -> list[Strip]:
        """The block's lines over `base`, the pane's style (kept while neither changes)."""
        lines = self.lines(console, width, undone)
        if self._styled is None or self._styled[0] != base:
            self._styled = (base, [line.apply_style(base) for line in lines])
        return self._styled[1]

    @property
    def height(self) -> int:
        """Rows the block takes, as last rendered, with the blank row that follows it."""
        return len(self._lines) + 1


class StoryPane(LinesView):
    """Follows the newest text unless the player has scrolled up to reread."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"story--{name}" for name in (FOLD, UNDONE, *LOOKS)}

    def __init__(self, *, keep_turns: int = KEEP_TURNS, keep_both: bool = False) -> None:
        super().__init__(id="story")
        self.keep_turns = keep_turns
        self.keep_both = keep_both
        self.blocks: dict[int, TurnBlock] = {}
        """The block that began each turn: where what its jobs add goes."""
        self.answers: dict[int, TurnBlock] = {}
        """The newest block of each turn: where the session's answers (`Told`) go."""
        self.folded = 0
        self._shown: deque[TurnBlock] = deque()
        """Every block still shown, oldest first: a turn told again (by a save command, or
        after an undo) leaves its older block in the story, to fold in its time."""
        self._starts: list[int] = []
        """The row each shown block starts at."""
        self._looks_now: dict[str, Style] = {}
        """Each component's style by name, looked up once per theme ({} until then)."""
        self._fold: tuple[object, Strip] | None = None
        """The fold line's row, with what it was rendered from."""
        self._following = True
        """Whether the newest text is kept in view: not while the player has scrolled up
        to reread. Kept through a resize, which moves where the end is."""

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._recolour)

    @property
    def fold_line(self) -> str:
        """The line that stands for the folded turns ("" while none are)."""
        if not self.folded:
            return ""
        turns = "turn" if self.folded == 1 else "turns"
        return f"··· {self.folded} earlier {turns} folded away ···"

    def rows_of(self, block: TurnBlock) -> range:
        """The rows of the story that `block` covers (empty if it is not shown)."""
        index = self._index(block)
        if index < 0:
            return range(0)
        return range(self._starts[index], self._starts[index] + block.height - 1)

    def follow(self, *, jump: bool = False) -> None:
        """Keep the newest text in view once the story fills the pane (a short one stays at
        the top); `jump` brings a player who scrolled up back down, as a new command does."""
        if jump or self._following:
            self._to_end()

    def _to_end(self) -> None:
        # forced: the scrollbar that allows scrolling shows only after the next layout
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._following = new_value >= self.max_scroll_y

    def resized(self) -> None:
        """A smaller pane has its end further down: a player who was following still is."""
        self.follow()

    def begin(
        self, turn: int, command: str | None, entries: list[Entry], *, owns: bool = True
    ) -> None:
        """A new block, with the text the rules gave at once. Unless it `owns` its turn (it
        began it, or went back to it), what the turn's jobs still add goes to the block
        that did: a command that takes no turn (a hint, a save) leaves them there."""
        block = TurnBlock(turn, command, entries, keep_both=self.keep_both, looks=self._looks())
        if owns or turn not in self.blocks:
            self.blocks[turn] = block
        self.answers[turn] = block
        self._shown.append(block)
        self._draw(block)
        folding = len(self._shown) > self.keep_turns
        while len(self._shown) > self.keep_turns:
            old = self._shown.popleft()
            self._forget(old)
            self.folded += 1
        self._layout()
        self.repaint_rows(0 if folding else self._starts[-1])
        self.follow(jump=True)

    def undone(self, turn: int) -> None:
        """The story went back to `turn` (undo, restart): later turns stay to reread, dimmed,
        and take no more events (the session dropped theirs)."""
        for block in self._shown:
            if block.turn > turn and not block.undone:
                block.undone = True
                block.version += 1
                self._forget(block)
                self._changed(block)

    def _forget(self, block: TurnBlock) -> None:
        """`block` takes no more events (folded away, or undone)."""
        for owners in (self.blocks, self.answers):
            if owners.get(block.turn) is block:
                del owners[block.turn]

    def apply(self, event: StoryEvent) -> None:
        """Put a background event into its turn's block (if that turn is still shown)."""
        block = (self.answers if isinstance(event, Told) else self.blocks).get(event.turn)
        if block is None:
            return
        if isinstance(event, NarrationDelta):
            block.stream(event.index, event.text)
        elif isinstance(event, NarrationDone):
            block.done(event)
        else:
            entry = event.entry()
            if entry is None:
                return
            block.add(entry)
        self._changed(block)

    def _changed(self, block: TurnBlock) -> None:
        """Render `block` again; repaint its rows, and the rows below if it grew or shrank."""
        if not self.width:
            return
        height = block.height
        self._draw(block)
        if block.height == height:
            rows = self.rows_of(block)
            self.repaint_rows(rows.start, rows.stop)
            return
        self._layout()
        start = self.rows_of(block).start
        if self._following:
            self._to_end()
        elif start < self.scroll_y:  # above a player rereading: stay put
            self.scroll_to(y=self.scroll_y + block.height - height, animate=False, immediate=True)
        self.repaint_rows(start)

    def _index(self, block: TurnBlock) -> int:
        """Where `block` is among those shown (-1 if folded away); the newest change most."""
        for index in range(len(self._shown) - 1, -1, -1):
            if self._shown[index] is block:
                return index
        return -1

    def _draw(self, block: TurnBlock) -> None:
        if self.width:
            block.lines(self.app.console, self.width, self._looks()[UNDONE])

    def _looks(self) -> dict[str, Style]:
        """Each component's style by name (`story--NAME`), as the theme in use styles it.
        Kept until the theme changes: Textual works a component's style out again after
        every repaint of the pane, and doing that for every look as a turn began cost
        each Enter about 1 ms."""
        if not self._looks_now:
            self._looks_now = {
                name: self.get_component_rich_style(f"story--{name}", partial=True)
                for name in (FOLD, UNDONE, *LOOKS)
            }
        return self._looks_now

    @property
    def _header(self) -> int:
        """Rows above the first block: the fold line and a blank row, once turns fold."""
        return 2 if self.folded else 0

    def _layout(self) -> None:
        """Place every block after the one before it, and size the scrolling to fit."""
        row = self._header
        self._starts = []
        for block in self._shown:
            self._starts.append(row)
            row += block.height
        self.measure(row)

    def rewrap(self) -> None:
        for block in self._shown:
            self._draw(block)
        self._layout()
        self.follow()

    def _recolour(self, theme: Theme) -> None:
        """A new theme: every block is drawn again (lazily) in its colours."""
        self._looks_now = {}
        looks = self._looks()
        for block in self._shown:
            block.recolour(looks)
        self.refresh()

    def _fold_row(self, console: Console, base: Style) -> Strip:
        """The fold line as a row, rendered again only when it or its look changes."""
        style = self._looks()[FOLD]
        key = (self.fold_line, self.width, style, base)
        if self._fold is None or self._fold[0] != key:
            fold = Text(self.fold_line, style, justify="center", no_wrap=True, overflow="ellipsis")
            [folded] = console.render_lines(fold, console.options.update_width(self.width))
            self._fold = (key, Strip(folded, self.width).apply_style(base))
        return self._fold[1]

    def row(self, row: int, width: int) -> Strip:
        base = self.base
        blank = Style(bgcolor=base.bgcolor)  # between turns: the pane's background only
        if not self.width or (row == 1 and self.folded):
            return Strip.blank(width, blank)
        console = self.app.console
        if row == 0 and self.folded:
            return self._fold_row(console, base)
        found = self.block_at(row)
        if found is None:
            return Strip.blank(width, blank)
        block, line = found
        lines = block.styled(console, self.width, self._looks()[UNDONE], base)
        return lines[line] if line < len(lines) else Strip.blank(width, blank)

    def block_at(self, row: int) -> tuple[TurnBlock, int] | None:
        """The block shown at story row `row`, and which of its lines the row is (past
        its last: the blank row after it); None above the first block."""
        index = bisect.bisect_right(self._starts, row) - 1
        if index < 0:
            return None
        return self._shown[index], row - self._starts[index]
