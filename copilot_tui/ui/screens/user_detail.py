"""One user over the period: daily activity, flags by day, and the features, IDEs, languages and models used."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from copilot_tui.metrics.catalog import feature_label
from copilot_tui.metrics.cli import cli_series
from copilot_tui.metrics.derive import Period, UserSummary
from copilot_tui.metrics.model import UserDay
from copilot_tui.metrics.trends import bucket_size, buckets, per_day
from copilot_tui.scope import Scope
from copilot_tui.ui.format import compact, count, day, rate
from copilot_tui.ui.names import names_of, shown_login
from copilot_tui.ui.widgets.cli import CliPane
from copilot_tui.ui.widgets.status import FitFooter, StatusBar

if TYPE_CHECKING:
    from copilot_tui.ui.widgets.chart import ChartSeries

CHARTS_SIDE_BY_SIDE = 120
"""From this width the daily charts stand two by two; narrower, one a row."""

DAILY_SERIES: tuple[tuple[str, Callable[[UserDay], float | None]], ...] = (
    ("Interactions", lambda r: r.activity.get("user_initiated_interaction_count")),
    ("Generations", lambda r: r.activity.get("code_generation_activity_count")),
    ("Acceptances", lambda r: r.activity.get("code_acceptance_activity_count")),
    ("LoC added", lambda r: r.activity.get("loc_added_sum")),
    ("LoC deleted", lambda r: r.activity.get("loc_deleted_sum")),
    ("AI credits", lambda r: r.ai_credits_used),
)
"""The user's daily figures, each drawn as its own chart."""

FLAGS = (
    ("used_agent", "Agt"),
    ("used_chat", "Chat"),
    ("used_cli", "CLI"),
    ("used_copilot_code_review_active", "Rev"),
)


def credits(value: float | None) -> str:
    """AI credits are fractional: one decimal, "–" where the report says nothing (null)."""
    return "–" if value is None else f"{value:,.1f}"


def _mark(value: bool | None) -> Text:
    if value is None:
        return Text("–", style="dim")
    return Text("✓", style="green") if value else Text("·", style="dim")


def ranked(title: str, counter: Counter[str], limit: int = 8, versions: dict[str, str] | None = None) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, overflow="ellipsis", max_width=22)
    if versions is not None:
        grid.add_column(no_wrap=True, style="dim", max_width=12, overflow="ellipsis")
    grid.add_column(no_wrap=True, justify="right")

    def row(*cells: Text | str) -> None:
        grid.add_row(*(cells if versions is not None else (cells[0], cells[2])))

    row(Text(title, style="bold"), Text("version", style="dim"), Text("activity", style="dim"))
    if not counter:
        row(Text("none", style="dim"), "", "")
    for name, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]:
        row(name, (versions or {}).get(name, ""), compact(n))
    return grid


class UserDetailScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the dashboard, table as you left it"),
        Binding(
            "backspace", "app.pop_screen", "Back", show=False, tooltip="Back to the dashboard, table as you left it"
        ),
    ]

    def __init__(self, user: UserSummary, rows: Sequence[UserDay], period: Period, scope: Scope) -> None:
        super().__init__()
        self.user = user
        self.rows = list(rows)
        self.period = period
        self.scope = scope

    def compose(self) -> ComposeResult:
        from copilot_tui.ui.widgets.chart import LineChart  # textual-plot imports numpy: not at start-up

        yield StatusBar(id="status")
        with VerticalScroll(id="detail"):
            yield Static(self._summary(), id="detail-summary")
            with Grid(id="detail-charts"):
                for series in self._series():
                    with Vertical(classes="detail-chart"):
                        yield Static(self._chart_heading(series), classes="detail-chart-heading")
                        yield LineChart(classes="detail-chart-plot")
            with Horizontal(id="detail-lists"):
                u = self.user
                features = Counter({feature_label(k): v for k, v in u.features.items()})
                versions = {k: v.version for k, v in u.ide_versions.items() if v.version}
                yield Static(ranked("Features", features), classes="detail-list")
                yield Static(ranked("IDEs", u.ides, versions=versions), classes="detail-list")
                yield Static(ranked("Languages", u.languages), classes="detail-list")
                yield Static(ranked("Models", u.models), classes="detail-list")
            yield CliPane("Copilot CLI of this user", id="detail-cli")
            yield Static(self._days(), id="detail-days")
        yield FitFooter()

    def on_mount(self) -> None:
        self._name_user()
        self.query_one(StatusBar).activity = "Esc back"
        self._draw_charts()
        self.query_one("#detail", VerticalScroll).focus()
        self.query_one(CliPane).show(cli_series(self.rows, self.period.each_day()))

    def _name_user(self) -> None:
        """The user as the status bar names them: a pseudonym and no id while names are hidden (GitHub's API names
        the user behind an id)."""
        u = self.user
        period = f"{day(self.period.start)} → {day(self.period.end)}"
        who = f"{u.user_login} (id {u.user_id})" if names_of(self) is None else shown_login(self, u.user_login)
        self.query_one(StatusBar).what = f"{self.scope} › {who} · {period}"

    def names_changed(self) -> None:
        self._name_user()
        self.query_one("#detail-summary", Static).update(self._summary())

    def _summary(self) -> Table:
        u = self.user
        figures = [
            ("Days active", f"{u.days_active} of {self.period.days}"),
            ("Last active", day(u.last_active_day)),
            ("Interactions", count(u.interactions)),
            ("Generations", count(u.generations)),
            ("Acceptances", count(u.acceptances)),
            ("Accept rate", rate(u.acceptance_rate)),
            ("LoC added", count(u.loc_added)),
            ("LoC deleted", count(u.activity.get("loc_deleted_sum"))),
            ("User id", str(u.user_id) if names_of(self) is None else "hidden"),
            ("AI credits", credits(u.ai_credits_used)),
            ("CLI sessions", count(u.cli.get("session_count", 0))),
        ]
        if u.cli_version is not None:
            figures.append(("CLI version", u.cli_version.version))
        grid = Table.grid(padding=(0, 1))
        for _ in range(3):
            grid.add_column(style="dim", no_wrap=True)
            grid.add_column(style="bold", no_wrap=True)
        for i in range(0, len(figures), 3):
            cells: list[str] = []
            for label, value in figures[i : i + 3]:
                cells += [label, value]
            grid.add_row(*cells)
        return grid

    def _series(self) -> list[ChartSeries]:
        from copilot_tui.ui.widgets.chart import ChartSeries

        """Each daily figure of the user's rows as its own line (a day without a row is 0: no activity); long
        periods in the trend charts' buckets, as a mean a day."""
        size = bucket_size(self.period)
        cuts = buckets(self.period, size)
        starts = tuple(c.start for c in cuts)
        out = []
        for label, read in DAILY_SERIES:
            sums: list[float | None] = [0.0] * len(cuts)
            for r in self.rows:
                i = next((k for k, c in enumerate(cuts) if r.day in c), None)
                if i is None:
                    continue
                value, before = read(r), sums[i]
                sums[i] = None if value is None and before == 0 else (before or 0) + (value or 0)
            values = tuple(v if size == "day" else per_day(v, c.days) for v, c in zip(sums, cuts, strict=True))
            out.append(ChartSeries(label, starts, values))
        return out

    def _chart_heading(self, series: ChartSeries) -> Text:
        size = bucket_size(self.period)
        text = Text(f"{series.label} ", style="bold")
        text.append("· each day" if size == "day" else f"· a day, mean of each {size}", style="dim")
        return text

    def on_resize(self) -> None:
        self.set_class(self.size.width < CHARTS_SIDE_BY_SIDE, "-one-chart-a-row")

    def _draw_charts(self) -> None:
        from copilot_tui.ui.widgets.chart import LineChart

        monthly = bucket_size(self.period) == "month"
        for chart, series in zip(self.query(LineChart), self._series(), strict=True):
            chart.show([series], self.period.start, monthly=monthly)

    def _days(self) -> Table:
        table = Table(box=None, padding=(0, 1), header_style="bold", expand=False)
        table.add_column("Day", no_wrap=True)
        for label in ("Int", "Gen", "Acc", "LoC+", "LoC-", "Credits"):
            table.add_column(label, justify="right", no_wrap=True)
        for _, label in FLAGS:
            table.add_column(label, justify="center", no_wrap=True)
        table.add_column("Top feature", no_wrap=True, overflow="ellipsis", max_width=20)
        if not self.rows:
            table.add_row(Text("No activity in this period.", style="dim"))
        for r in reversed(self.rows):
            a = r.activity
            feats = sorted(
                r.breakdowns.by_feature,
                key=lambda f: (
                    -(
                        f.activity.get("user_initiated_interaction_count")
                        + f.activity.get("code_generation_activity_count")
                    )
                ),
            )
            table.add_row(
                day(r.day),
                compact(a.get("user_initiated_interaction_count")),
                compact(a.get("code_generation_activity_count")),
                compact(a.get("code_acceptance_activity_count")),
                compact(a.get("loc_added_sum")),
                compact(a.get("loc_deleted_sum")),
                credits(r.ai_credits_used),
                *(_mark(r.flag(name)) for name, _ in FLAGS),
                feature_label(feats[0].feature) if feats else "–",
            )
        return table
