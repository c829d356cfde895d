"""Asking in the shipped worlds: every name a person says can be asked of them, and each
person has an answer in character about each other person (issue 16's ask failures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.asking import refused
from tests.helpers.paths import ROOT
from tests.helpers.rules_game import Game, play, stand
from textrealms.engine.checks import CHECKS
from textrealms.world.loader import check_pack, load_pack
from textrealms.world.persona import fits
from textrealms.world.prose import sentences

WORLDS = sorted((ROOT / "worlds").iterdir())


def beside(game: Game, npc: str) -> None:
    """Stand where `npc` is."""
    stand(game, game.state.npcs[npc].location)


@pytest.mark.parametrize("folder", WORLDS, ids=lambda f: f.name)
def test_every_name_a_person_says_can_be_asked_of_them(folder: Path) -> None:
    assert check_pack(folder, CHECKS)[1] == []


@pytest.mark.parametrize("folder", WORLDS, ids=lambda f: f.name)
def test_each_person_answers_about_each_other_in_character(folder: Path) -> None:
    pack = load_pack(folder)
    game = Game(pack, seed=1)
    for asked, npc in pack.npcs.items():
        beside(game, asked)
        for other in pack.npcs.values():
            if other is npc:
                continue
            answer = play(
                game, f"ask {npc.aliases[0] if npc.aliases else asked} about {other.name}"
            )
            assert answer and not refused(answer, pack), (asked, other.name, answer)
            own = [line for line in sentences(answer) if other.name not in line]
            assert fits(" ".join(own), npc.body), (asked, answer)  # told of them, not the other


@pytest.mark.parametrize(
    ("world", "npc", "command", "said"),
    [
        ("emberfall", "hobb", "ask hobb about wenna", "Everyone knows what Wenna Rooke is"),
        ("kestrel-station", "brandt", "ask brandt about fuel", "thruster gallery"),
        ("emberfall", "maud", "ask maud about provost", "Aurelian Vesk has been Provost"),
        ("rainmouth", "lark", "ask lark about roses", "She glances at the roses"),
        ("rainmouth", "deacon", "ask deacon about lamplighters", "Madame's people"),
    ],
)
def test_what_a_person_names_can_be_asked_about(
    world: str, npc: str, command: str, said: str
) -> None:
    """Issue 16: each of these was refused by someone who had just named it."""
    game = Game(load_pack(ROOT / "worlds" / world), seed=1)
    beside(game, npc)
    assert said in play(game, command)


def test_asking_about_what_only_someone_not_met_knows_is_never_a_blank_line() -> None:
    """Blind play, round 4: `ask bettris about the sickness` printed an empty line (the
    one who knows, Wenna, not met yet, and nothing else to say)."""
    game = Game(load_pack(ROOT / "worlds" / "emberfall"), seed=1)
    stand(game, "tavern")
    said = play(game, "ask bettris about the sickness")
    assert said.strip() and "sickness" in said


def test_a_reply_is_not_told_twice_word_for_word() -> None:
    """Blind play, round 4: Auntie Sol gave the same speech about Danny to "harmonica",
    "danny kell" and "where is danny's body?"; Calloway's "He's with me, Hal" came three
    times. Asked again in the same state, a person says they have said their piece."""
    game = Game(load_pack(ROOT / "worlds" / "emberfall"), seed=1)
    stand(game, "village_green")
    first = play(game, "ask hobb about the witch")
    again = play(game, "ask hobb about the witch")
    assert first.strip() and again.strip()
    assert again not in first and first not in again
    assert "witch" in again
