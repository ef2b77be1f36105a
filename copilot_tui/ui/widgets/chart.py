"""A line chart of values over dates, with the dates on x and the values on y: textual-plot's PlotWidget, fitted.

The chart is read, not explored: no zoom or pan keys (they would take ``r``, ``+``, ``-`` and the arrows from the
app), date ticks chosen to fit the width, values as the app writes them (1.2k, 45%), and the y axis from zero so a
small change does not look like a collapse.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from textual_plot import HiResMode, PlotWidget
from textual_plot.axis_formatter import NumericAxisFormatter

from copilot_tui.ui.format import compact

CURRENT_STYLE = "bold cyan"
PREVIOUS_STYLE = "grey50"


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """Points of one line: the first day each value covers (a day, a week's or a month's first day) and the value,
    ``None`` where there is no data."""

    label: str
    days: tuple[date, ...]
    values: tuple[float | None, ...]
    style: str = CURRENT_STYLE


class ValueAxis(NumericAxisFormatter):
    """Nice ticks (1, 2, 5 x 10^n) labelled as the app writes numbers: compact counts, or percentages."""

    def __init__(self, percent: bool = False) -> None:
        self.percent = percent

    def get_ticks(self, min_: float, max_: float, max_ticks: int = 8) -> list[float]:
        """Ticks at the smallest 1-2-5 step that gives at most ``max_ticks`` (textual-plot's own may give more)."""
        span = max_ - min_
        if span <= 0:
            return [min_]
        power = 10 ** math.floor(math.log10(span / max(1, max_ticks)))
        step = next(m * power for m in (1, 2, 5, 10, 20, 50) if int(span / (m * power)) + 1 <= max_ticks)
        first = math.ceil(min_ / step) * step
        return [round(first + i * step, 12) for i in range(int((max_ - first) / step + 1e-9) + 1)]

    def get_labels_for_ticks(self, ticks: Sequence[float]) -> list[str]:
        if self.percent:
            digits = 0 if len(ticks) < 2 or ticks[1] - ticks[0] >= 0.01 else 1
            return [f"{t * 100:.{digits}f}%" for t in ticks]
        return [compact(round(t, 6)) for t in ticks]


def date_label(day: date, monthly: bool) -> str:
    return day.strftime("%Y-%m") if monthly else day.strftime("%b %d")


def date_ticks(days: Sequence[date], width: int, monthly: bool) -> list[date]:
    """As many of ``days`` (evenly spaced, the first always) as fit under ``width`` columns of labels."""
    if not days:
        return []
    room = max(1, (width - 2) // (len(date_label(days[0], monthly)) + 3))
    step = max(1, math.ceil(len(days) / room))
    return list(days[::step])


class LineChart(PlotWidget, can_focus=False, inherit_bindings=False):
    DEFAULT_CSS = """
    LineChart { height: 1fr; min-height: 6; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, allow_pan_and_zoom=False)
        self.series: list[ChartSeries] = []
        self.start: date | None = None
        self.monthly = False
        self.percent = False

    def on_mount(self) -> None:
        self.margin_top = 0
        self.margin_bottom = 1
        self.margin_left = 8

    def show(self, series: Sequence[ChartSeries], start: date, *, monthly: bool = False, percent: bool = False) -> None:
        """Draw ``series`` on one pair of axes; x counts days from ``start`` (a previous period's line is drawn
        shifted onto the same days)."""
        self.series = list(series)
        self.start = start
        self.monthly = monthly
        self.percent = percent
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _x(self, day: date) -> float:
        assert self.start is not None
        return float((day - self.start).days)

    def _draw(self) -> None:
        if not self.is_mounted:
            return
        self.clear()
        if self.start is None or not self.series:
            return
        top = 0.0
        for s in self.series:
            xs = [self._x(d) for d in s.days]
            ys = [math.nan if v is None else float(v) for v in s.values]
            if len(xs) == 1:  # one point draws no line: a short flat segment shows it
                xs, ys = [xs[0], xs[0] + 0.5], [ys[0], ys[0]]
            top = max([top, *(y for y in ys if not math.isnan(y))])
            self.plot(xs, ys, line_style=s.style, hires_mode=HiResMode.QUADRANT)
        axis = ValueAxis(self.percent)
        self.set_y_formatter(axis)
        high = top * 1.05 if top > 0 else 1.0
        rows = max(1, self.size.height - self.margin_bottom - 2)
        # zero sits half a line above the x axis, which would otherwise draw over a day with none
        self.set_ylimits(-high / rows / 2, high)
        # a tick every third line at most: the formatter alone would put 8 ticks on 5 lines
        self.set_yticks(axis.get_ticks(0.0, high, max(3, rows // 3)))
        days = self.series[0].days
        last = self._x(days[-1]) if len(days) > 1 else 0.5
        self.set_xlimits(0.0, max(last, 0.5))
        ticks = date_ticks(days, max(10, self.size.width - self.margin_left), self.monthly)
        self.set_xticks([self._x(d) for d in ticks])
        self.set_x_formatter(_DateAxis(self.start, self.monthly))
        # the canvases take their size at a layout refresh: one drawn before its first layout would keep the old
        self.refresh(layout=True)


class _DateAxis(NumericAxisFormatter):
    def __init__(self, start: date, monthly: bool) -> None:
        self.start = start
        self.monthly = monthly

    def get_labels_for_ticks(self, ticks: Sequence[float]) -> list[str]:
        return [date_label(self.start + timedelta(days=round(t)), self.monthly) for t in ticks]
