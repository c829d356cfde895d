"""Long games of every shipped world, by a fixed 300-command script each (moves, looks,
talks, asks, conflict choices, waits), played with the offline narrator: the story does
not repeat itself, comes back to a room in short, and never shows the engine's words for a
person's part in a conflict, or a trait the pack keeps secret.

The scripts in `tests/repetition/` are committed with this test; each game must still be
going after its last command.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT, TESTS
from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.events import DramaticBeat, NpcReaction
from textrealms.engine.gm import GameMaster
from textrealms.engine.text import entry_text
from textrealms.world.loader import load_pack
from textrealms.world.schema import DIRECTIONS, STAKEHOLDER_ROLES, WorldPack
from textrealms.world.story import UNTIL

SCRIPTS = sorted((TESTS / "repetition").glob("*.txt"))
COMMANDS = 300
CHOICES = frozenset(
    {"escalate", "de-escalate", "negotiate", "submit", "resist", "support", "oppose"}
)
MOST = 2
"""How often one beat or reaction sentence may be told in a game."""

_END = re.compile(r"(?<=[.!?])[\"”']*\s+")
_ABBREVIATED = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|St|Mt|[A-Z])\.[\"”']*$")


def sentences(text: str) -> list[str]:
    """Split at . ! ? (not after a title such as "Dr."), quotes and case ignored."""
    out: list[str] = []
    for part in _END.split(text.strip()):
        if out and _ABBREVIATED.search(out[-1]):
            out[-1] += " " + part
        else:
            out.append(part)
    return [re.sub(r"[\"“”]", "", s).strip().lower() for s in out if s.strip()]


@dataclass(frozen=True)
class Played:
    pack: WorldPack
    commands: list[str]
    told: list[str]
    """Every beat and reaction, as told."""
    shown: list[tuple[str, Entry]]
    """Every entry the player read, with the command it answered."""
    ended: bool
    turns: int


@cache
def played(script: Path) -> Played:
    return asyncio.run(_play(script))


async def _play(script: Path) -> Played:
    pack = load_pack(ROOT / "worlds" / script.stem)
    commands = script.read_text().splitlines()
    gm = GameMaster(pack, seed=1, prefetch=False)
    told: list[str] = []
    shown: list[tuple[str, Entry]] = [("", e) for e in gm.opening()]
    stream = gm.events()

    async def listen() -> None:
        async for event in stream:
            if isinstance(event, NpcReaction | DramaticBeat):
                told.append(event.text)
            entry = event.entry()
            if entry is not None:
                shown.append(("", entry))

    listener = asyncio.create_task(listen())
    try:
        await gm.settled()
        for command in commands:
            result = gm.submit(command)
            shown += [(command, e) for e in result.entries]
            await gm.settled()
        ended = gm.state.ending is not None
        turns = gm.state.turn
    finally:
        await gm.aclose()
        await listener
    return Played(pack, commands, told, shown, ended, turns)


@pytest.fixture(params=SCRIPTS, ids=[s.stem for s in SCRIPTS])
def game(request: pytest.FixtureRequest) -> Played:
    return played(request.param)


def test_every_shipped_world_has_a_script() -> None:
    assert {s.stem for s in SCRIPTS} == {p.name for p in (ROOT / "worlds").iterdir()}


def test_the_script_plays_to_its_end(game: Played) -> None:
    assert len(game.commands) == COMMANDS
    kinds = Counter(c.split()[0] for c in game.commands)
    for verb in ("look", "talk", "ask", "wait"):
        assert kinds[verb] > 0, verb
    assert sum(kinds[d] for d in DIRECTIONS) > 0
    assert len(CHOICES & set(kinds)) >= 3
    assert not game.ended
    assert game.turns == COMMANDS


def test_no_beat_or_reaction_sentence_is_told_more_than_twice(game: Played) -> None:
    assert len(game.told) > 50
    counts = Counter(s for text in game.told for s in sentences(text))
    repeated = {s: n for s, n in counts.items() if n > MOST}
    assert not repeated, repeated


def shown_as(text: str) -> str:
    """A pattern for a description as the player reads it: each countdown is a time."""
    parts = UNTIL.split(text)
    return "".join(r"\d+:\d\d" if i % 2 else re.escape(part) for i, part in enumerate(parts))


def test_coming_back_to_a_room_shows_it_in_short(game: Played) -> None:
    rooms = [(c, e) for c, e in game.shown if e.kind is EntryKind.ROOM]
    names = {loc.name: loc for loc in game.pack.locations.values()}

    def full(entry: Entry) -> bool:
        description = names[entry.title or ""].description
        return re.fullmatch(shown_as(description), entry.text.splitlines()[0]) is not None

    short = [e for c, e in rooms if not full(e)]
    looked = [e for c, e in rooms if c in ("look", "l")]
    assert short
    assert looked
    for entry in short:
        first = entry.text.splitlines()[0]
        assert re.search(shown_as(names[entry.title or ""].glimpse) + r"\Z", first)
        assert len(first) < len(names[entry.title or ""].description) + 40
    for entry in looked:
        assert full(entry)


def test_no_role_name_or_secret_trait_is_told(game: Played) -> None:
    prose = " ".join(_strings(game.pack.model_dump(mode="json"))).lower()
    roles = [r for r in STAKEHOLDER_ROLES if not re.search(rf"\b{r}s?\b", prose)]
    secrets = {t.lower() for npc in game.pack.npcs.values() for t in npc.hidden}
    text = "\n".join(entry_text(e) for _, e in game.shown).lower()
    for role in roles:
        assert not re.search(rf"\b{role}s?\b", text), role
    for secret in secrets:
        assert secret not in text, secret


SETTINGS = frozenset({"stakeholders", "social_role", "personality", "secrets"})
"""Pack keys that name the engine's parts and traits, not prose the player reads."""


def _strings(data: object) -> list[str]:
    """The pack's prose: every string in it but the settings above."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    if isinstance(data, dict):
        return [s for k, v in data.items() if k not in SETTINGS for s in _strings(v)]
    return []
