"""Every fact a job's prompt carried before issue 18's cost cuts still reaches it.

`fixtures/prompt_facts.json` holds the 40 tasks of two seeded games against the loopback
server (emberfall's tour, kestrel-station's crowd with its reactions batched), with the
facts (the values in the prompt's data) that each task's prompt carried before the cuts:
docs/prompts/before.txt shows those prompts whole, and after.txt the same tasks' now.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from tests.helpers.paths import ROOT, TESTS
from textrealms.llm.prompts import PARTS, messages
from textrealms.llm.schemas import Answer, Assessment, Line, Reaction, Reactions
from textrealms.llm.tasks import Assess, Beat, Describe, Narrate, React, ReactAll, Rumour, Task
from textrealms.world.loader import load_pack
from textrealms.world.schema import WorldPack

KINDS: dict[str, type[Task]] = {
    t.kind: t for t in (Describe, Narrate, React, ReactAll, Rumour, Beat, Assess)
}
SCHEMAS: dict[str, type[Answer]] = {s.__name__: s for s in (Reaction, Reactions, Line, Assessment)}
JOBS: list[dict[str, Any]] = json.loads((TESTS / "fixtures" / "prompt_facts.json").read_text())


@cache
def world(name: str) -> WorldPack:
    return load_pack(ROOT / "worlds" / name)


def task_of(data: dict[str, Any]) -> Task:
    fields = {k: v for k, v in data.items() if k != "kind"}
    for name, value in fields.items():
        if isinstance(value, list):
            fields[name] = tuple(
                task_of(v) if isinstance(v, dict) else tuple(v) if isinstance(v, list) else v
                for v in value
            )
    return KINDS[data["kind"]](**fields)


def said(value: Any) -> list[str]:
    """Every value in a prompt's data, as its text."""
    if isinstance(value, dict):
        return [text for v in value.values() for text in said(v)]
    if isinstance(value, list):
        return [text for v in value for text in said(v)]
    return [] if value is None else [value if isinstance(value, str) else json.dumps(value)]


def data_of(prompt: list[dict[str, str]]) -> Any:
    user = prompt[-1]["content"]
    return json.loads(user[user.index("```json\n") + 8 : user.rindex("\n```")])


def test_the_games_asked_for_every_kind_of_job() -> None:
    assert {job["task"]["kind"] for job in JOBS} == set(KINDS)


@pytest.mark.parametrize(
    "job", JOBS, ids=[f"{j['world']}-{j['task']['turn']}-{j['task']['kind']}" for j in JOBS]
)
def test_every_fact_a_job_was_given_still_reaches_it(job: dict[str, Any]) -> None:
    task = task_of(job["task"])
    schema = SCHEMAS.get(job["schema"] or "")
    prompt = messages(world(job["world"]), task, schema, inline_schema=False)
    now = said(data_of(prompt))
    scenery = scenery_of(world(job["world"]), task)
    missing = [
        fact
        for fact in job["facts"]
        if fact not in scenery and not any(told(fact) in value for value in now)
    ]
    assert not missing


def told(fact: str) -> str:
    """How a fact reaches the prompt now: a stakeholder's role as their part in words (the
    role's name is the engine's, never the story's: issue 15), anything else as it was."""
    return PARTS.get(fact, fact)


def scenery_of(pack: WorldPack, task: Task) -> set[str]:
    """Facts a job was given that it does not need, cut on purpose: a judgement of a deed
    (assess) needs where it was done, not what the place looks like."""
    if isinstance(task, Assess):
        return {pack.locations[task.location].description}
    return set()
