"""Server-sent events, decoded incrementally from raw bytes as the body arrives.

Fed from raw reads of the body (`bodies.paced`) rather than aiohttp's line reader, which
has a line length limit of its own; this decoder has one explicit cap on an event's size
instead, and splits lines on CRLF, CR or LF alike (a CR may end one chunk and its LF
begin the next).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

MAX_EVENT = 1 << 20
"""The largest event accepted, in bytes: a longer one is a protocol error, not a hang."""


class SseError(Exception):
    """The stream broke the protocol (an event beyond `MAX_EVENT`)."""


@dataclass(frozen=True, slots=True)
class Event:
    """One dispatched event: its `data` lines joined with newlines, or a comment."""

    data: str | None = None
    comment: str | None = None
    """A `:` line: a keep-alive, which says the server lives but is no progress."""
    name: str = "message"


class SseDecoder:
    """Feed bytes in any pieces; get each complete event once its blank line arrives."""

    def __init__(self, max_event: int = MAX_EVENT) -> None:
        self.max_event = max_event
        self._buffer = bytearray()
        self._skip_lf = False
        self._data: list[str] = []
        self._size = 0
        self._name = "message"

    def feed(self, chunk: bytes) -> Iterator[Event]:
        """The events that `chunk` completes."""
        buffer = self._buffer
        buffer += chunk
        if self._skip_lf and buffer:
            self._skip_lf = False
            if buffer[0] == 0x0A:
                del buffer[:1]
        if b"\r" in buffer:
            yield from self._any_ends()
        else:
            # LF alone ends lines, as most servers send them: the complete lines decoded
            # in one piece and split, a token's two lines in under a microsecond less
            # than one at a time (an LF byte is never inside a UTF-8 character). CRLF
            # (sse-starlette's, so llama-cpp-python's) is read a line at a time.
            end = buffer.rfind(b"\n")
            if end >= 0:
                lines = buffer[:end].decode("utf-8", errors="replace").split("\n")
                del buffer[: end + 1]
                for line in lines:
                    event = self._line(line)
                    if event is not None:
                        yield event
        if self._size + len(buffer) > self.max_event:
            raise SseError(f"an event longer than {self.max_event} bytes")

    def _any_ends(self) -> Iterator[Event]:
        """The events of the buffer's complete lines, ended by CRLF, CR or LF."""
        start = 0
        buffer = self._buffer
        while True:
            end = _line_end(buffer, start)
            if end < 0:
                break
            line = bytes(buffer[start:end])
            if buffer[end] == 0x0D:
                if end + 1 < len(buffer):
                    start = end + 2 if buffer[end + 1] == 0x0A else end + 1
                else:  # its LF, if it has one, starts the next read (see `feed`)
                    start = end + 1
                    self._skip_lf = True
            else:
                start = end + 1
            event = self._line(line.decode("utf-8", errors="replace"))
            if event is not None:
                yield event
        del buffer[:start]

    def close(self) -> Iterator[Event]:
        """The last event, if the body ended without its blank line (`[DONE]` often does)."""
        if self._buffer:
            event = self._line(self._buffer.decode("utf-8", errors="replace"))
            self._buffer.clear()
            if event is not None:
                yield event
        event = self._dispatch()
        if event is not None:
            yield event

    def _line(self, line: str) -> Event | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return Event(comment=line[1:].strip())
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "data":
            self._size += len(value) + 1
            if self._size > self.max_event:
                raise SseError(f"an event longer than {self.max_event} bytes")
            self._data.append(value)
        elif field == "event":
            self._name = value
        return None

    def _dispatch(self) -> Event | None:
        data, name = self._data, self._name
        self._data, self._size, self._name = [], 0, "message"
        if not data:
            return None
        return Event(data="\n".join(data), name=name)


def _line_end(buffer: bytearray, start: int) -> int:
    """Index of the first CR or LF at or after `start`, or -1."""
    lf = buffer.find(b"\n", start)
    cr = buffer.find(b"\r", start)
    if lf < 0:
        return cr
    if cr < 0:
        return lf
    return min(lf, cr)
