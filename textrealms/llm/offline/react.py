"""An NPC's reaction to the player's deed (`React`): their line, and the small nudges to
disposition and stress their personality gives it.

The tables are keyed by the deed: the task's verb or conflict choice (`DEEDS`, `HOT`,
`COOL`), and by the kind of speech and how the deed lands (`SPEECH`).
"""

from __future__ import annotations

from collections.abc import Sequence

from textrealms.llm.offline.shaping import cap, clip, mid, tidy
from textrealms.llm.offline.voice import Voice, gesture, own_gesture, speech_verb, voice
from textrealms.llm.offline.writer import Writer
from textrealms.llm.tasks import React
from textrealms.world.schema import WorldPack
from textrealms.world.templates import render

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
        "Finally, somebody with a spine.",
        "That's the way. Keep at it.",
        "Let them choke on that.",
    ),
    ("hot", "displeased"): (
        "You'll get someone killed.",
        "That was a mistake, and you know it.",
        "Is that what you came here for?",
        "You're making it worse.",
        "Somebody will pay for that, and it won't be you.",
        "Stop. Just stop.",
    ),
    ("hot", "neutral"): (
        "Careful.",
        "Well. That's done now.",
        "Let's see where that gets us.",
        "Bold. We'll see if it's wise.",
        "That'll get a rise out of somebody.",
    ),
    ("cool", "pleased"): (
        "Thank you. That's the first sensible thing anyone has done all day.",
        "Good. Let's keep it that way.",
        "That took more nerve than shouting.",
        "Cooler heads. Good.",
        "Maybe there's a way through this after all.",
    ),
    ("cool", "displeased"): (
        "You'd give it all away for a quiet hour?",
        "Soft words won't mend this.",
        "So that's where you stand. Nowhere.",
        "Talking won't fix this.",
        "You think a kind word ends it?",
    ),
    ("cool", "neutral"): (
        "We'll see if it holds.",
        "Maybe. Maybe.",
        "Could work. Could not.",
        "Quieter, at least.",
    ),
    ("self", "pleased"): (
        "I won't forget that.",
        "You didn't have to do that.",
        "I'll remember who stood by me.",
        "That means more than you know.",
    ),
    ("self", "displeased"): (
        "So that's how it is.",
        "Remember you chose this.",
        "You'll wish you hadn't.",
        "I know where you stand now.",
    ),
    ("self", "neutral"): ("Noted.", "I see.", "Is that how it is."),
    ("for", "pleased"): (
        "{Target} needed someone.",
        "Good. {Target} deserves better.",
        "Someone had to stand by {target}.",
        "Good choice. {Target} is worth it.",
    ),
    ("for", "displeased"): (
        "{Target}? Of all people.",
        "You've picked {target}, then.",
        "{Target} will let you down.",
        "Backing {target}? Think again.",
    ),
    ("for", "neutral"): ("{Target}, is it?", "So. {Target}.", "{Target}. Interesting."),
    ("against", "pleased"): (
        "About time someone stood up to {target}.",
        "{Target} had that coming.",
        "{Target} won't like that. Good.",
    ),
    ("against", "displeased"): (
        "You'll regret crossing {target}.",
        "{Target} didn't deserve that.",
        "Leave {target} out of it.",
    ),
    ("against", "neutral"): (
        "Against {target}. Well.",
        "So it's {target} you've set against.",
        "Against {target}? Bold.",
    ),
    ("gift", "pleased"): ("For me? You're sure?", "That's... thank you.", "I'll keep it safe."),
    ("gift", "displeased"): ("What would I do with this?", "Keep it."),
    ("gift", "neutral"): ("Hm. Thank you, I suppose.", "If you like."),
    ("other", "pleased"): ("Good.", "I like the look of that.", "That'll do."),
    ("other", "displeased"): ("That wasn't yours to do.", "I'll remember that.", "Careless."),
    ("other", "neutral"): ("Is that so.", "We'll see.", "Hm."),
}

TONES: dict[str, tuple[str, ...]] = {
    "pleased": (
        "There is something close to gratitude in it.",
        "It is warmer than anything you have had on this road so far.",
        "Something in the set of it eases.",
        "Whatever else happens, this is remembered kindly.",
    ),
    "displeased": (
        "There is nothing friendly in it.",
        "Whatever it means, it is nothing good.",
        "It is the look people give a mistake.",
        "It will not be forgotten soon.",
    ),
    "neutral": (
        "What it means is anyone's guess.",
        "It gives nothing away.",
        "There is no telling yet what it means.",
        "It could go either way.",
    ),
}

UNSTEADY: dict[str, str] = {
    "human": "{Pos} hands are not quite steady.",
    "machine": "{Pos} lights will not quite settle.",
    "voice": "{Pos} voice is not quite steady.",
}

REACT_FRAMES = (
    "{Name} {gesture} as you {deed}. {tone}",
    '{Name} {gesture} as you {deed}. "{speech}"',
    '{Name} {says}, {participle}, as you {deed}: "{speech}"',
    '{Name} watches you {deed}, then {gesture}. "{speech}"',
    "{Name} {gesture} as you {deed}.",
)
"""Every line opens with the NPC's name: it is their reaction, told from where they stand."""


def react(w: Writer, task: React) -> tuple[str, float, float]:
    """An NPC's line, and the small nudges to disposition and stress it carries: their
    own line as the pack gives it, else one written afresh."""
    v = voice(w.pack, task.npc)
    target = w.pack.npcs.get(task.target or "")
    aimed = task.target == task.npc
    kin = kinship(w.pack, task.npc, task.target) if target and not aimed else 0.0
    disposition, stress = nudges(v.moods, task.deed, task.role, aimed=aimed, kin=kin)
    if task.own:
        return clip(tidy(task.fallback)), disposition, stress
    feeling = _feeling(disposition, task.disposition)
    line = w.fresh(lambda: _line(w, task, v, feeling), v.body)
    return clip(tidy(line)), disposition, stress


def _line(w: Writer, task: React, v: Voice, feeling: str) -> str:
    """The reaction written from the tables: what they do and say as you do what you did."""
    conflict = w.pack.conflicts.get(task.conflict or "")
    target = w.pack.npcs.get(task.target or "")
    aimed = task.target == task.npc
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
    _finite, participle = gesture(w, v, mood)
    values = {
        "name": v.name,
        "Name": v.name,
        "gesture": own_gesture(w, v, mood, task.gestures),
        "participle": participle,
        "deed": deed,
        "speech": speech,
        "says": speech_verb(w, mood, task.stress),
        "tone": _tone(w, v, feeling, task.stress),
    }
    return _role_line(w, task, v, deed) or render(w.pick(REACT_FRAMES), values)


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
        return render(UNSTEADY[v.body], {"Pos": cap(v.pos)})
    if stress <= 0.15 and w.chance(0.3):
        return "Nothing about it is hurried."
    return w.pick(TONES[feeling])


def _role_line(w: Writer, task: React, v: Voice, deed: str) -> str | None:
    """Sometimes the game's line for their part in the conflict (the task's fallback),
    set after what the player did."""
    if task.role is None or task.deed not in HOT | COOL | {"support"} or not w.chance(0.3):
        return None
    if not task.fallback.startswith(v.name):
        return None
    return f"{task.fallback} That is {v.pos} answer as you {deed}."
