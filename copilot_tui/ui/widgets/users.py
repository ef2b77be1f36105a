"""The dashboard's users table: the virtualized ``UserTable`` with our columns, one row per ``UserSummary``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from operator import attrgetter
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from copilot_tui.metrics.catalog import explain
from copilot_tui.metrics.derive import UserSummary
from copilot_tui.ui.format import compact, rate
from copilot_tui.ui.widgets.user_table import Column, UserTable


def _flag(value: Any) -> str:
    return "✓" if value else "·"


def _text(value: Any) -> str:
    return "–" if value is None else str(value)


# Priorities decide what an 80-column terminal drops first: the flags and top IDE/language go before the counts; the
# IDE and plugin versions (each IDE's last-known one, most used first) show on screens wider than 160 columns.
COLUMNS: tuple[Column, ...] = (
    Column("user_login", "Login", 18, priority=100, grow=22, term="user_login"),
    Column("organization", "Org", 10, priority=75, grow=8, term="user_org"),
    Column("days_active", "Days", 5, "right", priority=90, descending_first=True, term="days_active"),
    Column("last_active_day", "Last active", 10, priority=70, descending_first=True, term="last_active_day"),
    Column("interactions", "Interact", 8, "right", compact, priority=80, descending_first=True, term="interactions"),
    Column("generations", "Gen", 7, "right", compact, priority=50, descending_first=True, term="generations"),
    Column("acceptances", "Acc", 7, "right", compact, priority=40, descending_first=True, term="acceptances"),
    Column("acceptance_rate", "Rate", 6, "right", rate, priority=85, descending_first=True, term="acceptance_rate"),
    Column("loc_added", "LoC+", 7, "right", compact, priority=60, descending_first=True, term="loc_added"),
    Column("ai_credits_used", "Credits", 7, "right", compact, priority=55, descending_first=True, term="ai_credits"),
    Column("used_agent", "Agt", 3, "center", _flag, priority=35, descending_first=True, term="used_agent"),
    Column("used_chat", "Chat", 4, "center", _flag, priority=34, descending_first=True, term="used_chat"),
    Column("used_cli", "CLI", 3, "center", _flag, priority=33, descending_first=True, term="used_cli"),
    Column("top_ide", "Top IDE", 12, formatter=_text, priority=30, grow=6, term="top_ide"),
    Column("top_language", "Top language", 12, formatter=_text, priority=20, grow=6, term="top_language"),
    Column("ide_version_text", "IDE versions", 38, formatter=_text, priority=12, grow=10, term="ide_versions"),
    Column("plugin_version_text", "Plugin versions", 38, formatter=_text, priority=11, grow=10, term="plugin_versions"),
)

ORG_COLUMN = "organization"
"""The users' orgs: not a ``UserSummary`` field, given with ``set_rows(values=...)`` in an enterprise only."""

COMPUTED_KEYS: tuple[str, ...] = tuple(
    column.key
    for column in COLUMNS
    if column.key not in {field.name for field in fields(UserSummary)} and column.key != ORG_COLUMN
)
"""Columns whose ``UserSummary`` value is a property that computes on every read: top IDE / language scan a
Counter (~1 us a user), the rate divides, the counts look up the activity dict."""


def column_values(users: Sequence[UserSummary]) -> dict[str, list[Any]]:
    """The computed columns' values of ``users``, for ``UsersTable.set_rows(users, values=column_values(users))``.

    A first sort of a column reads its value for every row: at 200k users the top IDE alone costs ~160 ms of
    Counter scans, more than the whole sort's budget. Read once here, in the worker that builds the users (about
    0.5 s at 200k, off the UI thread), a first sort costs only the sort itself.
    """
    ready = getattr(users, "columns", None)  # users held as columns carry them (metrics.user_columns.ColumnUsers)
    if isinstance(ready, dict) and all(key in ready for key in COMPUTED_KEYS):
        return {c.key: ready[c.key] for c in COLUMNS if c.key in ready}
    return {key: list(map(attrgetter(key), users)) for key in COMPUTED_KEYS}


TOOLTIPS = {
    "enter": Binding("enter", "select_cursor", "Open", tooltip="Open the highlighted user's detail"),
    "s": Binding("s", "cycle_sort", "Sort", tooltip="Sort by the next column (or click a column header)"),
    "S": Binding("S", "flip_order", "Reverse order", key_display="S", tooltip="Reverse the sort order"),
}


class UsersTable(UserTable, inherit_bindings=False):
    """``r`` is refresh on the dashboard, so the table's extra ``r`` (reverse order) is left out here."""

    BINDINGS: ClassVar[list[BindingType]] = [
        TOOLTIPS.get(b.key, b) if isinstance(b, Binding) else b
        for b in UserTable.BINDINGS
        if not (isinstance(b, Binding) and b.key == "r")
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            COLUMNS,
            filter_column="user_login",
            id_column="user_login",
            sort_column="days_active",
            noun="users",
            id=id,
            explain=explain,
        )


__all__ = ["COLUMNS", "COMPUTED_KEYS", "ORG_COLUMN", "UsersTable", "column_values"]
