"""What the engine checks of a pack beyond the world layer, which cannot know the
engine's own names: the verbs an `on` table answers (an error for one the game does not
have), and what people's own lines name that no one can ask them about (a warning).

`validate` and play load every pack with `CHECKS`.
"""

from __future__ import annotations

from textrealms.engine import topics
from textrealms.engine.mentions import mentions
from textrealms.engine.verbs.registry import VERBS
from textrealms.engine.verbs.verb import Kind
from textrealms.world.loader import EngineChecks, Sections
from textrealms.world.problems import Problem, suggest
from textrealms.world.raw import RawPack
from textrealms.world.schema import Lines, WorldPack

OBJECTS = frozenset({Kind.IN_REACH, Kind.CARRIED, Kind.PERSON})
HOOKED = frozenset(
    verb.name
    for verb in VERBS
    if not verb.session and any(slot.kind in OBJECTS for slot in verb.syntax.slots)
)
"""The verbs a thing or a person can answer: those done to something."""


def verb_names(raw: RawPack, sections: Sections) -> list[Problem]:
    """An `on` table names a verb done to something, one the game has."""
    problems = []
    for section in ("items", "npcs"):
        for entry, model in sections[section].items():
            for verb in model.on:
                if verb not in HOOKED:
                    problems.append(
                        Problem(
                            raw.file_of(section, entry),
                            f"{section}.{entry}.on.{verb}",
                            f"no verb '{verb}' that is done to something" + suggest(verb, HOOKED),
                        )
                    )
    return problems


def unaskable(raw: RawPack, pack: WorldPack) -> list[Problem]:
    """Each name, quoted word or invited topic in a person's own lines (greeting, topic
    replies) that no one can ask them about."""
    problems = []
    for npc_id, npc in pack.npcs.items():
        said: dict[str, str] = {}
        own: list[tuple[str, Lines]] = [("greeting", npc.greeting)]
        own += [(f"topics.{key}", topic.reply) for key, topic in npc.topics.items()]
        for key, lines in own:
            for line in lines:
                for mention in mentions(line.text):
                    said.setdefault(mention, key)
        for mention, key in said.items():
            if topics.subject(pack, npc_id, mention) is None:
                problems.append(
                    Problem(
                        raw.file_of("npcs", npc_id),
                        f"npcs.{npc_id}.{key}",
                        f"names '{mention}', which {npc.name} cannot be asked about "
                        "(give one of their topics that alias)",
                    )
                )
    return problems


CHECKS = EngineChecks(verb_names, unaskable)
