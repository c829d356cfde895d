"""Lines said to someone rather than commands: "MOTH, what really happened to the tug?",
"how's your shoulder, chief?", "what does she know about the bread?", "what is the
lumen?" put to whoever the player is talking with. Each becomes asking that person about
what the line names, or talking to them when it names nothing they could be asked about.
"""

from __future__ import annotations

from textrealms.engine.interpret import nouns, topics
from textrealms.engine.interpret.reading import Reader, Reading
from textrealms.engine.interpret.scene import Scene
from textrealms.engine.interpret.words import DETERMINERS, wordset
from textrealms.engine.scope import Thing, resolve
from textrealms.engine.verbs.registry import BY_NAME

QUESTIONS = wordset("what whats who why how where when which whose whether if")
ASKING = wordset("does do did would will can could is are")
"""Words that open a question put to someone: "does maud know about tamsin"."""
GREET = "greet"
GREETINGS = tuple(
    sorted((p for p in BY_NAME[GREET].phrases if p != GREET), key=lambda p: -len(p.split()))
)
"""The ways of saying hello, longest first: the greet verb's words, but "greet" itself."""
THANKS = wordset("thank thanks cheers")
_SUBJECTS = wordset("he she him her they them")


def interlocutor(scene: Scene) -> Thing | None:
    """Whom a question with no name in it is put to: the one person here, else the one
    here the player spoke of last."""
    if len(scene.people) == 1:
        return scene.people[0]
    last = scene.state.context.last_noun
    return next((p for p in scene.people if p.id == last), None)


def addressee(scene: Scene, clause: list[str]) -> Thing | None:
    """The person here a clause is nothing but the name of ("moth", "chief", "maud")."""
    said = [w for w in clause if w not in ("the", "you", "dear", "my")]
    if not said or len(said) > 3:
        return None
    found = resolve(scene.pack, " ".join(said), scene.people)
    return found[0] if len(found) == 1 else None


def put_to(reader: Reader, npc: Thing, said: list[str]) -> Reading | None:
    """What a clause said to `npc` asks of them: a greeting, thanks, a question about what
    it names, or else a word with them ("hobb, put the torch down")."""
    if not said or greeting(said) is not None or said[0] in THANKS:
        return reader.reading(GREET, npc)
    topic = topics.mentioned(reader.scene.pack, npc.id, said)
    if topic is not None:
        return reader.reading("ask", npc, topic)
    return reader.reading("talk", npc)


def greeting(said: list[str]) -> list[str] | None:
    """The words after a greeting the clause opens with; None if it opens with none."""
    for words in GREETINGS:
        opening = words.split()
        if said[: len(opening)] == opening:
            return said[len(opening) :]
    return None


def asked_of_someone(reader: Reader, said: list[str]) -> Reading | None:
    """A question with nobody named in it, put to the person it speaks of by pronoun
    ("what does she know about the bread") or to the one the player talks with ("what is
    the lumen?", "where is tamsin?")."""
    scene = reader.scene
    if said[:2] in (["what", "is"], ["what", "are"]) and len(said) > 2:
        things = nouns.find(scene, said[2:], scene.reachable)
        if len(things) == 1:
            return reader.reading("examine", things[0])
    for i, word in enumerate(said[1:4], start=1):
        if word in _SUBJECTS:
            meant = scene.referent(word, scene.people)
            if len(meant) == 1:
                return put_to(reader, meant[0], said[i + 1 :])
    npc = interlocutor(scene)
    if npc is None:
        return None
    topic = topics.mentioned(scene.pack, npc.id, said[1:])
    if topic is None and "about" in said[:-1]:  # "what do you know about the meteorite"
        asked = [w for w in said[said.index("about") + 1 :] if w not in DETERMINERS]
        topic = " ".join(asked) or None
    return None if topic is None else reader.reading("ask", npc, topic)
