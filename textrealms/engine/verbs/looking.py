"""Looking: the room, a thing or person close up, what you carry, and the lists about
the game (quests, time, rumours, reputation), with the words the side panel shares."""

from __future__ import annotations

from textrealms.engine import hints, stakes
from textrealms.engine.entries import EntryKind
from textrealms.engine.scenery import described
from textrealms.engine.scope import resolve
from textrealms.engine.simulation.timeline import until
from textrealms.engine.turn import PRONOUNS, Turn
from textrealms.engine.verbs import names
from textrealms.engine.verbs.acts import names_here, respond
from textrealms.engine.verbs.verb import (
    Family,
    Handover,
    Kind,
    Narrated,
    Slot,
    Syntax,
    Verb,
    answer,
)
from textrealms.world import story
from textrealms.world.schema import WorldPack
from textrealms.world.state import GameState


def band(value: float, words: tuple[str, str, str, str, str]) -> str:
    """One of five words for a value in -1..1, from the bottom: up to -0.6, up to -0.2,
    below 0.2, below 0.6, and the rest."""
    if value <= -0.6:
        return words[0]
    if value <= -0.2:
        return words[1]
    if value < 0.2:
        return words[2]
    return words[3] if value < 0.6 else words[4]


def mood(disposition: float) -> str:
    """A word for how an NPC feels about the player."""
    return band(disposition, ("hostile", "unfriendly", "neutral", "warm", "devoted"))


def listing(parts: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def describe_room(t: Turn, location: str, *, revisit: bool = False) -> None:
    """The room as the player sees it: description, things, people, exits. Coming back
    to a room already seen, a short line stands for the description. Its countdowns read
    as they do on arrival, once the turn's minutes (a move's walk) have passed."""
    loc = t.pack.locations[location]
    shown = f"{t.text('revisit', location=loc.name)} {loc.glimpse}" if revisit else loc.description
    lines = [story.until(shown, t.pack.events, t.state.clock + t.minutes)]
    items = [t.pack.items[i].name for i in t.state.items_in(t.pack, location)]
    if items:
        lines.append(f"You notice: {', '.join(items)}.")
    people = [t.pack.npcs[n].name for n in t.state.npcs_in(location)]
    if people:
        lines.append(f"{listing(people)} {'is' if len(people) == 1 else 'are'} here.")
    exits = list(loc.exits)
    lines.append(f"Exits: {', '.join(exits)}." if exits else "There is no obvious way out.")
    t.emit(EntryKind.ROOM, "\n".join(lines), title=loc.name)


def look(t: Turn) -> None:
    t.minutes = 0
    t.say(t.text("look"))
    describe_room(t, t.state.location)


def examine(t: Turn) -> None:
    t.minutes = 0
    noun = t.command.noun
    if noun is None or names_here(t, noun):
        look(t)
        return
    reach = t.reachable()
    seen = None if resolve(t.pack, noun, reach) else described(t.pack, t.state, noun)
    if seen is not None and noun not in PRONOUNS and noun not in t.forced:
        t.say(seen)
        return
    found = t.find(noun, reach)
    if found is None or respond(t, found):
        return
    if found.kind == "npc":
        npc = t.pack.npcs[found.id]
        feeling = mood(t.state.npcs[found.id].disposition)
        t.say(f"{npc.description}\n{npc.name} seems {feeling} toward you.")
        return
    t.say(t.text("examine", item=found.name))
    t.say(until(t.pack, t.state, t.pack.items[found.id].description))


def inventory(t: Turn) -> None:
    t.minutes = 0
    carried = [x.name for x in t.carried()]
    t.say(f"You are carrying: {', '.join(carried)}." if carried else "You are empty-handed.")


def quests(t: Turn) -> None:
    """The quests, then what is at stake in each conflict still alive."""
    t.minutes = 0
    lines = [] if t.pack.quests else ["There are no quests in this world."]
    for qid, quest in t.pack.quests.items():
        state = t.state.quests[qid]
        mark = "done" if state.done else f"{sum(state.met)}/{len(state.met)}"
        lines.append(f"[{mark}] {quest.title}: {quest.description}")
    for cid in stakes.live(t.pack, t.state):
        lines += ["", *stakes.at_stake(t.pack, t.state, cid)]
    t.notice("\n".join(lines))


def hint(t: Turn) -> None:
    t.minutes = 0
    found = hints.hint(t.pack, t.state)
    if found is None:
        t.notice(t.text("hint_none"))
        return
    if found.given is not None:
        t.effects.append(found.given)
    t.notice(found.text)


def clock_text(minutes: int) -> str:
    """`Day 1, 08:40` for minutes since midnight of day 1."""
    day, minute = divmod(minutes, 24 * 60)
    return f"Day {day + 1}, {minute // 60:02d}:{minute % 60:02d}"


def time_(t: Turn) -> None:
    t.minutes = 0
    t.notice(f"It is {clock_text(t.state.clock)}.")


RUMOURS_SHOWN = 12
"""Rumours the `rumors` command lists, newest first."""
BAR = 10


def rumors(t: Turn) -> None:
    t.minutes = 0
    heard = sorted(
        (g for g in t.state.gossip if g.heard is not None), key=lambda g: (-(g.heard or 0), g.id)
    )
    if not heard:
        t.notice("You haven't heard any rumours yet. People talk; stay near them and listen.")
        return
    lines = ["Rumours you have heard, newest first:"]
    told = [
        f"- {g.topic[:1].upper()}{g.topic[1:]} ({g.type}, from {teller})"
        for g in heard
        for teller in [t.pack.npcs[g.teller].name if g.teller in t.pack.npcs else "someone"]
    ]
    lines += list(dict.fromkeys(told))[:RUMOURS_SHOWN]  # the same word from the same mouth once
    t.notice("\n".join(lines))


def reputation(t: Turn) -> None:
    """Reputation as bars, then how each faction's people feel about the player."""
    t.minutes = 0
    lines = ["How people see you:"]
    for dim, value in t.state.reputation.items():
        filled = round(value * BAR)
        lines.append(f"  {dim:<12} {'#' * filled}{'.' * (BAR - filled)} {value:.2f}")
    standing = [f"  {name}: {feeling}" for name, feeling in standings(t.pack, t.state)]
    if standing:
        lines += ["Standing with the factions:", *standing]
    ties = [
        f"  {t.pack.factions[a].name} and {t.pack.factions[b].name}: {tie(value)}"
        for key, value in sorted(t.state.relations.items())
        for a, b in [key.split("|")]
        if a in t.pack.factions and b in t.pack.factions
    ]
    if ties:
        lines += ["Between the factions:", *ties]
    t.notice("\n".join(lines))


def standings(pack: WorldPack, state: GameState) -> list[tuple[str, str]]:
    """(faction name, mood) for each faction with members: how its people feel about you."""
    found = []
    for fid, faction in pack.factions.items():
        members = [n for n, npc in pack.npcs.items() if npc.faction == fid]
        if members:
            feeling = sum(state.npcs[n].disposition for n in members) / len(members)
            found.append((faction.name, mood(feeling)))
    return found


def tie(relation: float) -> str:
    """A word for how two factions stand: alliance at one end, enmity at the other."""
    return band(relation, ("sworn enemies", "at odds", "wary", "friendly", "allies"))


LOOK = Verb(
    names.LOOK,
    ("look", "l", "look around", "what is here", "what is around"),
    look,
    syntax=Syntax(
        handovers=(
            Handover(frozenset({"at"}), names.EXAMINE),
            Handover(frozenset({"in", "into", "inside", "under", "behind"}), names.SEARCH),
        )
    ),
    help="look (l)",
    narrated=Narrated.ALWAYS,
    after_ending=True,
    palette="Look around",
    judged=False,
)
EXAMINE = Verb(
    names.EXAMINE,
    ("examine", "x", "look at", "inspect", "check", "study"),
    examine,
    syntax=Syntax((Slot(Kind.IN_REACH),)),
    help="examine THING (x)",
    after_ending=True,
    judged=False,
)
INVENTORY = answer(
    "inventory",
    (
        "inventory",
        "i",
        "inv",
        "check pockets",
        "empty pockets",
        "what do i have",
        "what have i got",
        "what am i carrying",
        "what am i holding",
        "check what i am carrying",
        "check what i have",
        "check inventory",
        "check my inventory",
        "show inventory",
        "show my inventory",
        "my inventory",
    ),
    inventory,
    help="inventory (i)",
    palette="What you carry",
)
QUESTS = answer(
    "quests",
    ("quests", "quest", "journal", "j", "what are my quests", "what is my quest", "my quests"),
    quests,
    help="quests",
    palette="Your quests so far",
)
TIME = answer(
    "time",
    ("time", "clock", "t", "what time is it", "what is the time", "what hour is it"),
    time_,
    help="time",
)
RUMORS = answer(
    "rumors",
    ("rumors", "rumours", "rumor", "rumour", "gossip"),
    rumors,
    help="rumors",
    palette="What you have overheard",
)
REPUTATION = answer(
    "reputation",
    ("reputation", "rep", "standing"),
    reputation,
    help="reputation",
    palette="How people see you",
)

HINT = Verb(
    "hint",
    ("hint", "hints", "clue"),
    hint,
    help="hint",
    narrated=Narrated.NEVER,
    after_ending=True,
    counts=False,
    palette="A hint: what to do next",
)

FAMILY = Family("Look", (LOOK, EXAMINE, INVENTORY, QUESTS, TIME, RUMORS, REPUTATION, HINT))
