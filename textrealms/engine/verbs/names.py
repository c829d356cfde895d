"""Names of the verbs that code outside their own objects singles out.

The simulation, the job planner, the session and the front ends refer to a verb by its
name here, never by a string of their own; this module imports nothing, so the
simulation can read it without loading the handlers.
"""

from __future__ import annotations

GO = "go"
LOOK = "look"
EXAMINE = "examine"
GIVE = "give"
SAY = "say"
WAIT = "wait"
AGAIN = "again"
SEARCH = "search"
TAKE_FROM = "take_from"
TAKE_OFF = "take_off"
WEAR = "wear"
TALK = "talk"
UNKNOWN = "unknown"
"""What a line parses to when no verb starts it."""

ESCALATE = "escalate"
DEESCALATE = "deescalate"
NEGOTIATE = "negotiate"
SUBMIT = "submit"
RESIST = "resist"
SUPPORT = "support"
OPPOSE = "oppose"

SAVE = "save"
LOAD = "load"
SAVES = "saves"
UNDO = "undo"
RESTART = "restart"

EMPTY = "empty"
"""What a blank line parses to: not a verb; playing it changes nothing."""
