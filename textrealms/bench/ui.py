"""Scenario 4: in the real TUI, Enter to its answer on screen while eight narrations
stream in, and each streamed token to screen.

The TUI runs headless under Textual's pilot in a child process (`textrealms.tui.probe ui`,
whose docstring defines "on screen"); the offline narrator streams one word per delta at
the realistic model's token rate, and every measured Enter is pressed while `STREAMS`
narrations are streaming: at a random moment, as a player would, and again the instant a
narration's end reaches the app, which always queues Enter behind the frame drawing it.
"""

from __future__ import annotations

from textrealms.bench.child import ChildFailed, probe
from textrealms.bench.scenario import Options, Outcome, Row, ms

TARGET_P99_MS = 16.0
"""One frame at 60 Hz."""
STREAMS = 8


async def run(options: Options) -> Outcome:
    turns = options.size(30, 200)
    pace = 1 / options.latency.tokens_per_second
    args = ["ui", "--turns", str(turns), "--seed", str(options.seed), "--streams", str(STREAMS)]
    args += ["--world", options.pack.world.id, "--pace", f"{pace:.4f}"]
    try:
        found = await probe(*args, "--press", "random")
        aligned = await probe(*args, "--press", "aligned")
    except ChildFailed as exc:
        return Outcome("4 UI", {"ui_ms": {"error": str(exc)}}, [Row("probe failed", str(exc))])
    live = f"{found['streams_live_min']}–{found['streams_live_max']}"
    rows = [
        Row("Enters timed", f"{found['samples']} on {options.pack.world.id}"),
        Row("narrations streaming", f"median {found['streams_live_median']} ({live})"),
        Row("Enter to screen p50", ms(found["p50"])),
        Row(
            "Enter to screen p99",
            ms(found["p99"]),
            f"< {TARGET_P99_MS:g} ms",
            found["p99"] < TARGET_P99_MS,
        ),
        Row(
            "pressed as a narration ends: p50 / p99",
            f"{ms(aligned['p50'])} / {ms(aligned['p99'])}",
        ),
        Row(
            "token to screen p50 / p99",
            f"{ms(found['token_to_screen_p50'])} / {ms(found['token_to_screen_p99'])}",
        ),
    ]
    return Outcome("4 UI", {"ui_ms": found, "ui_aligned_ms": aligned}, rows)
