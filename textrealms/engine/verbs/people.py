"""People: greeting and talking to them, asking and telling them about anything, showing
them things, saying something aloud, and (never to anyone's harm) attacking them."""

from __future__ import annotations

from textrealms.engine import knowledge, topics
from textrealms.engine.entries import EntryKind
from textrealms.engine.scope import Thing, resolve, thing
from textrealms.engine.simulation import lines
from textrealms.engine.turn import Turn
from textrealms.engine.verbs import names
from textrealms.engine.verbs.acts import Act, respond, someone
from textrealms.engine.verbs.things import used_on
from textrealms.engine.verbs.verb import Family, Handover, Kind, Narrated, Slot, Syntax, Verb
from textrealms.world import effects as fx
from textrealms.world import flags
from textrealms.world.conditions import all_hold, first_line


def talk(t: Turn) -> None:
    npc = someone(t, t.command.noun, "Talk to whom?")
    if npc is not None and not respond(t, npc):
        greet_(t, npc)


def greet_(t: Turn, npc: Thing) -> None:
    """Turn to a person, and hear their greeting."""
    t.effects.append(fx.SetFlag(flags.talked(npc.id)))
    t.say(t.text_about("talk", npc.id))
    greeting = first_line(t.pack.npcs[npc.id].greeting, t.state)
    if greeting is not None:
        t.emit(EntryKind.SPEECH, greeting, speaker=npc.name)


def greet(t: Turn) -> None:
    """`hello` (`hi maud`): the person named, or the only one here; as talking to them,
    unless the pack has them answer a greeting their own way."""
    if t.command.noun is None and not t.people():
        t.minutes = 0
        t.say("There is no one here to greet.")
        return
    npc = someone(t, t.command.noun, "Greet whom?")
    if npc is not None and not respond(t, npc) and not respond(t, npc, verb=names.TALK):
        greet_(t, npc)


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


def _answer(t: Turn, npc: Thing, phrase: str) -> None:
    """What a person says when asked about `phrase`: their written reply for it (or for
    what it names), the pack's response (`with` what it names), or what they know."""
    found = topics.subject(t.pack, npc.id, phrase)
    if found is None:
        t.say(t.text_about("ask_unknown", npc.id, topic=phrase))
        return
    about = found.about
    if (
        about is not None
        and about.kind in ("npc", "item")
        and respond(t, npc, thing(t.pack, about.kind, about.id))
    ):
        return
    if found.topic is not None:
        _reply(t, npc, found.topic, phrase)
        return
    seen = [n for n in found.elsewhere if flags.visited(t.state.npcs[n].location) in t.state.flags]
    line = knowledge.answer(
        t.pack, t.state, npc.id, about, t.dice, elsewhere=next(iter(seen), None)
    )
    if not line:  # nothing known, and whoever would know is not met yet
        t.say(t.text_about("ask_unknown", npc.id, topic=phrase))
        return
    t.effects.append(lines.told(line))
    t.say(line)


def _reply(t: Turn, npc: Thing, key: str, spoken: str | None = None) -> None:
    """A person's written reply on a topic of theirs; once told, not told again word for
    word ("harmonica", "danny kell" and "where is danny's body?" all asked Sol about Danny):
    they say they have said their piece, until a reply written for a later state is theirs."""
    written = t.pack.npcs[npc.id].topics[key].reply
    held = next((i for i, line in enumerate(written) if all_hold(line.when, t.state)), None)
    if held is None or flags.heard(npc.id, key, held) in t.state.flags:
        t.say(t.text_about("topic_spent", npc.id, topic=spoken or key))
        return
    reply = written[held].text
    t.effects.append(fx.SetFlag(flags.heard(npc.id, key, held)))
    t.effects.append(fx.SetFlag(flags.asked(npc.id, key)))
    t.emit(EntryKind.SPEECH, reply, speaker=npc.name)


def tell(t: Turn) -> None:
    """`tell X about Y` (`tell X that ...`): the pack's response to telling them (`on.tell`,
    `with` what is told about); else the player tells them and they take it in. A word
    that is theirs alone and names nothing of the world is heard as said to them (a
    password: "tell deacon I've come to hear the nocturne"), and answered."""
    npc_phrase, phrase = t.command.noun, t.command.second
    if npc_phrase is not None and phrase is None:
        npc_phrase, phrase = _told(t, npc_phrase)
    npc = someone(t, npc_phrase, "Tell whom?")
    if npc is None:
        return
    if phrase is None:
        t.notice(f"Tell {npc.name} about what?")
        return
    found = topics.subject(t.pack, npc.id, phrase)
    about = found.about if found is not None else None
    told = thing(t.pack, about.kind, about.id) if about and about.kind in ("npc", "item") else None
    if respond(t, npc, told):
        return
    said = about.name if about is not None else phrase
    t.say(t.text_about("tell", npc.id, topic=said))
    if found is not None and found.topic is not None and about is None:
        _reply(t, npc, found.topic, phrase)
    else:
        t.say(t.text_about("told", npc.id, topic=said))


def _told(t: Turn, phrase: str) -> tuple[str, str | None]:
    """`tell hobb the witch is innocent`: the person the first words name here, and what
    the rest says (the whole phrase, and nothing told, when no first words name one)."""
    said = phrase.split()
    for end in range(len(said) - 1, 0, -1):
        if len(resolve(t.pack, " ".join(said[:end]), t.people())) == 1:
            return " ".join(said[:end]), " ".join(said[end:])
    return phrase, None


def show(t: Turn) -> None:
    """`show X to Y`: the pack's response, else what using X on Y does, else Y's word on
    X, as if asked about it."""
    if t.command.noun is None:
        t.minutes = 0
        t.notice("Show what, and to whom?")
        return
    item = t.find(t.command.noun, t.reachable("item"))
    if item is None:
        return
    npc = someone(t, t.command.second, f"Show the {item.name} to whom?")
    if npc is None or respond(t, item, npc) or used_on(t, item, npc):
        return
    t.say(t.text_about("show", npc.id, item=item.name))
    _answer(t, npc, item.name)


def say(t: Turn) -> None:
    text = t.command.text
    if not text:
        t.notice("Say what?")
        return
    greeted = _greeted(t, text)
    if greeted is not None:  # "say hello to the doctor" is greeting her
        greet_(t, greeted)
        return
    t.say(f'You say, "{text}"')
    for person in t.people():
        key = topics.topic_for(topics.topic_names(t.pack, person.id), text)
        if key is not None:
            _reply(t, person, key)
            return


def _greeted(t: Turn, text: str) -> Thing | None:
    """The person here a greeting is said to ("hello to the doctor"), if it is one."""
    said, to, whom = text.lower().strip(" .!").partition(" to ")
    if not to or said.strip(" ,") not in GREET.phrases[1:]:
        return None
    found = resolve(t.pack, whom, t.people())
    return found[0] if len(found) == 1 else None


def _attack(t: Turn, found: Thing) -> None:
    """Nobody is hurt unless the pack says so: a person sees it coming, a thing is spared."""
    t.minutes = 0
    if found.kind == "npc":
        t.say(t.text_about("attack", found.id))
    else:
        t.say(t.text("attack_thing", item=found.name))


TALK = Verb(
    names.TALK,
    (
        "talk to",
        "talk with",
        "talk",
        "speak to",
        "speak with",
        "speak",
        "chat with",
        "chat to",
        "chat",
    ),
    talk,
    syntax=Syntax(
        (Slot(Kind.PERSON),),
        fillers=frozenset({"to", "with"}),
        handovers=(Handover(frozenset({"about"}), "ask", "within"),),
    ),
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

GREET = Verb(
    "greet",
    (
        "greet",
        "hello",
        "hi",
        "hey",
        "good morning",
        "good afternoon",
        "good evening",
        "good day",
        "good night",
        "howdy",
        "greetings",
        "morning",
        "evening",
        "afternoon",
    ),
    greet,
    syntax=Syntax((Slot(Kind.PERSON),)),
    help="hello [PERSON] (hi)",
    narrated=Narrated.ALWAYS,
)
TELL = Verb(
    "tell",
    ("tell", "inform"),
    tell,
    syntax=Syntax((Slot(Kind.PERSON), Slot(Kind.TOPIC, ("about", "that", "of")))),
    help="tell PERSON about TOPIC",
    narrated=Narrated.ALWAYS,
)
SHOW = Verb(
    "show",
    ("show", "present"),
    show,
    syntax=Syntax((Slot(Kind.IN_REACH), Slot(Kind.PERSON, ("to",)))),
    help="show THING to PERSON",
    narrated=Narrated.ALWAYS,
)
ATTACK = Verb(
    "attack",
    (
        "attack",
        "hit",
        "punch",
        "kick",
        "strike",
        "slap",
        "fight",
        "kill",
        "arrest",
        "tackle",
        "smash",
        "break",
        "stab",
        "shoot",
        "murder",
        "assault",
    ),
    Act(_attack),
    syntax=Syntax((Slot(Kind.IN_REACH),)),
    help="attack PERSON (hit)",
)

FAMILY = Family("People", (TALK, GREET, ASK, TELL, SHOW, SAY, ATTACK))
