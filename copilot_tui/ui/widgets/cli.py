"""Copilot CLI in depth: users, sessions, requests, prompts and tokens, one sparkline each over the period, with the
period's total and the latest day's value (the adoption tab for the scope, the user detail for one user)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from copilot_tui.metrics.cli import CliSeries
from copilot_tui.ui.format import compact, day
from copilot_tui.ui.widgets.spark import sparkline


class CliPane(Widget):
    DEFAULT_CSS = """
    CliPane { height: auto; padding: 1 1 0 1; }
    """

    def __init__(self, title: str = "Copilot CLI", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.series: list[CliSeries] = []

    def show(self, series: list[CliSeries]) -> None:
        self.series = series
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        title = Text(self.title, style="bold")
        if not self.series:
            return Group(title, Text("No Copilot CLI use in this period.", style="dim"))
        width = self.content_size.width or 78
        spark_w = max(8, width - 10 - 8 - 8 - 3)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, width=10)
        grid.add_column(no_wrap=True, width=spark_w)
        grid.add_column(no_wrap=True, justify="right", width=8)
        grid.add_column(no_wrap=True, justify="right", width=8)
        days = self.series[0].days
        grid.add_row(
            Text("", style="dim"),
            Text(f"by day, {day(days[0])} → {day(days[-1])}" if days else "", style="dim"),
            Text("period", style="dim"),
            Text("latest", style="dim"),
        )
        for s in self.series:
            grid.add_row(
                s.label,
                Text(sparkline(s.values, spark_w), style="cyan"),
                Text(compact(s.total), style="bold"),
                compact(s.values[-1] if s.values else None),
            )
        note = "period: the sum over the days"
        if any(s.metric == "period_cli_users" for s in self.series):
            note += "; for users, the distinct users of the period"
        return Group(title, grid, Text(note, style="dim", no_wrap=True, overflow="ellipsis"))


__all__ = ["CliPane"]
