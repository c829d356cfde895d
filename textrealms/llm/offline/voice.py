"""How a character is written: pronouns read from the pack, moods from their traits, and
what their body does and how they speak in each mood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textrealms.llm.offline.shaping import listing, unquoted
from textrealms.llm.offline.writer import UnknownId, Writer
from textrealms.world.schema import Npc, WorldPack
from textrealms.world.templates import render


def _npc(pack: WorldPack, ident: str) -> Npc:
    if ident not in pack.npcs:
        raise UnknownId(f"no NPC {ident!r} in this world")
    return pack.npcs[ident]


@dataclass(frozen=True)
class Voice:
    """How a character is written: name, pronouns and the moods their traits suggest."""

    name: str
    subj: str
    """'she', 'he' or 'it' where the pack makes it plain; else the name itself."""
    obj: str
    pos: str
    moods: tuple[str, ...]
    traits: tuple[str, ...]


MOOD_WORDS: dict[str, tuple[str, ...]] = {
    "proud": ("proud", "vain", "ambitious", "disciplined", "elegant", "silken", "smooth"),
    "warm": (
        "kind",
        "warm",
        "gentle",
        "loving",
        "maternal",
        "compassionate",
        "soft-hearted",
        "earnest",
        "hopeful",
    ),
    "fiery": ("hot-headed", "hotheaded", "fierce", "loud", "blustering", "dramatic", "theatric"),
    "wary": (
        "wary",
        "suspicious",
        "watchful",
        "secretive",
        "evasive",
        "private",
        "cold",
        "neutral",
    ),
    "fearful": ("frightened", "coward", "scared", "jumpy", "easily led", "ashamed", "guilt"),
    "steadfast": (
        "stubborn",
        "dutiful",
        "loyal",
        "honest",
        "principled",
        "fair",
        "devout",
        "dogged",
        "protective",
        "brave",
        "unafraid",
        "fearless",
        "patient",
        "competent",
        "precise",
        "careful",
    ),
    "wry": ("dry", "wry", "sardonic", "amused", "sharp-tongued", "funny", "charming", "quick"),
    "calculating": ("mercenary", "greedy", "opportunistic", "calculating", "ruthless", "shrewd"),
    "weary": ("weary", "tired", "grieving", "lonely", "sleep-deprived", "thirsty", "troubled"),
    "chatty": ("chatty", "nosy", "gossip"),
}


def mood_of(trait: str) -> str | None:
    """The mood a personality trait suggests ('hot-headed' is fiery), by its key words."""
    for mood, keywords in MOOD_WORDS.items():
        if any(re.search(rf"\b{re.escape(word)}", trait.lower()) for word in keywords):
            return mood
    return None


def voice(pack: WorldPack, ident: str) -> Voice:
    """The voice of NPC `ident`; pronouns are read from how the pack describes them."""
    person = _npc(pack, ident)
    told = unquoted(person.description).lower()
    she = len(re.findall(r"\b(?:she|her|hers|herself)\b", told))
    he = len(re.findall(r"\b(?:he|his|him|himself)\b", told))
    if she > he:
        subj, obj, pos = "she", "her", "her"
    elif he > she:
        subj, obj, pos = "he", "him", "his"
    elif re.search(r"\bits\b", told):
        subj, obj, pos = "it", "it", "its"
    else:
        subj, obj, pos = person.name, "them", "their"
    moods = tuple(m for m in (mood_of(t) for t in person.personality) if m)
    traits = tuple(t.strip() for t in person.personality if t.strip())
    return Voice(person.name, subj, obj, pos, moods or ("plain",), traits or ("quiet",))


def traits_phrase(w: Writer, v: Voice) -> str:
    return listing(w.sample(v.traits, 2))


# Gestures: what a body does, by mood, as "she ___" and "___ing"


GESTURES: dict[str, tuple[tuple[str, str], ...]] = {
    "proud": (
        ("lifts {pos} chin", "lifting {pos} chin"),
        ("draws up to full height", "drawing up to full height"),
        ("looks at you down the length of {pos} nose", "looking down the length of {pos} nose"),
        ("smooths a sleeve with great care", "smoothing a sleeve with great care"),
    ),
    "warm": (
        ("lays a hand briefly on your arm", "laying a hand briefly on your arm"),
        ("smiles in spite of everything", "smiling in spite of everything"),
        ("lets out a long breath", "letting out a long breath"),
        ("softens around the eyes", "softening around the eyes"),
    ),
    "fiery": (
        ("jabs a finger at the air", "jabbing a finger at the air"),
        ("sets {pos} jaw", "setting {pos} jaw"),
        ("bristles", "bristling"),
        ("raises {pos} voice over everyone else's", "raising {pos} voice over everyone else's"),
    ),
    "wary": (
        ("narrows {pos} eyes", "narrowing {pos} eyes"),
        ("goes very still", "very still"),
        ("glances over {pos} shoulder", "glancing over {pos} shoulder"),
        ("watches you sidelong", "watching you sidelong"),
    ),
    "fearful": (
        ("flinches", "flinching"),
        ("swallows hard", "swallowing hard"),
        ("takes half a step back", "taking half a step back"),
        ("twists {pos} hands together", "twisting {pos} hands together"),
    ),
    "steadfast": (
        ("plants {pos} feet", "feet planted"),
        ("nods once, slowly", "nodding once, slowly"),
        ("folds {pos} arms", "arms folded"),
        ("meets your eye and holds it", "meeting your eye and holding it"),
    ),
    "wry": (
        ("raises an eyebrow", "raising an eyebrow"),
        ("gives a short, dry laugh", "with a short, dry laugh"),
        ("tilts {pos} head", "head tilted"),
        ("almost smiles", "almost smiling"),
    ),
    "calculating": (
        ("weighs you with a look", "weighing you with a look"),
        ("does a quick sum behind {pos} eyes", "doing a quick sum behind {pos} eyes"),
        ("smiles without showing any teeth", "smiling without showing any teeth"),
        ("taps one finger, thinking", "tapping one finger, thinking"),
    ),
    "weary": (
        ("rubs {pos} eyes", "rubbing {pos} eyes"),
        ("sighs", "sighing"),
        ("sags a little", "sagging a little"),
        ("stares at nothing for a moment", "staring at nothing"),
    ),
    "chatty": (
        ("leans in eagerly", "leaning in"),
        ("clicks {pos} tongue", "clicking {pos} tongue"),
        ("is already half-turned to pass it on", "already half-turned to pass it on"),
        ("talks fast and low", "talking fast and low"),
    ),
    "plain": (
        ("pauses", "pausing"),
        ("goes quiet for a moment", "quiet for a moment"),
        ("takes a moment to answer", "taking a moment to answer"),
        ("seems to consider you", "considering you"),
    ),
}
"""`plain` asks nothing of a body, so it also serves those the pack calls 'it'."""

SPEECH_VERBS: dict[str, tuple[str, ...]] = {
    "proud": ("says coolly", "says"),
    "warm": ("says softly", "says"),
    "fiery": ("snaps", "growls"),
    "wary": ("murmurs", "says quietly"),
    "fearful": ("whispers", "says, too quickly"),
    "steadfast": ("says", "says evenly"),
    "wry": ("remarks", "says drily"),
    "calculating": ("says smoothly", "observes"),
    "weary": ("says heavily", "says"),
    "chatty": ("says, a little too loudly", "says"),
    "plain": ("says",),
}


def gesture(w: Writer, v: Voice, mood: str) -> tuple[str, str]:
    """A gesture as a finite verb phrase and as a participle, in `v`'s pronouns."""
    finite, participle = w.pick(GESTURES["plain" if v.subj == "it" else mood])
    return render(finite, {"pos": v.pos}), render(participle, {"pos": v.pos})


def speech_verb(w: Writer, mood: str, stress: float) -> str:
    """How they say it: their mood's way, unless stress has the better of them."""
    if stress >= 0.75:
        return w.pick(("says, too quickly", "says, voice tight"))
    return w.pick(SPEECH_VERBS[mood])
