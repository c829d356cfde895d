"""A room described afresh (`Describe`): its opening, air, people, things and ways out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textrealms.llm.offline.places import mood_sentence, place
from textrealms.llm.offline.shaping import bare, listing, lower_start, mid, sentences, shorten
from textrealms.llm.offline.voice import Voice, gesture, traits_phrase, voice
from textrealms.llm.offline.writer import UnknownId, Writer, slots
from textrealms.llm.tasks import Describe
from textrealms.world.persona import fits
from textrealms.world.schema import Npc, WorldPack
from textrealms.world.story import until
from textrealms.world.templates import render

PERSON_DETAIL_LIMIT = 170
DESCRIBE_LIMIT = 580
"""A room stays one line, under `MAX_LINE` with room to spare."""

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
    "Here too: {things}.",
    "Within reach: {things}.",
    "Not far off you mark {things}.",
)

REVISITS = (
    "Back in {name}. {brief}",
    "{Name} again. {brief}",
    "You are back in {name}. {brief}",
    "{brief} {Name} once more.",
)
"""A room seen before is told in short: one line of it, then who and what is here."""

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
    "{desc} That would be {name}, {traits}.",
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
    """The room freshly written: every item and person in it, its exits, its air; or on
    a revisit, in short."""
    pack = w.pack
    name = place(pack, task.location)
    loc = pack.locations[task.location]
    for item in task.items:
        if item not in pack.items:
            raise UnknownId(f"no item {item!r} in this world")
    voices = [voice(pack, p) for p in task.people]
    if task.revisit:
        glimpse = until(loc.glimpse, pack.events, task.clock)
        back = render(w.pick(REVISITS), {"Name": name, "name": mid(name), "brief": glimpse})
        return _room(w, task, (back, back), voices, first=False).drafts()[-1]
    told = sentences(until(loc.description, pack.events, task.clock)) or [name + "."]
    first = shorten(told[0], 220)
    opening = w.pick(OPENINGS)
    room = _room(
        w,
        task,
        (_opening(opening, name, first), _opening(opening, name, shorten(first, 110))),
        voices,
        first=True,
    )
    drafts = room.drafts()
    return next((d for d in drafts if len(d) <= DESCRIBE_LIMIT), drafts[-1])


def _room(
    w: Writer, task: Describe, openings: tuple[str, str], voices: list[Voice], *, first: bool
) -> _Room:
    """The sentences of the room: on a `first` telling, with its air and its people's."""
    pack = w.pack
    told = sentences(pack.locations[task.location].description)
    people = zip(task.people, voices, strict=True)
    return _Room(
        openings=openings,
        extra=None if voices or not first else _extra_sentence(w, told[1:]),
        mood=mood_sentence(w, task.location) if first else None,
        people=tuple(_person_sentence(w, p, v) for p, v in people) if first else (),
        names=tuple(v.name for v in voices),
        items=_items_sentence(w, [pack.items[i].name for i in task.items]),
        exits=_exits_sentence(w, task.location),
        joined=w.chance(0.5),
        order=w.pick(range(3)),
    )


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
    """Each way out with where it goes ('north to Ember Green'); a way that may be barred
    by its direction alone, after the others: told among them, it read as going where the
    next one does ("east and south to Lab Annex")."""
    groups: dict[str, list[str]] = {}
    barred = []
    for direction, exit_ in pack.locations[location].exits.items():
        if exit_.requires_flag is None:
            groups.setdefault(exit_.to, []).append(direction)
        else:
            barred.append(direction)
    ways = []
    for to, directions in groups.items():
        if directions == ["in"]:
            ways.append(f"into {mid(pack.locations[to].name)}")
        else:
            ways.append(f"{listing(directions, 'or')} to {mid(pack.locations[to].name)}")
    return ways + barred


def _person_sentence(w: Writer, ident: str, v: Voice) -> str:
    desc = _person_fragment(w.pack.npcs[ident])
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
    given = {k for k, x in values.items() if x}
    usable = [f for f in PERSON_FRAMES if slots(f) <= given and fits(f, v.body)]
    return render(w.pick(usable), {**values, "Name": v.name})


def _person_fragment(person: Npc) -> str:
    """The first sentence of an NPC's description, short enough to go with their name."""
    found = sentences(person.description)
    return shorten(found[0], PERSON_DETAIL_LIMIT) if found else ""
