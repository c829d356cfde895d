"""The offline narrator's writing: prose composed from the task and the world pack.

Every choice is drawn from one `Dice`, so the same task, seed and pack always give the
same words. Facts come from the pack (names, descriptions, lexicon, personalities,
template variants); the phrasing comes from small sets of frames kept here, written to
be world-neutral so that the pack's own flavour carries each world's voice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from string import Formatter
from typing import TypeVar

from textrealms.llm.schemas import MAX_LINE
from textrealms.llm.tasks import Beat, Describe, Narrate, React, Rumour
from textrealms.world.defaults import DEFAULT_TEMPLATES
from textrealms.world.rng import Dice
from textrealms.world.schema import Npc, WorldPack
from textrealms.world.templates import render

T = TypeVar("T")

_FORMATTER = Formatter()
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”']?\s+(?=[\"“]?[A-Z])")
_SPLIT_SENTENCES = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”]))\s+(?=[\"“]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\bDr|\bMr|\bMrs|\bMs|\bSt|\bMt)\.$")
_OPENS_SENTENCE = re.compile(r"[.!?][\"”]?\s+[\"“]?$")
_PUNCT_RUN = re.compile(r"([.!?,;:])(?:\s*[.,;:])+")
_SPACE_BEFORE = re.compile(r"\s+([.,;:!?])")
_SPACES = re.compile(r"[ \t]+")

ARTICLES = ("a", "an", "the")
PRONOUNS = frozenset({"obj", "pos"})
"""Slots that only refer back to a name, so they never count as naming anyone."""
PERSON_DETAIL_LIMIT = 170
DESCRIBE_LIMIT = 580
"""A room stays one line, under `MAX_LINE` with room to spare."""


class UnknownId(LookupError):
    """A task named something the pack does not have; the provider turns it into an error."""


# Choosing


class Writer:
    """One task's choices: every draw comes from the task's own dice, in a fixed order."""

    def __init__(self, pack: WorldPack, dice: Dice) -> None:
        self.pack = pack
        self.dice = dice

    def pick(self, options: Sequence[T]) -> T:
        return self.dice.choice(options)

    def chance(self, probability: float) -> bool:
        return self.dice.random() < probability

    def sample(self, options: Sequence[T], count: int) -> list[T]:
        """Up to `count` distinct options, in drawn order."""
        left = list(options)
        chosen: list[T] = []
        while left and len(chosen) < count:
            chosen.append(left.pop(int(self.dice.random() * len(left))))
        return chosen

    def frame(self, frames: Sequence[str], values: Mapping[str, str | None]) -> str:
        """A frame that uses as many of the given values as any frame can, filled in.

        Frames name their slots like templates; a slot in capitals (`{Conflict}`) takes
        the value with a capital letter, for the start of a sentence.
        """
        given = {k for k, v in values.items() if v}
        usable = [f for f in frames if _slots(f) <= given]
        best = max(len(_slots(f) - PRONOUNS) for f in usable)
        chosen = self.pick([f for f in usable if len(_slots(f) - PRONOUNS) == best])
        filled: dict[str, str] = {}
        for key, value in values.items():
            if value:
                filled[key] = value
                filled[key.capitalize()] = cap(value)
        return render(chosen, filled)


def variants(pack: WorldPack, key: str) -> list[str]:
    """The variants for a template key (the pack's, else the engine's defaults), none for a
    key the format does not have."""
    group, dot, name = key.partition(".")
    holder = getattr(pack.templates, group) if dot else pack.templates
    if (name if dot else key) not in type(holder).model_fields:
        return []
    return pack.templates.variants(key) or DEFAULT_TEMPLATES.get(key, [])


def fill(template: str, values: Mapping[str, str]) -> str:
    """A pack template filled in, each value capitalised where it opens a sentence."""
    out: list[str] = []
    for literal, field, _spec, _conversion in _FORMATTER.parse(template):
        out.append(literal)
        if field is not None:
            value = values.get(field, "")
            so_far = "".join(out)
            opens = not so_far.strip() or _OPENS_SENTENCE.search(so_far)
            out.append(cap(value) if opens else value)
    return "".join(out)


def _slots(frame: str) -> set[str]:
    return {field.lower() for _, field, _, _ in _FORMATTER.parse(frame) if field}


# Text shaping


def cap(text: str) -> str:
    """`text` with its first letter in capitals, past any opening quote."""
    for i, char in enumerate(text):
        if char.isalpha():
            return text[:i] + char.upper() + text[i + 1 :]
        if char not in "\"“'(":
            return text
    return text


def mid(name: str) -> str:
    """A name as it reads inside a sentence: 'The Low Inn' becomes 'the Low Inn'."""
    first, _, rest = name.partition(" ")
    if rest and first.lower() in (*ARTICLES, "your"):
        return f"{first.lower()} {rest}"
    return name


def lower_start(text: str) -> str | None:
    """`text` to follow a comma, when it opens with an article; else None."""
    first = text.split(" ", 1)[0]
    if first.lower() in ARTICLES:
        return first.lower() + text[len(first) :]
    return None


def listing(names: Sequence[str], conjunction: str = "and") -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {conjunction} " + names[-1]


def sentences(text: str) -> list[str]:
    """The sentences of pack prose, keeping quoted speech whole."""
    parts = _SPLIT_SENTENCES.split(" ".join(text.split()))
    out: list[str] = []
    for part in parts:
        if out and (out[-1].count('"') % 2 or _ABBREVIATION.search(out[-1])):
            out[-1] += " " + part
        else:
            out.append(part)
    return [p for p in out if p]


def shorten(sentence: str, limit: int) -> str:
    """A sentence cut back to its last clause that fits, ended with a full stop."""
    if len(sentence) <= limit:
        return sentence
    head = sentence[:limit]
    cut = max(head.rfind(mark) for mark in (", with ", ", and ", "; ", ": ", " — "))
    if cut < limit // 3:
        cut = head.rfind(", ")
    if cut < limit // 3:
        cut = head.rfind(" ")
    clipped = head[:cut].rstrip(" ,;:—-")
    if clipped.count('"') % 2:
        clipped = clipped.replace('"', "")
    return clipped + "."


def unquoted(text: str) -> str:
    """Text with its quoted speech removed, to read only what the narrator says."""
    return re.sub(r'"[^"]*"', " ", text)


def tag_speech(speech: str) -> str:
    """Speech as it stands before 'she says': a closing full stop becomes a comma."""
    return speech[:-1] + "," if speech.endswith(".") else speech


def bare(clause: str) -> str:
    """A clause without its closing punctuation, to set inside a sentence."""
    return clause.strip().rstrip(".!?;:, ")


def quote_player(text: str, limit: int = 40) -> str | None:
    """The player's words, reduced to plain letters and quoted: data, never prose."""
    plain = _CONTROL.sub(" ", _ESCAPES.sub(" ", text))
    kept = " ".join(re.sub(r"[^A-Za-z0-9' -]", " ", plain).split()).strip(" '-")
    if not kept:
        return None
    if len(kept) > limit:
        kept = kept[:limit].rsplit(" ", 1)[0]
    return f'"{kept}"'


def tidy(text: str) -> str:
    """Plain, clean prose: no control sequences, braces, doubled spaces or punctuation."""
    text = _CONTROL.sub("", _ESCAPES.sub("", text.replace("\r\n", "\n").replace("\t", " ")))
    text = text.replace("{", "").replace("}", "").replace("...", "…")
    lines = [_tidy_line(line) for line in text.split("\n")]
    return "\n".join(fit_lines("\n".join(lines).strip()))


def _tidy_line(line: str) -> str:
    spaced = _SPACE_BEFORE.sub(r"\1", _SPACES.sub(" ", line).strip())
    return cap(_PUNCT_RUN.sub(_stronger, spaced))


def _stronger(match: re.Match[str]) -> str:
    run = re.sub(r"\s", "", match.group(0))
    for mark in "?!.;:,":
        if mark in run:
            return mark
    return run[0]


def fit_lines(text: str, limit: int = MAX_LINE) -> list[str]:
    """Lines no longer than `limit`, broken between sentences, else between words."""
    out: list[str] = []
    for line in text.split("\n"):
        rest = line
        while len(rest) > limit:
            cut = _cut_point(rest, limit)
            out.append(rest[:cut].rstrip())
            rest = rest[cut:].lstrip()
        out.append(rest)
    return out


def _cut_point(line: str, limit: int) -> int:
    head = line[:limit]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    if ends:
        return ends[-1]
    space = head.rfind(" ")
    return space if space > 0 else limit


def clip(text: str, limit: int = MAX_LINE) -> str:
    """One line no longer than `limit`, cut after the last whole sentence that fits."""
    line = " ".join(text.split())
    return fit_lines(line, limit)[0]


# Pack lookups


def npc(pack: WorldPack, ident: str) -> Npc:
    if ident not in pack.npcs:
        raise UnknownId(f"no NPC {ident!r} in this world")
    return pack.npcs[ident]


def place(pack: WorldPack, ident: str) -> str:
    """A location's name, checking the id."""
    if ident not in pack.locations:
        raise UnknownId(f"no location {ident!r} in this world")
    return pack.locations[ident].name


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
    person = npc(pack, ident)
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


def lexicon_phrases(w: Writer, location: str, count: int) -> list[str]:
    """Up to `count` flavour phrases for a location, each from a different tag if it can."""
    tags = [t for t in w.pack.locations[location].tags if w.pack.lexicon.get(t)]
    chosen = [w.pick(w.pack.lexicon[t]) for t in w.sample(tags, count)]
    if len(chosen) < count and tags:
        spare = [p for t in tags for p in w.pack.lexicon[t] if p not in chosen]
        chosen += w.sample(spare, count - len(chosen))
    return [bare(p) for p in chosen if bare(p)]


MOOD_FRAMES = (
    "{P1}.",
    "{P1}, and {p2}.",
    "{P1}; {p2}.",
    "All around, {a1}.",
    "All the while, {a1}.",
    "Meanwhile, {a1}, and {p2}.",
)
"""`{a1}` is the first phrase when it opens with an article, and so can follow an adverb."""


def mood_sentence(w: Writer, location: str, most: int = 2) -> str | None:
    """One sentence of a place's air, from one or two phrases of its lexicon."""
    phrases = lexicon_phrases(w, location, w.pick(range(1, most + 1)))
    if not phrases:
        return None
    second = phrases[1] if len(phrases) > 1 else None
    values = {"p1": phrases[0], "p2": second, "a1": lower_start(phrases[0])}
    frames = [f for f in MOOD_FRAMES if ("{p2}" in f) == (second is not None)]
    return w.frame(frames, values)


def traits_phrase(w: Writer, v: Voice) -> str:
    return listing(w.sample(v.traits, 2))


def person_fragment(person: Npc) -> str:
    """The first sentence of an NPC's description, short enough to go with their name."""
    found = sentences(person.description)
    return shorten(found[0], PERSON_DETAIL_LIMIT) if found else ""


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


# Describe


OPENINGS = (
    "{Name}. {desc}",
    "You stand in {name}. {desc}",
    "{desc} {Name}, then.",
    "You are in {name}: {low}",
    "{Name}: {low}",
    "{desc} You are in {name}.",
)

ITEM_FRAMES = (
    "Your eye catches on {things}.",
    "Among it all you make out {things}.",
    "Nothing here escapes a careful eye, least of all {things}.",
    "Within reach: {things}.",
    "Not far off you mark {things}.",
)

EXIT_FRAMES = (
    "You could go {either}.",
    "From here you can head {either}.",
    "Ways out: {all}.",
)

PERSON_FRAMES = (
    "{Name} is here, {low}, with the air of someone {traits}.",
    "Nearby is {name}, {low}; {traits}, by the look of {obj}.",
    "{desc} This is {name}, {traits}.",
    "{Name} is here, {traits}. {desc}",
    "You are not alone: {name} is here, {traits}, {part}.",
    "{desc} That would be {name}, {traits}, and not hiding it.",
)

OTHERS_FRAMES = (
    "{People} {verb} here as well.",
    "Also here: {people}.",
    "{People} {verb} close by.",
)


@dataclass(frozen=True)
class _Room:
    """The sentences of one description, kept apart so that it can be trimmed to fit."""

    openings: tuple[str, str]
    """The opening with the description's first sentence, and with it cut short."""
    extra: str | None
    mood: str | None
    people: tuple[str, ...]
    """A sentence for each person present, with their description and traits."""
    names: tuple[str, ...]
    items: str | None
    exits: tuple[str, str]
    """The ways out with where they lead, and with directions only."""
    joined: bool
    """Whether the exits close the items' sentence instead of standing alone."""
    order: int

    def drafts(self) -> list[str]:
        """The room from the fullest telling to the sparest, each leaving a little out."""
        return [
            self._text(extra=True, detailed=2),
            self._text(detailed=2),
            self._text(detailed=1),
            self._text(detailed=0),
            self._text(detailed=0, short=True),
            self._text(detailed=0, short=True, mood=False),
        ]

    def _text(
        self, *, detailed: int, extra: bool = False, short: bool = False, mood: bool = True
    ) -> str:
        people = [*self.people[:detailed], self._others(detailed)]
        items, exits = self.items, self.exits[1 if short else 0]
        if items and self.joined:
            items, exits = f"{items[:-1]}; {exits[0].lower()}{exits[1:]}", ""
        before = [self.extra if extra else None, self.mood if mood else None]
        parts = [*before, *people, items]
        if self.order == 1:
            parts = [before[0], *people, items, before[1]]
        elif self.order == 2:
            parts = [*before[::-1], items, *people]
        opening = self.openings[1 if short else 0]
        return " ".join(p for p in [opening, *parts, exits] if p)

    def _others(self, detailed: int) -> str | None:
        rest = self.names[detailed:]
        if not rest:
            return None
        verb = "is" if len(rest) == 1 else "are"
        people = listing(rest)
        frame = OTHERS_FRAMES[self.order] if detailed else "{People} {verb} here."
        return render(frame, {"People": people, "people": people, "verb": verb})


def describe(w: Writer, task: Describe) -> str:
    """The room freshly written: every item and person in it, its exits, its air."""
    pack = w.pack
    name = place(pack, task.location)
    loc = pack.locations[task.location]
    for item in task.items:
        if item not in pack.items:
            raise UnknownId(f"no item {item!r} in this world")
    voices = [voice(pack, p) for p in task.people]
    told = sentences(loc.description) or [name + "."]
    first = shorten(told[0], 220)
    opening = w.pick(OPENINGS)
    room = _Room(
        openings=(_opening(opening, name, first), _opening(opening, name, shorten(first, 110))),
        extra=None if voices else _extra_sentence(w, told[1:]),
        mood=mood_sentence(w, task.location),
        people=tuple(_person_sentence(w, p, v) for p, v in zip(task.people, voices, strict=True)),
        names=tuple(v.name for v in voices),
        items=_items_sentence(w, [pack.items[i].name for i in task.items]),
        exits=_exits_sentence(w, task.location),
        joined=w.chance(0.5),
        order=w.pick(range(3)),
    )
    drafts = room.drafts()
    return next((d for d in drafts if len(d) <= DESCRIBE_LIMIT), drafts[-1])


def _opening(frame: str, name: str, first: str) -> str:
    low = lower_start(first)
    if "{low}" in frame and (low is None or ":" in first):
        frame = OPENINGS[0]
    return render(frame, {"Name": name, "name": mid(name), "desc": first, "low": low or ""})


def _extra_sentence(w: Writer, rest: list[str]) -> str | None:
    """Another sentence of the description that stands on its own and is not about exits."""
    still = [
        s
        for s in rest
        if not _DIRECTION.search(s) and len(s) <= 200 and not _PRONOUN_START.match(s)
    ]
    return w.pick(still) if still else None


_PRONOUN_START = re.compile(r"(?:he|she|it|its|his|her|they|their|this|these)\b", re.IGNORECASE)
_DIRECTION = re.compile(
    r"\b(north|south|east|west|northeast|northwest|southeast|southwest|up|down|out|back)\b",
    re.IGNORECASE,
)


def _items_sentence(w: Writer, names: list[str]) -> str | None:
    if not names:
        return None
    things = listing([f"the {n}" for n in names])
    return render(w.pick(ITEM_FRAMES), {"things": things})


def _exits_sentence(w: Writer, location: str) -> tuple[str, str]:
    """The ways out, saying where the open ones lead; and the same with directions only."""
    exits = w.pack.locations[location].exits
    if not exits:
        none = w.pick(("There is no obvious way out.", "No way out shows itself."))
        return none, none
    frame = w.pick(EXIT_FRAMES if len(exits) > 1 else EXIT_FRAMES[:2])
    told = []
    for ways in (_ways(w.pack, location), list(exits)):
        told.append(render(frame, {"either": listing(ways, "or"), "all": listing(ways)}))
    return told[0], told[1]


def _ways(pack: WorldPack, location: str) -> list[str]:
    """Each way out with where it goes ('north to Ember Green'), unless it is barred."""
    groups: dict[tuple[str | None, str], list[str]] = {}
    for direction, exit_ in pack.locations[location].exits.items():
        key = (exit_.to, "") if exit_.requires_flag is None else (None, direction)
        groups.setdefault(key, []).append(direction)
    ways = []
    for (to, _), directions in groups.items():
        if to is None:
            ways += directions
        elif directions == ["in"]:
            ways.append(f"into {mid(pack.locations[to].name)}")
        else:
            ways.append(f"{listing(directions, 'or')} to {mid(pack.locations[to].name)}")
    return ways


def _person_sentence(w: Writer, ident: str, v: Voice) -> str:
    desc = person_fragment(w.pack.npcs[ident])
    low = lower_start(desc)
    _finite, participle = gesture(w, v, w.pick(v.moods))
    values = {
        "name": v.name,
        "desc": desc,
        "low": bare(low) if low else "",
        "traits": traits_phrase(w, v),
        "obj": v.obj,
        "part": participle,
    }
    usable = [f for f in PERSON_FRAMES if _slots(f) <= {k for k, x in values.items() if x}]
    return render(w.pick(usable), {**values, "Name": v.name})


# Narrate

SIMPLE_KEYS = (
    "take",
    "drop",
    "look",
    "go",
    "go_blocked",
    "talk",
    "ask_unknown",
    "give",
    "give_wanted",
    "use",
    "use_nothing",
    "examine",
    "wait",
    "unknown_verb",
    "not_here",
)

PLAYER_SLOTS = {"not_here": "item", "ask_unknown": "topic"}
"""Keys whose slot holds the player's own words, which are only ever quoted."""

ACTIONS: dict[str, tuple[str, ...]] = {
    "take": (
        "You take the {item}, and its weight settles in with the rest of your things.",
        "Your hand closes on the {item}; it is yours now.",
        "You lift the {item} and stow it away.",
        "The {item} goes with you.",
        "You take it, and it is yours now.",
    ),
    "drop": (
        "You set the {item} down and leave it there.",
        "The {item} leaves your hands and stays behind.",
        "You put the {item} down, and the place takes it back.",
        "You set it down and leave it there.",
    ),
    "look": (
        "You let {location} settle around you.",
        "You take a slow look around {location}.",
        "You stop, and take {location} in properly.",
        "You take a slow look around.",
    ),
    "go": (
        "You go {direction}, and {location} opens up ahead of you.",
        "You set off {direction}. Before long, {location} is all around you.",
        "A short way {direction}, and you are in {location}.",
        "You go {direction}.",
        "You move on.",
    ),
    "go_blocked": (
        "The way {direction} is closed to you, at least for now.",
        "You try {direction}, and get nowhere.",
        "That way is closed to you, at least for now.",
    ),
    "talk": (
        "You step up to {npc}.",
        "You turn to {npc}, who is already watching you.",
        "You find {npc}'s eye and hold it.",
        "You turn to speak.",
    ),
    "ask_unknown": (
        "{npc} has nothing for you on {topic}.",
        "At {topic}, {npc} only shakes {pos} head.",
        "{npc} has nothing to say.",
        "Nobody has an answer for that.",
    ),
    "give": (
        "{npc} weighs the {item} a moment and gives it back.",
        "{npc} will not keep the {item}; it comes back into your hands.",
        "It comes back into your hands, unwanted.",
    ),
    "give_wanted": (
        "{npc} takes the {item} and holds it close, and something in {pos} face eases.",
        "The {item} passes to {npc}, and the look that comes back is worth something.",
        "The gift is taken, and something eases.",
    ),
    "use": ("You put the {item} to work.", "You make use of the {item}.", "You use it."),
    "use_nothing": (
        "Nothing comes of it; the {item} does nothing here.",
        "You try the {item}, and nothing happens.",
        "You try, and nothing comes of it.",
    ),
    "examine": (
        "You turn your attention to the {item}.",
        "You give the {item} your full attention.",
        "You bend closer to the {item}.",
        "You look closer.",
    ),
    "wait": (
        "You let time pass.",
        "You wait, and the world goes on without you for a while.",
        "You stand still and let the minutes go.",
    ),
    "unknown_verb": (
        "Nobody here knows what to make of {said}.",
        "You try {said}, and nothing comes of it.",
        "Nobody here knows what you mean by that.",
    ),
    "not_here": (
        "There is no {item} to be found here.",
        "You look about for {item}, without luck.",
        "It isn't here.",
    ),
}

CHOICE_AFTERMATH: dict[str, tuple[str, ...]] = {
    "escalate": (
        "Somebody's hand tightens on something.",
        "The air goes tight as a drawn rope.",
        "Heads turn; a few of them nod, and a few of them should not.",
    ),
    "deescalate": (
        "Shoulders come down a fraction.",
        "Somebody lets out a breath they had been holding.",
    ),
    "negotiate": (
        "Somewhere in the noise, a bargain begins to take shape.",
        "Faces turn to you, wary, and listen.",
    ),
    "submit": (
        "You feel the ground give under you, and you let it.",
        "Somebody takes note of how easily you bend.",
    ),
    "resist": (
        "You do not move, and everyone sees that you do not.",
        "Your refusal lands, and hangs there.",
    ),
    "support": ("{npc} notices who stood beside {obj}.", "People see where you stand."),
    "oppose": (
        "{npc} marks it, and will remember.",
        "People will remember who stood against {npc}.",
    ),
}

MISSES = frozenset({*PLAYER_SLOTS, "unknown_verb"})
"""Lines about something that is not there, which no thing or person should decorate."""
PLACE_KEYS = frozenset({"look", "go", "wait"})


@dataclass(frozen=True)
class Pattern:
    """A pack template variant as a pattern, to tell which line the engine wrote."""

    key: str
    variant: str
    regex: re.Pattern[str]


def template_patterns(pack: WorldPack) -> list[Pattern]:
    patterns = []
    for key in SIMPLE_KEYS:
        for variant in variants(pack, key):
            patterns.append(Pattern(key, variant, _variant_regex(variant)))
    return patterns


def _variant_regex(variant: str) -> re.Pattern[str]:
    out, seen = [], set()
    for literal, field, _spec, _conversion in _FORMATTER.parse(variant):
        out.append(re.escape(literal))
        if field is None:
            continue
        out.append(f"(?P={field})" if field in seen else f"(?P<{field}>.+?)")
        seen.add(field)
    return re.compile("".join(out))


def recognise(patterns: Sequence[Pattern], text: str) -> tuple[Pattern, dict[str, str]] | None:
    """Which template variant `text` is, with the values it was filled with."""
    line = text.strip()
    for pattern in patterns:
        found = pattern.regex.fullmatch(line)
        if found:
            return pattern, found.groupdict()
    return None


def narrate(w: Writer, task: Narrate, patterns: Sequence[Pattern]) -> str:
    place(w.pack, task.location)
    known = recognise(patterns, task.text)
    if known is None:
        core, key = task.text, task.verb
    else:
        pattern, values = known
        core, key = _retold(w, pattern, values, task), pattern.key
    lead = known is None and key not in CHOICE_AFTERMATH and w.chance(0.4)
    extras = _narration_extras(w, task, key, named=not lead and _names(w, task, core))
    if known is None and not extras:
        extras = [mood_sentence(w, task.location, 1) or "The moment passes."]
    parts = [*extras, core] if lead else [core, *extras]
    return " ".join(parts)


def _names(w: Writer, task: Narrate, core: str) -> bool:
    """Whether the action's own sentence names the NPC it was done to."""
    person = w.pack.npcs.get(task.subject or "")
    return person is not None and person.name in core


def _retold(w: Writer, pattern: Pattern, values: dict[str, str], task: Narrate) -> str:
    """The action told afresh: the engine's facts in new words, or another of the pack's."""
    slot = PLAYER_SLOTS.get(pattern.key)
    filled = dict(values)
    if slot and slot in filled:
        filled[slot] = quote_player(filled[slot]) or ""
    if pattern.key == "unknown_verb":
        filled["said"] = quote_player(task.command) or ""
    if task.subject in w.pack.npcs:
        filled["pos"] = voice(w.pack, task.subject).pos
    for name in ("location", "npc"):
        if name in filled:
            filled[name] = mid(filled[name])
    own = w.frame(ACTIONS[pattern.key], filled)
    others = [
        v
        for v in variants(w.pack, pattern.key)
        if v != pattern.variant and _slots(v) <= set(values) and not slot
    ]
    if others and w.chance(0.35):
        return fill(w.pick(others), values)
    return own


def _narration_extras(w: Writer, task: Narrate, key: str, *, named: bool) -> list[str]:
    """One or two sentences around the action: the thing, the person, the place."""
    extras: list[str | None] = []
    subject = "" if key in MISSES else _subject(w.pack, task)
    if key in CHOICE_AFTERMATH:
        extras.append(_aftermath(w, key, subject))
    elif subject in w.pack.npcs:
        extras.append(_person_detail(w, subject, named=named))
    if subject in w.pack.items:
        extras.append(_item_detail(w, subject))
    if key in PLACE_KEYS or w.chance(0.5):
        extras.append(mood_sentence(w, task.location, 2 if key in PLACE_KEYS else 1))
    return [e for e in extras if e][:2]


def _subject(pack: WorldPack, task: Narrate) -> str:
    """The thing or person acted on, if the line names it: the last one talked of may be stale."""
    ident = task.subject or ""
    thing = pack.items.get(ident) or pack.npcs.get(ident)
    return ident if thing and thing.name.lower() in task.text.lower() else ""


def _aftermath(w: Writer, key: str, subject: str | None) -> str:
    v = voice(w.pack, subject) if subject in w.pack.npcs else None
    frames = [f for f in CHOICE_AFTERMATH[key] if "{npc}" not in f or v]
    values = {"npc": v.name, "obj": v.obj} if v else {}
    return render(w.pick(frames), values)


def _item_detail(w: Writer, ident: str) -> str | None:
    told = [s for s in sentences(w.pack.items[ident].description) if len(s) <= 220]
    if not told:
        return None
    chosen = w.pick(told)
    low = lower_start(chosen)
    if low and w.chance(0.4):
        return f"Up close, {low}"
    return chosen


def _person_detail(w: Writer, ident: str, *, named: bool) -> str:
    """What the NPC looks like doing it; by pronoun when the sentence before named them."""
    v = voice(w.pack, ident)
    told = [
        s
        for s in sentences(w.pack.npcs[ident].description)[1:]
        if len(s) <= 200 and s.split(" ", 1)[0].lower() in (v.subj, v.pos)
    ]
    if named and told and w.chance(0.5):
        return w.pick(told)
    finite, _participle = gesture(w, v, w.pick(v.moods))
    who = v.subj if named else v.name
    return f"{cap(traits_phrase(w, v))}, {who} {finite}."


# React

HOT = frozenset({"escalate", "resist", "oppose"})
COOL = frozenset({"deescalate", "negotiate", "submit"})
FIRE_ROLES = frozenset({"instigator", "escalator"})
PEACE_ROLES = frozenset({"mediator", "peacemaker"})

DEEDS: dict[str, tuple[str, ...]] = {
    "escalate": ("press harder on {conflict}", "push things harder"),
    "deescalate": ("try to cool {conflict}", "try to cool things down"),
    "negotiate": ("look for terms in {conflict}", "look for terms everyone could live with"),
    "submit": ("give ground in {conflict}", "give ground"),
    "resist": ("dig in your heels over {conflict}", "dig in your heels"),
    "support": (
        "stand with {target} in {conflict}",
        "stand with {target}",
        "take a side in {conflict}",
        "take a side",
    ),
    "oppose": (
        "set yourself against {target} in {conflict}",
        "set yourself against {target}",
        "take a side in {conflict}",
        "take a side",
    ),
    "give": (
        "make your offering, with {conflict} hanging over everyone",
        "make your offering",
        "hold out what you brought",
    ),
    "take": (
        "help yourself, with {conflict} all around you",
        "help yourself",
        "take what you came for",
    ),
    "use": ("set to work in the middle of {conflict}", "put what you found to use"),
    "drop": ("leave something behind, with {conflict} all around you", "set something down"),
    "talk": ("speak up about {conflict}", "say your piece"),
    "ask": ("ask your questions about {conflict}", "press for answers"),
    "examine": ("look things over, with {conflict} all around you", "look things over"),
}
OTHER_DEED = ("make your move in {conflict}", "make your move")

SPEECH: dict[tuple[str, str], tuple[str, ...]] = {
    ("hot", "pleased"): (
        "About time somebody said it.",
        "Good. Let them hear it.",
        "Now we're getting somewhere.",
        "{Conflict} won't settle itself.",
    ),
    ("hot", "displeased"): (
        "You'll get someone killed.",
        "That was a mistake, and you know it.",
        "Is that what you came here for?",
    ),
    ("hot", "neutral"): ("Careful.", "Well. That's done now.", "Let's see where that gets us."),
    ("cool", "pleased"): (
        "Thank you. That's the first sensible thing anyone has done all day.",
        "Good. Let's keep it that way.",
        "That took more nerve than shouting.",
    ),
    ("cool", "displeased"): (
        "You'd give it all away for a quiet hour?",
        "Soft words won't mend this.",
        "So that's where you stand. Nowhere.",
    ),
    ("cool", "neutral"): ("We'll see if it holds.", "Maybe. Maybe."),
    ("self", "pleased"): ("I won't forget that.", "You didn't have to do that."),
    ("self", "displeased"): ("So that's how it is.", "Remember you chose this."),
    ("self", "neutral"): ("Noted.",),
    ("for", "pleased"): ("{Target} needed someone.", "Good. {Target} deserves better."),
    ("for", "displeased"): ("{Target}? Of all people.", "You've picked {target}, then."),
    ("for", "neutral"): ("{Target}, is it?", "So. {Target}."),
    ("against", "pleased"): (
        "About time someone stood up to {target}.",
        "{Target} had that coming.",
    ),
    ("against", "displeased"): (
        "You'll regret crossing {target}.",
        "{Target} didn't deserve that.",
    ),
    ("against", "neutral"): ("Against {target}. Well.", "So it's {target} you've set against."),
    ("gift", "pleased"): ("For me? You're sure?", "That's... thank you."),
    ("gift", "displeased"): ("What would I do with this?",),
    ("gift", "neutral"): ("Hm. Thank you, I suppose.",),
    ("other", "pleased"): ("Good.", "I like the look of that."),
    ("other", "displeased"): ("That wasn't yours to do.", "I'll remember that."),
    ("other", "neutral"): ("Is that so.", "We'll see."),
}

TONES: dict[str, tuple[str, ...]] = {
    "pleased": (
        "There is something close to gratitude in it.",
        "It is warmer than anything you have had on this road so far.",
    ),
    "displeased": ("There is nothing friendly in it.", "Whatever it means, it is nothing good."),
    "neutral": ("What it means is anyone's guess.", "It gives nothing away."),
}

REACT_FRAMES = (
    "{Name} {gesture} as you {deed}. {tone}",
    '{Name} {gesture} as you {deed}. "{speech}"',
    '{Name} {says}, {participle}, as you {deed}: "{speech}"',
    '{Name} watches you {deed}, then {gesture}. "{speech}"',
)
"""Every line opens with the NPC's name: it is their reaction, told from where they stand."""


def react(w: Writer, task: React) -> tuple[str, float, float]:
    """An NPC's line, and the small nudges to disposition and stress it carries."""
    v = voice(w.pack, task.npc)
    conflict = w.pack.conflicts.get(task.conflict or "")
    target = w.pack.npcs.get(task.target or "")
    aimed = task.target == task.npc
    kin = kinship(w.pack, task.npc, task.target) if target and not aimed else 0.0
    disposition, stress = nudges(v.moods, task.deed, task.role, aimed=aimed, kin=kin)
    feeling = _feeling(disposition, task.disposition)
    conflict_name = mid(conflict.name) if conflict else None
    target_name = v.obj if aimed else (target.name if target else None)
    deed = w.frame(
        DEEDS.get(task.deed, OTHER_DEED), {"conflict": conflict_name, "target": target_name}
    )
    if target and not aimed and target.name not in deed:
        deed += f", with {target.name} looking on"
    speech_kind = _speech_kind(task.deed, aimed=aimed, targeted=target is not None)
    speech = w.frame(
        SPEECH[speech_kind, feeling],
        {"conflict": conflict_name, "target": target_name if not aimed else None},
    )
    mood = w.pick(v.moods)
    finite, participle = gesture(w, v, mood)
    values = {
        "name": v.name,
        "Name": v.name,
        "gesture": finite,
        "participle": participle,
        "deed": deed,
        "speech": speech,
        "says": speech_verb(w, mood, task.stress),
        "tone": _tone(w, v, feeling, task.stress),
    }
    line = _role_line(w, task, v, deed, conflict_name) or render(w.pick(REACT_FRAMES), values)
    return clip(tidy(line)), disposition, stress


def kinship(pack: WorldPack, ident: str, other: str | None) -> float:
    """How close two NPCs' factions stand, -1..1: 1 for the same faction, 0 when unknown."""
    mine = pack.npcs[ident].faction
    theirs = pack.npcs[other].faction if other in pack.npcs else None
    if mine is None or theirs is None:
        return 0.0
    if mine == theirs:
        return 1.0
    return pack.factions[mine].relations.get(theirs, 0.0) if mine in pack.factions else 0.0


def nudges(
    moods: Sequence[str], deed: str, role: str | None, *, aimed: bool, kin: float = 0.0
) -> tuple[float, float]:
    """Personality's small push on disposition and stress (each within ±0.1).

    `kin` is how the NPC stands with the one the deed was aimed at, when that is someone
    else: siding with their friends warms them, siding against them cools them.
    """
    d = s = 0.0
    if deed == "support":
        d += 0.03 * kin
    elif deed == "oppose":
        d -= 0.03 * kin
    hot, cool = deed in HOT, deed in COOL
    if role in FIRE_ROLES:
        d += 0.04 if hot else -0.04 if cool else 0.0
    elif role in PEACE_ROLES:
        d += 0.04 if cool else -0.04 if hot else 0.0
    elif role == "victim":
        s += 0.04 if hot else -0.03 if cool else 0.0
    elif role == "defender":
        d += 0.03 if deed == "resist" else -0.03 if deed == "submit" else 0.0
    if aimed and deed == "support":
        d += 0.03 + (0.02 if "warm" in moods else 0.0)
        s -= 0.02
    if aimed and deed == "oppose":
        d -= 0.05 + (0.03 if "fiery" in moods else 0.0)
        s += (0.05 if "proud" in moods else 0.0) + (0.04 if "fearful" in moods else 0.0)
    if deed == "give":
        d += 0.03 + (0.03 if "calculating" in moods else 0.0) + (0.02 if "warm" in moods else 0.0)
    if deed == "take":
        d -= 0.02 + (0.02 if "calculating" in moods else 0.0)
    if hot and not aimed:
        s += 0.03 if {"fearful", "warm"} & set(moods) else -0.02 if "fiery" in moods else 0.0
    if cool:
        s -= 0.03
    if "wary" in moods and "warm" not in moods and d > 0:
        d /= 2
    return _clamp(d), _clamp(s)


def _clamp(value: float) -> float:
    return round(max(-0.1, min(0.1, value)), 3)


def _feeling(nudge: float, disposition: float) -> str:
    """How the deed lands: this deed's nudge counts for more than the standing attitude."""
    lean = nudge * 4 + disposition * 0.5
    if lean > 0.1:
        return "pleased"
    if lean < -0.1:
        return "displeased"
    return "neutral"


def _speech_kind(deed: str, *, aimed: bool, targeted: bool) -> str:
    if deed in ("support", "oppose"):
        side = "for" if deed == "support" else "against"
        return "self" if aimed else side if targeted else "hot"
    if deed in HOT:
        return "hot"
    if deed in COOL:
        return "cool"
    return "gift" if deed == "give" else "other"


def _tone(w: Writer, v: Voice, feeling: str, stress: float) -> str:
    if stress >= 0.7 and w.chance(0.5):
        return f"{cap(v.pos)} hands are not quite steady."
    if stress <= 0.15 and w.chance(0.3):
        return "Nothing about it is hurried."
    return w.pick(TONES[feeling])


def _role_line(w: Writer, task: React, v: Voice, deed: str, conflict: str | None) -> str | None:
    """Sometimes the pack's own line for the role, set after what the player did."""
    if task.role is None or task.deed not in HOT | COOL | {"support"} or not w.chance(0.3):
        return None
    options = variants(w.pack, f"reaction.{task.role}")
    values = {"npc": v.name, "conflict": conflict or ""}
    usable = [x for x in options if _slots(x) <= {k for k, x2 in values.items() if x2}]
    if not usable:
        return None
    line = fill(w.pick(usable), values)
    if not line.startswith(v.name):
        return None
    return f"{line} That is {v.pos} answer as you {deed}."


# Rumour

GOSSIP_SPEECH: dict[str, tuple[str, ...]] = {
    "rumor": (
        "Word is {topic}.",
        "They're saying {topic}.",
        "I heard {topic}. Half the place has.",
    ),
    "secret": ("Keep this to yourself: {topic}.", "Between us, and I mean between us: {topic}."),
    "scandal": ("Have you heard? {Topic}.", "You'll never believe it. {Topic}."),
    "praise": ("Credit where it's due: {topic}.", "Say what you like, but {topic}."),
    "warning": ("Be careful. {Topic}.", "Watch yourself. {Topic}."),
    "speculation": ("I keep wondering whether {topic}.", "What if {topic}?"),
}

ABOUT_YOU: dict[str, tuple[str, ...]] = {
    "rumor": ("Word is {topic}.", "People are talking about you, you know. They say {topic}."),
    "secret": ("Somebody's whispering that {topic}. I thought you ought to know.",),
    "scandal": (
        "The whole place is buzzing. They say {topic}.",
        "You're the talk of the day: {topic}.",
    ),
    "praise": (
        "People are saying good things about you: {topic}.",
        "Credit where it's due: {topic}.",
    ),
    "warning": ("Folk are warning each other about you. They say {topic}.",),
    "speculation": (
        "People are wondering whether {topic}.",
        "There's talk. Some wonder whether {topic}.",
    ),
}
"""What is said to the player about the player: the gossip's clause already says 'you'."""

PRAISE_FOR = (
    "Say what you like about {about}, but {topic}.",
    "People speak well of {about} now: {topic}.",
)

RUMOUR_FRAMES = (
    '{Name} {gesture}. "{speech}"',
    '"{tagged}" {name} {says}, {participle}.',
    '{Name} {eagerness}: "{speech}"',
)


def rumour(w: Writer, task: Rumour) -> str:
    """The teller passing the gossip on, in their manner, to you."""
    v = voice(w.pack, task.teller)
    about_you = task.about == "player"
    about = w.pack.npcs.get(task.about)
    topic = _topic(task.topic)
    if not topic:
        return clip(tidy(f"{v.name} starts to say something, then thinks better of it."))
    speech = _gossip_speech(w, task.gossip_type, topic, about.name if about else None, about_you)
    said = _pack_gossip(w, task.gossip_type, topic, v.name) if not about_you else None
    if said is not None:
        return clip(tidy(said))
    mood = w.pick(v.moods)
    finite, participle = gesture(w, v, mood)
    values = {
        "name": v.name,
        "Name": v.name,
        "gesture": finite,
        "participle": participle,
        "speech": speech,
        "tagged": tag_speech(speech),
        "says": speech_verb(w, mood, 0.0),
        "eagerness": _eagerness(w, v, w.pack.npcs[task.teller].gossip_tendency),
    }
    return clip(tidy(render(w.pick(RUMOUR_FRAMES), values)))


def _topic(text: str) -> str:
    """The gossip's clause, tidy and short enough to quote inside a line."""
    clause = bare(" ".join(text.split()).replace('"', "'"))
    return bare(shorten(clause, 240))


def _gossip_speech(w: Writer, kind: str, topic: str, about: str | None, about_you: bool) -> str:
    kinds = ABOUT_YOU if about_you else GOSSIP_SPEECH
    frames = kinds.get(kind, kinds["rumor"])
    if kind == "praise" and about and about.lower() not in topic.lower():
        frames = PRAISE_FOR
    return render(w.pick(frames), {"topic": topic, "Topic": cap(topic), "about": about or ""})


def _pack_gossip(w: Writer, kind: str, topic: str, teller: str) -> str | None:
    """Now and then the pack's own words for what is going round, passed on by the teller."""
    options = [v for v in variants(w.pack, f"gossip.{kind}") if _slots(v) == {"topic"}]
    if not options or not w.chance(0.3):
        return None
    told = fill(w.pick(options), {"topic": topic})
    lead = w.pick(("passes on what is going round", "has heard it too", "tells it like this"))
    return f"{teller} {lead}. {told}"


def _eagerness(w: Writer, v: Voice, tendency: float) -> str:
    """How readily the teller passes it on, from their gossip tendency."""
    if tendency >= 0.7:
        return w.pick(("can't keep it in a moment longer", "leans close, bright-eyed"))
    if tendency <= 0.3:
        return w.pick(("says it reluctantly, as if it costs something", "hesitates, then"))
    return w.pick(("passes it on", f"lowers {v.pos} voice a notch"))


# Beat

BEATS: dict[str, tuple[str, ...]] = {
    "revelation": (
        "{npc} says it out loud at last, and {conflict} is never the same again.",
        "The truth at the bottom of {conflict} comes up, and {npc} is the one who drags it out.",
        "A truth buried in {conflict} works its way to the surface, and nobody can push it down.",
        "Everyone in {conflict} learns the same thing at once, and the silence after is enormous.",
        "{npc} knows something now that cannot be unknown, and it shows.",
        "What {npc} has been carrying comes out all at once.",
        "Something hidden comes into the open, and the air changes.",
        "A truth surfaces, and every face around you rearranges itself.",
    ),
    "betrayal": (
        "{npc} breaks faith in {conflict}, quietly, the way the worst betrayals go.",
        "Nobody in {conflict} saw it coming: {npc} has changed sides.",
        "Somebody in {conflict} has been dealing on both sides, and now everyone knows.",
        "A promise made in {conflict} breaks with a sound only the betrayed can hear.",
        "{npc} turns on the people who trusted {obj}.",
        "{npc} breaks faith, and does not look back.",
        "A promise breaks, and someone who trusted it is left standing alone.",
        "Somebody has been sold out, and the price was low.",
    ),
    "escalation": (
        "{Conflict} takes a dangerous turn, and {npc} is right in the path of it.",
        "With {npc} at the heart of it, {conflict} lurches toward open violence.",
        "{Conflict} takes a dangerous turn; voices rise and do not come down.",
        "Fresh fuel lands on {conflict}, and it flares.",
        "Everything around {npc} turns sharper, and more dangerous.",
        "Voices rise, and do not come down.",
        "Somewhere a line is crossed, and everyone feels it.",
    ),
    "reconciliation": (
        "{npc} offers a hand across {conflict}, and after a long moment it is taken.",
        "For the first time since {conflict} began, {npc} laughs, and the sound changes things.",
        "Two sides of {conflict} find one thing they can agree on, and hold onto it.",
        "In the middle of {conflict}, someone says sorry and means it.",
        "{npc} offers a hand, and after a moment it is taken.",
        "{npc} lets go of an old grudge, and stands a little straighter for it.",
        "An old grudge loosens its grip.",
        "Two people who meant to be enemies find they cannot manage it.",
    ),
    "twist": (
        "Everything {npc} said about {conflict} turns out to be only half the story.",
        "{npc} steps out from the edge of {conflict}, and nothing about it is what it seemed.",
        "Nothing about {conflict} is what it seemed, and the knowledge spreads like cold water.",
        "{Conflict} turns inside out, and everyone has to look at it again.",
        "{npc} is not who everyone thought, and the room is slowly realising it.",
        "The ground shifts: nothing is quite what it seemed an hour ago.",
    ),
    "complication": (
        "A new knot appears in {conflict}, and it is tied around {npc}.",
        "Just as {conflict} seemed simple, something about {npc} makes it anything but.",
        "A new problem tangles {conflict}, and nobody has a free hand to deal with it.",
        "{Conflict} grows another head, and this one is looking at you.",
        "A new problem lands on {npc}, and through {obj} on everyone else.",
        "Just when things seemed simple, they are not.",
        "A new problem arrives, uninvited and in no hurry to leave.",
    ),
    "climax": (
        "{Conflict} comes to a head, and {npc} stands at the very centre of it.",
        "Everything in {conflict} narrows to {npc}, and to what happens next.",
        "{Conflict} reaches its breaking point, and every side of it knows.",
        "All of it comes down to this: {conflict} has come to a head.",
        "Everything narrows to {npc}, and to what happens next.",
        "This is the moment everything has been running toward.",
    ),
    "moment": (
        "For a moment, in the middle of {conflict}, {npc} is simply still, and so is everyone.",
        "{npc} catches your eye across {conflict}, and for once there is nothing hostile in it.",
        "For a moment {conflict} forgets itself, and everything is quiet.",
        "For a moment {npc} is only a tired person, and the quiet holds.",
        "For a moment, everything is still.",
        "A small, ordinary kindness happens in the middle of it all, and nobody knows what to do.",
    ),
}

CALM_BEATS = frozenset({"reconciliation", "moment"})

PHASE_TAILS: dict[str, tuple[str, ...]] = {
    "seeds": ("It is still small enough to smother, if anyone tried.",),
    "emerging": ("It is still small enough to smother, if anyone tried.",),
    "rising": ("Every hour makes it harder to walk back.",),
    "confrontation": ("Nobody is pretending any more.",),
    "climax": ("There is no walking back from here.",),
    "falling": ("Even with the worst past, it stings.",),
    "resolution": ("It may be the last hard thing before an ending.",),
    "aftermath": ("It will be remembered long after.",),
}


def beat(w: Writer, task: Beat) -> str:
    """The beat in a sentence or two, naming who and what it touches."""
    conflict = w.pack.conflicts.get(task.conflict or "")
    v = voice(w.pack, task.npc) if task.npc and task.npc in w.pack.npcs else None
    values = {
        "npc": v.name if v else None,
        "conflict": mid(conflict.name) if conflict else None,
        "obj": v.obj if v else None,
    }
    core = _pack_beat(w, task, values) or w.frame(BEATS.get(task.beat, BEATS["moment"]), values)
    tail = _beat_tail(w, task)
    return clip(tidy(f"{core} {tail}" if tail else core))


def _pack_beat(w: Writer, task: Beat, values: Mapping[str, str | None]) -> str | None:
    """Now and then the pack's own line for the beat, when it names all the task gives."""
    given = {k for k, v in values.items() if v} - PRONOUNS
    filled = {k: v for k, v in values.items() if v}
    told = [fill(v, filled) for v in variants(w.pack, f"beat.{task.beat}") if _slots(v) == given]
    fresh = [v for v in told if v != task.fallback]
    return w.pick(fresh) if fresh and w.chance(0.3) else None


def _beat_tail(w: Writer, task: Beat) -> str | None:
    where = _beat_place(w.pack, task)
    roll = w.dice.random()
    if task.phase in PHASE_TAILS and task.beat not in CALM_BEATS and roll < 0.35:
        return w.pick(PHASE_TAILS[task.phase])
    if where is not None and roll < 0.8:
        phrases = lexicon_phrases(w, where, 1)
        if phrases:
            values = {"p1": phrases[0], "a1": lower_start(phrases[0])}
            return w.frame(("{P1}.", "All the while, {a1}."), values)
    return None


def _beat_place(pack: WorldPack, task: Beat) -> str | None:
    """Where the beat is felt: the NPC's place, else the first stakeholder's."""
    if task.npc in pack.npcs:
        return pack.npcs[task.npc].location
    conflict = pack.conflicts.get(task.conflict or "")
    if conflict:
        for ident in conflict.stakeholders:
            if ident in pack.npcs:
                return pack.npcs[ident].location
    return None
