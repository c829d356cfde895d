"""The working context of one command: what it reads, the effects and entries it makes."""

from __future__ import annotations

from collections.abc import Sequence

from textrealms.engine import scope
from textrealms.engine.command import Command
from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.phrases import about, options, phrase
from textrealms.engine.scope import Kind, Thing, named, resolve, words
from textrealms.engine.simulation.lines import least_said, told
from textrealms.engine.verbs import names
from textrealms.world import effects as fx
from textrealms.world.rng import Dice
from textrealms.world.schema import WorldPack
from textrealms.world.state import PLAYER, GameState, Pending

PRONOUNS = frozenset({"it", "them", "him", "her", "that", "this"})


class Turn:
    """Collects one command's effects and entries; handlers never touch the state itself."""

    def __init__(
        self,
        pack: WorldPack,
        state: GameState,
        command: Command,
        forced: dict[str, str] | None = None,
    ) -> None:
        self.pack = pack
        self.state = state
        self.command = command
        self.forced = forced or {}
        self.dice = Dice(state.seed, state.rng)
        self.effects: list[fx.Effect] = []
        self.entries: list[Entry] = []
        self.minutes = 2
        self.last_noun = state.context.last_noun
        self.pending: Pending | None = None
        self.quit = False
        self.stock: dict[int, str] = {}
        """Entries that are a person's stock reaction, by index, with the plain words
        that stand in for them when the turn sets off a scripted scene of its own."""

    def emit(
        self, kind: EntryKind, text: str, *, title: str | None = None, speaker: str | None = None
    ) -> None:
        self.entries.append(Entry(kind, text, title=title, speaker=speaker))

    def say(self, text: str) -> None:
        self.emit(EntryKind.NARRATION, text)

    def react(self, text: str, plain: str) -> None:
        """Say a person's stock reaction `text`, or `plain` if the turn's own scene tells
        how they take it."""
        self.stock[len(self.entries)] = plain
        self.say(text)

    def notice(self, text: str) -> None:
        self.emit(EntryKind.NOTICE, text)

    def text(self, key: str, **values: str) -> str:
        """A variant of template `key` (the pack's, else the engine's), filled in."""
        here = self.pack.locations[self.state.location].name
        return phrase(self.pack, key, self.dice, **{"location": here, **values})

    def fresh(self, key: str, **values: str) -> str:
        """A variant of template `key` among those said least in the game so far, and
        remembered as said: an idle line (a wait) comes round again only after the rest."""
        here = self.pack.locations[self.state.location].name
        fill = {"player": "you", "location": here, **values}
        line, _ = least_said(options(self.pack, key), fill, self.state, self.dice)
        self.effects.append(told(line))
        return line

    def text_about(self, key: str, npc: str, **values: str) -> str:
        """A variant of template `key` about person `npc`, in their pronouns and fit for
        their body."""
        here = self.pack.locations[self.state.location].name
        return about(self.pack, key, npc, self.dice, **{"location": here, **values})

    # What is in reach

    def carried(self) -> list[Thing]:
        return scope.carried(self.pack, self.state)

    def in_room(self) -> list[Thing]:
        return scope.in_room(self.pack, self.state)

    def people(self) -> list[Thing]:
        return scope.people(self.pack, self.state)

    def reachable(self, kind: Kind | None = None) -> list[Thing]:
        return [t for t in scope.reachable(self.pack, self.state) if kind is None or t.kind == kind]

    def is_here(self, ident: str) -> bool:
        place = self.state.items.get(ident)
        if place is not None:
            return place in (PLAYER, f"room:{self.state.location}")
        npc = self.state.npcs.get(ident)
        return npc is not None and npc.location == self.state.location

    def find(
        self, phrase: str, candidates: Sequence[Thing], *, missing: str = "not_here"
    ) -> Thing | None:
        """The one thing `phrase` names among `candidates`, else say why not and give None.

        A tie asks the player which one they mean and remembers the question.
        """
        if phrase in self.forced:
            chosen = [t for t in candidates if t.id == self.forced[phrase]]
            if chosen:
                return self.remember(chosen[0])
        if phrase in PRONOUNS and self.last_noun:
            same = [t for t in candidates if t.id == self.last_noun]
            if same:
                return self.remember(same[0])
            phrase = named(self.pack, self.last_noun).name
        found = resolve(self.pack, phrase, list(candidates))
        if len(found) == 1:
            return self.remember(found[0])
        if not found:
            if missing == "not_here":
                self.say(self.text("not_here", item=phrase))
            else:
                self.say(missing.format(phrase=phrase))
            return None
        names = [f"the {t.name}" if t.kind == "item" else t.name for t in found]
        label = words(phrase)[-1] if found[0].kind == "item" else "one"
        self.notice(f"Which {label}: {', '.join(names[:-1])} or {names[-1]}?")
        self.pending = Pending(
            command=self.command.raw, slot=phrase, candidates=[t.id for t in found]
        )
        return None

    def remember(self, t: Thing) -> Thing:
        self.last_noun = t.id
        return t

    def finish(self) -> list[fx.Effect]:
        """The effects of this command followed by the bookkeeping every turn makes."""
        context = self.state.context
        if self.command.verb == names.AGAIN:  # never remembered, or it would repeat itself
            last_command, bindings = context.last_command, context.bindings
        else:
            last_command, bindings = self.command.raw, self.forced
        return [
            *self.effects,
            fx.NextTurn(),
            fx.AdvanceClock(self.minutes),
            fx.DrawRandom(self.dice.counter),
            fx.Remember(self.last_noun, last_command, bindings, self.pending),
        ]
