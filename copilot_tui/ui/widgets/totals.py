"""The org totals pane: the headline figures of the period, each with its change against the previous period."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from copilot_tui.metrics.derive import OrgTotals, change
from copilot_tui.ui.format import compact, format_change, rate


@dataclass(frozen=True, slots=True)
class Figure:
    label: str
    value: Callable[[OrgTotals], int | float | None]
    kind: str = "count"
    """``count`` or ``rate`` (a rate's change is shown in percentage points)."""
    meaning: str = ""


def _latest(name: str) -> Callable[[OrgTotals], int | None]:
    return lambda t: t.latest.get(name)


def _sum(name: str) -> Callable[[OrgTotals], int | None]:
    return lambda t: t.activity.get(name)


def _pr(name: str) -> Callable[[OrgTotals], int | None]:
    return lambda t: t.pull_requests.get(name)


def _cli(name: str) -> Callable[[OrgTotals], int | None]:
    return lambda t: t.cli.get(name)


FIGURES: tuple[Figure, ...] = (
    Figure("Daily active", _latest("daily_active_users"), meaning="Users active with Copilot on the latest day."),
    Figure("Weekly active", _latest("weekly_active_users"), meaning="Users active in the 7 days up to the latest day."),
    Figure(
        "Monthly active", _latest("monthly_active_users"), meaning="Users active in the 28 days up to the latest day."
    ),
    Figure("Agent users", _latest("monthly_active_agent_users"), meaning="Users of agent mode in the last 28 days."),
    Figure("Chat users", _latest("monthly_active_chat_users"), meaning="Users of Copilot Chat in the last 28 days."),
    Figure("CLI users", _latest("daily_active_cli_users"), meaning="Users of Copilot CLI on the latest day."),
    Figure(
        "Accept rate",
        lambda t: t.completion_acceptance_rate,
        "rate",
        "Code completion suggestions accepted out of those shown, in the period.",
    ),
    Figure(
        "Accept LoC",
        lambda t: t.completion_loc_acceptance_rate,
        "rate",
        "Lines of code completion accepted out of the lines suggested, in the period.",
    ),
    Figure(
        "Interactions",
        _sum("user_initiated_interaction_count"),
        meaning="Prompts and other explicit requests users made to Copilot in the period.",
    ),
    Figure("LoC suggested", _sum("loc_suggested_to_add_sum"), meaning="Lines Copilot suggested adding, all features."),
    Figure("LoC added", _sum("loc_added_sum"), meaning="Lines added to files from Copilot, all features."),
    Figure("LoC deleted", _sum("loc_deleted_sum"), meaning="Lines deleted from files by Copilot, all features."),
    Figure("CLI sessions", _cli("session_count"), meaning="Copilot CLI sessions started in the period."),
    Figure("PRs created", _pr("total_created"), meaning="Pull requests created in the period."),
    Figure("PRs by Copilot", _pr("total_created_by_copilot"), meaning="Pull requests Copilot created."),
    Figure("PRs merged", _pr("total_merged"), meaning="Pull requests merged in the period."),
)


def figure_text(figure: Figure, totals: OrgTotals, previous: OrgTotals | None) -> tuple[Text, Text]:
    value = figure.value(totals)
    shown = rate(value) if figure.kind == "rate" else compact(value)
    delta = Text("")
    if previous is not None and value is not None:
        before = figure.value(previous)
        if figure.kind == "rate":
            if before is not None:
                points = (value - before) * 100
                arrow = "▲" if points > 0.05 else "▼" if points < -0.05 else "="
                delta = Text(f"{arrow}{abs(points):.1f}pt", style=_style(points))
        else:
            relative = change(value, before)
            delta = Text(format_change(relative), style=_style(relative))
    return Text(shown, style="bold"), delta


def _style(value: float | None) -> str:
    if value is None or abs(value) < 1e-9:
        return "dim"
    return "green" if value > 0 else "red"


class TotalsPane(Widget):
    """Figures in as many columns as the width holds; a figure the data lacks is left out rather than shown as 0."""

    DEFAULT_CSS = """
    TotalsPane { height: auto; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.totals: OrgTotals | None = None
        self.previous: OrgTotals | None = None

    def show(self, totals: OrgTotals | None, previous: OrgTotals | None) -> None:
        self.totals = totals
        self.previous = previous
        self.refresh(layout=True)

    def _figures(self) -> list[Figure]:
        if self.totals is None:
            return []
        return [f for f in FIGURES if f.value(self.totals) is not None]

    def _columns(self, width: int) -> int:
        return max(1, min(4, (width or 80) // 38))

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        figures = self._figures()
        if not figures:
            return 1
        columns = self._columns(width)
        return -(-len(figures) // columns)

    def render(self) -> Table | Text:
        if self.totals is None:
            return Text("No data yet.", style="dim")
        figures = self._figures()
        if not figures:
            return Text("The loaded reports have no organization figures for this period.", style="dim")
        columns = self._columns(self.content_size.width)
        grid = Table.grid(expand=True, padding=(0, 1))
        for _ in range(columns):
            grid.add_column(no_wrap=True, ratio=3, overflow="ellipsis")
            grid.add_column(no_wrap=True, justify="right", ratio=2)
            grid.add_column(no_wrap=True, justify="left", ratio=2)
        rows = -(-len(figures) // columns)
        for r in range(rows):
            cells: list[Text] = []
            for c in range(columns):
                i = c * rows + r
                if i < len(figures):
                    value, delta = figure_text(figures[i], self.totals, self.previous)
                    cells += [Text(figures[i].label, style="dim"), value, delta]
                else:
                    cells += [Text(""), Text(""), Text("")]
            grid.add_row(*cells)
        return grid
