"""A turn by the rules: (pack, state, parsed command) -> (new state, immediate entries).

Pure and synchronous: no I/O, no clock, no global randomness. Everything a turn draws
comes from the state's seeded RNG, so the same state and command always give the same
result. This is the game's hot path.
"""

from __future__ import annotations

from dataclasses import dataclass

from textrealms.engine.command import Command
from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.parser import parse
from textrealms.engine.scope import named, resolve
from textrealms.engine.turn import Turn
from textrealms.engine.verbs import names
from textrealms.engine.verbs.looking import describe_room
from textrealms.engine.verbs.registry import BY_NAME
from textrealms.world import effects as fx
from textrealms.world.conditions import first_line, holds
from textrealms.world.reducer import reduce
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState


@dataclass(frozen=True)
class TurnResult:
    state: GameState
    entries: list[Entry]
    command: Command
    """The command as played: after a question was answered, or `again`, the real one."""
    quit: bool = False
    undone_after: int | None = None
    """Set when the command took turns back (undo, restart): every turn after this one is
    undone, and the story goes on from it."""

    @property
    def ended(self) -> bool:
        return self.state.ending is not None


def opening(pack: WorldPack, state: GameState) -> list[Entry]:
    """What a new game shows before the first command: the intro and the first room."""
    t = Turn(pack, state, parse(names.LOOK))
    t.emit(EntryKind.NARRATION, pack.world.intro, title=pack.world.name)
    describe_room(t, state.location)
    return t.entries


def room_entry(pack: WorldPack, state: GameState, location: str, *, revisit: bool = False) -> Entry:
    """How the room at `location` would be shown now (what idle prefetch describes ahead):
    in short, for a `revisit`."""
    t = Turn(pack, state, parse(names.LOOK))
    describe_room(t, location, revisit=revisit)
    return t.entries[0]


def play(pack: WorldPack, state: GameState, command: Command) -> TurnResult:
    """Play one command. Empty input changes nothing."""
    if command.verb == names.EMPTY:
        return TurnResult(state, [], command)
    forced: dict[str, str] = {}
    pending = state.context.pending
    if pending is not None:
        answer = _answer_to(pack, pending.candidates, command.raw)
        if answer is not None:
            command, forced = parse(pending.command), {pending.slot: answer}
    last = state.context.last_command
    if command.verb == names.AGAIN and last is not None:
        command, forced = parse(last), dict(state.context.bindings)
    verb = BY_NAME[command.verb]
    if state.ending is not None and not verb.after_ending:
        return _notice(
            pack, state, command, "The story has ended. You can look back over it, or quit."
        )
    turn = Turn(pack, state, command, forced)
    verb.handler(turn)
    after = reduce(pack, state, turn.finish())
    final, reached = progress(pack, after)
    return TurnResult(final, turn.entries + reached, command, quit=turn.quit)


def _answer_to(pack: WorldPack, candidates: list[str], text: str) -> str | None:
    """The candidate a reply to "Which key: ...?" picks, if it picks exactly one."""
    found = resolve(pack, text, [named(pack, c) for c in candidates])
    return found[0].id if len(found) == 1 else None


def _notice(pack: WorldPack, state: GameState, command: Command, text: str) -> TurnResult:
    turn = Turn(pack, state, command)
    turn.minutes = 0
    turn.notice(text)
    return TurnResult(reduce(pack, state, turn.finish()), turn.entries, command)


def progress(pack: WorldPack, state: GameState) -> tuple[GameState, list[Entry]]:
    """Quest objectives met this turn, quests completed, and the ending reached, if any."""
    if state.ending is not None:
        return state, []
    changes: list[fx.Effect] = []
    entries: list[Entry] = []
    for qid, quest in pack.quests.items():
        quest_state = state.quests[qid]
        if quest_state.done:
            continue
        met = [m or holds(c, state) for m, c in zip(quest_state.met, quest.objectives, strict=True)]
        changes += [
            fx.MeetObjective(qid, i) for i, m in enumerate(met) if m and not quest_state.met[i]
        ]
        if all(met):
            changes.append(fx.CompleteQuest(qid))
            entries.append(
                Entry(EntryKind.QUEST, quest.completion, title=f"Quest complete: {quest.title}")
            )
    if changes:
        state = reduce(pack, state, changes)
    for eid, ending in pack.endings.items():
        if all(holds(c, state) for c in ending.when):
            text = first_line(ending.text, state) or ""
            entries.append(Entry(EntryKind.ENDING, text, title=ending.title))
            return reduce(pack, state, [fx.EndGame(eid)]), entries
    return state, entries
