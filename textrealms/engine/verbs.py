"""One handler per verb: read the turn's state, add effects and entries. No I/O."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textrealms.engine.entries import EntryKind
from textrealms.engine.scope import Thing, named, resolve, words
from textrealms.engine.simulation import flow
from textrealms.engine.turn import Turn
from textrealms.world import effects as fx
from textrealms.world import flags
from textrealms.world.conditions import first_line
from textrealms.world.schema import Direction, WorldPack
from textrealms.world.state import PLAYER, GameState
from textrealms.world.templates import render

MOVE_MINUTES = 10
WAIT_MINUTES = 30
WANTED_GIFT = 0.3
"""Disposition gained when an NPC receives something they want."""

SIDE_FLAGS = {"support": flags.supported, "oppose": flags.opposed}

CHOICE_LINES = {
    "escalate": "You press hard on {conflict}, and voices rise.",
    "deescalate": "You try to cool the tempers around {conflict}.",
    "negotiate": "You look for terms everyone in {conflict} could live with.",
    "submit": "You give ground in {conflict}.",
    "resist": "You dig in your heels over {conflict}.",
    "support": "You stand with {npc} in {conflict}.",
    "oppose": "You set yourself against {npc} in {conflict}.",
}


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


def _listing(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def describe_room(t: Turn, location: str) -> None:
    """The room as the player sees it: description, things, people, exits."""
    loc = t.pack.locations[location]
    lines = [loc.description]
    items = [t.pack.items[i].name for i in t.state.items_in(t.pack, location)]
    if items:
        lines.append(f"You notice: {', '.join(items)}.")
    people = [t.pack.npcs[n].name for n in t.state.npcs_in(location)]
    if people:
        lines.append(f"{_listing(people)} {'is' if len(people) == 1 else 'are'} here.")
    exits = list(loc.exits)
    lines.append(f"Exits: {', '.join(exits)}." if exits else "There is no obvious way out.")
    t.emit(EntryKind.ROOM, "\n".join(lines), title=loc.name)


def look(t: Turn) -> None:
    t.minutes = 0
    t.say(t.text("look"))
    describe_room(t, t.state.location)


def go(t: Turn) -> None:
    loc = t.pack.locations[t.state.location]
    direction = t.command.direction
    if direction is None and t.command.noun:
        direction = _direction_to(t, t.command.noun)
    if direction is None:
        t.notice("Which way? Try a direction such as north, or 'out'.")
        return
    exit_ = loc.exits.get(direction)
    if exit_ is None:
        t.say(t.text("go_blocked", direction=direction))
        return
    if exit_.requires_flag is not None and exit_.requires_flag not in t.state.flags:
        t.say(exit_.blocked or t.text("go_blocked", direction=direction))
        return
    t.minutes = MOVE_MINUTES
    t.effects += [fx.MovePlayer(exit_.to), fx.SetFlag(flags.visited(exit_.to))]
    t.say(t.text("go", direction=direction, location=t.pack.locations[exit_.to].name))
    describe_room(t, exit_.to)


def _direction_to(t: Turn, phrase: str) -> Direction | None:
    """`go tavern`: the exit whose destination the phrase names."""
    target = words(phrase)
    for direction, exit_ in t.pack.locations[t.state.location].exits.items():
        if target and all(w in words(t.pack.locations[exit_.to].name) for w in target):
            return direction
    return None


def examine(t: Turn) -> None:
    t.minutes = 0
    noun = t.command.noun
    here = words(t.pack.locations[t.state.location].name)
    if noun is None or noun in ("room", "around", "here", "area") or words(noun) == here:
        look(t)
        return
    found = t.find(noun, t.reachable())
    if found is None:
        return
    if found.kind == "npc":
        npc = t.pack.npcs[found.id]
        feeling = mood(t.state.npcs[found.id].disposition)
        t.say(f"{npc.description}\n{npc.name} seems {feeling} toward you.")
        return
    t.say(t.text("examine", item=found.name))
    t.say(t.pack.items[found.id].description)


def inventory(t: Turn) -> None:
    t.minutes = 0
    carried = [x.name for x in t.carried()]
    t.say(f"You are carrying: {', '.join(carried)}." if carried else "You are empty-handed.")


def take(t: Turn) -> None:
    noun = t.command.noun
    if noun is None:
        t.notice("Take what?")
        return
    if noun in ("all", "everything"):
        portable = [x for x in t.in_room() if t.pack.items[x.id].portable]
        if not portable:
            t.say("There is nothing here to take.")
        for x in portable:
            _take(t, x)
        return
    found = t.find(noun, t.reachable())
    if found is not None:
        _take(t, found)


def _take(t: Turn, x: Thing) -> None:
    if x.kind == "npc":
        t.say(f"{x.name} would not appreciate that.")
    elif t.state.items.get(x.id) == PLAYER:
        t.say(f"You already have the {x.name}.")
    elif not t.pack.items[x.id].portable:
        t.say(f"The {x.name} won't budge.")
    else:
        t.effects.append(fx.PlaceItem(x.id, PLAYER))
        t.say(t.text("take", item=x.name))


def drop(t: Turn) -> None:
    noun = t.command.noun
    if noun is None:
        t.notice("Drop what?")
        return
    targets = t.carried() if noun in ("all", "everything") else None
    if targets is None:
        found = t.find(noun, t.carried(), missing="You aren't carrying any {phrase}.")
        targets = [found] if found else []
    elif not targets:
        t.say("You are empty-handed.")
    for x in targets:
        t.effects.append(fx.PlaceItem(x.id, f"room:{t.state.location}"))
        t.say(t.text("drop", item=x.name))


def _someone(t: Turn, phrase: str | None, question: str) -> Thing | None:
    """The NPC a phrase names, or the only one here when there is no phrase."""
    people = t.people()
    if phrase is not None:
        return t.find(phrase, people, missing="There is no {phrase} here.")
    if len(people) == 1:
        return t.remember(people[0])
    t.notice("There is no one here." if not people else question)
    return None


def give(t: Turn) -> None:
    if t.command.noun is None:
        t.notice("Give what, and to whom?")
        return
    item = t.find(t.command.noun, t.carried(), missing="You aren't carrying any {phrase}.")
    if item is None:
        return
    npc = _someone(t, t.command.second, f"Give the {item.name} to whom?")
    if npc is None:
        return
    if item.id in t.pack.npcs[npc.id].wants:
        t.effects += [
            fx.PlaceItem(item.id, f"npc:{npc.id}"),
            fx.AdjustDisposition(npc.id, WANTED_GIFT),
            fx.AdjustReputation("nurturing", 0.05),
            fx.AdjustReputation("trustworthy", 0.05),
            fx.SetFlag(flags.gave(item.id, npc.id)),
        ]
        t.say(t.text("give_wanted", npc=npc.name, item=item.name))
    else:
        t.say(t.text("give", npc=npc.name, item=item.name))


def use(t: Turn) -> None:
    if t.command.noun is None:
        t.notice("Use what?")
        return
    item = t.find(t.command.noun, t.reachable("item"))
    if item is None:
        return
    other: Thing | None = None
    if t.command.second is not None:
        other = t.find(t.command.second, t.reachable())
        if other is None:
            return
    spec = t.pack.items[item.id].use
    if spec is None and other is not None and other.kind == "item":
        reverse = t.pack.items[other.id].use
        if reverse is not None and reverse.target == item.id:
            item, other, spec = other, item, reverse
    if spec is None:
        t.say(t.text("use_nothing", item=item.name))
        return
    target_name = ""
    if spec.target is not None:
        if (other is not None and other.id != spec.target) or not t.is_here(spec.target):
            t.say(t.text("use_nothing", item=item.name))
            return
        target_name = named(t.pack, spec.target).name
    elif other is not None:
        t.say(t.text("use_nothing", item=item.name))
        return
    if spec.sets_flag is not None and spec.sets_flag in t.state.flags:
        t.say("You have already done that.")
        return
    t.effects.append(fx.SetFlag(flags.used(item.id)))
    if spec.sets_flag is not None:
        t.effects.append(fx.SetFlag(spec.sets_flag))
    if spec.removes_item:
        t.effects.append(fx.PlaceItem(item.id, None))
    t.say(spec.message or t.text("use", item=item.name, target=target_name))


def talk(t: Turn) -> None:
    npc = _someone(t, t.command.noun, "Talk to whom?")
    if npc is None:
        return
    t.effects.append(fx.SetFlag(flags.talked(npc.id)))
    t.say(t.text("talk", npc=npc.name))
    t.emit(
        EntryKind.SPEECH, first_line(t.pack.npcs[npc.id].greeting, t.state) or "", speaker=npc.name
    )


def topic_for(topics: Mapping[str, object], phrase: str) -> str | None:
    """The topic key a phrase asks about: the whole phrase, else any of its words."""
    keys = {k.lower(): k for k in topics}
    phrase_words = words(phrase)
    joined = " ".join(phrase_words)
    if joined in keys:
        return keys[joined]
    for word in phrase_words:
        if word in keys:
            return keys[word]
    for word in phrase_words:
        if len(word) >= 3:
            for low, key in keys.items():
                if low.startswith(word) or word.startswith(low):
                    return key
    return None


def ask(t: Turn) -> None:
    npc_phrase, topic = t.command.noun, t.command.second
    if topic is None and npc_phrase is not None and not resolve(t.pack, npc_phrase, t.people()):
        npc_phrase, topic = None, npc_phrase
    npc = _someone(t, npc_phrase, "Ask whom?")
    if npc is None:
        return
    if topic is None:
        t.notice(f"Ask {npc.name} about what?")
        return
    _answer(t, npc, topic)


def _answer(t: Turn, npc: Thing, topic: str) -> None:
    topics = t.pack.npcs[npc.id].topics
    key = topic_for(topics, topic)
    if key is None:
        t.say(t.text("ask_unknown", npc=npc.name, topic=topic))
        return
    reply = first_line(topics[key], t.state)
    if reply is None:
        t.say(t.text("topic_spent", npc=npc.name, topic=key))
        return
    t.effects.append(fx.SetFlag(flags.asked(npc.id, key)))
    t.emit(EntryKind.SPEECH, reply, speaker=npc.name)


def say(t: Turn) -> None:
    text = t.command.text
    if not text:
        t.notice("Say what?")
        return
    t.say(f'You say, "{text}"')
    for person in t.people():
        key = topic_for(t.pack.npcs[person.id].topics, text)
        if key is not None:
            _answer(t, person, key)
            return


def wait(t: Turn) -> None:
    t.minutes = WAIT_MINUTES
    t.say(t.text("wait"))


def quests(t: Turn) -> None:
    t.minutes = 0
    if not t.pack.quests:
        t.notice("There are no quests in this world.")
        return
    lines = []
    for qid, quest in t.pack.quests.items():
        state = t.state.quests[qid]
        mark = "done" if state.done else f"{sum(state.met)}/{len(state.met)}"
        lines.append(f"[{mark}] {quest.title}: {quest.description}")
    t.notice("\n".join(lines))


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
    for g in heard[:RUMOURS_SHOWN]:
        teller = t.pack.npcs[g.teller].name if g.teller in t.pack.npcs else "someone"
        lines.append(f"- {g.topic[:1].upper()}{g.topic[1:]} ({g.type}, from {teller})")
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
        f"  {t.pack.factions[a].name} and {t.pack.factions[b].name}: {_tie(value)}"
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


def _tie(relation: float) -> str:
    """A word for how two factions stand: alliance at one end, enmity at the other."""
    return band(relation, ("sworn enemies", "at odds", "wary", "friendly", "allies"))


HELP = """Move: north/south/east/west (n s e w ne nw se sw), up/down (u d), in/out, go DIR
Look: look (l), examine THING (x), inventory (i), quests, time, rumors, reputation
Things: take THING, drop THING, give THING to PERSON, use THING [on THING]
People: talk to PERSON, ask PERSON about TOPIC, say "..."
Conflict: escalate, de-escalate (calm), negotiate, submit, resist, support PERSON, oppose PERSON
Other: wait (z), again (g), help, quit
Game: save NAME, load NAME, saves, undo, restart"""


def help_(t: Turn) -> None:
    t.minutes = 0
    t.notice(HELP)


def quit_(t: Turn) -> None:
    t.minutes = 0
    t.quit = True
    t.notice("Farewell.")


def session_only(t: Turn) -> None:
    """Saving, loading, undo and restart are the session's (`textrealms.engine.session`);
    a game played without one says so instead."""
    t.minutes = 0
    t.notice("Saving, loading, undo and restart are not available in this game.")


def unknown(t: Turn) -> None:
    t.minutes = 0
    line = t.text("unknown_verb")
    if t.command.suggestion:
        line += f" Did you mean '{t.command.suggestion}'?"
    t.say(line)


def _active_conflict(t: Turn, npc: str | None) -> str | None:
    active = [cid for cid, c in t.state.conflicts.items() if c.phase != "aftermath"]
    if npc is not None:
        for cid in active:
            if npc in t.pack.conflicts[cid].stakeholders:
                return cid
    here = set(t.state.npcs_in(t.state.location))
    for cid in active:
        if here & set(t.pack.conflicts[cid].stakeholders):
            return cid
    return active[0] if active else None


def conflict_choice(t: Turn) -> None:
    verb = t.command.verb
    npc: Thing | None = None
    if verb in ("support", "oppose"):
        npc = _someone(t, t.command.noun, f"{verb.capitalize()} whom?")
        if npc is None:
            return
    cid = _active_conflict(t, npc.id if npc else None)
    choice = flow.CHOICES[verb]
    for dimension, delta in choice.reputation.items():
        t.effects.append(fx.AdjustReputation(dimension, delta))
    if npc is not None:
        t.effects += [
            fx.SetFlag(SIDE_FLAGS[verb](npc.id)),
            fx.AdjustDisposition(npc.id, 0.2 if verb == "support" else -0.2),
        ]
    role = t.pack.conflicts[cid].stakeholders.get(npc.id) if cid and npc else None
    if cid is None or (npc is not None and role is None):
        if npc is None:
            t.say("There is no conflict here for you to take part in.")
        else:
            t.say(f"You make your feelings about {npc.name} plain.")
        return
    conflict = t.pack.conflicts[cid]
    momentum = flow.side_momentum(verb, role) if npc else choice.momentum
    for stakeholder, stake_role in conflict.stakeholders.items():
        shift = choice.dispositions.get(stake_role)
        if shift:
            t.effects.append(fx.AdjustDisposition(stakeholder, shift))
    t.say(render(CHOICE_LINES[verb], {"conflict": conflict.name, "npc": npc.name if npc else ""}))
    step = flow.advance(t.state.conflicts[cid], conflict.pacing, choice.intensity, momentum, t.dice)
    new = step.flow
    t.effects.append(fx.SetConflictFlow(cid, new.phase, new.intensity, new.momentum, new.progress))
    if step.left is not None:
        t.emit(
            EntryKind.CONFLICT,
            t.text(f"transition.{new.phase}", conflict=conflict.name),
            title=conflict.name,
        )


HANDLERS: dict[str, Callable[[Turn], None]] = {
    "look": look,
    "go": go,
    "examine": examine,
    "inventory": inventory,
    "take": take,
    "drop": drop,
    "give": give,
    "use": use,
    "talk": talk,
    "ask": ask,
    "say": say,
    "wait": wait,
    "quests": quests,
    "time": time_,
    "rumors": rumors,
    "reputation": reputation,
    "help": help_,
    "quit": quit_,
    **dict.fromkeys(("save", "load", "saves", "undo", "restart"), session_only),
    "unknown": unknown,
    **dict.fromkeys(flow.CHOICES, conflict_choice),
}
