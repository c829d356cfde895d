"""The SSE decoder: the same events however the bytes are cut, whatever the line endings."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textrealms.llm.sse import Event, SseDecoder, SseError

STREAM = (
    ": OPENROUTER PROCESSING\n\n"
    'data: {"a": 1}\n\n'
    "event: message\nid: 7\nretry: 100\n\n"
    "data: line one\ndata: line two\n\n"
    'data: {"b": "é"}\n\n'
    "data: [DONE]"
)
EXPECTED = [
    Event(comment="OPENROUTER PROCESSING"),
    Event(data='{"a": 1}'),
    Event(data="line one\nline two"),
    Event(data='{"b": "é"}'),
    Event(data="[DONE]"),
]


def decode(pieces: list[bytes], max_event: int = 1 << 20) -> list[Event]:
    decoder = SseDecoder(max_event)
    events = [e for piece in pieces for e in decoder.feed(piece)]
    return events + list(decoder.close())


def cut(blob: bytes, points: list[int]) -> list[bytes]:
    marks = sorted({0, len(blob), *(p % (len(blob) + 1) for p in points)})
    return [blob[a:b] for a, b in itertools.pairwise(marks)]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
@given(points=st.lists(st.integers(min_value=0, max_value=10_000), max_size=30))
def test_events_survive_any_chunking_and_line_ending(newline: str, points: list[int]) -> None:
    blob = STREAM.replace("\n", newline).encode()
    assert decode(cut(blob, points)) == EXPECTED


LINE = st.binary(max_size=40).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b""))


@given(
    lines=st.lists(st.one_of(st.just(b""), LINE.map(lambda b: b"data: " + b)), max_size=20),
    points=st.lists(st.integers(min_value=0, max_value=2_000), max_size=20),
)
def test_lf_alone_and_crlf_give_the_same_events_from_any_bytes(
    lines: list[bytes], points: list[int]
) -> None:
    """LF-only input is decoded a read at a time, CRLF a line at a time: the same events,
    invalid UTF-8 and characters cut between reads included."""
    lf, crlf = b"\n".join(lines) + b"\n", b"\r\n".join(lines) + b"\r\n"
    assert decode(cut(lf, points)) == decode(cut(crlf, points))


def test_done_with_its_blank_line_and_nothing_after() -> None:
    assert decode([b"data: x\r\n\r\ndata: [DONE]\r\n\r\n"]) == [
        Event(data="x"),
        Event(data="[DONE]"),
    ]


def test_a_cr_at_the_end_of_a_chunk_and_lf_at_the_start_of_the_next_is_one_line_end() -> None:
    assert decode([b"data: a\r", b"\n\r", b"\ndata: b\n\n"]) == [Event(data="a"), Event(data="b")]


def test_a_read_that_ends_in_cr_then_one_with_lf_alone() -> None:
    """The LF that ends a CRLF split between reads is dropped before the second read is
    decoded a read at a time."""
    assert decode([b"data: a\r", b"\n\ndata: b\n\n"]) == [Event(data="a"), Event(data="b")]
    assert decode([b"data: a\r", b"\ndata: b\n\n"]) == [Event(data="a\nb")]


def test_an_event_over_the_cap_is_a_protocol_error_even_without_newlines() -> None:
    with pytest.raises(SseError):
        decode([b"data: " + b"x" * 600, b"x" * 600], max_event=1000)
    with pytest.raises(SseError):
        decode([b"data: " + b"x" * 600 + b"\n", b"data: " + b"x" * 600 + b"\n\n"], max_event=1000)


def test_an_event_just_under_the_cap_passes() -> None:
    assert decode([b"data: " + b"x" * 900 + b"\n\n"], max_event=1000) == [Event(data="x" * 900)]
