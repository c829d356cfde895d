"""Each turn's state stored against a keyframe (save format 6): every state reads back as
it was written, wherever its turn falls between keyframes, through rewrites, undo and a
store opened anew; undo crosses a keyframe; the export is the transcript main printed;
and nothing is written once the story has ended."""

from __future__ import annotations

import asyncio
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.paths import ROOT, TESTS
from tests.helpers.played import new_played, turn_of
from tests.helpers.rules_game import Game
from tests.helpers.save_files import query
from tests.helpers.waiting import TIMEOUT
from textrealms.cli import plain
from textrealms.engine.gm import GameMaster
from textrealms.engine.session import Session
from textrealms.engine.transcript import render
from textrealms.store.database import FILENAME, SaveStore
from textrealms.store.frames import EVERY
from textrealms.world.loader import load_pack
from textrealms.world.saved import SavedLine, SavedTurn
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState

EMBER_NIGHT = TESTS / "routes" / "emberfall" / "ember_night.txt"
ROUTES = [
    TESTS / "routes" / "emberfall" / "ember_night.txt",
    TESTS / "routes" / "kestrel-station" / "testimony.txt",
    TESTS / "routes" / "rainmouth" / "thirty_pieces.txt",
]


@pytest.fixture(scope="module")
def emberfall() -> WorldPack:
    return load_pack(ROOT / "worlds" / "emberfall")


@pytest.fixture(scope="module")
def route(emberfall: WorldPack) -> list[GameState]:
    """The states route ember_night goes through on seed 1, one a turn, by the rules."""
    game = Game(emberfall, seed=1)
    states = [game.state]
    for command in EMBER_NIGHT.read_text().splitlines():
        for step in game.submit(command).steps:
            if step.state.turn == states[-1].turn + 1:
                states.append(step.state)
    return states


def _turn(state: GameState, turn: int, late: int = 0) -> SavedTurn:
    """Turn `turn` with `state` (renumbered), and `late` entries that came after it."""
    lines = tuple(SavedLine(job, "refined", f"late {job}") for job in range(late))
    return SavedTurn(turn, "go", (SavedLine(-1, "narration", f"turn {turn}"), *lines), state)


OPS = st.lists(
    st.tuples(
        st.sampled_from(["play", "play", "play", "play", "undo", "hint", "late", "reopen"]),
        st.integers(min_value=0, max_value=EVERY + 3),
    ),
    min_size=1,
    max_size=150,
)


@settings(max_examples=25)
@given(ops=OPS)
def test_every_state_of_a_route_reads_back_as_written(
    route: list[GameState], ops: list[tuple[str, int]]
) -> None:
    """Played, undone, hinted, rewritten by late entries, the store closed and opened
    again: the states read back are the ones last written, turn by turn."""
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_replay(Path(folder), route, ops))


async def _replay(folder: Path, route: list[GameState], ops: list[tuple[str, int]]) -> None:
    store = await SaveStore.open(folder)
    name = (await store.create(route[0])).name
    store.record(name, _turn(route[0], 0), "here")
    written = {0: route[0]}
    step = 0
    for op, n in ops:
        tip = max(written)
        if op == "play":
            step += 1
            state = route[step % len(route)].model_copy(update={"turn": tip + 1})
            written[tip + 1] = state
            store.record(name, _turn(state, tip + 1), "here")
        elif op == "undo":
            back = max(0, tip - n)
            store.truncate(name, back, "here")
            written = {t: s for t, s in written.items() if t <= back}
        elif op == "hint":
            written[tip] = written[tip].model_copy(update={"hints": {f"q#{n}": n + 1}})
            store.restate(name, tip, written[tip])
        elif op == "late":
            turn = max(0, tip - n)
            store.record(name, _turn(written[turn], turn, late=n % 3 + 1), "here")
        else:
            await store.aclose()
            store = await SaveStore.open(folder)
            await store.slot(name)
    resumed = await store.resume(name, keep=len(written))
    await store.aclose()
    assert resumed.lost == ()
    assert dict(resumed.recent) == written


async def test_resume_reads_back_at_every_offset_from_a_keyframe(
    tmp_path: Path, route: list[GameState]
) -> None:
    store = await SaveStore.open(tmp_path)
    name = (await store.create(route[0])).name
    for tip in range(3 * EVERY + 2):
        state = route[tip % len(route)].model_copy(update={"turn": tip})
        store.record(name, _turn(state, tip), "here")
        for keep in (0, 3, 50):
            resumed = await store.resume(name, keep=keep)
            assert [t for t, _ in resumed.recent] == list(range(max(0, tip - keep), tip + 1))
            assert resumed.recent[-1][1] == state
    await store.aclose()
    assert query(tmp_path / FILENAME, "SELECT turn FROM keyframes") == [(0,), (32,), (64,), (96,)]


async def test_undo_crosses_a_keyframe_and_the_game_resumes_as_played(
    tmp_path: Path, pack: WorldPack
) -> None:
    store = await SaveStore.open(tmp_path)
    game = await new_played(store, GameMaster(pack, seed=4, prefetch=False))
    played = {0: game.session.state}
    for command in [*["wait", "e", "w"] * 12, *["undo"] * 8, "e", "wait", "w", "wait"]:
        await game.play(command)
        state = game.session.state
        played = {t: s for t, s in played.items() if t < state.turn} | {state.turn: state}
    assert sorted(played) == list(range(33))  # 36 turns, back to 28 over keyframe 32, on to 32
    await game.aclose()
    resumed = await store.resume("game-1")
    story = await store.story("game-1")
    await store.aclose()
    assert dict(resumed.recent) == played
    assert [t.turn for t in story] == list(range(33))
    assert [t.command for t in story[29:]] == ["e", "wait", "w", "wait"]
    frames = query(tmp_path / FILENAME, "SELECT turn FROM keyframes ORDER BY turn")
    assert frames == [(0,), (32,)]  # 32 made again after the undo forgot it


@pytest.mark.parametrize("path", ROUTES, ids=[p.parent.name for p in ROUTES])
async def test_the_export_of_a_route_is_what_main_printed(tmp_path: Path, path: Path) -> None:
    """Route transcripts in tests/golden were printed by main's plain mode; a game saved as
    it is played exports the same words, turn for turn."""
    pack = load_pack(ROOT / "worlds" / path.parent.name)
    store = await SaveStore.open(tmp_path)
    gm = GameMaster(pack, seed=2)
    session = Session(gm, store, slot=(await store.create(gm.state)).name)
    out = io.StringIO()
    await plain.run(session, io.StringIO(path.read_text()), out, interactive=False, wait=True)
    await session.aclose()
    story = await store.story("game-1")
    await store.aclose()
    expected = (TESTS / "golden" / path.parent.name / f"{path.stem}.seed2.txt").read_text()
    assert out.getvalue() == expected
    assert render("TextRealms: game-1", story, "txt") == "TextRealms: game-1\n\n" + expected


async def test_nothing_is_written_once_the_story_has_ended(
    tmp_path: Path, emberfall: WorldPack
) -> None:
    store = await SaveStore.open(tmp_path)
    game = await new_played(store, GameMaster(emberfall, seed=2, prefetch=False))
    await game.play(*EMBER_NIGHT.read_text().splitlines())
    assert game.session.state.ending == "ember_night"
    await store.flush()
    tables = ("games", "turns", "keyframes")
    before = [query(tmp_path / FILENAME, f"SELECT * FROM {t}") for t in tables]
    await game.play("look", "hint", "wait", "escalate", "n", "take bill", "again", "quests")
    await asyncio.wait_for(store.flush(), TIMEOUT)
    assert [query(tmp_path / FILENAME, f"SELECT * FROM {t}") for t in tables] == before
    await game.aclose()
    await store.aclose()


async def test_a_turn_costs_a_few_hundred_bytes(tmp_path: Path, route: list[GameState]) -> None:
    """A count, not a timing: the rows of a route's states, stored against keyframes, are
    far smaller than whole states (about 1.8 kB each compressed)."""
    store = await SaveStore.open(tmp_path)
    name = (await store.create(route[0])).name
    for turn, state in enumerate(route):
        store.record(name, turn_of(state, turn), "here")
    await store.aclose()
    ((states,),) = query(tmp_path / FILENAME, "SELECT sum(length(state)) FROM turns")
    ((frames,),) = query(tmp_path / FILENAME, "SELECT sum(length(state)) FROM keyframes")
    assert isinstance(states, int) and isinstance(frames, int)
    assert (states + frames) / len(route) < 600
