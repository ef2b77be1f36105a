"""Pick what to export (users, teams, seats, totals, features) and the format, the current tab's table first."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, TabbedContent
from textual.widgets.option_list import Option

from copilot_tui.ui.export import LABELS, WHATS, ExportData, ExportFormat

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
    """What the dashboard ``screen`` shows now: users as filtered, teams and seats in their on-screen order."""
    from copilot_tui.ui.widgets.seats import SeatsPane
    from copilot_tui.ui.widgets.teams import TeamChip, TeamsPane
    from copilot_tui.ui.widgets.users import UsersTable

    view = screen.view
    users = screen.query_one(UsersTable)
    chip = screen.query_one(TeamChip)
    seats = screen.query_one(SeatsPane)
    users_extra: dict[str, Any] = {}
    if chip.team is not None:
        users_extra["team"] = chip.team.slug
    if users.filter_text:
        users_extra["login_filter"] = users.filter_text
    return ExportData(
        scope=view.scope,
        period=view.period,
        users=[users.row_at(i) for i in users.shown_indices],
        totals=view.totals,
        series=view.series,
        teams=screen.query_one(TeamsPane).rows_for_export(),
        seats=seats.shown_records(),
        extra={"users": users_extra, "seats": seats.export_extra()},
    )
