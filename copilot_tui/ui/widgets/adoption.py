"""Feature adoption: one sparkline per feature the data names, with the latest value and the trend beside it."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from copilot_tui.metrics.catalog import feature_label
from copilot_tui.metrics.derive import FeatureSeries, change
from copilot_tui.ui.format import compact, format_change
from copilot_tui.ui.widgets.spark import sparkline


def trend(values: tuple[int, ...]) -> float | None:
    """Change of the second half of the period against the first half: one number for "is it growing"."""
    half = len(values) // 2
    if half == 0:
        return None
    return change(sum(values[-half:]), sum(values[:half]))


TREND_NOTE = "trend: the period's second half against its first half · ▁ a day with none"


class AdoptionPane(Widget):
    DEFAULT_CSS = """
    AdoptionPane { height: auto; padding: 0 1; }
    """

    metric: reactive[str] = reactive("users")
    """``users`` (daily users of the feature) or ``activity`` (interactions plus generations)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.series: list[FeatureSeries] = []

    def show(self, series: list[FeatureSeries]) -> None:
        self.series = series
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return len(self.series) + 2 if self.series else 1

    def _values(self, s: FeatureSeries) -> tuple[int, ...]:
        return s.users if self.metric == "users" else s.activity()

    def render(self) -> Group | Text:
        if not self.series:
            return Text("No feature activity in this period.", style="dim")
        width = self.content_size.width or 78
        label_w = min(18, max(len(feature_label(s.feature)) for s in self.series))
        spark_w = max(8, width - label_w - 8 - 7 - 3)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, width=label_w, overflow="ellipsis")
        grid.add_column(no_wrap=True, width=spark_w)
        grid.add_column(no_wrap=True, justify="right", width=7)
        grid.add_column(no_wrap=True, justify="right", width=6)
        heading = "daily users" if self.metric == "users" else "daily interactions + generations"
        grid.add_row(
            Text("Feature", style="bold"),
            Text(heading, style="dim"),
            Text("latest", style="dim"),
            Text("trend", style="dim"),
        )
        for s in self.series:
            values = self._values(s)
            delta = trend(values)
            style = "dim" if not delta else ("green" if delta > 0 else "red")
            grid.add_row(
                feature_label(s.feature),
                Text(sparkline(values, spark_w), style="cyan"),
                Text(compact(values[-1] if values else None), style="bold"),
                Text(format_change(delta), style=style),
            )
        return Group(grid, Text(TREND_NOTE, style="dim", no_wrap=True, overflow="ellipsis"))
