"""The Orgs tab of an enterprise: one row per organization (seats, distinct active users, engaged and agent shares,
AI credits, idle seats), from the seats API (which org assigned each seat) and the period's users; Enter opens the
org."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from copilot_tui.metrics.derive import UserSummary
from copilot_tui.scope import Scope
from copilot_tui.ui.format import compact, rate
from copilot_tui.ui.widgets.user_table import Column, UserTable, bindings_opening
from copilot_tui.views import OrgRow, OrgsView, build_orgs

__all__ = ["ORG_COLUMNS", "OrgsPane", "OrgsTable"]


ORG_COLUMNS: tuple[Column, ...] = (
    Column("org", "Org", 16, priority=100, grow=16, term="org_name"),
    Column("seats", "Seats", 6, "right", compact, priority=90, descending_first=True, term="org_seats"),
    Column("active_users", "Active", 6, "right", compact, priority=95, descending_first=True, term="org_active_users"),
    Column(
        "engaged_share",
        "Engaged",
        7,
        "right",
        rate,
        float,
        priority=80,
        descending_first=True,
        term="org_engaged_share",
    ),
    Column("agent_share", "Agent", 6, "right", rate, float, priority=70, descending_first=True, term="org_agent_share"),
    Column("ai_credits", "Credits", 8, "right", compact, priority=60, descending_first=True, term="org_ai_credits"),
    Column("idle_seats", "Idle seats", 10, "right", compact, priority=85, descending_first=True, term="org_idle_seats"),
)


class OrgsTable(UserTable, inherit_bindings=False):
    """The users table's keys (``s`` sort column, ``S`` reverse), Enter opens the org."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_opening("Open org", "Open the highlighted organization")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            ORG_COLUMNS,
            filter_column="org",
            id_column="org",
            sort_column="active_users",
            noun="orgs",
            empty_text="No organization in the seats of this enterprise.",
            warm_up=False,
            id=id,
        )


def describe(view: OrgsView | None, scope: Scope | None, waiting: str = "") -> str:
    if scope is not None and scope.kind == "org":
        return f"{scope.name} is an organization: open an enterprise (o) to compare its organizations here."
    if view is None:
        return waiting or "Loading the enterprise's seats (they say which org each user is in)…"
    text = (
        f"{len(view.rows):,} orgs · engaged: active on {view.engaged_days}+ days · idle: unused "
        f"{view.inactive_days}+ days · Enter opens an org"
    )
    if view.unplaced:
        text += f" · {view.unplaced:,} active users hold no seat that names an org"
    return text


class OrgsPane(Vertical):
    """The enterprise's orgs for the dashboard's period, once its seats are in."""

    DEFAULT_CSS = """
    OrgsPane { height: 1fr; }
    OrgsPane > #orgs-note { color: $text-muted; padding: 0 1; height: auto; }
    OrgsPane > OrgsTable { height: 1fr; }
    """

    class Opened(Message):
        """Enter on an org: open it."""

        def __init__(self, row: OrgRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, seats: Callable[[Scope], Awaitable[Any]], *, engaged_days: int, id: str | None = None) -> None:
        """``seats(scope)`` gives the scope's seat report once loaded (None when it cannot be had)."""
        super().__init__(id=id)
        self.seats = seats
        self.engaged_days = engaged_days
        self.inactive_days = 30
        self.view: OrgsView | None = None
        self._wanted: tuple[Scope, Sequence[UserSummary]] | None = None
        self._built: tuple[Scope, int, int] | None = None
        self._waiting = ""

    def compose(self) -> ComposeResult:
        yield Static(describe(None, None), id="orgs-note")
        yield OrgsTable(id="orgs-table")

    @property
    def table(self) -> OrgsTable:
        return self.query_one(OrgsTable)

    def show(self, scope: Scope, users: Sequence[UserSummary], inactive_days: int) -> None:
        self._wanted = (scope, users)
        self.inactive_days = inactive_days
        self.view = None
        self._built = None
        if self.is_on_screen:
            self._build_wanted()

    def on_show(self) -> None:
        self.tab_shown()

    def tab_shown(self) -> None:
        """The tab is on screen: compute what it shows unless done. The dashboard calls this when the tab is
        activated too: Textual sends no Show to a pane that appears right after a scroll elsewhere."""
        self._build_wanted()

    def _build_wanted(self) -> None:
        if self._wanted is None:
            return
        scope, users = self._wanted
        key = (scope, id(users), self.inactive_days)
        if key == self._built:
            return
        self._built = key
        note = self.query_one("#orgs-note", Static)
        if scope.kind == "org":
            self.table.set_rows([])
            note.update(describe(None, scope))
            return
        note.update(describe(None, scope))
        self._build(scope, users)

    @work(exclusive=True, group="orgs", exit_on_error=False)
    async def _build(self, scope: Scope, users: Sequence[UserSummary]) -> None:
        report = await self.seats(scope)
        if self._wanted is None or self._wanted[1] is not users:
            return
        if report is None:
            self._built = None
            self.query_one("#orgs-note", Static).update(
                "The orgs of an enterprise come from its seats (the seats API), which could not be had: see the "
                "seats tab (l) for why."
            )
            return
        view = await asyncio.to_thread(
            build_orgs, users, report, engaged_days=self.engaged_days, inactive_days=self.inactive_days
        )
        if self._wanted is None or self._wanted[1] is not users:
            return
        self.view = view
        self.table.set_rows(view.rows)
        self.query_one("#orgs-note", Static).update(describe(view, scope))

    @on(UserTable.StatusChanged)
    def _own_status(self, event: UserTable.StatusChanged) -> None:
        event.stop()

    @on(UserTable.Selected, "#orgs-table")
    def _opened(self, event: UserTable.Selected) -> None:
        event.stop()
        self.post_message(self.Opened(event.row))
