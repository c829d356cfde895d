"""The offline narrator: the default provider, with no network and no key.

`OfflineNarrator` (in `narrator`) answers each task from the world pack. Its writing is
one module per kind of task (`describe`, `narrate`, `react`, `rumour`, `beat`), each with
the phrase tables it uses, over what they share: the `writer` that draws every choice
from the task's dice, a character's `voice`, a place's air (`places`) and the `shaping`
that tidies every line.
"""

from textrealms.llm.offline.narrator import OfflineNarrator

__all__ = ["OfflineNarrator"]
