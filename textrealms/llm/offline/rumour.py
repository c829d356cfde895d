"""Gossip passed on to the player (`Rumour`), in the teller's manner and by its kind."""

from __future__ import annotations

from textrealms.llm.offline.shaping import bare, cap, clip, shorten, tidy
from textrealms.llm.offline.voice import Voice, gesture, own_gesture, speech_verb, voice
from textrealms.llm.offline.writer import Writer, fill, slots, variants
from textrealms.llm.tasks import Rumour
from textrealms.world.templates import render

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
    if not _topic(task.topic):
        return clip(tidy(f"{v.name} starts to say something, then thinks better of it."))
    return w.fresh(lambda: clip(tidy(_told(w, task, v))), v.body)


def _told(w: Writer, task: Rumour, v: Voice) -> str:
    about_you = task.about == "player"
    about = w.pack.npcs.get(task.about)
    topic = _topic(task.topic)
    speech = _gossip_speech(w, task.gossip_type, topic, about.name if about else None, about_you)
    said = _pack_gossip(w, task.gossip_type, topic, v.name) if not about_you else None
    if said is not None:
        return said
    mood = w.pick(v.moods)
    _finite, participle = gesture(w, v, mood)
    values = {
        "name": v.name,
        "Name": v.name,
        "gesture": own_gesture(w, v, mood, task.gestures),
        "participle": participle,
        "speech": speech,
        "tagged": _tag_speech(speech),
        "says": speech_verb(w, mood, 0.0),
        "eagerness": _eagerness(w, v, w.pack.npcs[task.teller].gossip_tendency),
    }
    return render(w.pick(RUMOUR_FRAMES), values)


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
    options = [v for v in variants(w.pack, f"gossip.{kind}") if slots(v) == {"topic"}]
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


def _tag_speech(speech: str) -> str:
    """Speech as it stands before 'she says': a closing full stop becomes a comma."""
    return speech[:-1] + "," if speech.endswith(".") else speech
