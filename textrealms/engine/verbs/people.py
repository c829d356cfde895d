"""People: talking to them, asking them about things, and saying something aloud."""

from __future__ import annotations

from collections.abc import Mapping

from textrealms.engine.entries import EntryKind
from textrealms.engine.scope import Thing, resolve, words
from textrealms.engine.turn import Turn
from textrealms.engine.verbs import names
from textrealms.engine.verbs.verb import Family, Kind, Narrated, Slot, Syntax, Verb
from textrealms.world import effects as fx
from textrealms.world import flags
from textrealms.world.conditions import first_line


def someone(t: Turn, phrase: str | None, question: str) -> Thing | None:
    """The NPC a phrase names, or the only one here when there is no phrase."""
    people = t.people()
    if phrase is not None:
        return t.find(phrase, people, missing="There is no {phrase} here.")
    if len(people) == 1:
        return t.remember(people[0])
    t.notice("There is no one here." if not people else question)
    return None


def talk(t: Turn) -> None:
    npc = someone(t, t.command.noun, "Talk to whom?")
    if npc is None:
        return
    t.effects.append(fx.SetFlag(flags.talked(npc.id)))
    t.say(t.text_about("talk", npc.id))
    greeting = first_line(t.pack.npcs[npc.id].greeting, t.state)
    if greeting is not None:
        t.emit(EntryKind.SPEECH, greeting, speaker=npc.name)


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
    npc = someone(t, npc_phrase, "Ask whom?")
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
        t.say(t.text_about("ask_unknown", npc.id, topic=topic))
        return
    reply = first_line(topics[key], t.state)
    if reply is None:
        t.say(t.text_about("topic_spent", npc.id, topic=key))
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


TALK = Verb(
    "talk",
    ("talk to", "talk with", "talk", "speak to", "speak with", "speak", "greet"),
    talk,
    syntax=Syntax((Slot(Kind.PERSON),), fillers=frozenset({"to", "with"})),
    help="talk to PERSON",
    narrated=Narrated.ALWAYS,
)
ASK = Verb(
    "ask",
    ("ask",),
    ask,
    syntax=Syntax((Slot(Kind.PERSON), Slot(Kind.TOPIC, ("about", "of")))),
    help="ask PERSON about TOPIC",
    narrated=Narrated.ALWAYS,
)
SAY = Verb(
    names.SAY,
    ("say", "shout", "whisper"),
    say,
    syntax=Syntax((Slot(Kind.TEXT),)),
    help='say "..."',
    narrated=Narrated.ALWAYS,
)

FAMILY = Family("People", (TALK, ASK, SAY))
