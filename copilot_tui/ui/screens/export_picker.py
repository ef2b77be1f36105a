"""Pick what to export (users, totals, daily totals, features, teams, seats) and the format, the current tab's table
first; and gather what the dashboard shows into the export model's ``ExportData``."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, TabbedContent
from textual.widgets.option_list import Option

from copilot_tui.exports import LABELS, WHATS, ExportData, ExportFormat

Choice = tuple[str, ExportFormat]


def option_id(what: str, fmt: ExportFormat) -> str:
    return f"{what}:{fmt}"


class ExportPickerScreen(ModalScreen[Choice | None]):
    """Enter writes the highlighted table in the highlighted format; Escape writes nothing."""

    DEFAULT_CSS = """
    ExportPickerScreen { align: center middle; background: $background 60%; }
    ExportPickerScreen #picker-list { max-height: 12; }
    """

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without writing a file"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, current: str = "users", available: tuple[str, ...] = WHATS) -> None:
        super().__init__()
        self.current = current if current in available else available[0]
        self.available = available

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Export to a file", classes="picker-title")
            yield OptionList(
                *[
                    Option(f"{LABELS[what]} · {fmt.upper()}", id=option_id(what, fmt))
                    for what in self.available
                    for fmt in ("csv", "json")
                ],
                id="picker-list",
            )
            yield Label("↑↓ move · Enter write · Esc cancel", classes="picker-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = options.get_option_index(option_id(self.current, "csv"))
        options.focus()

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        what, fmt = str(event.option.id).split(":")
        self.dismiss((what, "json" if fmt == "json" else "csv"))


TAB_TABLES = {
    "tab-users": "users",
    "tab-teams": "teams",
    "tab-seats": "seats",
    "tab-adoption": "features",
    "tab-breakdowns": "totals",
}


def current_table(screen: Any) -> str:
    """The table the dashboard's active tab shows (the totals for tabs without a table of their own)."""
    return TAB_TABLES.get(str(screen.query_one(TabbedContent).active), "users")


def export_data_of(screen: Any) -> ExportData:
    """What the dashboard ``screen`` shows now, narrowed to its filters: users as filtered (login, team), teams as
    filtered, the seat list on screen. The rows' order is the export model's, not the screen's current sort."""
    from copilot_tui.ui.widgets.seats import SeatsPane
    from copilot_tui.ui.widgets.teams import TeamChip, TeamsPane
    from copilot_tui.ui.widgets.users import UsersTable

    view = screen.view
    users = screen.query_one(UsersTable)
    chip = screen.query_one(TeamChip)
    seats = screen.query_one(SeatsPane)
    teams = screen.query_one(TeamsPane)
    filters: dict[str, Any] = {}
    if chip.team is not None:
        filters["team"] = chip.team.slug
    if users.filter_text:
        filters["login_filter"] = users.filter_text
    narrowed = chip.team is not None or bool(users.filter_text)
    snapshot = screen.snapshot
    days = [d for d in getattr(snapshot, "day_totals", ()) if d.day in view.period]
    return ExportData(
        scope=view.scope,
        period=view.period,
        days=days,
        users=view.users,
        series=view.series,
        teams=teams.teams_for_export(),
        seats=seats.report,
        seat_list=seats.list,
        inactive_days=seats.days if seats.list == "inactive" else None,
        shown_users=[users.row_at(i) for i in users.shown_indices] if narrowed else None,
        shown_teams={r.team_id for r in teams.shown_rows()} if teams.table.filter_text else None,
        shown_seats=(
            {seats.table.row_at(i).login.lower() for i in seats.table.shown_indices}
            if seats.table.filter_text
            else None
        ),
        filters=filters,
    )
