"""The stats screen: the engine's own numbers, with those past their alert lines marked and
what each of those means for the game being played, in words."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from textrealms.engine.metrics import OUTCOMES, MetricsSnapshot, Percentiles, alerts

ALERT = "bold #d70000"


def _value(text: str, alert: bool) -> Text:
    return Text(f"{text} ⚠", style=ALERT) if alert else Text(text)


def latencies(s: MetricsSnapshot, hot_path_alert: bool) -> Table:
    table = Table(title="Latency (ms)", title_justify="left", expand=True)
    for column in ("", "n", "p50", "p95", "p99", "max"):
        table.add_column(column, justify="left" if not column else "right")

    def row(name: str, p: Percentiles, alert: bool = False) -> None:
        table.add_row(
            Text(name),
            Text(str(p.count)),
            Text(f"{p.p50:.1f}"),
            Text(f"{p.p95:.1f}"),
            _value(f"{p.p99:.1f}", alert),
            Text(f"{p.max:.1f}"),
        )

    row("hot path", s.hot_path_ms, hot_path_alert)
    row("first token", s.first_token_ms)
    for kind, p in s.jobs_ms.items():
        row(f"job: {kind}", p)
    return table


def outcomes(s: MetricsSnapshot) -> Table:
    table = Table(title="Background jobs", title_justify="left", expand=True)
    for column in ("kind", *OUTCOMES):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind, counts in s.outcomes_by_kind.items():
        table.add_row(Text(kind), *(Text(str(counts[o])) for o in OUTCOMES))
    table.add_row(Text("all", style="bold"), *(Text(str(s.outcomes[o])) for o in OUTCOMES))
    return table


def usage_line(s: MetricsSnapshot) -> str | None:
    """The model's token usage and its cost, as far as its server told; None offline."""
    if not s.usage_reports and not s.usage_unknown:
        return None
    if not s.usage_reports:
        return "unknown: the server reports none"
    tokens = f"{s.prompt_tokens:,} prompt + {s.completion_tokens:,} completion tokens"
    if s.usage_unknown:
        return f"{tokens}, and unknown for {s.usage_unknown} answers"
    return tokens if s.cost_usd is None else f"{tokens}, about ${s.cost_usd:.4f}"


def figures(s: MetricsSnapshot, past: set[str]) -> Table:
    table = Table.grid(padding=(0, 2))
    rows = [
        ("job failure rate", f"{s.failure_rate:.1%}", "failure_rate"),
        ("model timeout rate", f"{s.timeout_rate:.1%}", "timeout_rate"),
        ("fallbacks used", str(s.fallbacks), ""),
        (
            "cache hit rate",
            f"{s.cache_hit_rate:.1%} ({s.cache_hits} of {s.cache_hits + s.cache_misses})",
            "cache_hit_rate",
        ),
        ("shared calls", str(s.shared_calls), ""),
        ("model calls", str(s.model_calls), ""),
        ("queue depth", str(s.queue_depth), "queue_depth"),
        ("jobs running", str(s.running), ""),
        ("rooms described ahead", f"{s.prefetch_hits} of {s.room_narrations} used", ""),
    ]
    usage = usage_line(s)
    if usage is not None:
        rows.append(("model usage", usage, ""))
    for name, value, alert in rows:
        table.add_row(Text(name), _value(value, alert in past))
    return table


def told(past: dict[str, str]) -> RenderableType:
    """What the marked numbers mean for this game, or that nothing is wrong: first on the
    screen, each beside its mark."""
    if not past:
        return Text("No warnings: the game is keeping up.", style="dim")
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for means in past.values():
        table.add_row("⚠", means, style=ALERT)
    return table


def render(s: MetricsSnapshot) -> Group:
    past = alerts(s)
    return Group(
        told(past),
        Text(""),
        latencies(s, "hot_path" in past),
        Text(""),
        outcomes(s),
        Text(""),
        figures(s, set(past)),
    )


class StatsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f2,q", "app.pop_screen", "Close")]

    def __init__(self, snapshot: MetricsSnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats", classes="dialog"):
            yield Static(Text("Engine stats  (F2 or escape to close)", style="bold"))
            yield Static(render(self.snapshot))
