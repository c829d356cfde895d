"""`validate` walks exits, locks and the flags that open them, and reports what no play
can reach: places, things, quests and endings."""

from __future__ import annotations

from pathlib import Path

import pytest

from textrealms.world.loader import load_pack
from textrealms.world.problems import PackError

PACK = """[world]
id = "walled"
name = "Walled"
description = "A pack with rooms behind doors."
version = "1.0.0"
format = {format}
intro = "You stand in a yard."

[start]
location = "yard"

[locations.yard]
name = "Yard"
description = "A yard with a locked gate north and a shed east."
exits = {{ north = {{ to = "keep", requires_flag = "gate_open" }}, east = "shed"{down} }}

[locations.shed]
name = "Shed"
description = "A shed."
exits = {{ west = "yard" }}
items = ["lever"]

[locations.keep]
name = "Keep"
description = "The keep."
exits = {{ south = "yard" }}
items = ["crown"]

[locations.vault]
name = "Vault"
description = "Walled up: no exit leads here."
exits = {{ up = "yard" }}
items = ["gem"]

[items.lever]
name = "lever"
description = "A lever."
[items.lever.use]
sets_flag = "gate_open"

[items.crown]
name = "crown"
description = "A crown."

[items.gem]
name = "gem"
description = "A gem."
{extra}
"""

GOOD = """
[quests.crown]
title = "The crown"
description = "Take the crown."
objectives = [{ has = "crown" }]
completion = "Yours."

[endings.king]
title = "King"
text = "You rule."
when = [{ quest_done = "crown" }]
"""


def write(tmp_path: Path, extra: str, *, format_: int = 1, down: str = "") -> Path:
    folder = tmp_path / "walled"
    folder.mkdir()
    (folder / "world.toml").write_text(PACK.format(extra=extra, format=format_, down=down))
    return folder


def problems(folder: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    return [f"{p.key}: {p.message}" for p in caught.value.problems]


def test_a_place_no_exit_reaches_and_what_lies_there(tmp_path: Path) -> None:
    assert problems(write(tmp_path, GOOD)) == [
        "locations.vault: no way in: no exit from the start reaches it, unlocked",
        "items.gem: out of reach: it lies only where the player can never go",
    ]


def test_a_lock_whose_flag_is_set_only_behind_it(tmp_path: Path) -> None:
    folder = write(tmp_path, GOOD)
    world = folder / "world.toml"
    world.write_text(
        world.read_text()
        .replace('items = ["lever"]', "")
        .replace('items = ["crown"]', 'items = ["crown", "lever"]')
    )
    found = problems(folder)
    assert "locations.keep: no way in: no exit from the start reaches it, unlocked" in found
    assert "endings.king: can never be reached: when[0] can never hold" in found


QUESTS = """
[quests.selfish]
title = "Selfish"
description = "Waits on itself."
objectives = [{ at = "shed" }, { quest_done = "selfish" }]
completion = "Never."

[quests.chicken]
title = "Chicken"
description = "Waits on egg."
objectives = [{ quest_done = "egg" }]
completion = "Never."

[quests.egg]
title = "Egg"
description = "Waits on chicken."
objectives = [{ quest_done = "chicken" }]
completion = "Never."

[endings.gem]
title = "Gem"
text = "Rich."
when = [{ has = "gem" }]
"""


def test_quests_that_wait_on_themselves_or_each_other_and_an_ending_out_of_reach(
    tmp_path: Path,
) -> None:
    found = problems(write(tmp_path, QUESTS))
    assert found[2:] == [
        "quests.selfish: can never be completed: objectives[1] can never hold",
        "quests.chicken: can never be completed: objectives[0] can never hold",
        "quests.egg: can never be completed: objectives[0] can never hold",
        "endings.gem: can never be reached: when[0] can never hold",
    ]


EVENTS = """
[events.thaw]
text = "The ice on the vault's door cracks."
after_turns = 5
sets_flags = ["vault_open"]
moves = { keeper = "vault" }

[npcs.keeper]
name = "Keeper"
description = "The keeper."
location = "shed"
personality = ["dour"]
social_role = "outsider"
decision_style = "rational"
gossip_tendency = 0.1
greeting = "Hm."
topics = {}

[endings.met]
title = "Met"
text = "You met the keeper in the vault."
when = [{ npc = "keeper", in = "vault" }, { event = "thaw" }]
"""


def test_events_set_flags_and_move_people_in_the_walk(tmp_path: Path) -> None:
    down = ', down = { to = "vault", requires_flag = "vault_open" }'
    pack = load_pack(write(tmp_path, EVENTS, format_=2, down=down))
    assert "met" in pack.endings


def test_a_place_only_people_are_put_in_is_no_problem_but_what_lies_there_is(
    tmp_path: Path,
) -> None:
    """Rainmouth's holding cells: no exit leads there, but an event puts a person in them."""
    assert problems(write(tmp_path, EVENTS, format_=2)) == [
        "items.gem: out of reach: it lies only where the player can never go"
    ]


def test_a_lock_opened_by_a_response_to_a_verb(tmp_path: Path) -> None:
    """A flag set only by an `on` response (pulling the lever, in format 2) opens the way:
    Kestrel's suit once sealed only through `on.wear`, and the walk did not see it."""
    folder = write(tmp_path, GOOD, format_=2)
    world = folder / "world.toml"
    world.write_text(
        world.read_text().replace(
            '[items.lever.use]\nsets_flag = "gate_open"',
            '[[items.lever.on.pull]]\ntext = "Clunk."\nsets_flags = ["gate_open"]',
        )
    )
    assert problems(folder) == [
        "locations.vault: no way in: no exit from the start reaches it, unlocked",
        "items.gem: out of reach: it lies only where the player can never go",
    ]
