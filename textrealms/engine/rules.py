"""A turn by the rules: (pack, state, parsed command) -> (new state, immediate entries).

Pure and synchronous: no I/O, no clock, no global randomness. Everything a turn draws
comes from the state's seeded RNG, so the same state and command always give the same
result. This is the game's hot path.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from textrealms.engine.command import Command
from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.parser import parse
from textrealms.engine.scope import named, resolve
from textrealms.engine.simulation import timeline
from textrealms.engine.turn import Turn
from textrealms.engine.verbs import names
from textrealms.engine.verbs.looking import describe_room
from textrealms.engine.verbs.registry import BY_NAME
from textrealms.engine.verbs.verb import Narrated, Verb
from textrealms.world import effects as fx
from textrealms.world.conditions import all_hold, first_line, holds
from textrealms.world.reducer import reduce
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState, Pending


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
    done: bool = True
    """Whether the command did what it was asked: a line of several commands stops at the
    first that did not."""
    earlier: tuple[TurnResult, ...] = ()
    """What the same line played before this command (several commands in one line),
    oldest first: each its own turn, with its own entries."""
    placed: bool = True
    """False when the game could not place the command at all (`unplaced`): a model, if
    one is configured, may still read it as an action."""

    @property
    def ended(self) -> bool:
        return self.state.ending is not None

    @property
    def steps(self) -> tuple[TurnResult, ...]:
        """Every command the line played, oldest first: a front end shows each as a turn."""
        return (*self.earlier, self)


def opening(pack: WorldPack, state: GameState) -> list[Entry]:
    """What a new game shows before the first command: the intro and the first room."""
    t = Turn(pack, state, parse(names.LOOK))
    t.emit(EntryKind.NARRATION, pack.world.intro, title=pack.world.name)
    describe_room(t, state.location)
    return t.entries


_LOOKING = parse(names.LOOK)
"""The command a room is shown for, parsed once: prefetch asks for every room next door."""


def room_entry(pack: WorldPack, state: GameState, location: str, *, revisit: bool = False) -> Entry:
    """How the room at `location` would be shown now (what idle prefetch describes ahead):
    in short, for a `revisit`."""
    t = Turn(pack, state, _LOOKING)
    describe_room(t, location, revisit=revisit)
    return t.entries[0]


def play(pack: WorldPack, state: GameState, command: Command) -> TurnResult:
    """Play one command. Empty input changes nothing."""
    if command.verb == names.EMPTY:
        return TurnResult(state, [], command)
    forced: dict[str, str] = {}
    pending = state.context.pending
    if pending is not None:
        answer = answer_to(pack, pending.candidates, command.raw)
        if answer is not None:
            command, forced = parse(pending.command), {pending.slot: answer}
    last = state.context.last_command
    if command.verb == names.AGAIN and last is not None:
        command, forced = parse(last), dict(state.context.bindings)
    verb = BY_NAME[command.verb]
    turn = Turn(pack, state, command, forced)
    if command.understood is not None:
        turn.notice(command.understood)
    if state.ending is not None:
        return _after_ending(turn, verb)
    verb.handler(turn)
    if not verb.counts:
        return TurnResult(reduce(pack, state, turn.effects), turn.entries, command)
    if _asked(turn):
        return _question(turn)
    after, completion = completed(pack, reduce(pack, state, turn.finish()))
    told: list[Entry] = []
    if after.clock > state.clock:
        after, told = timeline.happen(pack, after)
    final, reached = progress(pack, after)
    done = verb.narrated is not Narrated.CHANGED or turn.minutes == 0 or bool(turn.effects)
    own = _unstocked(turn) if scripted(told) else turn.entries
    entries = own + completion + told + reached
    return TurnResult(final, entries, command, quit=turn.quit, done=done)


def _asked(turn: Turn) -> bool:
    """Whether the rules only asked the player something ("Take what?", "Which key: ...?")."""
    said = [e for e in turn.entries if e.text != turn.command.understood]
    return (
        not turn.effects
        and bool(said)
        and all(e.kind is EntryKind.NOTICE for e in said)
        and said[-1].text.rstrip().endswith("?")
    )


def _question(turn: Turn) -> TurnResult:
    return question(turn.pack, turn.state, turn.command, turn.entries, turn.pending)


def question(
    pack: WorldPack,
    state: GameState,
    command: Command,
    entries: list[Entry],
    pending: Pending | None,
) -> TurnResult:
    """A question takes no turn; the game only remembers it (`pending`), to read the
    answer."""
    context = state.context
    remember = fx.Remember(context.last_noun, context.last_command, context.bindings, pending)
    return TurnResult(reduce(pack, state, [remember]), entries, command, done=False)


def unplaced(pack: WorldPack, state: GameState, command: Command) -> TurnResult:
    """What the rules say to a command the game cannot place (an unknown verb, a thing not
    in reach), without taking a turn: the state stays as it was."""
    turn = Turn(pack, state, command)
    BY_NAME[command.verb].handler(turn)
    return TurnResult(state, turn.entries, command, done=False, placed=False)


def scripted(entries: list[Entry]) -> bool:
    """Whether a turn set off a scene of the pack's own (an event with its title and
    text, not a warning), which tells how the people in it take what the player did."""
    return any(e.kind is EntryKind.EVENT and e.title is not None for e in entries)


def _unstocked(turn: Turn) -> list[Entry]:
    """The turn's entries with each stock reaction in plain words."""
    return [
        dataclasses.replace(e, text=turn.stock[i]) if i in turn.stock else e
        for i, e in enumerate(turn.entries)
    ]


ENDED = (
    "The story has ended. You can look back over it (look, examine, read, inventory, quests, "
    "time, rumors, reputation, hint, who am I, where am I, what now), save it, load another "
    "game, undo, restart, or quit."
)


def _after_ending(turn: Turn, verb: Verb) -> TurnResult:
    """Once the story has ended, reading it back is all there is: the state stays exactly
    as the ending left it (no turn, no clock), and anything else is refused."""
    if verb.after_ending:
        verb.handler(turn)
    else:
        turn.notice(ENDED)
    return TurnResult(turn.state, turn.entries, turn.command, quit=turn.quit, done=False)


def answer_to(pack: WorldPack, candidates: list[str], text: str) -> str | None:
    """The candidate a reply to "Which key: ...?" picks, if it picks exactly one."""
    found = resolve(pack, text, [named(pack, c) for c in candidates])
    return found[0].id if len(found) == 1 else None


def progress(pack: WorldPack, state: GameState) -> tuple[GameState, list[Entry]]:
    """Quest objectives met this turn, quests completed, and the ending reached, if any.

    Endings are checked in pack order, failures after all the others: an ending earned
    on the turn a deadline passes still counts."""
    if state.ending is not None:
        return state, []
    state, entries = completed(pack, state)
    for eid, ending in sorted(pack.endings.items(), key=lambda pair: pair[1].kind == "failure"):
        if all_hold(ending.when, state):
            text = first_line(ending.text, state) or ""
            entries.append(Entry(EntryKind.ENDING, text, title=ending.title))
            return reduce(pack, state, [fx.EndGame(eid)]), entries
    return state, entries


def completed(pack: WorldPack, state: GameState) -> tuple[GameState, list[Entry]]:
    """Quest objectives met and quests completed by now. A command's are counted before
    the turn's events, so an event waiting on a quest happens on the turn it is done."""
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
    return (reduce(pack, state, changes) if changes else state), entries
