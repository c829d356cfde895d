"""A loopback OpenAI-compatible server that tests and the benchmark point real clients at.

`LoopbackServer` speaks the chat-completions protocol as the real servers do and injects
any fault in `FAULTS` on demand; `prose(body)` is the text it answers a prose request with.

The server's names load it (and aiohttp's web stack) on first use, so that what only
needs the fault names, such as `textrealms llm-server`'s parser, starts fast.
"""

from typing import TYPE_CHECKING, Any

from textrealms.llm.testing.answers import prose
from textrealms.llm.testing.faults import FAULTS

if TYPE_CHECKING:
    from textrealms.llm.testing.server import Latency, LoopbackServer, Received

__all__ = ["FAULTS", "Latency", "LoopbackServer", "Received", "prose"]
SERVED = frozenset({"Latency", "LoopbackServer", "Received"})


def __getattr__(name: str) -> Any:
    if name in SERVED:
        from textrealms.llm.testing import server  # noqa: PLC0415

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
