"""Pick what to export (users, totals, daily totals, features, teams, seats) and the format, the current tab's table
first; and gather what the dashboard shows into the export model's ``ExportData``."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, TabbedContent
from textual.widgets.option_list import Option

from copilot_tui.exports import LABELS, WHATS, ExportData, ExportFormat
from copilot_tui.ui.names import names_of


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """What to write, in which format, where; ``overwrite`` only when the user confirmed replacing that file."""

    what: str
    fmt: ExportFormat
    path: Path
    overwrite: bool = False


Propose = Callable[[str, ExportFormat, Path | None], Path]
"""A free path for a table and format, in the given folder (the export directory when None)."""


def option_id(what: str, fmt: ExportFormat) -> str:
    return f"{what}:{fmt}"


def _parse_option(option_id: str) -> tuple[str, ExportFormat]:
    what, fmt = option_id.split(":")
    return what, "json" if fmt == "json" else "csv"


class ExportPickerScreen(ModalScreen[ExportChoice | None]):
    """Which table in which format, and where: the path is proposed (a free name in the export directory) and can
    be edited; Enter writes, Escape writes nothing. A file is replaced only after a second Enter on its path."""

    DEFAULT_CSS = """
    ExportPickerScreen { align: center middle; background: $background 60%; }
    """

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without writing a file"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, propose: Propose, current: str = "users", available: tuple[str, ...] = WHATS) -> None:
        super().__init__()
        self.current = current if current in available else available[0]
        self.available = available
        self.propose = propose
        self._confirm: Path | None = None

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
            yield Label("Write to (Tab to edit):", classes="picker-hint")
            yield Input(id="export-path", placeholder="a file or a folder")
            yield Label("", id="export-error", classes="picker-error")
            yield Label("↑↓ table · Tab path · Enter write · Esc cancel", classes="picker-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = options.get_option_index(option_id(self.current, "csv"))
        options.focus()

    def chosen(self) -> tuple[str, ExportFormat]:
        options = self.query_one(OptionList)
        option = options.get_option_at_index(options.highlighted or 0)
        return _parse_option(str(option.id))

    @on(OptionList.OptionHighlighted, "#picker-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The proposed name follows the table; a folder the user typed is kept."""
        field = self.query_one("#export-path", Input)
        folder = self._folder_of(field.value) if field.value.strip() else None
        field.value = str(self.propose(*_parse_option(str(event.option.id)), folder))
        field.cursor_position = len(field.value)
        # the file name, not the folder, is what changed: show the end (the cursor alone scrolls only when moved)
        field.call_after_refresh(lambda: field.scroll_to(x=field.max_scroll_x, animate=False, force=True))
        self._say("")

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._write(*_parse_option(str(event.option.id)))

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        self._write(*self.chosen())

    @staticmethod
    def _typed_path(value: str) -> Path:
        path = Path(value.strip()).expanduser()
        return path if path.is_absolute() else Path.cwd() / path

    @classmethod
    def _is_folder(cls, value: str) -> bool:
        return value.rstrip().endswith(("/", os.sep)) or cls._typed_path(value).is_dir()

    @classmethod
    def _folder_of(cls, value: str) -> Path:
        path = cls._typed_path(value)
        return path if cls._is_folder(value) else path.parent

    def _write(self, what: str, fmt: ExportFormat) -> None:
        value = self.query_one("#export-path", Input).value
        if not value.strip():
            self._say("Give a file (or a folder) to write to.")
            return
        path = self.propose(what, fmt, self._typed_path(value)) if self._is_folder(value) else self._typed_path(value)
        overwrite = path.exists()
        if overwrite and self._confirm != path:
            self._confirm = path
            self._say(f"{path.name} exists: Enter again replaces it; change the name to keep it.")
            return
        self.dismiss(ExportChoice(what, fmt, path, overwrite))

    def _say(self, message: str) -> None:
        error = self.query_one("#export-error", Label)
        error.update(message)
        error.set_class(bool(message), "-shown")
        if not message:
            self._confirm = None


TAB_TABLES = {
    "tab-users": "users",
    "tab-teams": "teams",
    "tab-seats": "seats",
    "tab-adoption": "adoption",
    "tab-versions": "versions",
    "tab-orgs": "orgs",
    "tab-breakdowns": "totals",
}


def current_table(screen: Any) -> str:
    """The table the dashboard's active tab shows (the totals for tabs without a table of their own)."""
    return TAB_TABLES.get(str(screen.query_one(TabbedContent).active), "users")


def export_data_of(screen: Any) -> ExportData:
    """What the dashboard ``screen`` shows now, narrowed to its filters: users as filtered (login, team), teams as
    filtered, the seat list on screen. The rows' order is the export model's, not the screen's current sort."""
    from copilot_tui.ui.widgets.seats import SeatsPane
    from copilot_tui.ui.widgets.segment_filter import SegmentChip
    from copilot_tui.ui.widgets.teams import TeamChip, TeamsPane
    from copilot_tui.ui.widgets.users import UsersTable

    view = screen.view
    users = screen.query_one(UsersTable)
    chip = screen.query_one(TeamChip)
    segment = screen.query_one(SegmentChip).segment
    seats = screen.query_one(SeatsPane)
    teams = screen.query_one(TeamsPane)
    filters: dict[str, Any] = {}
    if chip.team is not None:
        filters[chip.what] = chip.shown_label()
    if users.filter_text:
        filters["login_filter"] = users.filter_text
    if segment is not None:
        filters["segment"] = segment
    narrowed = chip.team is not None or segment is not None or bool(users.filter_text)
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
        inactive_days=seats.days,
        seat_prices=seats.prices,
        history=partial(snapshot.user_history, screen.engaged_days()) if hasattr(snapshot, "user_history") else None,
        engaged_days=screen.engaged_days(),
        previous_users=view.previous_totals.users if view.previous_totals is not None else None,
        users_by_bucket=view.users_by_bucket,
        shown_users=[users.row_at(i) for i in users.shown_indices] if narrowed else None,
        shown_teams={r.team_id for r in teams.shown_rows()} if teams.table.filter_text else None,
        shown_seats=(
            {seats.table.row_at(i).login.lower() for i in seats.table.shown_indices}
            if seats.table.filter_text
            else None
        ),
        filters=filters,
        names=names_of(screen),
    )
