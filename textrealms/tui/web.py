"""The game served to a browser (`textrealms serve`): Textual's web driver, made to quit
when the server goes away."""

from __future__ import annotations

from textual import messages
from textual.driver import Driver
from textual.drivers.web_driver import WebDriver


class ServedDriver(WebDriver):
    """The web driver, but a game whose input closes quits (cleanly: its last turn
    saved). Its input closes when the server that started it is gone, killed say, and no
    one can play it any more; Textual's own driver would wait for ever."""

    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():  # set when the app itself is stopping
            self.send_message(messages.ExitApp())


def served(driver: type[Driver]) -> type[Driver]:
    """The driver to run on, given the one Textual chose."""
    return ServedDriver if driver is WebDriver else driver
