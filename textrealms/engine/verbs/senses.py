"""The senses: searching a place or a thing, reading, listening, smelling and touching.

What a place sounds and smells like comes from the pack's own words: the lexicon of its
tags, and the sentences of a thing's description that speak of sound or smell. None of
them takes any time unless the pack's response to it says so.
"""

from __future__ import annotations

import re

from textrealms.engine.scope import Thing
from textrealms.engine.simulation.timeline import until
from textrealms.engine.turn import Turn
from textrealms.engine.verbs import names
from textrealms.engine.verbs.acts import Act, refuse
from textrealms.engine.verbs.verb import Family, Kind, Slot, Syntax, Verb
from textrealms.world.prose import sentences

SOUNDS = re.compile(
    r"\b(?:hear|heard|sound|nois|voice|talk|argu|creak|drip|rattl|hiss|buzz|chim|whisper|"
    r"murmur|laugh|song|music|roar|clatter|clank|thud|splash|silen|quiet|groan|moan|howl|"
    r"mutter|chatter|click|beep|crackl|patter|rumbl|whir|caw|shout|thunder|echo|squeal|"
    r"clink|hammer|bell|drum|piano|trumpet|saxophone|radio|static|siren|whistl|knock|bang)"
    r"\w*|\b(?:hums?|humming|rings?|ringing|sings?|singing|singers?|ticks?|ticking|barks?|"
    r"barking|band)\b",
    re.IGNORECASE,
)
SMELLS = re.compile(
    r"smell|scent|reek|stink|stench|odou?r|smok|perfume|incense|fragran|aroma|whiff|musk|"
    r"\brot|\bsour|sweet|damp|mou?ld|brine|\bsalt|herb|bread|\bale\b|beer|coffee|burn|"
    r"\bash\b|sulphur|ozone|\boil|tallow|sweat|blood|flower|\broses?\b|yeast|grease|\btar\b",
    re.IGNORECASE,
)


def _sensed(text: str, sense: re.Pattern[str]) -> list[str]:
    return [s for s in sentences(text) if sense.search(s)]


def _air(t: Turn, sense: re.Pattern[str]) -> str | None:
    """A phrase of the place's lexicon, or a sentence of its description, for `sense`."""
    loc = t.pack.locations[t.state.location]
    phrases = [p for tag in loc.tags for p in t.pack.lexicon.get(tag, []) if sense.search(p)]
    if phrases:
        phrase = t.dice.choice(phrases).strip().rstrip(".")
        return phrase[:1].upper() + phrase[1:] + "."
    told = _sensed(until(t.pack, t.state, loc.description), sense)
    return t.dice.choice(told) if told else None


def _sense(key: str, sense: re.Pattern[str], doing: str, nothing: str) -> Act:
    """A sense used on the place (`doing`, then what it finds, or `nothing`), or on a
    thing (the sentences of its description that speak of it, else template `key`)."""

    def place(t: Turn) -> None:
        t.minutes = 0
        t.say(f"{doing} {_air(t, sense) or nothing}")

    def thing(t: Turn, found: Thing) -> None:
        t.minutes = 0
        told = [] if found.kind == "npc" else _sensed(t.pack.items[found.id].description, sense)
        if told:
            t.say(" ".join(told))
        elif found.kind == "npc":
            t.say(t.text_about("person", found.id))
        else:
            t.say(t.text(key, item=found.name))

    return Act(thing, place)


def _search_place(t: Turn) -> None:
    t.minutes = 0
    loc = t.pack.locations[t.state.location]
    found = [t.pack.items[i].name for i in t.state.items_in(t.pack, t.state.location)]
    turned = f"You turn up: {', '.join(found)}." if found else "Nothing turns up."
    t.say(f"You search {loc.name} carefully. {turned}")


def _search_thing(t: Turn, found: Thing) -> None:
    t.minutes = 0
    if found.kind == "npc":
        t.say(t.text_about("person", found.id))
        return
    t.say(until(t.pack, t.state, t.pack.items[found.id].description))
    t.say(t.text("search", item=found.name))


def _read(t: Turn, found: Thing) -> None:
    """What a thing says is in its description (a letter's text, a sign's words)."""
    if found.kind == "npc":
        refuse("read")(t, found)
        return
    t.minutes = 0
    t.say(until(t.pack, t.state, t.pack.items[found.id].description))


SEARCH = Verb(
    names.SEARCH,
    ("search", "rummage", "look through"),
    Act(_search_thing, _search_place),
    syntax=Syntax(
        (Slot(Kind.IN_REACH),),
        fillers=frozenset({"in", "through", "carefully", "thoroughly", "closely"}),
    ),
    help="search [THING], look in THING",
)
READ = Verb(
    "read",
    ("read", "peruse"),
    Act(_read),
    syntax=Syntax((Slot(Kind.IN_REACH),)),
    help="read THING",
    after_ending=True,
    judged=False,
)
LISTEN = Verb(
    "listen",
    ("listen", "hear"),
    _sense("listen", SOUNDS, "You listen.", "Nothing out of the ordinary reaches you."),
    syntax=Syntax((Slot(Kind.IN_REACH),), fillers=frozenset({"to", "at", "for"})),
    help="listen [to THING]",
    judged=False,
)
SMELL = Verb(
    "smell",
    ("smell", "sniff"),
    _sense("smell", SMELLS, "You breathe in.", "Nothing out of the ordinary."),
    syntax=Syntax((Slot(Kind.IN_REACH),)),
    help="smell [THING]",
    judged=False,
)
TOUCH = Verb(
    "touch",
    ("touch", "feel", "stroke"),
    Act(refuse("touch")),
    syntax=Syntax((Slot(Kind.IN_REACH),)),
    help="touch THING",
)

FAMILY = Family("Senses", (SEARCH, READ, LISTEN, SMELL, TOUCH))
