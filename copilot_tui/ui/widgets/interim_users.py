"""A stand-in users table on Textual's DataTable, used until the virtualized ``UserTable`` lands.

Same surface as the real one: ``set_rows``, ``filter``, ``s``/``S`` sort keys and a ``Selected`` message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from copilot_tui.metrics.derive import UserSummary
from copilot_tui.ui.format import compact, day, rate


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    text: Callable[[UserSummary], str]
    sort: Callable[[UserSummary], Any]


def _flag(v: bool) -> str:
    return "✓" if v else "·"


COLUMNS: tuple[Column, ...] = (
    Column("login", "Login", lambda u: u.user_login, lambda u: u.user_login.lower()),
    Column("days", "Days", lambda u: str(u.days_active), lambda u: u.days_active),
    Column("last", "Last active", lambda u: day(u.last_active_day), lambda u: u.last_active_day),
    Column("interactions", "Interact", lambda u: compact(u.interactions), lambda u: u.interactions),
    Column("generations", "Gen", lambda u: compact(u.generations), lambda u: u.generations),
    Column("acceptances", "Acc", lambda u: compact(u.acceptances), lambda u: u.acceptances),
    Column("rate", "Rate", lambda u: rate(u.acceptance_rate), lambda u: u.acceptance_rate or -1.0),
    Column("loc", "LoC+", lambda u: compact(u.loc_added), lambda u: u.loc_added),
    Column("agent", "Agt", lambda u: _flag(u.used_agent), lambda u: u.used_agent),
    Column("chat", "Chat", lambda u: _flag(u.used_chat), lambda u: u.used_chat),
    Column("cli", "CLI", lambda u: _flag(u.used_cli), lambda u: u.used_cli),
    Column("ide", "Top IDE", lambda u: u.top_ide or "–", lambda u: u.top_ide or ""),
    Column("language", "Top lang", lambda u: u.top_language or "–", lambda u: u.top_language or ""),
)


class InterimUserTable(DataTable[str]):
    BINDINGS = [
        Binding("s", "cycle_sort", "Sort column"),
        Binding("S", "flip_sort", "Flip order"),
    ]

    class Selected(Message):
        def __init__(self, row: UserSummary) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.all_rows: list[UserSummary] = []
        self.shown: list[UserSummary] = []
        self.filter_text = ""
        self.sort_index = 1
        self.descending = True

    def on_mount(self) -> None:
        for col in COLUMNS:
            self.add_column(col.label, key=col.key)

    def set_rows(self, rows: Sequence[UserSummary]) -> None:
        self.all_rows = list(rows)
        self._redraw()

    def filter(self, text: str) -> None:
        self.filter_text = text
        self._redraw()

    def action_cycle_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(COLUMNS)
        self._redraw()

    def action_flip_sort(self) -> None:
        self.descending = not self.descending
        self._redraw()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if event.column_index == self.sort_index:
            self.descending = not self.descending
        else:
            self.sort_index = event.column_index
        self._redraw()

    def _redraw(self) -> None:
        keep = self.cursor_row
        needle = self.filter_text.lower()
        rows = [r for r in self.all_rows if needle in r.user_login.lower()]
        col = COLUMNS[self.sort_index]
        rows.sort(key=lambda r: r.user_login.lower())
        rows.sort(key=col.sort, reverse=self.descending)
        self.shown = rows
        self.clear()
        for r in rows:
            self.add_row(*(c.text(r) for c in COLUMNS), key=str(r.user_id))
        if rows:
            self.move_cursor(row=min(keep, len(rows) - 1))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.shown):
            self.post_message(self.Selected(self.shown[event.cursor_row]))
