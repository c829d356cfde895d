"""What a noun phrase means when the parser's rule finds nothing: "the knot on the
poppet", "moth's lenses", "her brother's harmonica", "kye", "the card thing".

Readings go from sure to less sure, and the first that finds anything decides: a pronoun
or "the woman"; the parser's own rule on the words that are left once possessors and
determiners go; the thing most of the words name (typos forgiven); a word of one thing's
description. Several things found equally are for the player to choose between.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz.distance import OSA

from textrealms.engine.interpret.scene import Scene
from textrealms.engine.interpret.words import DETERMINERS, wordset
from textrealms.engine.packwise import per_pack
from textrealms.engine.scope import Thing, resolve, words
from textrealms.world.schema import WorldPack

IT = frozenset({"it", "that", "this", "them", "those", "these", "one"})
"""Words for a thing not named: with nothing spoken of before, the thing here."""
VAGUE = wordset(
    """thing things stuff object objects item items bit piece something one ones it
    that this there here with from of on in at for and or to by back up down out over
    away around again"""
)
"""Words that name nothing by themselves: "the card thing" is the card."""
KINDS: dict[str, frozenset[str]] = {
    kind: frozenset(members.split())
    for kind, members in {
        "drink": "ale beer wine whiskey whisky rye gin rum brandy mead cider coffee tea water "
        "flask jug bottle mug",
        "food": "bread loaf ration bar apple apples cheese meat stew noodles soup biscuit",
        "poison": "arsenic venom toxin paste",
        "weapon": "gun revolver pistol rifle knife dagger sword cudgel club axe",
        "gun": "revolver pistol rifle",
        "medicine": "stim ampoule painkiller pills remedy tonic salve",
        "drug": "stim ampoule painkiller pills",
        "money": "coin coins silver gold marks cash",
    }.items()
}
"""Words for a kind of thing, and the words of things of that kind: "a drink" may be the
jug of ale, "the poison" the arsenic."""
BODY = wordset(
    """hand hands face eyes eye arm arms shoulder shoulders jaw neck head hair knuckles
    fingers finger wrist wrists leg legs skin mouth lips expression back chest"""
)
"""Parts of a person: looking at someone's hands is looking at them."""
SOURCES = frozenset({"from", "off"})
"""Words after a thing's name that say whom or what it is taken from."""
LONG = 8
"""A word this long may have two slips in it."""
_SENTENCE = re.compile(r"(?<=[.!?])\s")


def typo(word: str, known: str) -> bool:
    """Whether `word` is `known` mistyped: one slip, or two in a long word (a swap of two
    letters is one slip); words under three letters are never guessed. Two slips in a word
    of six or seven letters make another word as often as not ("ladder", "ledger")."""
    if len(word) < 3 or word == known:
        return False
    return OSA.distance(word, known, score_cutoff=2) <= (1 if len(known) < LONG else 2)


@per_pack
def _named(pack: WorldPack) -> dict[str, frozenset[str]]:
    """Each thing's and person's words: of its name and its aliases (an id is the
    author's, and its words may name something else: `loft_slate` is no loft)."""
    found: dict[str, frozenset[str]] = {}
    for ident, (name, aliases) in _entries(pack).items():
        said = [name, *aliases]
        found[ident] = frozenset(w for one in said for w in words(one.replace("-", " ")))
    return found


def _entries(pack: WorldPack) -> dict[str, tuple[str, list[str]]]:
    """Each thing's and person's name and aliases, by id."""
    found = {i: (x.name, x.aliases) for i, x in pack.items.items()}
    return found | {i: (n.name, n.aliases) for i, n in pack.npcs.items()}


@per_pack
def _described(pack: WorldPack) -> dict[str, frozenset[str]]:
    """Each thing's and person's words of what it is: its description's first sentence."""
    described = {i: x.description for i, x in pack.items.items()}
    described |= {i: n.description for i, n in pack.npcs.items()}
    return {
        ident: frozenset(words(_SENTENCE.split(text, maxsplit=1)[0].replace("-", " ")))
        for ident, text in described.items()
    }


def find(scene: Scene, said: list[str], among: list[Thing]) -> list[Thing]:
    """The things among `among` that `said` most likely means: none, one, or a tie."""
    cut = next((i for i, w in enumerate(said) if i and w in SOURCES), None)
    if cut is not None:  # "the key from dunstan", "the key off oda": the thing is the key
        said = said[:cut]
    kept = [w for w in said if w not in DETERMINERS] or said[-1:]  # "her" alone: a person
    if len(kept) == 1 and kept[0] in IT | {"him", "her", "they", "guy", "man", "woman"}:
        return _referent(scene, kept[0], among)
    own = [w for w in kept if not w.endswith("'s") and w not in VAGUE]
    owner = [w.removesuffix("'s") for w in kept if w.endswith("'s")]
    if owner and own and all(w in BODY for w in own):  # "mabry's hands": Mabry
        return find(scene, owner, [t for t in among if t.kind == "npc"])
    if not own or strangers(scene, own, among):
        return []
    found = resolve(scene.pack, " ".join(own), among)
    if found:
        return found
    return _most_named(scene, own, among) or _described_once(scene, own, among)


@per_pack
def _people_words(pack: WorldPack) -> dict[str, frozenset[str]]:
    """Each word of a person's name or aliases, with the people it names."""
    found: dict[str, set[str]] = {}
    for ident, npc in pack.npcs.items():
        for name in [npc.name, *npc.aliases]:
            for word in words(name):
                found.setdefault(word, set()).add(ident)
    return {word: frozenset(people) for word, people in found.items()}


def strangers(scene: Scene, said: list[str], among: Sequence[Thing] = ()) -> set[str]:
    """The people not here (nor among `among`) whom words of `said` name: "offer dunstan a
    drink" where only the alewife is, is not about her."""
    named = _named(scene.pack)
    here = {w for t in [*scene.people, *among] for w in named[t.id]}
    by_word = _people_words(scene.pack)
    return {p for w in said if w not in here for p in by_word.get(w, ())}


def _referent(scene: Scene, word: str, among: list[Thing]) -> list[Thing]:
    meant = scene.referent(word, among)
    if meant or word not in IT:
        return meant
    return [t for t in among if t.kind == "item" and t not in scene.carried] or [
        t for t in among if t.kind == "item"
    ]


def _most_named(scene: Scene, said: list[str], among: list[Thing]) -> list[Thing]:
    """The things that the most of `said`'s words name, a plural forgiven; failing that, a
    typo too, when the words it names are at least half of them ("the cart track to the
    mill" is no festival bill for one word a slip from "mill"); of those, the ones its last
    word names, the noun the others qualify ("the picture frame" is a frame)."""
    named = _named(scene.pack)
    for loose in (False, True):
        scores = [(sum(_names(w, named[t.id], loose) for w in said), t) for t in among]
        best = max((s for s, _ in scores), default=0)
        if best and (not loose or best * 2 >= len(said)):
            found = [t for s, t in scores if s == best]
            return [t for t in found if _names(said[-1], named[t.id], loose)] or found
    return []


def _names(word: str, known: frozenset[str], loose: bool) -> bool:
    """Whether `word` is one of `known`, or a plural or kind of one; `loose`, also a typo
    of one."""
    if word in known or word.removesuffix("s") in known or f"{word}s" in known:
        return True
    if word in KINDS and known & KINDS[word]:
        return True
    return loose and any(typo(word, k) for k in known)


def _described_once(scene: Scene, said: list[str], among: list[Thing]) -> list[Thing]:
    """The one thing whose description says it is what `said` says (every word, or a
    longer form of it: "card" in "a palm-sized logic card"); several is too unsure to ask
    about. Among things and people,
    only things: a person is known by name ("the key" is not Dunstan, who wears one)."""
    described = _described(scene.pack)
    things = [t for t in among if t.kind == "item"] or among
    found = [
        t
        for t in things
        if all(
            any(d == w or (len(w) > 3 and d.startswith(w)) for d in described[t.id]) for w in said
        )
    ]
    return found if len(found) == 1 else []
