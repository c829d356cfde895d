"""The story pane on its own: lines drawn from a cache per turn, only what changed redrawn."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.style import Style
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip

from tests.helpers.story_app import StoryApp, narration
from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.events import NarrationDelta, NarrationDone, NpcReaction
from textrealms.tui.probe import DrawnStory
from textrealms.tui.widgets.entries import render
from textrealms.tui.widgets.story import KEEP_TURNS, StoryPane, TurnBlock

LONG = " ".join(["The rain keeps on over the square and the shuttered stalls."] * 6)


def shown(story: StoryPane) -> list[Strip]:
    """The story's rows as the screen shows them now."""
    return story.render_lines(Region(0, 0, story.size.width, story.size.height))


def text(story: StoryPane) -> str:
    return "\n".join(strip.text.strip() for strip in shown(story))


async def settled(pilot: Pilot[Any], story: DrawnStory) -> None:
    await pilot.pause()
    story.take_drawn()


async def test_a_streamed_word_redraws_only_its_own_turn() -> None:
    host = StoryApp()
    async with host.run_test(size=(80, 24)) as pilot:
        story = host.story
        for turn in range(3):
            story.begin(turn, f"wait {turn}", narration("Rain falls."))
        await settled(pilot, story)
        first, last = story.blocks[0], story.blocks[2]
        kept = first.lines(host.console, first_width(story), Style())
        story.apply(NarrationDelta(1, 0, 0, "Snow "))
        story.apply(NarrationDelta(1, 0, 0, "falls."))
        await pilot.pause()
        assert story.take_drawn() == {story.blocks[1]}  # the one turn's rows, no others
        assert first.lines(host.console, first_width(story), Style()) is kept  # not rendered again
        assert "Snow falls." in text(story) and "Rain falls." in text(story)
        assert last.current[0].text == "Rain falls."


def first_width(story: StoryPane) -> int:
    return story.scrollable_content_region.width


async def test_a_turn_that_grows_moves_the_turns_below_it() -> None:
    host = StoryApp()
    async with host.run_test(size=(80, 40)) as pilot:
        story = host.story
        for turn in range(3):
            story.begin(turn, None, narration(f"Turn {turn}."))
        await settled(pilot, story)
        below = story.rows_of(story.blocks[2])
        story.apply(NarrationDone(1, 0, 0, LONG, refined=True))
        await pilot.pause()
        grown = len(story.rows_of(story.blocks[1]))
        assert grown > 1 and story.rows_of(story.blocks[2]).start == below.start + grown - 1
        rows = text(story).splitlines()
        assert rows[story.rows_of(story.blocks[2]).start] == "Turn 2."
        assert rows[story.rows_of(story.blocks[2]).start - 1] == ""  # a blank row between turns


async def test_five_thousand_turns_stay_bounded() -> None:
    host = StoryApp()
    async with host.run_test(size=(80, 24)) as pilot:
        story = host.story
        widgets = len(list(host.screen.query("*")))
        for turn in range(5000):
            story.begin(turn, "wait", narration(f"Turn {turn} passes."))
            if turn % 1000 == 0:
                await pilot.pause()
        await pilot.pause()
        assert len(story.blocks) == KEEP_TURNS and story.folded == 5000 - KEEP_TURNS
        assert story.virtual_size.height == 2 + KEEP_TURNS * 4  # fold line, then 100 turns
        assert len(list(host.screen.query("*"))) == widgets
        assert story.scroll_y == story.max_scroll_y
        rows = text(story).splitlines()
        assert "Turn 4999 passes." in rows
        story.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        assert "··· 4900 earlier turns folded away ···" in text(story).splitlines()[0]


async def test_rereading_stays_put_while_text_lands_below() -> None:
    host = StoryApp()
    async with host.run_test(size=(80, 24)) as pilot:
        story = host.story
        for turn in range(10):
            story.begin(turn, "wait", narration(LONG))
        await pilot.pause()
        assert story.scroll_y == story.max_scroll_y > 0
        story.scroll_to(y=story.rows_of(story.blocks[3]).start, animate=False, immediate=True)
        await pilot.pause()
        before = text(story)
        story.apply(NarrationDelta(9, 0, 0, LONG + " " + LONG))  # below the view
        story.apply(NpcReaction(0, 1, "mira", "Mira", "Mira looks up."))  # above it
        await pilot.pause()
        assert story.scroll_y == story.rows_of(story.blocks[3]).start > 0
        assert text(story) == before
        story.begin(10, "look", narration("A new turn."))
        await pilot.pause()
        assert story.scroll_y == story.max_scroll_y  # a new command brings you down
        assert "A new turn." in text(story)


async def test_a_new_width_wraps_every_turn_again() -> None:
    host = StoryApp()
    async with host.run_test(size=(120, 30)) as pilot:
        story = host.story
        story.begin(0, "look", narration(LONG))
        story.begin(1, "wait", narration(LONG))
        await pilot.pause()
        wide = len(story.rows_of(story.blocks[0]))
        await pilot.resize_terminal(60, 30)
        await pilot.pause()
        narrow = story.rows_of(story.blocks[0])
        assert len(narrow) > wide
        assert story.rows_of(story.blocks[1]).start == narrow.stop + 1
        assert all(
            len(row.rstrip()) <= story.scrollable_content_region.width + 1
            for row in text(story).splitlines()
        )
        assert "shuttered" in text(story)


async def test_undone_turns_are_struck_through_and_take_no_more_events() -> None:
    host = StoryApp()
    async with host.run_test(size=(80, 24)) as pilot:
        story = host.story
        for turn in range(3):
            story.begin(turn, f"go {turn}", narration(f"Turn {turn}."))
        await pilot.pause()
        taken = story.blocks[2]
        story.undone(1)
        story.apply(NpcReaction(2, 0, "mira", "Mira", "Too late."))
        await pilot.pause()
        assert taken.undone and 2 not in story.blocks and not taken.background
        rows = shown(story)
        start = story.rows_of(taken).start
        assert "> go 2" in rows[start].text
        assert all(seg.style and seg.style.strike for seg in rows[start] if seg.text.strip())
        assert not any(seg.style and seg.style.strike for seg in rows[0])


async def test_text_is_shown_literally_and_the_theme_recolours() -> None:
    host = StoryApp()
    async with host.run_test(size=(80, 24)) as pilot:
        story = host.story
        story.begin(1, "say [bold]hi[/bold]", narration("A [red]sign[/red] \x1b[31mreads."))
        await pilot.pause()
        assert "> say [bold]hi[/bold]" in text(story)
        assert "A [red]sign[/red]" in text(story) and "\x1b" not in text(story)
        block: TurnBlock = story.blocks[1]
        dark = block.looks[EntryKind.GOSSIP]
        assert rgb(dark) == host.theme_variables["text-secondary"].lower()  # the stylesheet's
        host.theme = "textual-light"
        await pilot.pause()
        light = block.looks[EntryKind.GOSSIP]
        assert light != dark and rgb(light) == host.theme_variables["text-secondary"].lower()


def rgb(look: Style) -> str:
    assert look.color is not None and look.color.triplet is not None
    return look.color.triplet.hex


def test_a_conflict_changing_phase_is_headed_by_its_name_as_a_title() -> None:
    """A pack names it mid-sentence ("the Pier Nine War"); as a heading it takes a capital."""
    console = Console(width=60, record=True, color_system=None)
    console.print(render(Entry(EntryKind.CONFLICT, "Midnight comes early.", "the Pier Nine War")))
    assert " The Pier Nine War " in console.export_text()
