"""A run's results: a Rich table for people and one JSON document for tools."""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from typing import Any

from rich.table import Table
from rich.text import Text

from textrealms import __version__
from textrealms.bench.scenario import Options, Outcome


def table(outcomes: list[Outcome]) -> Table:
    """One row per measure, grouped by scenario; a missed target shows in red."""
    out = Table(title="textrealms bench", title_justify="left")
    out.add_column("scenario", style="bold")
    out.add_column("measure")
    out.add_column("value", justify="right")
    out.add_column("target", justify="right")
    out.add_column("", justify="center")
    for outcome in outcomes:
        for i, row in enumerate(outcome.rows):
            mark = Text("")
            if row.met is not None:
                mark = Text("ok", style="green") if row.met else Text("MISSED", style="bold red")
            name = f"{outcome.scenario} ({outcome.seconds:.1f} s)" if i == 0 else ""
            out.add_row(name, row.measure, row.value, row.target, mark)
        out.add_section()
    return out


def document(
    outcomes: list[Outcome], options: Options, argv: list[str], *, load_before: float
) -> dict[str, Any]:
    """Every scenario's data at the top level, under a `meta` saying where and how it ran,
    with the load average (1 minute) before the run: below 1.5, the run was quiet."""
    doc: dict[str, Any] = {
        "load_before": load_before,
        "meta": {
            "version": __version__,
            "command": " ".join(["textrealms", "bench", *argv]),
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "quick": options.quick,
            "seed": options.seed,
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "latency": {
                "first_token_s": options.latency.first_token,
                "tokens_per_second": options.latency.tokens_per_second,
                "jitter": options.latency.jitter,
            },
            "seconds": {o.scenario: round(o.seconds, 2) for o in outcomes},
            "missed": [
                f"{o.scenario}: {row.measure}"
                for o in outcomes
                for row in o.rows
                if row.met is False
            ],
        },
    }
    for outcome in outcomes:
        doc.update(outcome.data)
    return doc
