"""The player's questions about themselves: who am I, where am I, what now.

Each answers from the pack and the state (the intro, what the player carries and how
people see them; the place and its ways out; the next hint) and takes no time.
"""

from __future__ import annotations

from textrealms.engine import hints
from textrealms.engine.turn import Turn
from textrealms.engine.verbs.looking import listing
from textrealms.engine.verbs.verb import Family, Narrated, Verb, answer
from textrealms.world import flags

SEEN_AS = 0.5
"""A reputation at least this high is how people here see the player."""


def me(t: Turn) -> None:
    """Who the player is: what the story said at the start, what they carry, and the
    two things people here see in them most."""
    t.minutes = 0
    t.say(t.pack.world.intro.strip())
    carried = [x.name for x in t.carried()]
    lines = [f"You are carrying: {', '.join(carried)}." if carried else "You are empty-handed."]
    seen = sorted(
        ((value, dim) for dim, value in t.state.reputation.items() if value >= SEEN_AS),
        reverse=True,
    )
    if seen:
        lines.append(f"People here see you as {listing([dim for _, dim in seen[:2]])}.")
    else:
        lines.append("Nobody here has made up their mind about you yet.")
    t.notice("\n".join(lines))


def where(t: Turn) -> None:
    """The place, in short, who is here, and the ways out: by name where the player has
    been."""
    t.minutes = 0
    loc = t.pack.locations[t.state.location]
    lines = [f"You are at {loc.name}. {loc.glimpse}"]
    people = [t.pack.npcs[n].name for n in t.state.npcs_in(t.state.location)]
    if people:
        lines.append(f"{listing(people)} {'is' if len(people) == 1 else 'are'} here.")
    ways = [
        f"{direction} to {t.pack.locations[exit_.to].name}"
        if flags.visited(exit_.to) in t.state.flags
        else direction
        for direction, exit_ in loc.exits.items()
    ]
    lines.append(f"Exits: {', '.join(ways)}." if ways else "There is no obvious way out.")
    t.notice("\n".join(lines))


def what_now(t: Turn) -> None:
    """Where the story points now: the hint due, without using it up (`hint` gives the
    next, plainer one)."""
    t.minutes = 0
    found = hints.hint(t.pack, t.state)
    t.notice(t.text("hint_none") if found is None else f"{found.text} (For more, type hint.)")


ME = answer(
    "me",
    ("who am i", "examine me", "x me", "look at me", "examine myself", "x myself", "whoami"),
    me,
    help="who am I, x me",
)
WHERE = answer(
    "where",
    ("where am i", "where is this", "what is this place"),
    where,
    help="where am I",
)
WHAT_NOW = Verb(
    "what_now",
    (
        "what now",
        "what do i do",
        "what should i do",
        "what next",
        "now what",
        "what am i supposed to do",
        "what am i supposed to be doing",
        "what should i be doing",
    ),
    what_now,
    help="what now",
    narrated=Narrated.NEVER,
    after_ending=True,
    counts=False,
)

FAMILY = Family("Questions", (ME, WHERE, WHAT_NOW))
