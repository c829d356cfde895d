"""One rule makes text safe to show, whoever wrote it: the pack, the player or a model."""

from __future__ import annotations

from textrealms.llm.clean import clean


def test_escape_sequences_and_control_characters_go_and_newlines_stay() -> None:
    text = "a\x1b[31mred\x1b[0m\r\nb\x1b]0;title\x07c\x00d\x9be"
    assert clean(text) == "ared\nbcde"


def test_a_tab_is_one_space_so_cleaning_never_lengthens_text() -> None:
    assert clean("look\tnorth\t\tnow") == "look north  now"
    assert all(len(clean(s)) <= len(s) for s in ("\t", "a\tb", "\r\n\t", "\x1b[2J\t"))
