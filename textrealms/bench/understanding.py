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

import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from textrealms.bench.scenario import Options, Outcome, Row, ms
from textrealms.engine import rules
from textrealms.engine.interpret.action import Action, action
from textrealms.engine.interpret.line import play_line
from textrealms.engine.interpret.scene import Scene
from textrealms.engine.metrics import percentiles
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
TRIES = 5
"""Times each input is played to time it."""
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
    ms: float = 0.0
    """How long the game took to play the input."""


@dataclass(frozen=True, slots=True)
class Score:
    """One part of the corpus, judged."""

    cases: int
    correct: int
    wrong: int
    waiting: int

    @classmethod
    def of(cls, judged: list[Judged]) -> Score:
        count = Counter(j.verdict for j in judged)
        return cls(len(judged), count["correct"], count["wrong"], count["waiting"])

    @property
    def correct_share(self) -> float:
        """Mapped correctly, of every case (a waiting one is not)."""
        return self.correct / self.cases if self.cases else 0.0

    @property
    def live_share(self) -> float:
        """Mapped correctly, of the cases this game can play as expected."""
        live = self.cases - self.waiting
        return self.correct / live if live else 0.0

    def data(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "correct": self.correct,
            "correct_share": round(self.correct_share, 4),
            "wrong_actions": self.wrong,
            "waiting": self.waiting,
            "live_share": round(self.live_share, 4),
        }


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
        after = play_line(pack, state, parse(command)).state
        if after.turn == state.turn:
            return Judged(case, "waiting", f"setup '{command}' did not play")
        state = after
    expected = _expected(pack, state, case.expect)
    if isinstance(expected, str):
        return Judged(case, "waiting", expected)
    spent, result = _timed(pack, state, case.input)
    played: list[tuple[Action | None, bool]] = []
    before = state
    for step in result.steps:  # a turn taken, or a command that takes none (hint) played
        if step.state.turn != before.turn or (step.done and not BY_NAME[step.command.verb].counts):
            done = _same(action(Scene(pack, before), step.command))
            played.append((done, _acts(pack, before, step)))
        before = step.state
    return Judged(case, *_verdict(case, expected, played, result), ms=spent)


def _timed(pack: WorldPack, state: GameState, line: str) -> tuple[float, rules.TurnResult]:
    """What playing `line` costs, in milliseconds, and what it gave: the fastest of a few
    tries, the cost of the reading itself without the machine's other load."""
    best = float("inf")
    for _ in range(TRIES):
        began = time.perf_counter()
        result = play_line(pack, state, parse(line))
        best = min(best, (time.perf_counter() - began) * 1000)
    return best, result


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


def judged(packs: dict[str, WorldPack], path: Path) -> list[Judged]:
    """Every case of the corpus file `path` whose world is among `packs`, judged."""
    return [judge(packs[c.world], c) for c in load(path) if c.world in packs]


async def run(options: Options) -> Outcome:
    packs = {pack.world.id: pack for pack in options.packs}
    data: dict[str, Any] = {}
    rows: list[Row] = []
    spent: list[float] = []
    for part in PARTS:
        path = CORPUS / f"{part}.toml"
        if not path.exists():
            rows.append(Row(f"{part}: corpus", f"no {path}: run from the repository"))
            continue
        found = judged(packs, path)
        spent += [j.ms for j in found]
        score = Score.of(found)
        data[part] = score.data()
        rows += [
            Row(
                f"{part}: mapped correctly",
                f"{score.correct}/{score.cases} ({score.correct_share:.0%})",
                f">= {GOAL:.0%}",
                score.correct_share >= GOAL,
            ),
            Row(f"{part}: of those it can play now", f"{score.live_share:.0%}", "", None),
            Row(f"{part}: waiting (a verb or thing not there yet)", str(score.waiting)),
            Row(f"{part}: wrong state-changing actions", str(score.wrong), "0", score.wrong == 0),
        ]
    timing = percentiles(spent)
    data["line_ms"] = {"p50": timing.p50, "p99": timing.p99, "max": timing.max}
    rows.append(Row("an input played, p50 / p99", f"{ms(timing.p50)} / {ms(timing.p99)}"))
    return Outcome("11 understanding", {"understanding": data}, rows)
