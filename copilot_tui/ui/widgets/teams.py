"""The Teams tab: one row per team (the user-teams report joined with the users report), sortable; Enter opens a
team's members in the users table. Also the chip above the users table that says a team filter is on."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from copilot_tui.metrics.catalog import explain
from copilot_tui.metrics.derive import Period, UserSummary
from copilot_tui.metrics.teams import NO_TEAM_ID, team_member_logins
from copilot_tui.ui.format import compact, rate
from copilot_tui.ui.names import names_of, shown_team
from copilot_tui.ui.widgets.user_table import ELLIPSIS, Column, UserTable, bindings_opening
from copilot_tui.views import TeamRow, TeamsView, build_teams, stream_user_rows, team_organizations

log = logging.getLogger(__name__)

__all__ = ["TeamChip", "TeamRow", "TeamsPane", "TeamsTable", "TeamsView", "build_teams", "stream_user_rows"]


def shorten_team(name: str, width: int) -> str:
    """An enterprise's ``org/slug`` too long for ``width`` as ``…/slug``: the slug tells the teams apart, where the
    org before it mostly repeats from row to row."""
    org, slash, slug = name.partition("/")
    return f"{ELLIPSIS}/{slug}" if slash and org else name


TEAM_COLUMNS: tuple[Column, ...] = (
    Column("name", "Team", 18, priority=100, grow=22, term="team_slug", shorten=shorten_team),
    Column("members", "Members", 7, "right", compact, priority=90, descending_first=True, term="team_members"),
    Column("active_users", "Active", 6, "right", compact, priority=95, descending_first=True, term="team_active_users"),
    Column(
        "active_share",
        "Act %",
        6,
        "right",
        rate,
        float,
        priority=60,
        descending_first=True,
        term="team_active_share",
    ),
    Column(
        "active_user_days", "User-days", 9, "right", compact, priority=40, descending_first=True, term="team_user_days"
    ),
    Column(
        "interactions", "Interact", 8, "right", compact, priority=80, descending_first=True, term="team_interactions"
    ),
    Column("generations", "Gen", 7, "right", compact, priority=70, descending_first=True, term="team_generations"),
    Column("acceptances", "Acc", 7, "right", compact, priority=50, descending_first=True, term="team_acceptances"),
    Column(
        "acceptance_rate",
        "Rate",
        6,
        "right",
        rate,
        float,
        priority=85,
        descending_first=True,
        term="team_acceptance_rate",
    ),
    Column("loc_added", "LoC+", 7, "right", compact, priority=45, descending_first=True, term="team_loc_added"),
    Column("agent_users", "Agent", 5, "right", compact, priority=35, descending_first=True, term="team_agent_users"),
    Column("chat_users", "Chat", 5, "right", compact, priority=34, descending_first=True, term="team_chat_users"),
    Column("cli_users", "CLI", 5, "right", compact, priority=33, descending_first=True, term="team_cli_users"),
    Column("ai_credits", "Credits", 7, "right", compact, priority=55, descending_first=True, term="team_ai_credits"),
)


class TeamsTable(UserTable, inherit_bindings=False):
    """The users table's keys (``s`` sort column, ``S`` reverse), Enter shows the team's members."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_opening("Open team", "Show the team's members in the users table")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            TEAM_COLUMNS,
            filter_column="name",
            sort_column="active_users",
            noun="teams",
            empty_text="No team data in this period.",
            warm_up=False,
            id=id,
            explain=explain,
        )


def describe(view: TeamsView | None, orgs_note: str = "") -> str:
    """The line above the teams table; ``orgs_note``: why an enterprise's teams are not named with their org."""
    if view is None:
        return "Loading teams…"
    if not view.teams:
        return (
            "No team data: the user-teams report lists only teams with five or more Copilot seats, and none is "
            "in this period."
        )
    text = f"{len(view.teams):,} teams · a user in several teams counts in each · Enter shows a team's users"
    if view.days_without_data:
        text += f" · {len(view.days_without_data)} days without team data left out"
    if orgs_note:
        text += f" · {orgs_note}"
    return text


class TeamsPane(Vertical):
    """Teams of the dashboard's period; computed in a worker so a large enterprise does not hold the screen."""

    DEFAULT_CSS = """
    TeamsPane { height: 1fr; }
    TeamsPane > #teams-note { color: $text-muted; padding: 0 1; height: auto; }
    TeamsPane > TeamsTable { height: 1fr; }
    """

    class Opened(Message):
        """Enter on a team: show its members (everyone listed in it on a day of the period)."""

        def __init__(self, team: TeamRow, members: frozenset[int], logins: dict[int, str] | None = None) -> None:
            super().__init__()
            self.team = team
            self.members = members
            self.logins = logins or {}
            """The members' logins, for those with no activity in the period (not among the users)."""

    class Built(Message):
        """The teams of ``snapshot`` were computed: its user-teams report has been read (and its skipped lines
        counted)."""

        def __init__(self, snapshot: Any) -> None:
            super().__init__()
            self.snapshot = snapshot

    def __init__(self, seats: Callable[[Any], Awaitable[Any]] | None = None, *, id: str | None = None) -> None:
        """``seats(scope)`` gives the scope's seat report (None when it cannot be had): an enterprise's seats say
        which org each team is in."""
        super().__init__(id=id)
        self.seats = seats
        self.view: TeamsView | None = None
        self._wanted: tuple[Any, Period] | None = None
        self._shown: tuple[int, Period] | None = None
        self._built: tuple[int, Period] | None = None
        """The snapshot and period ``view`` was computed for."""

    def compose(self) -> ComposeResult:
        yield Static(describe(None), id="teams-note")
        yield TeamsTable(id="teams-table")

    @property
    def table(self) -> TeamsTable:
        return self.query_one(TeamsTable)

    def shown_rows(self) -> list[TeamRow]:
        """The rows in the order on screen."""
        table = self.table
        return [table.row_at(i) for i in table.shown_indices]

    def teams_for_export(self) -> TeamsView | Callable[[], TeamsView] | None:
        """The teams view on screen when it is the current one; else a function computing it (blocking: call it in
        a thread), for an export asked for before the tab was ever shown."""
        if self._wanted is None:
            return None
        snapshot, period = self._wanted
        if self.view is not None and self._shown == (id(snapshot), period) and self.view.period == period:
            return self.view
        return lambda: build_teams(snapshot, period)

    def show(self, snapshot: Any, period: Period) -> None:
        """The teams of ``snapshot`` over ``period``: computed now if the tab is on screen, else when it shows (the
        join reads the whole users report, which nobody should wait for unless they look at teams)."""
        self._wanted = (snapshot, period)
        if self.is_on_screen:
            self._build_wanted()

    def on_show(self) -> None:
        self.tab_shown()

    def tab_shown(self) -> None:
        """The tab is on screen: compute what it shows unless done. The dashboard calls this when the tab is
        activated too: Textual sends no Show to a pane that appears right after a scroll elsewhere."""
        self._build_wanted()

    def build_now(self) -> None:
        """Compute the period's teams now, on screen or not: a team filter wants its members (``Built`` says when
        they are known; at once if they already are)."""
        if self._wanted is not None and self._built == (id(self._wanted[0]), self._wanted[1]):
            self.post_message(self.Built(self._wanted[0]))
        else:
            self._build_wanted()

    def row_of(self, team_id: int) -> TeamRow | None:
        """The team's row in the period computed last (None: not in it, or nothing computed)."""
        return next((r for r in self.view.rows if r.team_id == team_id), None) if self.view is not None else None

    def _build_wanted(self) -> None:
        if self._wanted is None:
            return
        snapshot, period = self._wanted
        key = (id(snapshot), period)
        if key == self._shown:
            return
        self._shown = key
        self.query_one("#teams-note", Static).update(describe(None))
        self._build(snapshot, period)

    @work(exclusive=True, group="teams", exit_on_error=False)
    async def _build(self, snapshot: Any, period: Period) -> None:
        try:
            view = await asyncio.to_thread(build_teams, snapshot, period)
        except Exception as exc:  # the other tabs stay usable; the log has the detail
            from copilot_tui.ui.errors import describe_error

            log.error("teams of %s failed", getattr(snapshot, "scope", "?"), exc_info=exc)
            self._shown = None
            self.query_one("#teams-note", Static).update(f"Teams could not be computed. {describe_error(exc)}")
            return
        if self._wanted is None or self._wanted[0] is not snapshot:
            return
        self.view = view
        self._built = (id(snapshot), period)
        self._set_rows(view.rows)
        note = self.query_one("#teams-note", Static)
        note.update(describe(view))
        self.post_message(self.Built(snapshot))
        scope = getattr(snapshot, "scope", None)
        if scope is None or scope.kind != "enterprise" or self.seats is None or not view.teams:
            return
        report = await self.seats(scope)
        if self._wanted is None or self._wanted[0] is not snapshot:
            return
        if report is None:
            note.update(describe(view, "teams named without their org: the seats that say it could not be had (l)"))
            return
        self.view = view = view.with_organizations(team_organizations(view.teams, report))
        self._set_rows(view.rows)
        note.update(describe(view))

    def _set_rows(self, rows: list[TeamRow]) -> None:
        """The rows, each team named with a pseudonym while names are hidden."""
        names = names_of(self)
        values = {"name": [shown_team(self, r.slug, r.organization) for r in rows]} if names is not None else None
        self.table.set_rows(rows, values)

    def names_changed(self) -> None:
        if self.view is not None:
            self._set_rows(self.view.rows)

    def members_of(self, team_id: int) -> frozenset[int]:
        return frozenset(self.member_logins(team_id))

    def member_logins(self, team_id: int) -> dict[int, str]:
        """Everyone listed in the team in the period (the "(no team)" row: its active users), with logins."""
        if self.view is None:
            return {}
        if team_id == NO_TEAM_ID:
            team = next((t for t in self.view.teams if t.team_id == NO_TEAM_ID), None)
            return dict.fromkeys(team.active_users, "") if team is not None else {}
        return team_member_logins(self.view.team_rows, team_id, self.view.period)

    @on(UserTable.StatusChanged)
    def _own_status(self, event: UserTable.StatusChanged) -> None:
        event.stop()  # the dashboard reads this message as the users table's

    @on(UserTable.Selected, "#teams-table")
    def _opened(self, event: UserTable.Selected) -> None:
        event.stop()
        team: TeamRow = event.row
        logins = self.member_logins(team.team_id)
        self.post_message(self.Opened(team, frozenset(logins), logins))


class TeamChip(Static):
    """ "team: backend · 12 of 40 users · Esc clears": shown above the users table while a team (or a version of the
    Versions tab) narrows it."""

    DEFAULT_CSS = """
    TeamChip { display: none; height: 1; margin: 0 1; padding: 0 1; background: $accent 30%; color: $foreground; }
    TeamChip.-on { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.team: Any = None
        """The team (``TeamRow``) or the version (``views.VersionRow``) whose users are shown."""
        self.members: frozenset[int] = frozenset()
        self.logins: dict[int, str] = {}
        self.what = "team"
        """What narrows the users: ``team``, or ``version`` (the Versions tab)."""
        self.label = ""
        self.pending = False
        """The period changed: ``members`` are still the previous period's until the new period's are known."""

    @property
    def active(self) -> bool:
        return self.team is not None

    def set_team(
        self,
        team: Any,
        members: frozenset[int] = frozenset(),
        logins: dict[int, str] | None = None,
        *,
        what: str = "team",
        label: str | None = None,
    ) -> None:
        """Show only ``members`` (a team's, or a version's users with ``what="version"``); ``None``: everyone."""
        self.team = team
        self.what = what
        self.label = label if label is not None else getattr(team, "name", "") or getattr(team, "slug", "")
        self.members = members
        self.logins = logins or {}
        self.pending = False
        self.set_class(team is not None, "-on")

    def shown_label(self) -> str:
        """The label as the screen shows it: a team's name a pseudonym while names are hidden."""
        slug = getattr(self.team, "slug", None)
        if self.what != "team" or slug is None or names_of(self) is None:
            return self.label
        return shown_team(self, slug, getattr(self.team, "organization", None))

    def only_members(self, users: Sequence[Any]) -> Sequence[Any]:
        """The members of the team, or everyone when no team is chosen; updates the chip's text. Members with no
        activity in the period are listed too, with 0 days active."""
        if self.team is None:
            return users
        shown = [u for u in users if u.user_id in self.members]
        active = {u.user_id for u in shown}
        idle = [UserSummary(uid, self.logins.get(uid) or f"(user {uid})") for uid in self.members - active]
        idle.sort(key=lambda u: u.user_login.lower())
        pending = " · updating for the new period…" if self.pending else ""
        self.update(
            f"team: {self.shown_label()} · {len(shown):,} active of {len(shown) + len(idle):,} members{pending} · Esc clears"
            if self.what == "team"
            else f"{self.what}: {self.label} · {len(shown):,} users{pending} · Esc clears"
        )
        return shown + idle
