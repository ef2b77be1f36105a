"""The Versions tab: per IDE, the IDE versions and the Copilot plugin versions its users last ran, with how many
users each, newest first and the newest marked; Enter shows the users on a version in the users table."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from copilot_tui.metrics.derive import UserSummary
from copilot_tui.ui.format import compact, rate
from copilot_tui.ui.widgets.user_table import Column, UserTable
from copilot_tui.views import NOT_REPORTED, VersionRow, VersionsView, build_versions

__all__ = ["VERSION_COLUMNS", "VersionsPane", "VersionsTable"]


def _kind(value: Any) -> str:
    return "IDE" if value == "ide" else "plugin"


def _version(value: Any) -> str:
    return str(value) if value else NOT_REPORTED


def _behind(value: Any) -> str:
    if value is None:
        return "–"
    return "★ newest" if value == 0 else f"{value} behind"


def _text(value: Any) -> str:
    return "–" if value is None else str(value)


VERSION_COLUMNS: tuple[Column, ...] = (
    Column("ide", "IDE", 12, priority=100, grow=6, sortable=False, term="version_ide"),
    Column("kind", "Of", 6, formatter=_kind, priority=95, sortable=False, term="version_kind"),
    Column("version", "Version", 12, formatter=_version, priority=98, grow=8, sortable=False, term="version_users"),
    Column("behind", "Newest", 9, formatter=_behind, priority=90, sortable=False, term="releases_behind"),
    Column("users", "Users", 6, "right", compact, priority=97, sortable=False, term="version_users"),
    Column("share", "Share", 6, "right", rate, priority=85, sortable=False, term="version_share"),
    Column("plugin", "Plugin", 16, formatter=_text, priority=40, grow=6, sortable=False, term="version_plugin"),
)
"""Unsortable: the rows keep their order (IDE by users, the IDE's versions then its plugin's, newest first)."""


class VersionsTable(UserTable, inherit_bindings=False):
    """Enter shows the version's users; no sort keys: the order is the view's."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Show users", tooltip="Show the users on the highlighted version"),
        *[b for b in UserTable.BINDINGS if not (isinstance(b, Binding) and b.key in ("r", "enter", "s", "S"))],
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            VERSION_COLUMNS,
            filter_column="ide",
            noun="versions",
            empty_text="No IDE versions in this period.",
            warm_up=False,
            id=id,
        )


def describe(view: VersionsView | None) -> str:
    if view is None:
        return "Loading versions…"
    if not view.rows:
        return "No IDE or plugin versions: the period's users report names none (users of the CLI only, or none)."
    behind = sum(r.users for r in view.rows if r.kind == "plugin" and r.behind)
    return (
        f"{len(view.ide_users):,} IDEs · {behind:,} users on an older plugin than the newest in use · "
        "each user at their last-known version · Enter shows a version's users"
    )


class VersionsPane(Vertical):
    """The versions of the dashboard's period, counted from its users when the tab first shows."""

    DEFAULT_CSS = """
    VersionsPane { height: 1fr; }
    VersionsPane > #versions-note { color: $text-muted; padding: 0 1; height: auto; }
    VersionsPane > VersionsTable { height: 1fr; }
    """

    class Opened(Message):
        """Enter on a version: show its users."""

        def __init__(self, row: VersionRow) -> None:
            super().__init__()
            self.row = row

    class Counted(Message):
        """The versions of ``users`` were counted."""

        def __init__(self, users: Sequence[UserSummary]) -> None:
            super().__init__()
            self.users = users

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: VersionsView | None = None
        self._users: Sequence[UserSummary] | None = None

    def compose(self) -> ComposeResult:
        yield Static(describe(None), id="versions-note")
        yield VersionsTable(id="versions-table")

    @property
    def table(self) -> VersionsTable:
        return self.query_one(VersionsTable)

    def show(self, users: Sequence[UserSummary]) -> None:
        """The users of the period on screen: their versions are counted when the tab shows."""
        self._users = users
        self.view = None
        if self.is_on_screen:
            self._build()

    def on_show(self) -> None:
        self.tab_shown()

    def tab_shown(self) -> None:
        """The tab is on screen: compute what it shows unless done. The dashboard calls this when the tab is
        activated too: Textual sends no Show to a pane that appears right after a scroll elsewhere."""
        if self.view is None:
            self._build()

    def count_now(self) -> None:
        """Count the period's versions now, on screen or not: a version filter wants its users (``Counted`` says
        when they are known; at once if they already are)."""
        if self.view is None:
            self._build()
        elif self._users is not None:
            self.post_message(self.Counted(self._users))

    def row_like(self, row: VersionRow) -> VersionRow | None:
        """The row of the same version in the period counted last (None: not in it, or nothing counted)."""
        same = (row.ide, row.kind, row.version)
        return next((r for r in self.view.rows if (r.ide, r.kind, r.version) == same), None) if self.view else None

    def _build(self) -> None:
        if self._users is not None:
            self.query_one("#versions-note", Static).update(describe(None))
            self._count(self._users)

    @work(exclusive=True, group="versions", exit_on_error=False)
    async def _count(self, users: Sequence[UserSummary]) -> None:
        """In a thread: at 200k users, every user's versions are read from the period's facts."""
        view = await asyncio.to_thread(build_versions, users)
        if users is not self._users:
            return
        self.view = view
        self.table.set_rows(view.rows)
        self.query_one("#versions-note", Static).update(describe(view))
        self.post_message(self.Counted(users))

    @on(UserTable.StatusChanged)
    def _own_status(self, event: UserTable.StatusChanged) -> None:
        event.stop()  # the dashboard reads this message as the users table's

    @on(UserTable.Selected, "#versions-table")
    def _opened(self, event: UserTable.Selected) -> None:
        event.stop()
        self.post_message(self.Opened(event.row))
