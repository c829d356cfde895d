"""The circuit breaker's states, on a clock the test turns by hand."""

from __future__ import annotations

import pytest

from textrealms.llm.circuit import Circuit


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_trips_after_threshold_failures_in_a_row_only() -> None:
    circuit = Circuit(threshold=3, cooldown=10.0, clock=Clock())
    assert not circuit.failure("HTTP 503") and not circuit.failure("HTTP 503")
    assert not circuit.success()
    assert not circuit.failure("a") and not circuit.failure("b")
    assert circuit.failure("HTTP 502: the model is down")
    assert circuit.degraded and circuit.reason == "HTTP 502: the model is down"
    assert circuit.trips == 1


def test_one_probe_after_the_cooldown_then_back_or_open_again() -> None:
    clock = Clock()
    circuit = Circuit(threshold=1, cooldown=10.0, clock=clock)
    assert circuit.allow()
    circuit.failure("x")
    assert not circuit.allow()
    clock.now = 10.0
    assert circuit.allow()  # the probe
    assert not circuit.allow()  # only one at a time
    assert not circuit.failure("still down")  # no new change: still degraded
    assert not circuit.allow()  # and the cooldown starts again
    clock.now = 20.0
    assert circuit.allow()
    assert circuit.success()
    assert not circuit.degraded and circuit.reason is None
    assert circuit.allow() and circuit.allow()


def test_an_abandoned_probe_lets_another_through() -> None:
    clock = Clock()
    circuit = Circuit(threshold=1, cooldown=0.0, clock=clock)
    circuit.failure("x")
    assert circuit.allow() and not circuit.allow()
    circuit.abandon()
    assert circuit.allow()


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="threshold"):
        Circuit(threshold=0)
