"""How a model is asked for structured answers, stepping down as it fails to give them.

The modes, best first: `json_schema` (the server holds the model to the schema),
`json_object` (the schema in the prompt, the server makes the answer JSON), `fenced` (the
schema in the prompt, the JSON found in whatever the model writes), and then none: that
kind of answer comes from the offline rules. A server that refuses a `response_format`
is stepped down at once. An answer that is not JSON, or not the schema's shape, steps
down too, until a mode has given a usable answer once; after that a bad answer is just
a bad answer. A kind that fails in the last mode, and has never worked, is not asked
again.
What works is kept for as long as the provider lives: one game's session.
"""

from __future__ import annotations

from typing import Literal

Mode = Literal["json_schema", "json_object", "fenced"]
MODES: tuple[Mode, ...] = ("json_schema", "json_object", "fenced")


class Ladder:
    def __init__(self) -> None:
        self.mode: Mode = MODES[0]
        """The mode asked in now. Every server starts at json_schema: llama.cpp's enforces
        it with a grammar, where json_object only makes a model write some object."""
        self.proven = False
        """Whether `mode` has given a usable answer."""
        self.working: set[str] = set()
        """Task kinds that have had a usable answer."""
        self.given_up: set[str] = set()
        """Task kinds the model is asked for no more."""

    def refused(self, mode: Mode) -> bool:
        """The server refused `mode`'s `response_format`: step down, and say whether the
        next mode is worth asking in now (False: there was none below)."""
        if mode == MODES[-1]:
            return False
        if mode == self.mode:
            self.mode = MODES[MODES.index(mode) + 1]
            self.proven = False
        return True

    def unusable(self, kind: str, mode: Mode) -> None:
        """An answer of `kind`, asked in `mode`, could not be used."""
        if mode != self.mode:
            return  # another call has stepped down already
        if mode == MODES[-1]:
            if kind not in self.working:
                self.given_up.add(kind)
        elif not self.proven:
            self.mode = MODES[MODES.index(mode) + 1]

    def worked(self, kind: str, mode: Mode) -> None:
        self.working.add(kind)
        if mode == self.mode:
            self.proven = True
