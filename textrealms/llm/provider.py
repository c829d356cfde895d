"""The interface every language-model provider implements: the offline narrator and HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol, TypeVar

from textrealms.llm.schemas import Answer
from textrealms.llm.tasks import Task

A = TypeVar("A", bound=Answer)


class ProviderError(Exception):
    """A provider could not answer; the caller uses the pack's template instead."""


class Provider(Protocol):
    name: str
    """Shown to the player: "offline narrator", or the model's name."""

    def stream(self, task: Task) -> AsyncIterator[str]:
        """The answer as prose, in pieces as they are made (an async generator)."""
        ...

    async def complete(self, task: Task, schema: type[A]) -> A:
        """A structured answer, validated against `schema`."""
        ...

    async def aclose(self) -> None:
        """Release whatever the provider holds (connections, tasks)."""
        ...
