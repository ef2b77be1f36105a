"""Trends: every totals figure and every feature's adoption over the period, one chart with axes at a time.

The points are the dashboard view's own numbers: its day records cut into buckets by ``metrics.trends`` (the same
``org_totals`` the totals pane and the ``daily`` export take) read by the totals pane's figures, and its feature
series. The previous period, when the view holds it, is drawn as a second line on the same days.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from copilot_tui.metrics.catalog import feature_label
from copilot_tui.metrics.derive import OrgTotals, Period, PeriodUsers
from copilot_tui.metrics.trends import BucketSize, bucket_size, bucket_totals, buckets, feature_users, per_day
from copilot_tui.ui.format import day
from copilot_tui.ui.view import DashboardView
from copilot_tui.ui.widgets.chart import CURRENT_STYLE, PREVIOUS_STYLE, ChartSeries, LineChart
from copilot_tui.ui.widgets.status import FitFooter, StatusBar
from copilot_tui.ui.widgets.totals import FIGURES, Figure


class Follows(Protocol):
    """The screen whose view the charts follow (the dashboard): its view, and its period picker."""

    view: DashboardView | None

    def action_pick_period(self) -> None: ...


log = logging.getLogger(__name__)

COUNTING = "counting the users of each bucket…"
"""What a distinct-users figure reads while its buckets are counted."""

BUCKET_WORDS = {"day": "by day", "week": "by week", "month": "by month"}
FEATURE_KEY = "feature:"
"""The key of a feature's trend: this, then the feature's name."""
FEATURES_HEADING = "features-heading"


@dataclass(frozen=True, slots=True)
class Trend:
    """One figure's line over the period (and the previous period's, when known)."""

    key: str
    label: str
    """As in the totals pane or the adoption tab."""
    reads: str
    """What a point is, e.g. "a day, mean of each week"."""
    percent: bool
    current: ChartSeries
    previous: ChartSeries | None


def _reads(figure: Figure, size: BucketSize) -> str:
    if size == "day":
        return "each day"
    if figure.summed:
        return f"a day, mean of each {size}"
    if figure.window in ("day", "7 days", "28 days"):
        return f"{figure.window} window ending on each {size}'s last day"
    return f"each {size}"


def _figure_value(figure: Figure, totals: OrgTotals, size: BucketSize) -> float | None:
    value = figure.value(totals)
    if value is None or totals.days_with_data == 0:
        return None
    return per_day(value, totals.days_with_data) if figure.summed and size != "day" else float(value)


@dataclass(frozen=True, slots=True)
class BucketUsers:
    """The distinct users of each bucket of a view's period (and of the previous period's, when compared)."""

    current: Sequence[PeriodUsers | None]
    previous: Sequence[PeriodUsers | None] | None


def count_bucket_users(view: DashboardView) -> BucketUsers | None:
    """The distinct users of each of ``view``'s buckets, from its snapshots' facts (blocking: run off the UI
    thread); None when the view cannot count them."""
    if view.users_by_bucket is None:
        return None
    size = bucket_size(view.period)
    current = view.users_by_bucket(buckets(view.period, size))
    previous = None
    if view.previous_days and view.previous_users_by_bucket is not None:
        previous = view.previous_users_by_bucket(buckets(view.period.previous(), size))
    return BucketUsers(current, previous)


def _with_users(totals: list[OrgTotals], users: Sequence[PeriodUsers | None] | None) -> list[OrgTotals]:
    if users is None:
        return totals
    return [replace(t, users=u) for t, u in zip(totals, users, strict=True)]


def trends_of(view: DashboardView, users: BucketUsers | None = None, *, counting: bool = False) -> list[Trend]:
    """Every totals figure the day records hold (and with ``users`` the distinct users of each bucket, or while
    ``counting`` them their places without points), then each feature's daily users, for ``view``'s period."""
    size = bucket_size(view.period)
    cuts = buckets(view.period, size)
    totals = _with_users(bucket_totals(view.days, cuts), users.current if users else None)
    before: Period | None = view.period.previous() if view.previous_days else None
    previous_cuts = buckets(before, size) if before else []
    previous_totals = bucket_totals(view.previous_days, previous_cuts) if before else []
    previous_totals = _with_users(previous_totals, users.previous if users and before else None)
    shift = view.period.days

    def lines(
        label: str, now: Sequence[float | None], then: Sequence[float | None] | None
    ) -> tuple[ChartSeries, ChartSeries | None]:
        current = ChartSeries("this period", tuple(c.start for c in cuts), tuple(now), CURRENT_STYLE)
        if then is None or before is None or all(v is None for v in then):
            return current, None
        days = tuple(c.start + (view.period.start - before.start) for c in previous_cuts)
        assert all((d - c.start).days == shift for d, c in zip(days, previous_cuts, strict=True))
        shown = f"previous ({day(before.start)} → {day(before.end)})"
        return current, ChartSeries(shown, days, tuple(then), PREVIOUS_STYLE)

    out: list[Trend] = []
    for figure in FIGURES:
        now = [_figure_value(figure, t, size) for t in totals]
        if all(v is None for v in now):
            if counting and figure.from_users and users is None:  # its place kept: the list does not jump
                blank = ChartSeries("this period", tuple(c.start for c in cuts), tuple(now), CURRENT_STYLE)
                out.append(Trend(figure.key, figure.label, COUNTING, figure.kind == "rate", blank, None))
            continue
        then = [_figure_value(figure, t, size) for t in previous_totals] if before else None
        current, previous = lines(figure.label, now, then)
        out.append(Trend(figure.key, figure.label, _reads(figure, size), figure.kind == "rate", current, previous))
    previous_series = {s.feature: s for s in view.previous_series}
    for series in view.series:
        now = feature_users(series, cuts, totals)
        if all(not v for v in now):
            continue
        old = previous_series.get(series.feature)
        then = feature_users(old, previous_cuts, previous_totals) if old is not None and before else None
        current, previous = lines(feature_label(series.feature), now, then)
        reads = "users each day" if size == "day" else f"users a day, mean of each {size}"
        out.append(
            Trend(f"{FEATURE_KEY}{series.feature}", feature_label(series.feature), reads, False, current, previous)
        )
    return out


class TrendsScreen(Screen[None]):
    """Opened from the dashboard with ``h``; follows the dashboard's period (``p`` here picks it)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the dashboard"),
        Binding("h", "trends", "Back", show=False, tooltip="Back to the dashboard (h opens and closes trends)"),
        Binding("p", "pick_period", "Period", tooltip="Pick the period the charts cover"),
    ]

    def __init__(self, dashboard: Follows) -> None:
        super().__init__()
        self.dashboard = dashboard
        self.trends: list[Trend] = []
        self.view: DashboardView | None = None
        self.bucket_users: BucketUsers | None = None
        """The distinct users of each bucket of ``view``, once counted."""
        self.counting = False

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="trends"):
            yield OptionList(id="trend-list")
            with Vertical(id="trend-right"):
                yield Static(id="trend-heading")
                yield LineChart(id="trend-chart")
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one(StatusBar).activity = "↑↓ figure · Esc back"
        if self.dashboard.view is not None:
            self.show(self.dashboard.view)
        self.set_focus(self.query_one(OptionList))

    def show(self, view: DashboardView) -> None:
        """Charts of ``view``; the figure shown stays chosen when the period changes. The distinct users of each
        bucket join the list once counted (a query of the facts, off the UI thread)."""
        if view is self.view:
            return
        self.view = view
        self.bucket_users = None
        self.counting = view.users_by_bucket is not None
        self._fill()
        size = bucket_size(view.period)
        self.query_one(
            StatusBar
        ).what = f"{view.scope} › Trends · {day(view.period.start)} → {day(view.period.end)} · {BUCKET_WORDS[size]}"
        if self.counting:
            self._count(view)

    def _fill(self) -> None:
        assert self.view is not None
        option_list = self.query_one(OptionList)
        shown = self._shown()
        chosen = shown.key if shown is not None else None
        self.trends = trends_of(self.view, self.bucket_users, counting=self.counting)
        figures = [Option(t.label, id=t.key) for t in self.trends if not t.key.startswith(FEATURE_KEY)]
        features = [Option(t.label, id=t.key) for t in self.trends if t.key.startswith(FEATURE_KEY)]
        option_list.clear_options()
        # a feature's name can be a figure's too (Cloud agent): the features stand apart, under their own heading
        heading = [None, Option(Text("Features, users a day", style="dim italic"), id=FEATURES_HEADING, disabled=True)]
        option_list.add_options([*figures, *(heading if features else []), *features])
        keys = [t.key for t in self.trends]
        if keys:
            option_list.highlighted = option_list.get_option_index(chosen if chosen in keys else keys[0])
        else:
            option_list.highlighted = None
        self._draw()

    def _shown(self) -> Trend | None:
        """The trend of the highlighted option, if any."""
        option_list = self.query_one(OptionList)
        index = option_list.highlighted
        if index is None or not self.trends:
            return None
        key = option_list.get_option_at_index(index).id
        return next((t for t in self.trends if t.key == key), None)

    @work(thread=True, exclusive=True, group="trend-users", exit_on_error=False)
    def _count(self, view: DashboardView) -> None:
        try:
            counted = count_bucket_users(view)
        except Exception as exc:  # the day records' charts stand without them
            log.warning("distinct users per bucket of %s not counted: %s", view.scope, exc)
            counted = None
        self.app.call_from_thread(self._counted, view, counted)

    def _counted(self, view: DashboardView, counted: BucketUsers | None) -> None:
        if view is not self.view or not self.is_attached:
            return
        self.counting = False
        self.bucket_users = counted
        self._fill()

    @on(OptionList.OptionHighlighted, "#trend-list")
    def _highlighted(self) -> None:
        self._draw()

    def _draw(self) -> None:
        heading = self.query_one("#trend-heading", Static)
        chart = self.query_one(LineChart)
        trend = self._shown()
        if self.view is None or trend is None:
            heading.update(Text("No figures with day records in this period.", style="dim"))
            chart.clear()
            return
        if all(v is None for v in trend.current.values):  # its buckets still being counted
            heading.update(Text.assemble((f"{trend.label} ", "bold"), (f"· {trend.reads}", "dim")))
            chart.clear()
            return
        # spaces end a span, never start one: a span's leading space is lost in an SVG screenshot
        text = Text(f"{trend.label} ", style="bold")
        text.append(f"· {trend.reads}", style="dim")
        text.append("\n━ ", style=trend.current.style)
        text.append(trend.current.label + "   ")
        if trend.previous is not None:
            text.append("━ ", style=trend.previous.style)
            text.append(trend.previous.label, style="dim")
        heading.update(text)
        series = [trend.current] if trend.previous is None else [trend.previous, trend.current]
        chart.show(
            series, self.view.period.start, monthly=bucket_size(self.view.period) == "month", percent=trend.percent
        )

    def action_trends(self) -> None:
        self.app.pop_screen()

    def action_pick_period(self) -> None:
        self.dashboard.action_pick_period()
