"""The saved games as a player picks among them: list, start, open one to play, delete.

`textrealms continue`, `play --load` and the TUI's title and Saves screens all open saved
games by the same rules, kept here once: `continue` plays on in the latest game itself, a
save loaded by name plays on in a fork of it (the named save stays a checkpoint), and
either is checked against its world pack first. Its pack is looked for in the folder it
was last played from, then by its id. A front end says how a world pack is found and how
a game master is made (its storyteller); the rules are the engine's.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar

from textrealms.engine.gm import GameMaster
from textrealms.engine.saves import Saves, cut, damage_notes
from textrealms.engine.session import Session, Unfit, fit, fork
from textrealms.world.problems import PackError, Problem
from textrealms.world.saved import SlotInfo
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

T = TypeVar("T")

Packs = Callable[[str], WorldPack]
"""A world pack by id (or folder); `PackError` when it is missing or broken."""
Masters = Callable[[WorldPack, int, GameState | None], GameMaster]
"""A game master for a pack and a seed, playing on from a saved state (or new: None)."""


class Refused(Exception):
    """A saved game that cannot be opened or deleted: the message says why, for the player,
    and `problems` are the world pack's, when the pack is what failed."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


def played_ago(played: float, now: float) -> str:
    """When a game was last played, as a player would say it; a date once it is a week."""
    minutes = int(max(0.0, now - played) // 60)
    hours, days = minutes // 60, minutes // (60 * 24)
    if minutes < 1:
        return "just now"
    if hours < 1:
        return f"{minutes} min ago"
    if days < 1:
        return f"{hours} h ago"
    if days < 7:
        return "yesterday" if days == 1 else f"{days} days ago"
    return time.strftime("%Y-%m-%d", time.localtime(played))


class SavedGames:
    """The saved games of one store, and the game being played from them."""

    def __init__(self, saves: Saves, packs: Packs, masters: Masters) -> None:
        self.saves = saves
        self.packs = packs
        self.masters = masters
        self.playing: Session | None = None
        """The game last started or opened here: the one that must not be deleted."""

    async def slots(self) -> list[SlotInfo]:
        """Every saved game, the most recently played first."""
        return await _told(self.saves.slots())

    async def new(self, pack: WorldPack, seed: int) -> Session:
        """A new game of `pack`, saved as it goes in a slot of its own."""
        gm = self.masters(pack, seed, None)
        try:
            slot = await _told(self.saves.create(gm.state, _folder(pack)))
        except Refused:
            await gm.aclose()
            raise
        return self._play(Session(gm, self.saves, slot=slot.name))

    async def open(
        self, name: str | None = None, *, copy: bool, world: str | None = None
    ) -> Session:
        """Saved game `name` (None: the latest played), to play on in itself or, with
        `copy`, in a fork; `world` says where its pack is, if not in the folder it was last
        played from, nor found by its id."""
        if name is None:
            found = await self.slots()
            if not found:
                raise Refused("There is no saved game to continue. Start one: textrealms play")
            name = found[0].name
        resumed = await _told(self.saves.resume(name))
        turn, state = resumed.recent[-1]
        pack, notes = self._pack(name, resumed.slot, state, world)
        notes = [*damage_notes(resumed), *notes]
        slot = name
        if copy or cut(resumed):  # a save damaged at its end is kept as it is, to play a copy
            slot = await _told(fork(self.saves, name, state))
            notes = [f"A copy of '{name}', which stays as it was.", *notes]
        if cut(resumed):
            self.saves.truncate(slot, turn, pack.locations[state.location].name)
        if _folder(pack) not in ("", resumed.slot.world_folder):
            self.saves.relocate(slot, _folder(pack))
        gm = self.masters(pack, state.seed, state)
        return self._play(Session(gm, self.saves, slot=slot, history=resumed.recent, notes=notes))

    def _pack(
        self, name: str, slot: SlotInfo, state: GameState, world: str | None
    ) -> tuple[WorldPack, list[str]]:
        """The pack to play saved game `name` on (from `world`, else from the folder it was
        last played from, else by its id), and what to tell the player about it."""
        was = slot.world_folder
        gone = bool(was) and world is None and not Path(was).is_dir()
        try:
            pack = self.packs(world or (was if was and not gone else slot.world_id))
            notes = fit(pack, state)
        except PackError as exc:
            moved = f" It was played from {was}, which is not there now: say where with --world."
            raise Refused(
                f"The saved game '{name}' needs world '{state.world_id}', which cannot be loaded."
                + (moved if gone else ""),
                exc.problems,
            ) from exc
        except Unfit as exc:
            raise Refused(f"The saved game '{name}' cannot be played: {exc}.") from exc
        if gone:
            notes = [f"Its world pack is not in {was} now; playing it from {pack.folder}.", *notes]
        return pack, notes

    async def delete(self, name: str) -> None:
        """Forget saved game `name` for good; never the game being played."""
        if self.playing is not None and self.playing.slot == name:
            raise Refused(f"'{name}' is the game being played, so it cannot be deleted.")
        await _told(self.saves.delete(name))

    def _play(self, session: Session) -> Session:
        self.playing = session
        return session


def _folder(pack: WorldPack) -> str:
    """Where a saved game records that `pack` was read from ("": not from a folder)."""
    return "" if pack.folder is None else str(pack.folder)


async def _told(work: Awaitable[T]) -> T:
    """What `work` gives; the store's trouble (its message is for the player) as `Refused`."""
    try:
        return await work
    except Exception as exc:
        raise Refused(str(exc)) from exc
