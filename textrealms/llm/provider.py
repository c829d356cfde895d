"""The interface every language-model provider implements: the offline narrator and HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol, TypeVar, runtime_checkable

from textrealms.llm.schemas import Answer
from textrealms.llm.tasks import Task
from textrealms.llm.usage import Usage

A = TypeVar("A", bound=Answer)


class ProviderError(Exception):
    """A provider could not answer; the caller uses the pack's template instead."""


class UnusableAnswer(ProviderError):
    """The model answered, but not in a form the game can use (no JSON, not the schema's
    shape, or dropped by its server for another request): no sign that it is failing,
    so it does not count against the model's health."""


@dataclass(frozen=True, slots=True)
class ProviderStatus:
    """What front ends show about the storyteller: its name, and whether it is degraded."""

    name: str
    degraded: bool = False
    """True while a failing model is bypassed and the offline narrator stands in."""
    reason: str | None = None
    """Why it is degraded, in a few words for the player."""


class Provider(Protocol):
    @property
    def name(self) -> str:
        """Shown to the player: "offline narrator", or the model's name."""
        ...

    def stream(self, task: Task) -> AsyncIterator[str]:
        """The answer as prose, in pieces as they are made (an async generator)."""
        ...

    async def complete(self, task: Task, schema: type[A]) -> A:
        """A structured answer, validated against `schema`."""
        ...

    async def aclose(self) -> None:
        """Release whatever the provider holds (connections, tasks)."""
        ...


@runtime_checkable
class Metered(Protocol):
    """A provider whose server reports token usage (the HTTP one)."""

    usage: Usage


@runtime_checkable
class Pooled(Protocol):
    """A provider that limits the requests it sends at once (the HTTP one)."""

    def room(self) -> int | None:
        """Requests it would send now without a wait; None before it knows its limit."""
        ...


@runtime_checkable
class Whole(Protocol):
    """A provider that can be asked for prose unstreamed (the HTTP one)."""

    def whole(self, task: Task) -> AsyncIterator[str]:
        """The answer as prose in one piece, for a caller nobody reads as it comes: one
        body to read, not a wake-up per token."""
        ...


@runtime_checkable
class Keyed(Protocol):
    """A provider that names its requests: equal keys mean equal requests on the wire."""

    def request_key(self, task: Task, schema: type[Answer] | None) -> str:
        """A stable hash of the request `task` becomes (with `schema`, a structured one)."""
        ...
