"""Going to a place further off than the next room ("go to the tavern" from the mill): the
shortest way there through places already seen, by exits open now, a turn a step. The
place itself may be one not yet seen next to them ("go to the pawnshop" from the
harbour's far end, its description having named the pawnshop west).

A place beyond what has been seen has no known way; one walled off by a shut way has none
open. Either is said at once, and takes no turn.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace

from textrealms.engine.interpret.reading import Question, Reading
from textrealms.engine.interpret.scene import Scene
from textrealms.engine.parser import parse
from textrealms.engine.scope import words
from textrealms.world import flags
from textrealms.world.schema import Direction


def walk(scene: Scene, place: list[str]) -> Reading | None:
    """The steps to the place `place` names (every word in its name), or why there are
    none; None if it names no place, or the one the player stands in."""
    pack, state = scene.pack, scene.state
    named = [
        loc
        for loc, where in pack.locations.items()
        if place and all(w in words(where.name) for w in place)
    ]
    if not named or state.location in named:
        return None
    seen = [loc for loc in named if flags.visited(loc) in state.flags]
    steps = _shortest(scene, set(named))
    if steps is None and not seen:
        name = pack.locations[named[0]].name
        return Reading(
            question=Question(f"You haven't been to {name} yet; you don't know the way.")
        )
    if steps is None:
        name = pack.locations[seen[0]].name
        return Reading(question=Question(f"You know no open way from here to {name}."))
    commands = [parse(f"go {d}") for d in steps]
    commands[0] = replace(commands[0], understood=f"(walking: {', '.join(steps)})")
    return Reading(tuple(commands), walk=True)


def _shortest(scene: Scene, targets: set[str]) -> list[Direction] | None:
    """The directions of the fewest steps to one of `targets`, by open exits through
    places already seen (a target need not have been)."""
    pack, state = scene.pack, scene.state
    came: dict[str, tuple[str, Direction] | None] = {state.location: None}
    queue = deque([state.location])
    while queue:
        here = queue.popleft()
        if here in targets:
            steps: list[Direction] = []
            while (back := came[here]) is not None:
                here, direction = back[0], back[1]
                steps.append(direction)
            return steps[::-1]
        for direction, exit_ in pack.locations[here].exits.items():
            shut = exit_.requires_flag is not None and exit_.requires_flag not in state.flags
            known = flags.visited(exit_.to) in state.flags or exit_.to in targets
            if not shut and known and exit_.to not in came:
                came[exit_.to] = (here, direction)
                queue.append(exit_.to)
    return None
