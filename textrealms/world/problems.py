"""Load-time problems in a world pack, phrased for the author who has to fix them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from pydantic_core import ErrorDetails

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: where (file and key path) and what."""

    file: str
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}: " if self.key else f"{self.file}: "
        return where + self.message


class PackError(Exception):
    """A pack that cannot be loaded, with every problem found in it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def dotted(path: KeyPath) -> str:
    """`("npcs", "oda", "wants", 0)` -> `npcs.oda.wants[0]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def suggest(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for a close match, else the empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _phrase(error: ErrorDetails, fields: Iterable[str]) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    value = error.get("input")
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unknown key" + suggest(str(error["loc"][-1]), fields)
    if kind in ("less_than_equal", "less_than"):
        return f"{_show(value)} is too large (at most {ctx.get('le', ctx.get('lt'))})"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{_show(value)} is too small (at least {ctx.get('ge', ctx.get('gt'))})"
    if kind == "string_pattern_mismatch" and ":" in str(ctx.get("pattern", "")):
        return f"{_show(value)} is not a time of day (HH:MM, from 00:00 to 23:59)"
    if kind == "string_pattern_mismatch":
        return f"{_show(value)} is not a valid id (lowercase letters, digits, '_' and '-')"
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        return f"{_show(value)} is not one of {expected}" + suggest(str(value), options)
    if kind == "too_short":
        return "must not be empty"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg'].lower()}, got {_show(value)}"


def from_validation(
    error: ValidationError, prefix: KeyPath, file: str, known_keys: Iterable[str]
) -> list[Problem]:
    """Turn pydantic's errors for one pack entry into problems keyed by full path.

    `known_keys` are the keys the entry's models allow, so an unknown key can be answered
    with the nearest allowed one.
    """
    known = list(known_keys)
    problems: list[Problem] = []
    for detail in error.errors():
        loc = tuple(p for p in detail["loc"] if not _is_noise(p))
        if detail["type"] == "missing":
            key = dotted(prefix + loc[:-1])
            problems.append(Problem(file, key, f"missing key '{loc[-1]}'"))
            continue
        problems.append(Problem(file, dotted(prefix + loc), _phrase(detail, known)))
    return problems


def _is_noise(part: str | int) -> bool:
    """Pydantic's own path steps: the branch of `X | None` it tried (e.g. 'Exit'), `[key]`."""
    return isinstance(part, str) and (part[:1].isupper() or part == "[key]")
