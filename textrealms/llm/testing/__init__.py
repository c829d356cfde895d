"""A loopback OpenAI-compatible server that tests and the benchmark point real clients at.

`LoopbackServer` speaks the chat-completions protocol as the real servers do and injects
any fault in `FAULTS` on demand; `prose(body)` is the text it answers a prose request with.
"""

from textrealms.llm.testing.answers import prose
from textrealms.llm.testing.faults import FAULTS
from textrealms.llm.testing.server import Latency, LoopbackServer, Received

__all__ = ["FAULTS", "Latency", "LoopbackServer", "Received", "prose"]
