"""What the player did, told afresh (`Narrate`): the engine's line recognised as one of
the pack's templates and retold, with a sentence of the thing, the person or the place.

The tables are keyed by template key, which is also the verb for the simple actions, and
by the task's `verb` for the choices in a conflict (`CHOICE_AFTERMATH`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from string import Formatter

from textrealms.llm.offline.places import mood_sentence, place
from textrealms.llm.offline.shaping import cap, lower_start, mid, quote_player, sentences
from textrealms.llm.offline.voice import own_gesture, traits_phrase, voice
from textrealms.llm.offline.writer import Writer, fill, slots, variants
from textrealms.llm.tasks import Narrate
from textrealms.world.persona import fits
from textrealms.world.schema import WorldPack
from textrealms.world.story import until
from textrealms.world.templates import render

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
    "support": (
        "{npc} notices who stood beside {obj}.",
        "People see where you stand.",
        "Everyone marks which side you took.",
    ),
    "oppose": (
        "{npc} marks it, and will remember.",
        "People will remember who stood against {npc}.",
        "People will remember where you stood.",
        "Word of it will get around.",
    ),
}
"""What follows a choice; a choice aimed at someone the line does not name is told
without them."""

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
    for literal, field, _spec, _conversion in Formatter().parse(variant):
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
    frames: Sequence[str] = ACTIONS[pattern.key]
    person = voice(w.pack, task.subject) if task.subject in w.pack.npcs else None
    body = person.body if person is not None else "human"
    if person is not None:
        filled["pos"] = person.pos
        given = {k for k, x in filled.items() if x}
        fitting = [f for f in frames if fits(f, body)]
        frames = fitting if any(slots(f) <= given for f in fitting) else frames
    for name in ("location", "npc"):
        if name in filled:
            filled[name] = mid(filled[name])
    own = w.frame(frames, filled)
    others = [
        v
        for v in variants(w.pack, pattern.key)
        if v != pattern.variant and slots(v) <= set(values) and not slot and fits(v, body)
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
        extras.append(_person_detail(w, subject, task.gestures, named=named))
    if subject in w.pack.items:
        extras.append(_item_detail(w, subject, task.clock))
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


def _item_detail(w: Writer, ident: str, clock: int | None) -> str | None:
    shown = until(w.pack.items[ident].description, w.pack.events, clock)
    told = [s for s in sentences(shown) if len(s) <= 220]
    if not told:
        return None
    chosen = w.pick(told)
    low = lower_start(chosen)
    if low and w.chance(0.4):
        return f"Up close, {low}"
    return chosen


def _person_detail(w: Writer, ident: str, gestures: Sequence[str], *, named: bool) -> str:
    """What the NPC looks like doing it; by pronoun when the sentence before named them."""
    v = voice(w.pack, ident)
    told = [
        s
        for s in sentences(w.pack.npcs[ident].description)[1:]
        if len(s) <= 200 and s.split(" ", 1)[0].lower() in (v.subj, v.pos)
    ]
    if named and told and w.chance(0.5):
        return w.pick(told)
    finite = own_gesture(w, v, w.pick(v.moods), gestures)
    done = f"{v.subj} {v.does(finite)}" if named else f"{v.name} {finite}"
    return f"{cap(traits_phrase(w, v))}, {done}."
