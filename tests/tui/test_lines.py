"""The quick way line views draw their rows gives exactly what Textual's way gives.

The story keeps its rows styled, and its scrollbar draws its rows straight from the bar,
instead of Textual styling each row again on every scroll. These tests draw the same
rows both ways, so a Textual upgrade that changes how rows are styled fails here."""

from __future__ import annotations

import gc
from typing import Any

from textual.cache import FIFOCache
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget

from tests.helpers.pilot import app_for, play, screen_of
from tests.helpers.story_app import StoryApp, narration
from textrealms.engine.events import NarrationDelta
from textrealms.tui.widgets.lines import LinesView, QuickScrollBar
from textrealms.world.schema import WorldPack


def both_ways(widget: Widget, crop: Region | None = None) -> tuple[list[Strip], list[Strip]]:
    """The widget's rows drawn its own way, then Textual's way (every row afresh)."""
    crop = crop or Region(0, 0, widget.size.width, widget.size.height)
    quick = widget.render_lines(crop)
    widget.refresh()
    return quick, Widget.render_lines(widget, crop)


def crops(widget: Widget) -> list[Region]:
    width, height = widget.outer_size
    return [Region(0, 0, width, height), Region(2, 1, max(1, width - 5), max(1, height - 3))]


async def same_both_ways(pilot: Pilot[Any], view: LinesView) -> bool:
    """Whether the view (and its scrollbar, if shown) draw as Textual would; says whether
    the scrollbar was shown."""
    await pilot.pause()
    assert view.plain_styling() is not None  # drawn the quick way
    for crop in crops(view):
        quick, textual = both_ways(view, crop)
        assert quick == textual
    bar = view.vertical_scrollbar
    assert isinstance(bar, QuickScrollBar)
    if not bar.display:
        return False
    for crop in crops(bar):
        quick, textual = both_ways(bar, crop)
        assert quick == textual
    return True


async def test_the_story_and_its_scrollbar_draw_as_textual_would() -> None:
    host = StoryApp(keep_turns=6)
    async with host.run_test(size=(60, 20)) as pilot:
        story = host.story
        shown = []
        for turn in range(9):  # some fold away: the fold line is drawn too
            story.begin(turn, f"wait {turn}", narration(f"Rain falls on day {turn}. " * 4))
            shown.append(await same_both_ways(pilot, story))
        assert shown[0] is False and shown[-1] is True  # with no scrollbar, then with one
        story.undone(6)  # struck through
        story.apply(NarrationDelta(8, 0, 0, "More rain "))
        assert await same_both_ways(pilot, story)
        story.scroll_home(animate=False, immediate=True)  # the bar's thumb at the top
        assert await same_both_ways(pilot, story)
        host.theme = "textual-light"
        assert await same_both_ways(pilot, story)


async def test_the_game_screen_story_draws_as_textual_would(pack: WorldPack) -> None:
    async with app_for(pack).run_test(size=(90, 24)) as pilot:
        await play(pilot, "look", "east", "take iron key", "west")
        screen = screen_of(pilot)
        assert await same_both_ways(pilot, screen.story)
        assert screen.side.plain_styling() is None  # its border: Textual draws its rows


def holds_itself(strip: Strip) -> bool:
    """Whether `strip` reaches itself through its caches (strips, their caches, and the
    dicts and lists in them): a cycle that only a full collection frees, and the game's
    frozen heap never does."""
    seen: set[int] = set()
    todo = list(gc.get_referents(strip))
    while todo:
        item = todo.pop()
        if item is strip:
            return True
        if id(item) not in seen and isinstance(item, Strip | FIFOCache | dict | list):
            seen.add(id(item))
            todo.extend(gc.get_referents(item))
    return False


async def test_no_row_drawn_holds_itself(pack: WorldPack) -> None:
    """Textual's strips cache their pieces, themselves when uncut: every row the screen
    draws (and the story's kept rows, cropped to the view) must be free of that, or each
    turn's dropped rows stay in memory for good (see `textual_private.acyclic`)."""
    async with app_for(pack).run_test(size=(90, 24)) as pilot:
        await play(pilot, "look", "east", "take iron key", "west", "look", "inventory")
        await pilot.pause()
        screen = screen_of(pilot)
        story = screen.story
        widgets = [story, story.vertical_scrollbar, screen.side, screen.status, screen.command]
        for widget in widgets:
            width, height = widget.outer_size
            for row in widget.render_lines(Region(0, 0, width, height)):
                row.divide([row.cell_length])  # as the compositor does, uncut
                assert not holds_itself(row), widget
        for y in range(story.virtual_size.height):
            row = story.row(y, story.width)
            story.render_line(y)  # the row, cropped to the view
            assert not holds_itself(row)
