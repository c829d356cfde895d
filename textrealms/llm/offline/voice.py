"""How a character is written: their pronouns and body from the pack, moods from their
traits (secret ones too, shown only through what they do), and what their body does and
how they speak in each mood.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from textrealms.llm.offline.shaping import listing
from textrealms.llm.offline.writer import UnknownId, Writer
from textrealms.world.kinds import Body
from textrealms.world.persona import Pronouns, agree, pronouns
from textrealms.world.schema import Npc, WorldPack
from textrealms.world.templates import render


def _npc(pack: WorldPack, ident: str) -> Npc:
    if ident not in pack.npcs:
        raise UnknownId(f"no NPC {ident!r} in this world")
    return pack.npcs[ident]


@dataclass(frozen=True)
class Voice:
    """How a character is written: name, pronouns, body and the moods their traits suggest."""

    name: str
    forms: Pronouns
    body: Body
    moods: tuple[str, ...]
    traits: tuple[str, ...]
    """The traits the narrator may state: never a secret one."""

    @property
    def subj(self) -> str:
        return self.forms.subject

    @property
    def obj(self) -> str:
        return self.forms.object

    @property
    def pos(self) -> str:
        return self.forms.possessive

    def does(self, phrase: str) -> str:
        """A verb phrase ("lifts her chin") as it reads after their pronoun."""
        return agree(phrase, self.forms)


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
    """The voice of NPC `ident`, as the pack describes them."""
    person = _npc(pack, ident)
    hidden = person.hidden
    moods = tuple(m for m in (mood_of(t) for t in [*person.personality, *hidden]) if m)
    traits = tuple(t.strip() for t in person.personality if t.strip() and t not in hidden)
    return Voice(
        person.name, pronouns(person), person.body, moods or ("plain",), traits or ("quiet",)
    )


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
        ("gives one slow nod", "with one slow nod"),
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
"""A human body's gestures; `plain` asks little of a body."""

MACHINE_GESTURES: tuple[tuple[str, str], ...] = (
    ("turns {pos} lenses toward you", "lenses turned toward you"),
    ("goes very still", "very still"),
    ("whirs softly", "whirring softly"),
    ("dims for a moment", "dimmed for a moment"),
    ("flickers", "flickering"),
    ("clicks through some inward calculation", "clicking through some inward calculation"),
    ("brightens a little", "brightening a little"),
    ("holds {pos} focus on you", "holding {pos} focus on you"),
    ("pauses, servos ticking", "servos ticking"),
)
"""A machine has a body but no face or hands: lenses, lights, servos."""

VOICE_GESTURES: tuple[tuple[str, str], ...] = (
    ("pauses", "pausing"),
    ("falls silent for a moment", "silent for a moment"),
    ("lowers {pos} voice", "voice lowered"),
    ("lets the silence stretch", "letting the silence stretch"),
    ("crackles faintly", "crackling faintly"),
    ("speaks more slowly", "speaking slowly"),
    ("comes through softer now", "softer now"),
    ("takes a moment to answer", "taking a moment to answer"),
)
"""A voice has no body at all: only what it says and how."""

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
    """A gesture as a finite verb phrase (after their name) and as a participle, that
    their body can make, in their pronouns."""
    table = {"machine": MACHINE_GESTURES, "voice": VOICE_GESTURES}.get(v.body, GESTURES[mood])
    finite, participle = w.pick(table)
    return render(finite, {"pos": v.pos}), render(participle, {"pos": v.pos})


def own_gesture(w: Writer, v: Voice, mood: str, own: Sequence[str]) -> str:
    """A finite gesture: now and then one of the person's own (the pack's), if any."""
    if own and w.chance(0.6):
        return w.pick(own)
    return gesture(w, v, mood)[0]


def speech_verb(w: Writer, mood: str, stress: float) -> str:
    """How they say it: their mood's way, unless stress has the better of them."""
    if stress >= 0.75:
        return w.pick(("says, too quickly", "says, voice tight"))
    return w.pick(SPEECH_VERBS[mood])
