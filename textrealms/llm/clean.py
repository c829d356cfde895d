"""Text made safe to show and to keep, by one rule for the whole game.

Pack text, player text and model text are shown literally: terminal escape sequences and
control characters are removed before anything reaches a terminal, a transcript or a
model's prompt. And text is valid Unicode from where it enters the game (`valid`): a
lone surrogate, which JSON can carry but UTF-8 cannot, would otherwise fail the write of
a save, a log line or a cache entry. It lives in the lowest layer that needs it: the
offline narrator cleans what it writes here, and the engine and the front ends import it.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def valid(text: str) -> str:
    """`text` as valid Unicode: each lone surrogate becomes U+FFFD, the replacement
    character. Model text (a JSON `\\ud800`), and player text, pass through this as
    they enter the game."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def clean(text: str) -> str:
    """`text` without escape sequences or control characters; newlines stay, and a tab is
    one space: it parts words, and no line the game shows keeps tab stops."""
    return _UNSAFE.sub("", valid(text).replace("\r\n", "\n").replace("\t", " "))
