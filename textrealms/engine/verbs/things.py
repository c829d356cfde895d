"""Things: taking (from someone, too), dropping, putting, giving and using them, wearing,
eating and drinking them."""

from __future__ import annotations

from textrealms.engine.scope import Thing, named, resolve, thing
from textrealms.engine.turn import Turn
from textrealms.engine.verbs import names
from textrealms.engine.verbs.acts import Act, refuse, respond, someone
from textrealms.engine.verbs.verb import Family, Handover, Kind, Slot, Syntax, Verb
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
    if respond(t, x):
        return
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
        if not respond(t, x):
            t.effects.append(fx.PlaceItem(x.id, f"room:{t.state.location}"))
            t.say(t.text("drop", item=x.name))


def take_from(t: Turn) -> None:
    """`take X from Y`: from a person, only if the pack says they hand it over; from a
    thing here, what is here."""
    noun, second = t.command.noun, t.command.second
    if noun is None or second is None:
        t.minutes = 0
        t.notice("Take what, and from whom?")
        return
    holder = t.find(second, t.reachable())
    if holder is None:
        return
    if holder.kind == "item":
        found = t.find(noun, t.in_room())
        if found is not None:
            _take(t, found)
        return
    held = [thing(t.pack, "item", i) for i, at in t.state.items.items() if at == f"npc:{holder.id}"]
    item = next(iter(resolve(t.pack, noun, held)), None)
    if not respond(t, item, holder):
        t.minutes = 0
        t.say(t.text_about("take_from", holder.id))


def put(t: Turn) -> None:
    """`put X in Y`: what the pack says, else what using X on Y does, else X is set down
    by Y (there is nothing inside anything)."""
    if t.command.noun is None:
        t.minutes = 0
        t.notice("Put what, and where?")
        return
    item = t.find(t.command.noun, t.carried(), missing="You aren't carrying any {phrase}.")
    if item is None:
        return
    if t.command.second is None:
        t.minutes = 0
        t.notice(f"Put the {item.name} where?")
        return
    target = t.find(t.command.second, t.reachable())
    if target is None or respond(t, item, target) or used_on(t, item, target):
        return
    if target.kind == "npc" and item.id in t.pack.npcs[target.id].wants:
        give(t)  # "plug the ethics module back into MOTH": handing it what it wants
        return
    if target.kind == "npc":
        t.minutes = 0
        t.say(t.text_about("person", target.id))
        return
    t.effects.append(fx.PlaceItem(item.id, f"room:{t.state.location}"))
    t.say(t.text("put", item=item.name, target=target.name))


def give(t: Turn) -> None:
    if t.command.noun is None:
        t.notice("Give what, and to whom?")
        return
    item = t.find(t.command.noun, t.carried(), missing="You aren't carrying any {phrase}.")
    if item is None:
        return
    npc = someone(t, t.command.second, f"Give the {item.name} to whom?")
    if npc is None or respond(t, item, npc):
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
    if not respond(t, item, other):
        using(t, item, other)


def used_on(t: Turn, item: Thing, other: Thing) -> bool:
    """Play a verb with two objects as using one on the other, when the pack's `use` of
    either names the other as its target (`unlock door with key`, `show grain to wenna`,
    `put cell in console`); whether it did."""
    for first, second in ((item, other), (other, item)):
        spec = t.pack.items[first.id].use if first.kind == "item" else None
        if spec is not None and spec.target == second.id:
            using(t, first, second)
            return True
    return False


def using(t: Turn, item: Thing, other: Thing | None) -> None:
    """Use `item` (on `other`), as the pack's `use` of either says."""
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
    syntax=Syntax(
        (Slot(Kind.IN_REACH),),
        handovers=(
            Handover(frozenset({"from"}), names.TAKE_FROM, "within"),
            Handover(frozenset({"off"}), names.TAKE_OFF, "last"),
        ),
    ),
    help="take THING",
)
TAKE_FROM = Verb(
    names.TAKE_FROM,
    ("take from",),
    take_from,
    syntax=Syntax((Slot(Kind.IN_REACH), Slot(Kind.IN_REACH, ("from",)))),
    help="take THING from PERSON",
)
DROP = Verb(
    "drop",
    ("drop", "put down", "discard"),
    drop,
    syntax=Syntax((Slot(Kind.CARRIED),)),
    help="drop THING",
)
PUT = Verb(
    "put",
    ("put", "place", "insert", "slot", "plug", "install", "slide", "fit", "stick", "tuck"),
    put,
    syntax=Syntax(
        (
            Slot(Kind.CARRIED),
            Slot(Kind.IN_REACH, ("in", "into", "inside", "on", "onto", "under", "behind")),
        ),
        handovers=(
            Handover(frozenset({"on"}), names.WEAR, "last"),
            Handover(frozenset({"down"}), "drop", "last"),
        ),
    ),
    help="put THING in THING",
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

WEAR = Verb(
    names.WEAR,
    ("wear", "put on", "don"),
    Act(refuse("wear")),
    syntax=Syntax((Slot(Kind.IN_REACH),)),
    help="wear THING, put on THING",
)
TAKE_OFF = Verb(
    names.TAKE_OFF,
    ("take off", "remove", "doff"),
    Act(refuse("take_off")),
    syntax=Syntax(
        (Slot(Kind.IN_REACH),),
        fillers=frozenset({"off"}),
        handovers=(Handover(frozenset({"from"}), names.TAKE_FROM, "within"),),
    ),
    help="take off THING (remove)",
)
EAT = Verb(
    "eat",
    ("eat", "taste"),
    Act(refuse("eat")),
    syntax=Syntax((Slot(Kind.IN_REACH),)),
    help="eat THING",
)
DRINK = Verb(
    "drink",
    ("drink", "sip", "swig", "quaff"),
    Act(refuse("drink")),
    syntax=Syntax((Slot(Kind.IN_REACH),), fillers=frozenset({"from"})),
    help="drink THING",
)

FAMILY = Family("Things", (TAKE, TAKE_FROM, DROP, PUT, GIVE, USE, WEAR, TAKE_OFF, EAT, DRINK))
