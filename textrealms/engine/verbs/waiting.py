"""`wait`: half an hour, a while (`wait 2 hours`), or until a time of day (`wait until
evening`, `wait until 21:00`); a wait stops early at a timed event or its warning, so the
player is there when it comes.
"""

from __future__ import annotations

import re

from textrealms.engine.simulation.timeline import next_stop
from textrealms.engine.turn import Turn

WAIT_MINUTES = 30
DAY = 24 * 60
TIMES: dict[str, int] = {
    "dawn": 6 * 60,
    "sunrise": 6 * 60,
    "morning": 8 * 60,
    "noon": 12 * 60,
    "midday": 12 * 60,
    "afternoon": 15 * 60,
    "evening": 18 * 60,
    "dusk": 19 * 60,
    "sunset": 19 * 60,
    "nightfall": 20 * 60,
    "night": 21 * 60,
    "midnight": 0,
}
"""Times of day a player may wait until, as minutes after midnight."""
UNTIL = ("until", "till", "til", "to")
UNITS = {"minute": 1, "minutes": 1, "min": 1, "mins": 1, "hour": 60, "hours": 60, "hr": 60}
CANNOT = (
    "You can wait until a time of day (morning, noon, evening, midnight, or a time like "
    "21:00), or for a while (wait 2 hours)."
)
LONGEST = DAY
"""The longest a single wait may last."""


def wait(t: Turn) -> None:
    words = (t.command.noun or "").split()
    if words[:1] == ["for"]:
        words = words[1:]
    until = words[:1] != [] and words[0] in UNTIL
    if until:
        words = words[1:]
    at = _time_of_day(words) if until else TIMES.get(" ".join(words))
    span = _span(words)
    if at is not None:
        _wait_until(t, _next(t.state.clock, at), " ".join(words))
    elif span is not None and 0 < span <= LONGEST:
        _wait_for(t, span)
    elif until or span is not None:
        t.minutes = 0
        t.notice(CANNOT)
    else:
        _wait_for(t, WAIT_MINUTES)


def _wait_for(t: Turn, minutes: int) -> None:
    """Wait `minutes`, or less if something the player should see comes first."""
    stop = next_stop(t.pack, t.state, t.state.clock + minutes - 1)
    t.minutes = minutes if stop is None else stop - t.state.clock
    if stop is not None:
        t.say(f"You wait until {_clock(stop)}; then something makes you look up.")
    elif minutes == WAIT_MINUTES:
        t.say(t.fresh("wait"))
    else:
        t.say(f"You wait until {_clock(t.state.clock + minutes)}.")


def _wait_until(t: Turn, at: int, said: str) -> None:
    """Wait until minute `at`, or less if something comes first."""
    stop = next_stop(t.pack, t.state, at - 1)
    t.minutes = (stop or at) - t.state.clock
    if stop is not None:
        t.say(f"You wait until {_clock(stop)}; then something makes you look up.")
    else:
        t.say(f"You wait until {said if said in TIMES else _clock(at)}.")


def _next(clock: int, minute_of_day: int) -> int:
    """The next time after `clock` the day reaches `minute_of_day`."""
    today = clock - clock % DAY + minute_of_day
    return today if today > clock else today + DAY


def _time_of_day(words: list[str]) -> int | None:
    """A time of day named ("evening"), written ("21 00", from "21:00"), or on the clock
    face ("9 pm", "9pm", "9 o clock"), as minutes after midnight."""
    text = " ".join(words).removeprefix("the ")
    if text in TIMES:
        return TIMES[text]
    found = re.fullmatch(r"(\d{1,2})(?: (\d{2}))? ?(am|pm|o clock)?", text)
    if found is None:
        return None
    hour, minute, half = int(found[1]), int(found[2] or 0), found[3]
    if half in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


def _span(words: list[str]) -> int | None:
    """A while to wait ("2 hours", "20 minutes", "an hour"), in minutes."""
    if len(words) != 2 or words[1] not in UNITS:
        return None
    count = {"a": 1, "an": 1}.get(words[0])
    if count is None and words[0].isdigit():
        count = int(words[0])
    return None if count is None else count * UNITS[words[1]]


def _clock(minutes: int) -> str:
    return f"{(minutes // 60) % 24:02d}:{minutes % 60:02d}"
