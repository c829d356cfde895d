"""What a turn costs the screen: its answer drawn at once, and no layout of the screen."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from tests.helpers.clocks import Ticks
from tests.helpers.pilot import caught_up, play, screen_of
from textrealms.tui.probe import DrawnStory, FramedApp
from textrealms.world.schema import WorldPack

SIZE = (100, 30)


class Framed(FramedApp):
    """Counts the frames it draws."""

    def __init__(self, pack: WorldPack) -> None:
        super().__init__([], start=pack, seed=3, clock=Ticks(), on_frame=self.count)
        self.frames = 0

    def count(self, _: float) -> None:
        self.frames += 1

    @property
    def drawn_story(self) -> DrawnStory:
        assert self.story is not None
        return self.story


async def test_the_answer_is_drawn_before_enter_is_done(pack: WorldPack) -> None:
    """Not at Textual's next 60 Hz tick: the frame that shows it is drawn by the handler."""
    host = Framed(pack)
    async with host.run_test(size=SIZE) as pilot:
        await caught_up(pilot)
        screen, story = screen_of(pilot), host.drawn_story
        story.take_drawn()
        before = host.frames
        screen.play("look")  # what Enter calls, with no await in between
        newest = story.blocks[max(story.blocks)]
        assert host.frames == before + 1
        assert newest in story.take_drawn()


async def test_typing_and_playing_turns_lay_out_nothing(pack: WorldPack) -> None:
    """The command line, a growing story and a changing side panel each size themselves;
    a layout of the whole screen costs more than the rest of a frame. (Only a scrollbar
    that comes or goes, once a game, takes one: the text beside it narrows. The side panel
    fits itself to its height here, so it has none.)"""
    host = Framed(pack)
    async with host.run_test(size=SIZE) as pilot:
        await play(pilot, "look", "look")
        screen = screen_of(pilot)
        assert screen.story.show_vertical_scrollbar and not screen.side.show_vertical_scrollbar
        layouts: list[Screen[Any]] = []
        screen.screen_layout_refresh_signal.subscribe(host, layouts.append, immediate=True)
        rows = screen.side.virtual_size.height
        await pilot.press(*"look")
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await play(pilot, "east", "take iron key", "talk to mira", "west", "wait")
        assert screen.story.blocks[max(screen.story.blocks)].command == "wait"
        assert screen.side.virtual_size.height != rows  # the panel did change its height
        assert not screen.side.show_vertical_scrollbar
        assert layouts == []
