"""Things: taking, dropping, giving and using them."""

from __future__ import annotations

from textrealms.engine.scope import Thing, named
from textrealms.engine.turn import Turn
from textrealms.engine.verbs import names
from textrealms.engine.verbs.people import someone
from textrealms.engine.verbs.verb import Family, Kind, Slot, Syntax, Verb
from textrealms.world import effects as fx
from textrealms.world import flags
from textrealms.world.state import PLAYER

WANTED_GIFT = 0.3
"""Disposition gained when an NPC receives something they want."""


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


def give(t: Turn) -> None:
    if t.command.noun is None:
        t.notice("Give what, and to whom?")
        return
    item = t.find(t.command.noun, t.carried(), missing="You aren't carrying any {phrase}.")
    if item is None:
        return
    npc = someone(t, t.command.second, f"Give the {item.name} to whom?")
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
        t.react(
            t.text_about("give_wanted", npc.id, item=item.name),
            f"You give the {item.name} to {npc.name}.",
        )
    else:
        t.say(t.text_about("give", npc.id, item=item.name))


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


TAKE = Verb(
    "take",
    ("take", "get", "grab", "pick up", "pick", "pocket", "steal", "snatch", "swipe", "buy"),
    take,
    syntax=Syntax((Slot(Kind.IN_REACH),)),
    help="take THING",
)
DROP = Verb(
    "drop",
    ("drop", "put down", "discard"),
    drop,
    syntax=Syntax((Slot(Kind.CARRIED),)),
    help="drop THING",
)
GIVE = Verb(
    names.GIVE,
    ("give", "offer", "hand", "hand over"),
    give,
    syntax=Syntax((Slot(Kind.CARRIED), Slot(Kind.PERSON, ("to",)))),
    help="give THING to PERSON",
)
USE = Verb(
    "use",
    ("use", "apply", "operate", "play"),
    use,
    syntax=Syntax((Slot(Kind.IN_REACH), Slot(Kind.IN_REACH, ("on", "with", "at", "in")))),
    help="use THING [on THING]",
)

FAMILY = Family("Things", (TAKE, DROP, GIVE, USE))
