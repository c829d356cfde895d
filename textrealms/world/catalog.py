"""Finding world packs: `./worlds` and the folders named in `TEXTREALMS_WORLDS`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from textrealms.world.loader import EngineChecks, load_pack
from textrealms.world.problems import PackError, Problem
from textrealms.world.schema import WorldPack

ENV_VAR = "TEXTREALMS_WORLDS"


@dataclass(frozen=True)
class PackInfo:
    """A pack found on disk: its headline, or the problems that keep it from loading."""

    id: str
    path: Path
    name: str = ""
    version: str = ""
    description: str = ""
    genre: str = ""
    problems: list[Problem] = field(default_factory=list)
    pack: WorldPack | None = field(default=None, repr=False)

    @property
    def valid(self) -> bool:
        return self.pack is not None


def search_dirs(cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> list[Path]:
    """Where packs are looked for, in order."""
    env = os.environ if environ is None else environ
    dirs = [(cwd or Path.cwd()) / "worlds"]
    dirs += [Path(p) for p in env.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    return dirs


def _is_pack(folder: Path) -> bool:
    try:
        return folder.is_dir() and any(folder.glob("*.toml"))
    except OSError:  # unreadable: not a pack anyone can play
        return False


def discover(dirs: list[Path], checks: EngineChecks | None = None) -> list[PackInfo]:
    """Every pack in `dirs` (a folder of packs, or a pack itself), each listed once."""
    found: list[PackInfo] = []
    seen: set[Path] = set()
    for folder in dirs:
        if not folder.is_dir():
            continue
        try:
            candidates = (
                [folder] if _is_pack(folder) else sorted(p for p in folder.iterdir() if _is_pack(p))
            )
        except OSError:  # a folder on the search path that cannot be listed holds no pack
            continue
        for path in candidates:
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            found.append(_info(path, checks))
    return found


def _info(path: Path, checks: EngineChecks | None) -> PackInfo:
    """The pack at `path`, or its problems: whatever is wrong with one pack, it is listed
    as broken, and the others load."""
    try:
        pack = load_pack(path, checks)
    except PackError as exc:
        return PackInfo(id=path.name, path=path, problems=exc.problems)
    except Exception as exc:  # a pack the loader cannot cope with is still only that pack
        problem = Problem(str(path), "", f"could not be loaded ({type(exc).__name__})")
        return PackInfo(id=path.name, path=path, problems=[problem])
    w = pack.world
    return PackInfo(
        id=w.id,
        path=path,
        name=w.name,
        version=w.version,
        description=w.description,
        genre=w.genre or "",
        pack=pack,
    )


def open_pack(
    id_or_path: str | None, dirs: list[Path], checks: EngineChecks | None = None
) -> WorldPack:
    """The pack a player asked for by id or folder, or the first valid one found.

    Raises `PackError` with a problem saying what was looked for and where.
    """
    if id_or_path is not None and (Path(id_or_path).is_dir() or os.sep in id_or_path):
        return load_pack(Path(id_or_path), checks)
    packs = discover(dirs, checks)
    where = ", ".join(str(d) for d in dirs)
    if id_or_path is None:
        for info in packs:
            if info.pack is not None:
                return info.pack
        raise PackError(
            [Problem(where, "", f"no valid world packs found (set {ENV_VAR} to folders of packs)")]
        )
    for info in packs:
        if info.id == id_or_path:
            if info.pack is None:
                raise PackError(info.problems)
            return info.pack
    known = ", ".join(i.id for i in packs) or "none"
    raise PackError(
        [Problem(id_or_path, "", f"no world pack with this id in {where} (found: {known})")]
    )
