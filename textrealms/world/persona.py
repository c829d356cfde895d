"""A person as the story writes them: their pronouns, the verb that agrees with them, and
what their body can do, so that no generated line calls everyone "their" or gives a ring
of lenses fists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textrealms.world.kinds import Body
from textrealms.world.schema import Npc


@dataclass(frozen=True, slots=True)
class Pronouns:
    subject: str
    object: str
    possessive: str
    plural: bool
    """Whether a verb after the subject takes the plural form ("they flinch")."""


FORMS: dict[str, Pronouns] = {
    "she": Pronouns("she", "her", "her", plural=False),
    "he": Pronouns("he", "him", "his", plural=False),
    "they": Pronouns("they", "them", "their", plural=True),
    "it": Pronouns("it", "it", "its", plural=False),
}


def pronouns(npc: Npc) -> Pronouns:
    return FORMS[npc.pronouns]


def placeholders(npc: Npc) -> dict[str, str]:
    """The template values about a person: `{npc}` and their pronouns `{their}`, `{them}`."""
    forms = pronouns(npc)
    return {"npc": npc.name, "their": forms.possessive, "them": forms.object}


_IRREGULAR = {"is": "are", "has": "have", "does": "do", "goes": "go", "was": "were"}
_HEDGES = frozenset({"almost", "already", "barely", "half", "just", "never", "only", "still"})
"""Words that may come before the verb of a gesture ("almost smiles")."""


def agree(phrase: str, forms: Pronouns) -> str:
    """A verb phrase written after "she" ("meets your eye and holds it") as it reads
    after `forms`: each verb that opens the phrase or follows "and"."""
    if not forms.plural:
        return phrase
    words = phrase.split(" ")
    verb = True
    for i, word in enumerate(words):
        if verb and not (word in _HEDGES or word.endswith("ly")):
            words[i] = _plural(word)
            verb = False
        verb = verb or word == "and"
    return " ".join(words)


def _plural(verb: str) -> str:
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith(("ches", "shes", "sses", "xes", "zes", "oes")):
        return verb[:-2]
    if verb.endswith("s") and not verb.endswith("ss"):
        return verb[:-1]
    return verb


_FACE_AND_HANDS = (
    r"hands?|fists?|fingers?|palms?|knuckles?|arms?|elbows?|shoulders?|face|cheeks?|"
    r"eyes?|eyebrows?|brows?|jaw|chin|lips?|mouth|teeth|nose|tongue|throat|feet|foot|"
    r"legs?|knees?|heels?|toes?|head|neck|hair|skin|breath\w*|sigh\w*|sweat\w*|blush\w*|"
    r"holsters?|sleeves?|cuffs?|pockets?|coat|smil\w+|grin\w*|laugh\w*|nod\w*|shrug\w*|"
    r"frown\w*|winc\w+|flinch\w*|spit\w*|swallow\w*|kneel\w*|sits?|sitting|brandish\w*|"
    r"clench\w*|lick\w*|wip\w+|mops?|slams?|jabs?|pats?|tugs?|rubs?|folds?|squint\w*|"
    r"blink\w*|scowl\w*|glar\w+|weep\w*|tears?|sob\w*|cry|cries"
)
_BODY = r"stands?|standing|steps?|stepping|walks?|turns?|turning|leans?|leaning|" + (
    r"watch(?:es|ing|ed)?|looks?|looking|glanc(?:es|ing|ed)|star(?:es|ing|ed)|still|sags?|"
    r"bristl(?:es|ing|ed)|plants?|moves?|moving|halfway|lens(?:es)?|lights?|servos?|"
    r"whir\w*|flicker\w*"
)
_NO_FACE = re.compile(rf"\b(?:{_FACE_AND_HANDS})\b", re.IGNORECASE)
_NO_BODY = re.compile(rf"\b(?:{_FACE_AND_HANDS}|{_BODY})\b", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')


def fits(text: str, body: Body) -> bool:
    """Whether a generated line suits a body: a machine has no face or hands, a voice no
    body at all. What the person says aloud (in quotes) is not a gesture, so it is free."""
    if body == "human":
        return True
    told = _QUOTED.sub(" ", text)
    return not (_NO_FACE if body == "machine" else _NO_BODY).search(told)
