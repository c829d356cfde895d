"""Reading a world pack folder: merge its TOML files, validate, report every problem at once.

Each entry (`npcs.oda`, `locations.inn`, ...) is validated on its own so that one broken
entry does not hide the problems of the others, and every problem names the file that
defined the key.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from textrealms.world import checks, schema
from textrealms.world.problems import PackError, Problem, from_validation, suggest
from textrealms.world.raw import RawPack

_SYNTAX = re.compile(
    r"^(?P<msg>.*?)\s*\(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$"
)
_LEXICON: TypeAdapter[dict[str, list[str]]] = TypeAdapter(dict[str, list[str]])
_ALL_SECTIONS = (*schema.SINGLES, *schema.SECTIONS, "lexicon")


def _known_keys() -> frozenset[str]:
    names: set[str] = set()
    for model in vars(schema).values():
        if isinstance(model, type) and issubclass(model, BaseModel):
            names.update(f.alias or n for n, f in model.model_fields.items())
    return frozenset(names)


KNOWN_KEYS = _known_keys()


def read_pack(folder: Path) -> RawPack:
    """Parse and merge every `*.toml` directly in `folder`, in file-name order."""
    raw = RawPack(folder)
    if not folder.exists():
        raw.problems.append(Problem(str(folder), "", "no such folder"))
        return raw
    if not folder.is_dir():
        raw.problems.append(
            Problem(str(folder), "", "not a folder (a world pack is a folder of .toml files)")
        )
        return raw
    files = sorted(p for p in folder.glob("*.toml") if p.is_file())
    if not files:
        raw.problems.append(Problem(str(folder), "", "no .toml files in this folder"))
    for path in files:
        _merge_file(raw, path)
    return raw


def _merge_file(raw: RawPack, path: Path) -> None:
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raw.problems.append(Problem(name, "", "not UTF-8 text (is this a TOML file?)"))
        return
    except tomllib.TOMLDecodeError as exc:
        raw.problems.append(Problem(name, "", _syntax_message(str(exc))))
        return
    except OSError as exc:
        raw.problems.append(Problem(name, "", f"cannot read: {exc.strerror or exc}"))
        return
    for section, value in data.items():
        if section not in _ALL_SECTIONS:
            raw.problems.append(
                Problem(name, section, "unknown section" + suggest(section, _ALL_SECTIONS))
            )
            continue
        if not isinstance(value, dict):
            raw.problems.append(Problem(name, section, f"must be a table ([{section}])"))
            continue
        merged = raw.data.setdefault(section, {})
        for key, entry in value.items():
            first = raw.origin.get((section, key))
            if first is not None:
                raw.problems.append(Problem(name, f"{section}.{key}", f"also defined in {first}"))
                continue
            merged[key] = entry
            raw.origin[(section, key)] = name


def _syntax_message(message: str) -> str:
    match = _SYNTAX.match(message)
    if match is None:
        return f"TOML syntax error: {message}"
    if match["line"] is None:
        return f"TOML syntax error at the end of the file: {match['msg']}"
    return f"TOML syntax error at line {match['line']}, column {match['col']}: {match['msg']}"


def _validate_single(raw: RawPack, section: str, model: type[BaseModel]) -> Any:
    data = raw.data.get(section)
    if data is None:
        if section in ("world", "start"):
            raw.problems.append(Problem(str(raw.folder), section, f"missing section [{section}]"))
            return None
        return model()
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        _add_located(raw, section, from_validation(exc, (section,), "", KNOWN_KEYS))
        return None


_ENTRY = re.compile(r"^[^.]+\.([^.\[]+)")


def _add_located(raw: RawPack, section: str, problems: list[Problem]) -> None:
    """Name the file that defined the first key under `section` in each problem's path."""
    for problem in problems:
        match = _ENTRY.match(problem.key)
        file = raw.file_of(section, match[1] if match else None)
        raw.problems.append(Problem(file, problem.key, problem.message))


def _validate_entries(raw: RawPack, section: str, model: type[BaseModel]) -> dict[str, Any]:
    valid: dict[str, Any] = {}
    for key, data in raw.data.get(section, {}).items():
        file = raw.file_of(section, key)
        if not re.match(schema.ID_PATTERN, key):
            raw.problems.append(
                Problem(file, f"{section}.{key}", "ids are lowercase letters, digits, '_' and '-'")
            )
            continue
        if not isinstance(data, dict):
            raw.problems.append(
                Problem(file, f"{section}.{key}", f"must be a table ([{section}.{key}])")
            )
            continue
        try:
            valid[key] = model.model_validate(data)
        except ValidationError as exc:
            raw.problems.extend(from_validation(exc, (section, key), file, KNOWN_KEYS))
    return valid


def load_pack(folder: Path | str) -> schema.WorldPack:
    """Load and check a pack; raise `PackError` with every problem found."""
    raw = read_pack(Path(folder))
    if not raw.data and raw.problems:
        raise PackError(raw.problems)
    singles = {name: _validate_single(raw, name, model) for name, model in schema.SINGLES.items()}
    sections = {
        name: _validate_entries(raw, name, model) for name, model in schema.SECTIONS.items()
    }
    lexicon: dict[str, list[str]] = {}
    if "lexicon" in raw.data:
        try:
            lexicon = _LEXICON.validate_python(raw.data["lexicon"])
        except ValidationError as exc:
            _add_located(raw, "lexicon", from_validation(exc, ("lexicon",), "", KNOWN_KEYS))
    if not raw.data.get("locations"):
        raw.problems.append(
            Problem(str(raw.folder), "locations", "a pack needs at least one location")
        )
    known = {name: set(raw.data.get(name, {})) for name in schema.SECTIONS}
    raw.problems.extend(checks.cross_references(raw, singles, sections, known))
    if raw.problems:
        raise PackError(raw.problems)
    return schema.WorldPack.read_from(raw.folder, {**singles, **sections, "lexicon": lexicon})
