"""Asking anyone about anything: a person's own topics by key or alias, anything of the
pack by name (which one of their topics may stand for), else what the game knows, in
their person and never the same way twice in a row; and the engine's checks of a pack
(the verbs an `on` table answers, what people name that cannot be asked about)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers.asking import refused
from tests.helpers.paths import ROOT, TESTVALE
from tests.helpers.rules_game import Game, play
from textrealms.engine import topics
from textrealms.engine.checks import CHECKS
from textrealms.engine.interpret import topics as interpreted
from textrealms.engine.mentions import mentions
from textrealms.world.loader import check_pack, load_pack
from textrealms.world.persona import fits
from textrealms.world.problems import PackError
from textrealms.world.schema import WorldPack


def test_what_a_phrase_asks_about(pack: WorldPack) -> None:
    lantern = topics.subject(pack, "oda", "lantern")
    assert lantern is not None and lantern.topic == "lantern"
    assert topics.subject(pack, "oda", "the lanterns") == topics.Subject("lantern")
    bren = topics.subject(pack, "oda", "bren")
    assert bren is not None and (bren.topic, bren.about) == (
        "bren",
        topics.Ref("npc", "bren", "Bren"),
    )
    mira = topics.subject(pack, "oda", "what mira thinks")
    assert (
        mira is not None and mira.topic is None and mira.about == topics.Ref("npc", "mira", "Mira")
    )
    assert topics.subject(pack, "oda", "xyzzy") is None
    me = topics.subject(pack, "oda", "me")
    assert me is not None and me.about is not None and me.about.kind == "player"
    tower = topics.subject(pack, "mira", "tower")
    assert tower is not None and tower.elsewhere == ("bren",)  # Bren has words for it


def test_a_topic_stands_for_what_its_key_names(pack: WorldPack) -> None:
    """Bren's topic is "tower", so asking him about the Lantern Tower is asking about it."""
    found = topics.subject(pack, "bren", "lantern tower")
    assert found is not None and found.topic == "tower"


def test_people_answer_from_what_they_know(game: Game) -> None:
    assert play(game, "ask bren about mira") != ""
    assert not refused(play(game, "ask mira about bren"))
    opposite = play(game, "ask bren about oda")
    assert "opposite sides of the tower feud" in opposite or "neither will give way" in opposite
    assert "the way to the Low Inn: east." in play(game, "ask bren about the inn")
    guild = play(game, "ask mira about the guild")
    assert "Bren" in guild
    play(game, "e")
    assert "red apple" in play(game, "ask oda about apple")  # she wants it
    assert play(game, "ask oda about the inn").startswith("Oda knows the Low Inn well")


def test_an_answer_is_not_told_the_same_way_twice_running(game: Game) -> None:
    first = play(game, "ask mira about bren")
    second = play(game, "ask mira about bren")
    assert first != second


def test_nobody_has_never_heard_of_someone_here(game: Game) -> None:
    for person in ("oda", "bren", "mira"):
        game.state = game.state.model_copy(update={"location": game.pack.npcs[person].location})
        for other in ("oda", "bren", "mira"):
            assert not refused(play(game, f"ask {person} about {other}")), (person, other)


def test_answers_fit_the_person(ferry: WorldPack) -> None:
    game = Game(ferry, seed=2)
    play(game, "n")
    for _ in range(4):
        assert fits(play(game, "ask lamp about tam"), "machine")
    play(game, "s")
    answer = play(game, "ask tam about vell")
    assert " He " in answer or answer.startswith("Tam")
    assert " They " not in answer


def test_what_lines_name() -> None:
    said = (
        'Hobb glares. "Ask me about Tamsin, the granary, the witch. And old Ned Tull.'
        " Ask useful questions. Fuel. Nav. The locker. Don't ask me how I feel."
        " They call it 'savoury', on Friday.\""
    )
    assert mentions(said) == [
        "Tamsin",
        "Ned Tull",
        "savoury",
        "granary",
        "witch",
        "Fuel",
        "Nav",
        "locker",
    ]


def test_what_is_not_a_name() -> None:
    assert mentions("\"Ask away. There's always more, and it's always worse.\"") == []
    assert mentions('"Ask me about the release, and then choose."') == ["release"]
    assert mentions("She goes still. \"That's C. That's the one.\"") == []


def copy(tmp_path: Path) -> Path:
    """A copy of Test Vale to change."""
    folder = tmp_path / "testvale"
    shutil.copytree(TESTVALE, folder)
    return folder


def test_a_verb_the_game_does_not_have_is_an_error(tmp_path: Path) -> None:
    world = copy(tmp_path)
    text = (world / "world.toml").read_text().replace("format = 1", "format = 2")
    (world / "world.toml").write_text(text)
    with (world / "things.toml").open("a") as things:
        things.write(
            '[[items.statue.on.opne]]\ntext = "No."\n[[items.statue.on.wait]]\ntext = "No."\n'
        )
    assert load_pack(world).items["statue"].on.keys() == {"opne", "wait"}
    with pytest.raises(PackError) as caught:
        load_pack(world, CHECKS)
    assert [str(p).replace(str(world), "<pack>") for p in caught.value.problems] == [
        "<pack>/things.toml: items.statue.on.opne: no verb 'opne' that is done to something "
        "(did you mean 'open'?)",
        "<pack>/things.toml: items.statue.on.wait: no verb 'wait' that is done to something",
    ]


def test_what_people_name_and_cannot_be_asked_about_is_a_warning(tmp_path: Path) -> None:
    folder = copy(tmp_path)
    assert check_pack(folder, CHECKS)[1] == []
    text = (folder / "people.toml").read_text()
    civil = 'greeting = "Mira smiles. \\"Let\'s keep this civil.\\""'
    assert civil in text
    said = "greeting = '\"Ask me about the Old Mill, or Bren.\"'"
    (folder / "people.toml").write_text(text.replace(civil, said))
    warnings = [str(w).replace(str(folder), "<pack>") for w in check_pack(folder, CHECKS)[1]]
    assert warnings == [
        "<pack>/people.toml: npcs.mira.greeting: names 'Old Mill', which Mira cannot be asked "
        "about (give one of their topics that alias)"
    ]


@pytest.mark.parametrize("world", ["emberfall", "kestrel-station", "rainmouth"])
def test_the_interpreter_and_the_rules_name_the_same_topic(world: str) -> None:
    """One resolver: every name the rules can be asked about, the interpreter reads as
    the same thing (it kept its own table, without conflicts and events, before)."""
    pack = load_pack(ROOT / "worlds" / world)
    for _, names in topics.refs(pack):
        for name in names:
            found = topics.named(pack, name)
            assert found is not None
            best = found[0]
            assert interpreted.identity(pack, None, name) == f"{best.kind}:{best.id}", name
