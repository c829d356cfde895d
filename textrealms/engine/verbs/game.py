"""The game itself: saving, loading, undo and restart, which the `Session` answers
(`textrealms.engine.session`); a game played without one says they are not there."""

from __future__ import annotations

from textrealms.engine.turn import Turn
from textrealms.engine.verbs import names
from textrealms.engine.verbs.verb import Family, Kind, Narrated, Slot, Syntax, Verb


def without_session(t: Turn) -> None:
    t.minutes = 0
    t.notice("Saving, loading, undo and restart are not available in this game.")


def session_command(name: str, *, named: bool = False, palette: str | None = None) -> Verb:
    """A verb the `Session` answers, typed as its name, followed by a save's NAME if `named`."""
    return Verb(
        name,
        (name,),
        without_session,
        syntax=Syntax((Slot(Kind.TEXT),)) if named else Syntax(),
        help=f"{name} NAME" if named else name,
        narrated=Narrated.NEVER,
        counts=False,
        session=True,
        palette=palette,
        whole_line=True,
    )


FAMILY = Family(
    "Game",
    (
        session_command(names.SAVE, named=True),
        session_command(names.LOAD, named=True),
        session_command(names.SAVES, palette="List your saved games"),
        session_command(names.UNDO, palette="Take back the last turn"),
        session_command(names.RESTART),
    ),
)
