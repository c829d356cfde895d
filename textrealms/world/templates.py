"""Template placeholders: checked once at load, filled by plain substitution at play.

Pack text is data. Templates are never passed to `str.format`, so no attribute access,
indexing, conversions or width specs (`{npc:>999999999}`) can reach Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

PLACEHOLDERS = frozenset(
    {
        "player",
        "npc",
        "their",
        "them",
        "item",
        "target",
        "location",
        "direction",
        "topic",
        "faction",
        "conflict",
    }
)
"""`{their}` and `{them}` are `{npc}`'s pronouns (possessive and object)."""

_FORMATTER = Formatter()


def template_problem(text: str) -> str | None:
    """Why `text` is not a valid template, or None when it is."""
    try:
        parts = list(_FORMATTER.parse(text))
    except ValueError as exc:
        return f"{exc} (write '{{{{' and '}}}}' for literal braces)"
    for _literal, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in PLACEHOLDERS:
            if field.split(".")[0].split("[")[0] in PLACEHOLDERS:
                return f"placeholder '{{{field}}}': attribute and index access are not allowed"
            allowed = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
            return f"unknown placeholder '{{{field}}}' (allowed: {allowed})"
        if spec or conversion:
            return f"placeholder '{{{field}}}' may not have a format spec or conversion"
    return None


def render(text: str, values: Mapping[str, str]) -> str:
    """Fill a checked template; a placeholder with no value reads as an empty string."""
    out: list[str] = []
    for literal, field, _spec, _conversion in _FORMATTER.parse(text):
        out.append(literal)
        if field is not None:
            out.append(values.get(field, ""))
    return "".join(out)
