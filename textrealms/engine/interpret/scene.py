"""Where the player stands, as the interpreter reads a line: what is in reach for each
kind of slot, who is here, and what a pronoun or "the woman" can mean."""

from __future__ import annotations

from functools import cached_property

from textrealms.engine import scope
from textrealms.engine.scope import Thing
from textrealms.engine.turn import PRONOUNS
from textrealms.engine.verbs.verb import Kind
from textrealms.world.persona import pronouns
from textrealms.world.schema import Location, WorldPack
from textrealms.world.state import GameState

HERE = frozenset({"room", "here", "around", "area"})
"""Words the rules read as where the player stands (`examine room`)."""
PLACE_WORDS = HERE | {"place", "surroundings", "air"}
"""Words for where the player stands: "search the room" searches here, "smell the air"
smells it."""

PERSON_WORDS: dict[str, str | None] = {
    "guy": "he",
    "man": "he",
    "fellow": "he",
    "gentleman": "he",
    "bloke": "he",
    "chap": "he",
    "woman": "she",
    "lady": "she",
    "person": None,
    "someone": None,
    "somebody": None,
}
"""Words for a person here, with the pronoun they imply, if any."""

_FORMS = {"him": "he", "his": "he", "he": "he", "her": "she", "she": "she", "hers": "she"}


class Scene:
    """The game as it stands when a line is read; what it works out is kept for the line."""

    def __init__(self, pack: WorldPack, state: GameState) -> None:
        self.pack = pack
        self.state = state

    @property
    def location(self) -> Location:
        return self.pack.locations[self.state.location]

    @cached_property
    def people(self) -> list[Thing]:
        return scope.people(self.pack, self.state)

    @cached_property
    def carried(self) -> list[Thing]:
        return scope.carried(self.pack, self.state)

    @cached_property
    def reachable(self) -> list[Thing]:
        return scope.reachable(self.pack, self.state)

    def candidates(self, kind: Kind) -> list[Thing]:
        """What a slot of `kind` can name here."""
        if kind is Kind.CARRIED:
            return self.carried
        if kind is Kind.PERSON:
            return self.people
        return self.reachable

    def is_place(self, words: list[str], *, loose: bool = False) -> bool:
        """Whether `words` name where the player stands, as the rules read it ("the room",
        the place's name); `loose`, also by some of its name ("the squad room")."""
        name = scope.words(self.location.name)
        if not words:
            return False
        if loose:
            return all(w in PLACE_WORDS or w in name for w in words)
        return (len(words) == 1 and words[0] in HERE) or words == name

    def referent(self, word: str, among: list[Thing]) -> list[Thing]:
        """Who or what a pronoun or a word for a person means among `among`: the thing last
        spoken of, else the people here it fits; empty if it is no such word."""
        last = self.state.context.last_noun
        if word in PRONOUNS or word in _FORMS:
            same = [t for t in among if t.id == last]
            if same and word in PRONOUNS:
                return same
        if word not in _FORMS and word not in PERSON_WORDS and word not in ("them", "they"):
            return []
        people = [t for t in among if t.kind == "npc"]
        form = _FORMS.get(word) or PERSON_WORDS.get(word)
        if form is not None:  # "give her the harmonica" where only Deacon stands: no one
            said = {p: pronouns(self.pack.npcs[p.id]).subject for p in people}
            fitting = [p for p in people if said[p] == form]
            return fitting or [p for p in people if said[p] == "they"]  # a pack's unsaid
        return people
