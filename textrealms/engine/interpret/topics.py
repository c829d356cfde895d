"""What a phrase asks about, as the rules resolve it (`textrealms.engine.topics`, the one
table of what can be asked about): anything of the pack by name or alias, or a topic the
person asked has a reply for.

The interpreter reads topics out of sentences with it ("ask hobb what he knows about the
witch"); a topic's identity ("npc:wenna", "topic:locker") is what two phrases share when
they ask about the same thing.
"""

from __future__ import annotations

from textrealms.engine import topics
from textrealms.engine.packwise import per_pack
from textrealms.world.schema import WorldPack


@per_pack
def _entities(pack: WorldPack) -> dict[tuple[str, ...], str]:
    """Every name and alias of what can be asked about (`textrealms.engine.topics`), as
    words, with the identity it names ("npc:wenna")."""
    return {name: f"{ref.kind}:{ref.id}" for name, ref in topics.index(pack).items()}


def identity(pack: WorldPack, npc: str | None, phrase: str) -> str | None:
    """What `phrase` asks `npc` about, or None if it is not a topic as a whole.

    The topic `npc` has a reply for comes first, named by the one it is about if it is
    about someone or something of the pack ("witch" is Wenna Rooke, asked of Hobb); then
    whatever the phrase names. A phrase of words that name nothing ("if he killed
    tamsin") is no topic, though a word of it is.
    """
    said = topics.words(phrase)
    if not said:
        return None
    entities = _entities(pack)
    entity = entities.get(tuple(said))
    if npc is not None:
        keys = {k.lower() for k in pack.npcs[npc].topics}
        known = {w for name in entities for w in name} | keys
        if entity is not None or len(said) == 1 or all(w in known for w in said):
            topic = topics.topic_for(topics.topic_names(pack, npc), " ".join(said))
            if topic is not None:
                return entities.get((topic.lower(),), f"topic:{topic.lower()}")
    return entity


def mentioned(pack: WorldPack, npc: str | None, sentence: list[str]) -> str | None:
    """The words of `sentence` that name a topic, the last one named: "ask lark who sends
    her the roses" asks about the roses. After "about", only what follows it counts."""
    if "about" in sentence:
        sentence = sentence[len(sentence) - sentence[::-1].index("about") :]
    spoken = topics.bare(sentence)
    keys = {k.lower() for k in pack.npcs[npc].topics} if npc is not None else set()
    entities = _entities(pack)
    for end in range(len(spoken), 0, -1):
        for start in range(end):
            span = tuple(spoken[start:end])
            if span in entities or (len(span) == 1 and span[0] in keys):
                return " ".join(span)
            one = span[0].removesuffix("s") if len(span) == 1 else ""
            if (one,) in entities or one in keys:  # "the ashbys"
                return one
    return None
