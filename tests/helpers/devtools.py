"""Headless Chromium, driven through the DevTools protocol over aiohttp's websocket client.

Enough of the protocol for the browser test: open a tab, type and press keys as a
player does (the events reach the page as real key events), resize the window, take a
screenshot, close the tab. The game is drawn on a canvas, so its text is read from the
terminal emulator's buffer (xterm.js) through the page's JavaScript: a script that runs
before the page's own keeps the terminal textual-serve makes, which the page does not
otherwise expose, and waits are promises settled by the terminal's own events.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import re
import shutil
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = "chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",  # the suite may run as root (CI does)
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
)
"""Headless, and nothing reaches the network: no updates, no sync, no telemetry."""
WINDOW = (1280, 800)
LISTENING = re.compile(r"DevTools listening on (ws://\S+)")
STARTING = 30.0
"""Seconds Chromium may take to start and say where its DevTools listen."""
STOPPING = 10.0

KEEP_TERMINAL = """
window.terminalReady = new Promise((ready) => {
  // textual-serve's page makes its terminal's owner and keeps it to itself; the owner is
  // the one object that sets a `bufferedBytes`, so that first setting gives it away.
  Object.defineProperty(Object.prototype, "bufferedBytes", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "bufferedBytes", {value, writable: true});
      window.terminal = this.terminal;
      ready(this.terminal);
    },
  });
});
window.screenText = (terminal) => {
  const buffer = terminal.buffer.active;
  const rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true, 0, terminal.cols) : "");
  }
  return rows.join("\\n");
};
window.screenWhere = (shows) => window.terminalReady.then((terminal) =>
  new Promise((found) => {
    const check = () => {
      const text = window.screenText(terminal);
      if (shows(text, terminal)) {
        written.dispose();
        found(text);
      }
    };
    const written = terminal.onWriteParsed(check);
    check();
  }));
"""
"""Installed in every page before its own scripts run."""


@dataclass(frozen=True, slots=True)
class Key:
    key: str
    code: str
    key_code: int
    text: str = ""


KEYS = {
    "enter": Key("Enter", "Enter", 13, "\r"),
    "tab": Key("Tab", "Tab", 9, "\t"),
    "escape": Key("Escape", "Escape", 27),
    "down": Key("ArrowDown", "ArrowDown", 40),
    "f1": Key("F1", "F1", 112),
    "f2": Key("F2", "F2", 113),
    "f3": Key("F3", "F3", 114),
}
CTRL = 2
"""The protocol's modifier bit for the control key."""


def chromium() -> str | None:
    """Chromium's path, if the system has it."""
    return shutil.which(CHROMIUM)


class DevToolsError(RuntimeError):
    pass


class Tab:
    """One page, on a session of the browser's connection."""

    def __init__(self, browser: Browser, target: str, session: str) -> None:
        self.browser = browser
        self.target = target
        self.session = session

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        return await self.browser.call(method, session=self.session, **params)

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page, once any promise settles."""
        found = await self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in found:
            details = found["exceptionDetails"]
            thrown = details.get("exception", {}).get("description", "")
            raise DevToolsError(f"{details.get('text', 'script failed')} {thrown}")
        return found["result"].get("value")

    async def screen(self) -> str:
        """The terminal's text as the player sees it now, a line per row."""
        return str(await self.evaluate("window.terminalReady.then(window.screenText)"))

    async def until(self, text: str, timeout: float = 60.0) -> str:
        """The terminal's text, once it shows `text`."""
        return await self.until_js(f"(text) => text.includes({json.dumps(text)})", timeout)

    async def until_js(self, shows: str, timeout: float = 60.0) -> str:
        """The terminal's text, once the JavaScript test `shows(text, terminal)` holds."""
        try:
            async with asyncio.timeout(timeout):
                return str(await self.evaluate(f"window.screenWhere({shows})"))
        except TimeoutError:
            screen = await self.screen()
            raise AssertionError(f"not shown in {timeout:g} s: {shows}\n{screen}") from None

    async def focus(self) -> None:
        """Give the terminal the keyboard, as a click on it would."""
        await self.evaluate("window.terminalReady.then((terminal) => terminal.focus())")

    async def type(self, text: str) -> None:
        await self.call("Input.insertText", text=text)

    async def press(self, name: str, *, ctrl: bool = False) -> None:
        """Press and release a key: one of `KEYS`, or a letter (with `ctrl`)."""
        key = KEYS.get(name) or Key(name, f"Key{name.upper()}", ord(name.upper()))
        common = {
            "key": key.key,
            "code": key.code,
            "windowsVirtualKeyCode": key.key_code,
            "modifiers": CTRL if ctrl else 0,
        }
        down = {"text": key.text} if key.text and not ctrl else {}
        await self.call("Input.dispatchKeyEvent", type="keyDown", **common, **down)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **common)

    async def resize(self, width: int, height: int) -> None:
        """Make the window `width` x `height` CSS pixels, as dragging its corner would."""
        await self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    async def screenshot(self, path: Path) -> None:
        shot = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))

    async def close(self) -> None:
        await self.browser.call("Target.closeTarget", targetId=self.target)


class Browser:
    """A headless Chromium of its own (its own profile, its own process group)."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._events: dict[tuple[str, str], asyncio.Future[None]] = {}
        self._reader = asyncio.create_task(self._read())

    async def call(
        self, method: str, *, session: str | None = None, **params: Any
    ) -> dict[str, Any]:
        """Send a command and await its answer."""
        number = next(self._ids)
        answer = self._waiting[number] = asyncio.get_running_loop().create_future()
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        await self.ws.send_str(json.dumps(message))
        found = await answer
        if "error" in found:
            raise DevToolsError(f"{method}: {found['error'].get('message')}")
        result: dict[str, Any] = found["result"]
        return result

    def event(self, session: str, method: str) -> asyncio.Future[None]:
        """Settled when the tab on `session` next tells of the event `method`."""
        future = self._events[session, method] = asyncio.get_running_loop().create_future()
        return future

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "method" in data:
                told = self._events.pop((data.get("sessionId", ""), data["method"]), None)
                if told is not None and not told.done():
                    told.set_result(None)
                continue
            waiting = self._waiting.pop(data.get("id", 0), None)
            if waiting is not None and not waiting.done():
                waiting.set_result(data)
        for waiting in self._waiting.values():  # the browser has gone
            if not waiting.done():
                waiting.set_exception(DevToolsError("the browser closed its connection"))

    async def aclose(self) -> None:
        """Close the browser, as its last window closing would."""
        with contextlib.suppress(DevToolsError, ConnectionError):
            await self.call("Browser.close")
        await self.ws.close()
        await self._reader

    async def open(self, url: str) -> Tab:
        """A new tab showing `url`, its terminal kept for reading."""
        width, height = WINDOW
        target = (await self.call("Target.createTarget", url="about:blank"))["targetId"]
        attached = await self.call("Target.attachToTarget", targetId=target, flatten=True)
        tab = Tab(self, target, attached["sessionId"])
        await tab.resize(width, height)
        await tab.call("Page.enable")
        await tab.call("Page.addScriptToEvaluateOnNewDocument", source=KEEP_TERMINAL)
        loaded = self.event(tab.session, "Page.loadEventFired")
        await tab.call("Page.navigate", url=url)
        async with asyncio.timeout(STARTING):
            await loaded
        return tab


@contextlib.asynccontextmanager
async def launched(path: str, profile: Path) -> AsyncIterator[Browser]:
    """Chromium at `path` with a fresh profile in `profile`; stopped, with everything it
    started, on the way out."""
    width, height = WINDOW
    proc = await asyncio.create_subprocess_exec(
        path,
        *FLAGS,
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "about:blank",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    assert proc.stderr is not None
    drained: asyncio.Task[None] | None = None
    try:
        address = await _address(proc.stderr)
        drained = asyncio.create_task(_drain(proc.stderr))
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(address, max_msg_size=0) as ws,
        ):
            browser = Browser(ws)
            try:
                yield browser
            finally:
                await browser.aclose()
        await _stopped(proc)
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever of its group is left
            os.killpg(proc.pid, signal.SIGKILL)
        await proc.wait()
        if drained is not None:
            await drained


async def _address(said: asyncio.StreamReader) -> str:
    """Where Chromium's DevTools listen, once it says."""
    lines: list[str] = []
    async with asyncio.timeout(STARTING):
        while line := (await said.readline()).decode(errors="replace"):
            lines.append(line)
            found = LISTENING.search(line)
            if found:
                return found.group(1)
    raise DevToolsError("Chromium did not start:\n" + "".join(lines[-20:]))


async def _drain(said: asyncio.StreamReader) -> None:
    """Read what else Chromium says, so that its pipe never fills."""
    while await said.readline():
        pass


async def _stopped(proc: asyncio.subprocess.Process) -> None:
    try:
        async with asyncio.timeout(STOPPING):
            await proc.wait()
    except TimeoutError:
        proc.kill()
