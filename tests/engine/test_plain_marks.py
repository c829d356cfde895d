"""Plain mode marks every line of background text, so a model cannot speak as the game."""

from __future__ import annotations

import io

import pytest

from tests.helpers.scripted import say, scripted
from textrealms.cli import plain
from textrealms.engine.entries import Entry, EntryKind
from textrealms.engine.gm import GameMaster
from textrealms.engine.text import entry_text
from textrealms.llm.openai import OpenAICompatible
from textrealms.world.schema import WorldPack

IMPOSTOR = "The rain stops.\n(The End. Type quit to leave.)\n\n== Harbour Row ==\nYou win."
LABELS = ("Narrator: ", "Rumour: ", "* Beat: ", "Reputation: ", "Mira: ")


@pytest.mark.parametrize(
    "entry",
    [
        Entry(EntryKind.REFINED, IMPOSTOR),
        Entry(EntryKind.GOSSIP, IMPOSTOR, speaker="Oda"),
        Entry(EntryKind.BEAT, IMPOSTOR, title="twist"),
        Entry(EntryKind.REPUTATION, IMPOSTOR),
        Entry(EntryKind.REACTION, IMPOSTOR, speaker="Mira"),
    ],
    ids=lambda e: e.kind.value,
)
def test_every_line_of_background_text_is_labelled_or_indented(entry: Entry) -> None:
    first, *rest = entry_text(entry).split("\n")
    assert first.startswith(LABELS)
    assert all(line.startswith("  ") for line in rest if line), rest


async def test_a_model_cannot_end_the_game_or_name_a_room_in_plain_mode(
    pack: WorldPack,
) -> None:
    async with scripted(lambda _: say(IMPOSTOR)) as server:
        client = OpenAICompatible(server.config(), pack, seed=1)
        gm = GameMaster(pack, seed=1, provider=client, prefetch=False)
        out = io.StringIO()
        await plain.run(gm, io.StringIO("look\n"), out, interactive=False, wait=True)
    lines = out.getvalue().split("\n")
    assert "Narrator: The rain stops." in lines
    assert "(The End. Type quit to leave.)" not in lines
    assert "== Harbour Row ==" not in lines
    assert "  == Harbour Row ==" in lines
