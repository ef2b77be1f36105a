"""What the numbers on the dashboard leave out: report lines the line rule skipped, and days GitHub has not
delivered yet.

A skipped line is named by its report, day, part and line number, with the rule's reason, so it can be found in
the file GitHub sent; a pending day by the reports that are not there yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from copilot_tui.metrics.derive import Period
from copilot_tui.metrics.model import LineProblem
from copilot_tui.scope import Scope
from copilot_tui.sources.planning import KIND_NAMES, report_order
from copilot_tui.ui.format import day, plural
from copilot_tui.ui.names import names_of, shown_text
from copilot_tui.ui.widgets.status import FitFooter, StatusBar

UNREADABLE = "not valid JSON"
"""How the line rule's reason for a line that is no JSON begins (``metrics.linerule``); the line's text follows."""
SHOWN_LINES = 1000
"""At most this many skipped lines get a row: a report broken through and through would otherwise fill a table
with one reason repeated (and take seconds to draw); the count above the table stays exact."""


@dataclass(frozen=True, slots=True)
class SkippedLine:
    """One skipped line, its origin taken apart: ``report`` (the kind's name), ``day``, ``part`` ("2 of 3")."""

    report: str
    day: str
    part: str
    line_no: int
    why: str
    source: str


def skipped_line(problem: LineProblem) -> SkippedLine:
    """Read the client's part name ``scope/kind/day/part-N-of-M.ndjson``; another name is shown as it is."""
    pieces = problem.source.split("/")
    if len(pieces) >= 4 and pieces[-1].startswith("part-"):
        kind, when, part = pieces[-3], pieces[-2], pieces[-1]
        numbers = part.removeprefix("part-").split(".")[0].split("-of-")
        return SkippedLine(
            KIND_NAMES.get(kind, kind), when, " of ".join(numbers), problem.line_no, problem.message, problem.source
        )
    return SkippedLine(problem.source, "", "", problem.line_no, problem.message, problem.source)


def pending_days(pending: Iterable[tuple[date, str]]) -> list[tuple[date, list[str]]]:
    """Each pending day, newest first, with the names of its reports not delivered yet (totals, users, teams)."""
    kinds_of: dict[date, set[str]] = {}
    for when, kind in pending:
        kinds_of.setdefault(when, set()).add(kind)
    return [
        (when, [KIND_NAMES.get(k, k) for k in sorted(kinds, key=lambda k: (report_order(k), k))])
        for when, kinds in sorted(kinds_of.items(), reverse=True)
    ]


def problems_summary(lines: int, days: int) -> str:
    """The dashboard's line: "3 lines skipped, 1 day pending — w to see" (empty when there is nothing)."""
    said = []
    if lines:
        said.append(f"{plural(lines, 'line')} skipped")
    if days:
        said.append(f"{plural(days, 'day')} pending")
    return f"{', '.join(said)} — w to see" if said else ""


class ProblemsScreen(Screen[None]):
    """The skipped lines and pending days of the period on the dashboard."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the dashboard"),
        Binding("backspace", "app.pop_screen", "Back", show=False, tooltip="Back to the dashboard"),
    ]

    def __init__(
        self, scope: Scope, period: Period, problems: Sequence[LineProblem], pending: Iterable[tuple[date, str]]
    ) -> None:
        super().__init__()
        self.scope = scope
        self.period = period
        self.lines = [skipped_line(p) for p in problems]
        self.days = pending_days(pending)

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="problems"):
            yield Static(self._lines_heading(), id="lines-heading", classes="problems-heading")
            if self.lines:
                yield DataTable(id="problem-lines", cursor_type="row", zebra_stripes=True)
                yield Static(id="line-detail")
            yield Static(self._days_heading(), id="days-heading", classes="problems-heading")
            if self.days:
                yield DataTable(id="pending-days", cursor_type="row")
        yield FitFooter()

    def on_mount(self) -> None:
        status = self.query_one(StatusBar)
        status.what = f"{self.scope} · {day(self.period.start)} → {day(self.period.end)}"
        status.activity = "Problems"
        if self.lines:
            table = self.query_one("#problem-lines", DataTable)
            table.add_columns("Report", "Day", "Part", "Line", "Why")
            self._fill_lines(table)
            table.focus()
        if self.days:
            table = self.query_one("#pending-days", DataTable)
            table.add_columns("Day", "Reports GitHub has not delivered yet")
            for when, names in self.days:
                table.add_row(when.isoformat(), ", ".join(names))
            if not self.lines:
                table.focus()

    def _fill_lines(self, table: DataTable[Any]) -> None:
        for n, line in enumerate(self.lines[:SHOWN_LINES]):
            table.add_row(line.report, line.day, line.part, line.line_no, self._why(line), key=str(n))

    def _why(self, line: SkippedLine) -> str:
        """The rule's reason; while names are hidden, with known names replaced and no quote of the line itself
        (a line that is not JSON is quoted, and may name its user)."""
        if names_of(self) is None:
            return line.why
        if line.why.startswith(UNREADABLE):
            return f"{UNREADABLE} (its text is not shown while names are hidden)"
        return shown_text(self, line.why)

    def names_changed(self) -> None:
        """Names hidden or shown again (n): the reasons draw again."""
        if self.lines:
            table = self.query_one("#problem-lines", DataTable)
            table.clear()
            self._fill_lines(table)

    def _lines_heading(self) -> Text:
        if not self.lines:
            return Text("No report line was skipped: every line of the period counts.", style="bold")
        text = Text(f"{plural(len(self.lines), 'report line')} skipped", style="bold")
        shown = f" (the first {SHOWN_LINES:,} below)" if len(self.lines) > SHOWN_LINES else ""
        text.append(f"{shown}: each is left out of every number; the rest of its report counts.", style="not bold dim")
        return text

    def _days_heading(self) -> Text:
        if not self.days:
            return Text("No day pending: GitHub has delivered every report of the period.", style="bold")
        text = Text(f"{plural(len(self.days), 'day')} pending", style="bold")
        text.append(
            ": GitHub has not delivered these reports yet; r on the dashboard (or the next sync) asks again.",
            style="not bold dim",
        )
        return text

    @on(DataTable.RowHighlighted, "#problem-lines")
    def _show_line(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted line in full: at 80 columns the reason is cut in the table."""
        if event.row_key.value is None:
            return
        line = self.lines[int(event.row_key.value)]
        self.query_one("#line-detail", Static).update(Text(f"{line.source}:{line.line_no}: {self._why(line)}"))
