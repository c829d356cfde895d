"""A loopback OpenAI-compatible server that tests and the benchmark point real clients at.

`LoopbackServer` speaks the chat-completions protocol as the real servers do and injects
any fault in `FAULTS` on demand; `prose(body)` is the text it answers a prose request with.

The server's names load it (and aiohttp's web stack) on first use, so that what only
needs the fault names, such as `textrealms llm-server`'s parser, starts fast.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from textrealms.llm.testing.answers import prose
from textrealms.llm.testing.faults import FAULTS

if TYPE_CHECKING:
    from textrealms.llm.testing.delivery import Latency
    from textrealms.llm.testing.server import LoopbackServer, Received

__all__ = ["FAULTS", "Latency", "LoopbackServer", "Received", "prose"]
SERVED = {"Latency": "delivery", "LoopbackServer": "server", "Received": "server"}
"""Each of the server's names, by the module that holds it."""


def __getattr__(name: str) -> Any:
    if name in SERVED:
        return getattr(import_module(f"{__name__}.{SERVED[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
