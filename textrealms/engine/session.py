"""A game as a player has it: the game master, plus saving, loading, undo and restart.

These commands are the same in every front end, so they live here once. The `Session`
offers the game master's own front-end API and answers them itself: `undo` and `restart`
from the states kept in memory, `save`, `load` and `saves` at once with a word that the
disk is being asked, the real answer following as `Told` events. Every turn is autosaved
through the `Saves` backend: the command and its entries when it is played, its
background entries as they arrive, and the state once the turn settles, all queued to the
store's writer so the hot path never waits.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from textrealms.engine import rules
from textrealms.engine.broadcast import Broadcast
from textrealms.engine.command import Command
from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.events import (
    SavingChanged,
    StoryEvent,
    Told,
    TurnSettled,
    Understood,
    saving_note,
)
from textrealms.engine.gm import GameMaster
from textrealms.engine.metrics import MetricsSnapshot
from textrealms.engine.panel import Panel
from textrealms.engine.parser import parse
from textrealms.engine.saves import NAME_LENGTH, UNDO_DEPTH, Saves, damage_notes
from textrealms.engine.verbs import names
from textrealms.engine.verbs.registry import BY_NAME
from textrealms.engine.verbs.verb import own_line
from textrealms.llm.clean import clean
from textrealms.llm.provider import ProviderStatus
from textrealms.world.saved import SavedLine, SavedTurn, SlotInfo
from textrealms.world.schema import WorldPack
from textrealms.world.state import GONE, PLAYER, GameState, new_game

log = logging.getLogger(__name__)


class Unfit(Exception):
    """A saved state that the world pack, as it is now, cannot play."""


def fit(pack: WorldPack, state: GameState) -> list[str]:
    """Warnings for playing `state` on `pack`; `Unfit` if the pack cannot play it at all."""
    if state.world_id != pack.world.id:
        raise Unfit(f"it is a game of world '{state.world_id}', not '{pack.world.id}'")
    missing = (
        ({state.location} - set(pack.locations))
        | (set(state.npcs) - set(pack.npcs))
        | (set(state.items) - set(pack.items))
        | (set(state.conflicts) - set(pack.conflicts))
        | (set(state.quests) - set(pack.quests))
        | {p.split(":", 1)[1] for p in state.items.values() if p not in (PLAYER, GONE)}
        - set(pack.locations)
        - set(pack.npcs)
    )
    if missing:
        raise Unfit(
            f"world '{pack.world.id}' no longer has what it needs: {', '.join(sorted(missing))}"
        )
    if state.world_version != pack.world.version:
        return [
            f"This game was saved with {pack.world.name} {state.world_version}; the world is "
            f"now version {pack.world.version}. It plays on, but things may have changed."
        ]
    return []


async def fork(saves: Saves, name: str, state: GameState) -> str:
    """A new slot holding a copy of saved game `name`, whose last state is `state`.

    A loaded game plays on there, so neither the named save (a checkpoint the player may
    want again) nor the game left behind is ever overwritten.
    """
    slot = await saves.create(state)
    await saves.copy(name, slot.name)
    return slot.name


def describe(slot: SlotInfo) -> str:
    """One line about a saved game, for lists."""
    played = time.strftime("%Y-%m-%d %H:%M", time.localtime(slot.played))
    return f"{slot.name}: {slot.world_id}, turn {slot.turn}, {slot.location}, {played}"


@dataclass
class _Log:
    """A turn still being told: what to write when more of it arrives."""

    command: str
    lines: list[SavedLine] = field(default_factory=list)


def _line(job: int, entry: Entry) -> SavedLine:
    return SavedLine(job, entry.kind.value, entry.text, entry.title, entry.speaker)


def _notice(text: str) -> Entry:
    return Entry(EntryKind.NOTICE, text)


class Session:
    """One game being played, saved as it goes. Front ends take it in place of a
    `GameMaster`: the same methods, plus the save commands."""

    def __init__(
        self,
        gm: GameMaster,
        saves: Saves | None = None,
        *,
        slot: str | None = None,
        history: Sequence[tuple[int, GameState]] = (),
        notes: Sequence[str] = (),
    ) -> None:
        """`history`: a resumed game's last states, oldest first (the last is `gm.state`);
        `notes`: what to tell the player when the game opens (a changed world, say)."""
        self.gm = gm
        self.pack = gm.pack
        self.saves = saves if slot is not None else None
        self.slot = slot
        self.resumed = bool(history)
        self._notes = list(notes)
        if self.saves is not None and self.saves.trouble is not None:
            self._notes.append(saving_note(self.saves.trouble))
        self._history: OrderedDict[int, GameState] = OrderedDict(history)
        self._history[gm.state.turn] = gm.state
        self._live: dict[int, _Log] = {}
        self._loading: str | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._stream = Broadcast()
        self._pump = asyncio.get_running_loop().create_task(self._forward(gm.events()))
        self._unwatch = self.saves.watch(self._saving) if self.saves is not None else None

    @property
    def state(self) -> GameState:
        return self.gm.state

    # The game master's front-end API

    def opening(self) -> list[Entry]:
        """A new game's opening (saved as turn 0), or a resumed game's place and news."""
        entries = self.gm.opening()
        if self.resumed:  # the news in the intro's place: the room's narration keeps its index
            news = [f"Resumed '{self.slot}' at turn {self.state.turn}.", *self._notes]
            return [_notice("\n\n".join(news)), *entries[1:]]
        self._live[self.state.turn] = _Log("", [_line(-1, e) for e in entries])
        self._write(self.state.turn, self.state)
        return entries

    def submit(self, command: str) -> rules.TurnResult:
        """Play `command`, or answer a save command; never waits on the disk."""
        parsed = parse(command)
        verb = BY_NAME.get(parsed.verb)
        if (
            verb is not None
            and verb.session
            and own_line(verb, parsed)
            and self.state.context.pending is None
        ):
            return self._meta(parsed)
        if self._loading is not None:
            return self._say(parsed, f"Still loading '{self._loading}'; a moment.")
        before = self.state.turn
        result = self.gm.play(parsed)
        for step in result.steps:
            turn = step.state.turn
            if turn == before:
                if step.state != self._history.get(turn):  # no turn, but kept (a hint given)
                    self._remember(turn, step.state)
                    if self.saves is not None and self.slot is not None:
                        self.saves.restate(self.slot, turn, step.state)
                continue
            typed = parsed.raw if step is result.steps[0] else ""  # the line is said once
            self._played(turn, step.state, typed, step.entries)
            before = turn
        return result

    def events(self) -> AsyncIterator[StoryEvent]:
        return self._stream.follow()

    async def settled(self, turn: int | None = None) -> None:
        """Wait for a pending load or save, then as `GameMaster.settled`."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.gm.settled(turn)

    def unsaved(self) -> str | None:
        return self.saves.trouble if self.saves is not None else None

    async def saved(self) -> None:
        if self.saves is None:
            return
        try:
            await self.saves.flush()
        except Exception:  # the disk's trouble: the player was told, and the game goes on
            log.debug("waiting for the saves failed", exc_info=True)

    async def quiet(self) -> None:
        await self.settled()
        await self.gm.quiet()

    def running(self) -> list[str]:
        return ([f"loading {self._loading}"] if self._loading else []) + self.gm.running()

    def panel(self) -> Panel:
        return self.gm.panel()

    def complete(self, text: str) -> list[str]:
        return self.gm.complete(text)

    def save_name(self) -> str:
        return self.gm.save_name()

    def snapshot(self) -> MetricsSnapshot:
        return self.gm.snapshot()

    def provider_status(self) -> ProviderStatus:
        return self.gm.provider_status()

    def stop_narration(self) -> bool:
        return self.gm.stop_narration()

    def regenerate(self) -> bool:
        return self.gm.regenerate()

    async def aclose(self) -> None:
        """Stop the game, write what its last events told, and wait until it is on disk."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.gm.aclose()
        await self._pump
        if self.saves is not None:
            try:
                await self.saves.flush()
            except Exception:  # the player was told saving had stopped, and why
                log.exception("the last turns could not be saved")
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None

    # Saving

    def _played(self, turn: int, state: GameState, command: str, entries: Sequence[Entry]) -> None:
        """Turn `turn` was played, as `command`: kept for undo, and saved."""
        if state.ending is not None:  # nothing told before the ending lands after it
            self._stream.drop_pending()
        self._remember(turn, state)
        self._live[turn] = _Log(command, [_line(-1, e) for e in entries])
        self._write(turn, state)

    def _remember(self, turn: int, state: GameState) -> None:
        self._history[turn] = state
        self._history.move_to_end(turn)
        while len(self._history) > UNDO_DEPTH + 1:
            self._history.popitem(last=False)

    def _write(self, turn: int, state: GameState) -> None:
        told = self._live.get(turn)
        if self.saves is None or self.slot is None or told is None:
            return
        record = SavedTurn(turn, told.command, tuple(told.lines), state)
        self.saves.record(self.slot, record, self.pack.locations[state.location].name)

    async def _forward(self, events: AsyncIterator[StoryEvent]) -> None:
        """Pass the game master's events on, saving what each adds to its turn."""
        async for event in events:
            told = self._live.get(event.turn)
            entry = event.entry()
            if isinstance(event, TurnSettled):
                self._settle(event.turn)
            elif isinstance(event, Understood):  # saved as the command it was read as
                self._played(event.turn, event.state, event.command, event.entries)
            elif told is not None and entry is not None:
                told.lines.append(_line(event.job, entry))
                self._write(event.turn, self._history.get(event.turn, self.state))
            self._stream.emit(event)
        self._stream.close()

    def _settle(self, turn: int) -> None:
        """A turn's background effects are in: the latest turn's row gets today's state."""
        latest = self.state.turn
        if latest in self._history:
            self._remember(latest, self.state)
            self._write(latest, self.state)
        if turn != latest:
            self._write(turn, self._history.get(turn, self.state))
        self._live.pop(turn, None)

    def _saving(self, trouble: str | None) -> None:
        self._stream.emit(SavingChanged.of(self.state.turn, trouble))

    # Save commands

    def _say(
        self,
        command: Command,
        *texts: str,
        entries: Sequence[Entry] = (),
        undone_after: int | None = None,
    ) -> rules.TurnResult:
        notes = [_notice(t) for t in texts]
        return rules.TurnResult(self.state, [*notes, *entries], command, undone_after=undone_after)

    def _meta(self, command: Command) -> rules.TurnResult:
        verb = command.verb
        name = (command.text or "").strip()
        if self._loading is not None:
            return self._say(command, f"Still loading '{self._loading}'; a moment.")
        if verb == names.UNDO:
            return self._undo(command)
        if verb == names.RESTART:
            return self._restart(command)
        if self.saves is None:
            return self._say(command, "Saving is off in this game.")
        if verb == names.SAVES:
            self._spawn(self._list(self.saves))
            return self._say(command, "Looking up your saved games...")
        if not name or len(name) > NAME_LENGTH or clean(name) != name:
            return self._say(
                command, f"Name the save in 1 to {NAME_LENGTH} characters: {verb} NAME"
            )
        if verb == names.SAVE:
            self._spawn(self._save(self.saves, name))
            return self._say(command, f"Saving as '{name}'...")
        self._loading = name
        self._spawn(self._load(self.saves, name))
        return self._say(command, f"Loading '{name}'...")

    def _undo(self, command: Command) -> rules.TurnResult:
        turn = self.state.turn
        earlier = [t for t in self._history if t < turn]
        if not earlier:
            return self._say(command, "There is nothing to undo.")
        back = earlier[-1]
        state = self._history[back]
        self._go_to(back, state)
        room = rules.room_entry(self.pack, state, state.location)
        return self._say(
            command, f"Undone: back to turn {back}.", entries=[room], undone_after=back
        )

    def _restart(self, command: Command) -> rules.TurnResult:
        state = new_game(self.pack, self.state.seed)
        self._go_to(0, state)
        self._history.clear()
        self._history[0] = state
        return self._say(
            command, "The story starts again.", entries=self.gm.opening(), undone_after=0
        )

    def _go_to(self, turn: int, state: GameState) -> None:
        """Continue from `state` at `turn`, forgetting every later turn, here and on disk;
        what the abandoned turns were still about to show is dropped too."""
        self.gm.replace(state)
        for later in [t for t in self._history if t > turn]:
            del self._history[later]
        self._live.clear()
        if self.saves is not None and self.slot is not None:
            self.saves.truncate(self.slot, turn, self.pack.locations[state.location].name)
        self._stream.drop_pending()
        self._stream.emit(TurnSettled(turn, -1))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _tell(self, *texts: str, entries: Sequence[Entry] = ()) -> None:
        for story in [*(_notice(t) for t in texts), *entries]:
            self._stream.emit(Told(self.state.turn, -1, story))

    async def _list(self, saves: Saves) -> None:
        try:
            found = await saves.slots()
        except Exception as exc:  # the disk's trouble is told, never raised at the player
            log.exception("listing saves failed")
            self._tell(f"Your saves could not be listed: {exc}")
            return
        mine = [describe(s) + (" (this game)" if s.name == self.slot else "") for s in found]
        self._tell("\n".join(["Saved games:", *mine]))

    async def _save(self, saves: Saves, name: str) -> None:
        try:
            if self.slot is not None:
                await saves.copy(self.slot, name)
        except Exception as exc:  # the disk's trouble is told, never raised at the player
            log.exception("saving failed")
            self._tell(f"The game could not be saved as '{name}': {exc}")
            return
        self._tell(f"Saved as '{name}'. Load it with: load {name}")

    async def _load(self, saves: Saves, name: str) -> None:
        try:
            resumed = await saves.resume(name)
            turn, state = resumed.recent[-1]
            notes = [*damage_notes(resumed), *fit(self.pack, state)]
            slot = name if name == self.slot else await fork(saves, name, state)
        except Unfit as exc:
            self._tell(f"'{name}' cannot be loaded here: {exc}.")
            return
        except Exception as exc:  # the disk's trouble is told, never raised at the player
            self._tell(f"'{name}' could not be loaded: {exc}")
            return
        finally:
            self._loading = None
        self.slot = slot
        saves.truncate(slot, turn, self.pack.locations[state.location].name)
        self.gm.replace(state)
        self._history = OrderedDict(resumed.recent)
        self._live.clear()
        room = rules.room_entry(self.pack, state, state.location)
        where = f" It plays on as '{slot}'; '{name}' stays as it was." if slot != name else ""
        self._tell(f"Loaded '{name}' at turn {turn}.{where}", *notes, entries=[room])
        self._stream.emit(TurnSettled(turn, -1))
