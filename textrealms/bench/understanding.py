"""Scenario 11: how well the game understands what players type, by the corpus.

The corpus (`tests/understanding/`) holds inputs as players write them, each with what
the game must do: a command in canonical form, several, "ask" (a question, nothing
changed) or "refuse" (nothing changed, no turn taken). `blind.toml` was written by a
player who had seen neither the code nor the worlds' files, and is scored apart from the
rest. Each case is played from a new game on seed 1: its setup, then its input, through
the same line player as the game (`textrealms.engine.interpret.line`).

What the game did is compared as actions (the verb and the ids its words name, see
`textrealms.engine.interpret.action`), never as words. A case whose expected command
names a verb the registry lacks, or a thing its world does not have, waits: it is
counted, and scored once the game has them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from textrealms.engine import rules
from textrealms.engine.interpret.action import Action, action
from textrealms.engine.interpret.line import play_line
from textrealms.engine.interpret.scene import Scene
from textrealms.engine.parser import parse
from textrealms.engine.turn import Turn
from textrealms.engine.verbs.registry import BY_NAME
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState, new_game

CORPUS = Path("tests") / "understanding"
PARTS = ("blind", "corpus")
"""The corpus's files, each scored apart: the blind cases, and the rest."""
SEED = 1
GOAL = 0.9
"""The share of cases to map correctly, in each part; and no wrong action at all."""
SAME = {"where": "look", "what_now": "hint", "greet": "talk"}
"""Verbs that answer what another does, for judging: "where am i" is looking around,
"hello" is talking to someone."""

Verdict = Literal["correct", "wrong", "missed", "waiting"]


@dataclass(frozen=True, slots=True)
class Case:
    world: str
    setup: tuple[str, ...]
    input: str
    expect: tuple[str, ...]
    """Canonical commands, or ("ask",) or ("refuse",)."""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Judged:
    case: Case
    verdict: Verdict
    why: str = ""


def load(path: Path) -> list[Case]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Case(
            c["world"],
            tuple(c.get("setup", [])),
            c["input"],
            (c["expect"],) if isinstance(c["expect"], str) else tuple(c["expect"]),
            c.get("note", ""),
        )
        for c in raw["case"]
    ]


def judge(pack: WorldPack, case: Case) -> Judged:
    """Play `case` and say how the game did."""
    state = new_game(pack, SEED)
    for command in case.setup:
        after = play_line(pack, state, command).state
        if after.turn == state.turn:
            return Judged(case, "waiting", f"setup '{command}' did not play")
        state = after
    expected = _expected(pack, state, case.expect)
    if isinstance(expected, str):
        return Judged(case, "waiting", expected)
    result = play_line(pack, state, case.input)
    played: list[tuple[Action | None, bool]] = []
    before = state
    for step in result.steps:
        if step.state.turn != before.turn:
            done = _same(action(Scene(pack, before), step.command))
            played.append((done, _acts(pack, before, step)))
        before = step.state
    return Judged(case, *_verdict(case, expected, played, result))


def _expected(pack: WorldPack, state: GameState, expect: tuple[str, ...]) -> list[Action] | str:
    """The actions `expect` stands for, or why they cannot be known on this game."""
    if expect in (("ask",), ("refuse",)):
        return []
    found = []
    for text in expect:
        command = parse(text)
        done = action(Scene(pack, state), command)
        if done is None:
            verb = text.split()[0]
            if command.verb not in BY_NAME or command.verb == "unknown":
                return f"no verb for '{verb}' yet"
            return f"'{text}' names nothing here"
        found.append(_alike(done))
        state = rules.play(pack, state, command).state
    return found


def _same(done: Action | None) -> Action | None:
    return None if done is None else _alike(done)


def _alike(done: Action) -> Action:
    return Action(SAME[done.verb], done.objects) if done.verb in SAME else done


def _acts(pack: WorldPack, before: GameState, step: rules.TurnResult) -> bool:
    """Whether the command played changed the world itself, beyond a turn passing."""
    turn = Turn(pack, before, step.command)
    BY_NAME[step.command.verb].handler(turn)
    return bool(turn.effects)


def _verdict(
    case: Case,
    expected: list[Action],
    played: list[tuple[Action | None, bool]],
    result: rules.TurnResult,
) -> tuple[Verdict, str]:
    shown = ", ".join(f"{a.verb} {' '.join(a.objects)}" if a else "?" for a, _ in played)
    if case.expect in (("ask",), ("refuse",)):
        if any(changed for _, changed in played):
            return "wrong", f"played {shown}"
        asked = result.entries[-1].text.rstrip().endswith("?") if result.entries else False
        if not played and (case.expect == ("refuse",) or asked):
            return "correct", ""
        return "missed", f"played {shown}" if played else "did not ask"
    actions = [a for a, _ in played]
    if actions == expected:
        return "correct", ""
    for i, (done, changed) in enumerate(played):
        if changed and (i >= len(expected) or done != expected[i]):
            return "wrong", f"played {shown}"
    return "missed", f"played {shown}" if played else result.entries[-1].text[:80]
