"""One user over the period: daily activity, flags by day, and the features, IDEs, languages and models used."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from copilot_tui.metrics.catalog import feature_label
from copilot_tui.metrics.cli import cli_series
from copilot_tui.metrics.derive import Period, UserSummary
from copilot_tui.metrics.model import UserDay
from copilot_tui.scope import Scope
from copilot_tui.ui.format import compact, count, day, rate
from copilot_tui.ui.widgets.cli import CliPane
from copilot_tui.ui.widgets.spark import sparkline
from copilot_tui.ui.widgets.status import FitFooter, StatusBar

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
        yield StatusBar(id="status")
        with VerticalScroll(id="detail"):
            yield Static(self._summary(), id="detail-summary")
            yield Static(self._spark(), id="detail-spark")
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
        status = self.query_one(StatusBar)
        u = self.user
        period = f"{day(self.period.start)} → {day(self.period.end)}"
        status.what = f"{self.scope} › {u.user_login} (id {u.user_id}) · {period}"
        status.activity = "Esc back"
        self.query_one("#detail", VerticalScroll).focus()
        self.query_one(CliPane).show(cli_series(self.rows, self.period.each_day()))

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
            ("User id", str(u.user_id)),
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

    def _daily(self) -> list[int]:
        by_day = {r.day: r for r in self.rows}
        values = []
        for d in self.period.each_day():
            r = by_day.get(d)
            a = r.activity if r else None
            values.append(
                a.get("user_initiated_interaction_count") + a.get("code_generation_activity_count") if a else 0
            )
        return values

    def _spark(self) -> Text:
        width = max(10, (self.app.size.width or 80) - 40)
        text = Text("Daily interactions + generations  ", style="bold")
        text.append(sparkline(self._daily(), width), style="cyan")
        return text

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
