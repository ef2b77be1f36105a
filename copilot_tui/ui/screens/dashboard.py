"""The dashboard: totals, users, feature adoption and breakdowns for one scope and period.

This screen owns the loading: it starts the fetch worker (exclusive, so a new request cancels a stale one), keeps
the old view on screen until a new snapshot is complete, and turns errors into one sentence in a notification.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, VerticalScroll
from textual.geometry import Size
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static, TabbedContent, TabPane

from copilot_tui.github.errors import BadCredentialsError
from copilot_tui.metrics.cli import cli_series
from copilot_tui.metrics.derive import UserSummary, user_column, user_days
from copilot_tui.scope import Scope
from copilot_tui.settings import Settings
from copilot_tui.ui.errors import describe_error
from copilot_tui.ui.format import day, plural
from copilot_tui.ui.names import names_of, shown_login
from copilot_tui.ui.periods import PeriodChoice, period_choices
from copilot_tui.ui.screens.org_picker import OrgPickerScreen
from copilot_tui.ui.screens.period_picker import PeriodPickerScreen
from copilot_tui.ui.session import Session
from copilot_tui.ui.view import DashboardView, build_view
from copilot_tui.ui.widgets.adoption import AdoptionPane
from copilot_tui.ui.widgets.adoption_summary import AdoptionSummary
from copilot_tui.ui.widgets.breakdown import BreakdownTable
from copilot_tui.ui.widgets.cli import CliPane
from copilot_tui.ui.widgets.orgs import OrgsPane
from copilot_tui.ui.widgets.seats import SeatsPane
from copilot_tui.ui.widgets.segment_filter import SEGMENT_KEY_HELP, SegmentChip
from copilot_tui.ui.widgets.status import ErrorLine, FitFooter, ProblemsLine, StatusBar
from copilot_tui.ui.widgets.teams import TeamChip, TeamsPane
from copilot_tui.ui.widgets.totals import TotalsPane
from copilot_tui.ui.widgets.users import ORG_COLUMN, UsersTable
from copilot_tui.ui.widgets.versions import VersionsPane

log = logging.getLogger(__name__)


def same_data(shown: Any, new: Any) -> bool:
    """Whether two snapshots hold the same numbers: same scope and period, same stored data, same download time.
    A snapshot that cannot say which data it holds (no ``data_version``) is never the same."""

    def key(s: Any) -> tuple[Any, ...]:
        return (s.scope, s.first_day, s.last_day, s.fetched_at, s.data_version, tuple(s.missing_days))

    try:
        return shown.data_version is not None and key(shown) == key(new)
    except AttributeError:
        return False


COMPACT_BELOW = Size(100, 30)
"""Below this width or height the totals shrink to a strip of two lines, so the users table keeps its rows."""
MINIMUM = Size(60, 14)
"""Below this the screen says how big it needs to be instead of drawing a broken dashboard."""


def tab_label(name: str, key: str) -> str:
    """A tab's name with the key that opens it, as markup."""
    return f"[$text-muted]{key} [/]{name}"


class DashboardScreen(Screen[None]):
    AUTO_FOCUS = None
    """on_mount focuses the users table, or nothing when the terminal is too small to show it."""
    BINDINGS = [
        Binding("o", "pick_org", "Org", tooltip="Switch organization: a picker with type-to-filter"),
        Binding("right_square_bracket", "next_org", "Next org", key_display="]", tooltip="Open the next organization"),
        Binding(
            "left_square_bracket",
            "previous_org",
            "Prev org",
            key_display="[",
            show=False,
            tooltip="Open the previous organization",
        ),
        Binding("p", "pick_period", "Period", tooltip="Pick the period: presets, months, quarters, or typed dates"),
        Binding("1", "period(7)", "7 days", show=False, tooltip="Show the last 7 days"),
        Binding("2", "period(14)", "14 days", show=False, tooltip="Show the last 14 days"),
        Binding("3", "period(28)", "28 days", show=False, tooltip="Show the last 28 days"),
        Binding("r", "refresh", "Refresh", tooltip="Fetch what is missing or may have been revised"),
        Binding(
            "slash",
            "filter",
            "Filter",
            key_display="/",
            tooltip="Filter users (on the seats tab: seats) by login; Esc clears",
        ),
        Binding("u", "tab('tab-users')", "Users tab", show=False, tooltip="Show the users table"),
        Binding(
            "a",
            "tab('tab-adoption')",
            "Adoption tab",
            show=False,
            tooltip="Show adoption over time, the funnel, segments, CLI and feature sparklines",
        ),
        Binding("b", "tab('tab-breakdowns')", "Breakdowns tab", show=False, tooltip="Show IDE, language, model"),
        Binding("t", "tab('tab-teams')", "Teams tab", show=False, tooltip="Show teams (Enter on one filters users)"),
        Binding(
            "l", "tab('tab-seats')", "Seats tab", show=False, tooltip="Show Copilot seats (licenses) and idle ones"
        ),
        Binding("f", "next_segment", "Segment", show=False, tooltip=SEGMENT_KEY_HELP),
        Binding(
            "O",
            "tab('tab-orgs')",
            "Orgs tab",
            show=False,
            key_display="O",
            tooltip="Show an enterprise's organizations side by side (Enter opens one)",
        ),
        Binding(
            "V",
            "tab('tab-versions')",
            "Versions tab",
            show=False,
            key_display="V",
            tooltip="Show IDE and plugin versions in use (Enter lists a version's users)",
        ),
        Binding(
            "x",
            "clear_team",
            "Clear team",
            show=False,
            tooltip="Show every user again after opening a team or a version",
        ),
        Binding(
            "m",
            "adoption_metric",
            "Adoption metric",
            show=False,
            tooltip="Sparklines: daily users or daily activity",
        ),
        Binding("e", "export", "Export", tooltip="Write a table of this view to a CSV or JSON file"),
        Binding(
            "w",
            "problems",
            "Problems",
            show=False,
            tooltip="Report lines skipped and days GitHub has not delivered yet, for the period shown",
        ),
        Binding(
            "c",
            "choose_columns",
            "Columns",
            show=False,
            tooltip="Choose the users table's columns and their order",
        ),
        Binding(
            "h",
            "trends",
            "Trends",
            show=False,
            tooltip="Trends: every figure and feature over the period, a chart with dates",
        ),
    ]

    def __init__(self, session: Session, scope: Scope | None, period_days: int = 28) -> None:
        super().__init__()
        self.session = session
        self.scope = scope
        """The scope being opened or shown; ``view.scope`` is the one whose numbers are on screen."""
        self.period = PeriodChoice.last(period_days)
        """The period asked for; ``view.period`` holds the dates shown."""
        self.held: tuple[date, date] | None = None
        """The first and last day of data the source holds for the scope: the periods offered without a fetch."""
        self.snapshot: Any = None
        self.view: DashboardView | None = None
        self._typing = False
        """A "/" was pressed and its filter not left yet: printable keys still reaching the screen (routed to the
        widget focused before "/" moved the focus) belong in the filter field."""
        self.activity = ""
        self._wait_until = 0.0
        self._wait_reason = ""
        self._wait_timer: Timer | None = None
        self._thread = threading.get_ident()
        self._failures = 0
        """Loads failed in a row: the status line counts them, so r visibly did something."""
        self._pending_named: tuple[Any, ...] = ()
        self._undelivered_named: tuple[Any, ...] = ()
        """The scope and reports last named as pending: each set is named once, not at every refresh."""
        self._opened = False
        """A load has been asked for (possibly before this screen was mounted)."""
        self._user_orgs: dict[int, str] = {}
        """Each user's org in the enterprise on screen (from its seats), for the users table's Org column."""
        self.problems: list[Any] = []
        """The report lines skipped in the snapshot on screen (``LineProblem``s), for the problems view."""

    # ------------------------------------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")
        yield StatusBar(id="status")
        yield ErrorLine(id="error-line")
        yield ProblemsLine(id="problems-line")
        with Container(id="totals-box"):
            yield TotalsPane(id="totals")
        with TabbedContent(id="tabs", initial="tab-users"):
            with TabPane(tab_label("Users", "u"), id="tab-users"):
                with Horizontal(id="filter-row"):
                    yield Input(placeholder="/ filter by login", id="filter", compact=True)
                    yield Static(id="column-meaning")
                yield TeamChip(id="team-chip")
                yield SegmentChip(id="segment-chip")
                yield UsersTable(id="users")
            with TabPane(tab_label("Adoption", "a"), id="tab-adoption"), VerticalScroll(id="adoption-scroll"):
                yield AdoptionSummary(id="adoption-summary")
                yield AdoptionPane(id="adoption")
                yield CliPane(id="adoption-cli")
            with TabPane(tab_label("Breakdowns", "b"), id="tab-breakdowns"), VerticalScroll(id="breakdowns"):
                yield BreakdownTable("IDE", id="by-ide")
                yield BreakdownTable("Language", id="by-language")
                yield BreakdownTable("Model", id="by-model")
            with TabPane(tab_label("Teams", "t"), id="tab-teams"):
                yield TeamsPane(self._seats_of, id="teams")
            with TabPane(tab_label("Seats", "l"), id="tab-seats"):
                yield SeatsPane(
                    self._load_seats, eager=self.session.mode == "demo", prices=self._seat_prices(), id="seats"
                )
            with TabPane(tab_label("Versions", "V"), id="tab-versions"):
                yield VersionsPane(id="versions")
            with TabPane(tab_label("Orgs", "O"), id="tab-orgs"):
                yield OrgsPane(self._seats_of, engaged_days=self.engaged_days(), id="orgs")
        yield FitFooter()

    def on_mount(self) -> None:
        self._thread = threading.get_ident()
        self.query_one("#totals-box").border_title = "Totals"
        self._say_sort_column()
        self._show_chosen_columns()
        self._update_status()
        self._fit_to(self.app.size)
        if not self.has_class("-too-small"):
            self.query_one(UsersTable).focus()
        if self.scope is None:
            self._set_activity("No organization to show: press o to pick one, or start with --org ORG.")
        elif not self._opened:
            # the app may have opened a scope before this mount (its scope discovery): a second load would build
            # the same data twice at start-up, side by side
            self.open_scope(self.scope)

    def on_resize(self, event: Any) -> None:
        self._fit_to(event.size)

    def _fit_to(self, size: Size) -> None:
        self.query_one(TotalsPane).set_compact(size.width < COMPACT_BELOW.width or size.height < COMPACT_BELOW.height)
        too_small = size.width < MINIMUM.width or size.height < MINIMUM.height
        if too_small:
            self.query_one("#too-small", Static).update(
                f"copilot-tui needs a terminal of at least {MINIMUM.width}x{MINIMUM.height}; "
                f"this one is {size.width}x{size.height}. Make it bigger, or press q to quit."
            )
        if too_small != self.has_class("-too-small"):
            self.set_class(too_small, "-too-small")
            if too_small:
                # nothing unseen may take a key (End, Enter would act on a hidden table), now or after mounting
                self.set_focus(None)
                self.call_after_refresh(self._blur_if_too_small)
            else:
                self.query_one(UsersTable).focus()

    def _blur_if_too_small(self) -> None:
        if self.has_class("-too-small"):
            self.set_focus(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.has_class("-too-small")

    # ------------------------------------------------------------------------------------------------ loading

    def open_scope(self, scope: Scope) -> None:
        self._opened = True
        self.scope = scope
        self._update_status()
        self._load(scope, use_cache=True)

    @work(exclusive=True, group="load", exit_on_error=False)
    async def _load(self, scope: Scope, use_cache: bool = False) -> None:
        source = self.session.source
        days, until = self.period.days, self.period.until
        try:
            if use_cache and self.session.mode not in ("demo", "files"):
                cached = await source.cached(scope, days=days, until=until)
                if cached is not None and self.scope == scope:
                    await self._show_snapshot(cached)
            self._set_activity(f"Loading {scope}…", busy=True)
            snapshot = await source.load(
                scope,
                days=days,
                until=until,
                on_progress=self._threadsafe(self._on_progress),
                on_wait=self._threadsafe(self._on_wait),
            )
            if self.scope != scope:
                return
            await self._show_snapshot(snapshot)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._stop_countdown()
            log.error("loading %s failed", scope, exc_info=exc)
            sentence = describe_error(exc)
            if isinstance(exc, BadCredentialsError) and getattr(self.app, "signs_in_here", lambda: False)():
                # a stored token that is wrong, expired or revoked: the way back is signing in again
                self.app.call_later(self.app.sign_in_again, f"{scope}: {sentence}")  # type: ignore[attr-defined]
                return
            self._failures += 1
            tries = f" ({self._failures} tries)" if self._failures > 1 else ""
            self._set_activity(f"Loading failed{tries} · r tries again", error=True)
            self.query_one(ErrorLine).message = f"{scope}: {sentence}"
            self.notify(sentence, title=str(scope), severity="error", timeout=12)
            return
        self.query_one(ErrorLine).message = ""
        self._failures = 0
        self._stop_countdown()
        self.session.remember_scope(scope)  # only a scope that opened: a mistyped --org is not kept
        for notice in getattr(snapshot, "notices", ()) or ():
            self.notify(str(notice), severity="warning", timeout=10)
        self._name_undelivered(scope, tuple(getattr(snapshot, "undelivered", ()) or ()))
        self._name_pending(scope, tuple(getattr(snapshot, "pending", ()) or ()))
        problems = self.problems if self.snapshot is snapshot else list(getattr(snapshot, "problems", ()) or ())
        if problems:
            self.notify(
                f"{len(problems):,} report line{'s' if len(problems) != 1 else ''} could not be read and "
                "were left out of the numbers: w lists them.",
                severity="warning",
                timeout=10,
            )
        self._set_activity(self._idle_text())

    def _name_undelivered(self, scope: Scope, days: tuple[Any, ...]) -> None:
        """Say which days' users reports GitHub never sent (named once per set, like the pending ones)."""
        from copilot_tui.sources.planning import describe_undelivered

        if not days or (scope, days) == self._undelivered_named:
            return
        self._undelivered_named = (scope, days)
        self.notify(describe_undelivered(days), title=str(scope), severity="warning", timeout=12)

    def _name_pending(self, scope: Scope, pending: tuple[Any, ...]) -> None:
        """Say which reports GitHub has not delivered yet (named once per set; a later load asks for them again)."""
        from copilot_tui.sources.planning import describe_pending

        if not pending or (scope, pending) == self._pending_named:
            return
        self._pending_named = (scope, pending)
        for sentence in describe_pending(pending):
            self.notify(f"{sentence} Refreshing later fetches it.", title=str(scope), timeout=12)

    def _threadsafe(self, fn: Callable[..., None]) -> Callable[..., None]:
        """Sources may report progress from a thread; widgets may only be touched from the app's own."""

        def call(*args: Any) -> None:
            if threading.get_ident() == self._thread:
                fn(*args)
            else:
                self.app.call_from_thread(fn, *args)

        return call

    def _on_progress(self, done: int, total: int, what: str) -> None:
        self._stop_countdown()
        showing = ""
        if self.view is not None and self.view.scope != self.scope:
            showing = f" (showing {self.view.scope})"
        if total == 0:
            self._set_activity(f"{self.scope}: nothing new to fetch{showing}", busy=True)
        else:
            self._set_activity(f"Loading {self.scope}: {done} of {total} files{showing}", busy=True)

    def _on_wait(self, seconds: float, reason: str) -> None:
        if seconds == float("inf"):  # waiting for another copilot-tui fetching this scope: no countdown
            self._stop_countdown()
            self._set_activity(f"{reason}…", busy=True)
            return
        self._wait_until = time.monotonic() + max(0.0, seconds)
        self._wait_reason = reason
        if seconds >= 3:
            self.notify(f"{reason}: waiting {seconds:.0f} s before trying again.", title="GitHub", timeout=6)
        self._tick()
        if self._wait_timer is None:
            self._wait_timer = self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        left = self._wait_until - time.monotonic()
        if left <= 0:
            self._stop_countdown()
            self._set_activity("Resuming…", busy=True)
            return
        reason = (self._wait_reason or "Waiting").split(":")[0]
        self._set_activity(f"{reason} · resuming in {left:.0f} s", busy=True)

    def _stop_countdown(self) -> None:
        if self._wait_timer is not None:
            self._wait_timer.stop()
            self._wait_timer = None

    async def _show_snapshot(self, snapshot: Any) -> None:
        """Paint a snapshot at once, then add the changes against the previous period when the source holds it.

        The previous period comes from what the source already has (``cached``), never from a new fetch; it can
        take a while for a big org, so the numbers do not wait for their comparison.
        """
        source = self.session.source
        if self.snapshot is not None and same_data(self.snapshot, snapshot):
            # e.g. the store's copy was painted and the load found nothing new: keep the screen (and its
            # comparison) as it is instead of building and applying every row again
            self.snapshot = snapshot
            await self._note_problems(snapshot)
            return
        view = await asyncio.to_thread(build_view, snapshot, None)
        names = names_of(self)
        if names is not None:  # hashed here, off the screen's thread: the table then only looks them up
            await asyncio.to_thread(names.users, list(user_column(view.users, "user_login")))
        self.snapshot = snapshot
        self._apply(view)
        await self._note_problems(snapshot)
        # the comparison reads and folds the previous period: let the numbers reach the screen first
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        await painted.wait()
        try:
            self.held = await source.held_range(snapshot.scope) or (snapshot.first_day, snapshot.last_day)
            previous = await source.cached(
                snapshot.scope, days=snapshot.days, until=snapshot.first_day - timedelta(days=1)
            )
        except Exception as exc:  # a comparison is a bonus: its failure must not hide the data
            log.warning("previous period of %s unavailable: %s", snapshot.scope, exc)
            return
        if previous is not None and self.snapshot is snapshot:
            shown = self.view if self.view is not None and self.view.scope == snapshot.scope else None
            compared = await asyncio.to_thread(partial(build_view, snapshot, previous, same_as=shown))
            if self.snapshot is snapshot:
                self._apply(compared)

    async def _note_problems(self, snapshot: Any) -> None:
        """Count what the snapshot's numbers leave out for the line under the status bar (w shows the list)."""
        from copilot_tui.ui.screens.problems import problems_summary

        problems = list(await asyncio.to_thread(lambda: getattr(snapshot, "problems", ()) or ()))
        if self.snapshot is not snapshot or not self.is_attached:
            return
        self.problems = problems
        days = {on for on, _ in getattr(snapshot, "pending", ()) or ()}
        self.query_one(ProblemsLine).message = problems_summary(len(problems), len(days))

    def _seat_prices(self) -> dict[str, float]:
        settings = getattr(self.app, "settings", None)
        return settings.seat_prices if settings is not None else Settings().seat_prices

    async def _seats_of(self, scope: Scope) -> Any:
        """The seats of ``scope`` as the seats tab holds them (loaded now if needed), for the Orgs tab."""
        return await self.query_one(SeatsPane).report_of(scope)

    async def _load_seats(self, scope: Scope) -> Any:
        from copilot_tui.licenses import load_seats

        return await load_seats(self.session.source, scope)

    def _apply(self, view: DashboardView) -> None:
        if not self.is_attached:  # the app quit (or the screen closed) while the view was being built
            return
        chip = self.query_one(TeamChip)
        if self.view is not None and self.view.scope != view.scope:
            chip.set_team(None)
        # the comparison with the previous period changes only the totals: the users' side (every row of the
        # table, teams, seats, series, breakdowns) is the very same aggregate and stays as it is
        same_users = self.view is not None and self.view.scope == view.scope and self.view.users is view.users
        self.view = view
        self.query_one(TotalsPane).show(view.totals, view.previous_totals)
        compare = f"vs previous {view.period.days} days" if view.previous_totals else self._no_comparison(view)
        latest = view.totals.latest_day
        if latest is not None:  # the tagged figures are GitHub's windows; the others cover the period
            compare = f"1d/7d/28d to {latest.isoformat()} · {compare}"
        self._totals_compare = compare
        self.query_one("#totals-box").border_title = f"Totals · {compare}"
        if not same_users:
            self._user_orgs = {}
            self.query_one(UsersTable).set_absent(() if view.scope.kind == "enterprise" else (ORG_COLUMN,))
            self._show_users(view)
            if view.scope.kind == "enterprise":
                self._name_user_orgs(view)
            self.query_one(TeamsPane).show(self.snapshot, view.period)
            self.query_one(SeatsPane).show(view.scope, view.users)
            self.query_one(VersionsPane).show(view.users)
            self.query_one(OrgsPane).show(view.scope, view.users, self.query_one(SeatsPane).days)
            self.query_one(AdoptionPane).show(view.series)
            self.query_one("#by-ide", BreakdownTable).show(view.by_ide)
            self.query_one("#by-language", BreakdownTable).show(view.by_language)
            self.query_one("#by-model", BreakdownTable).show(view.by_model)
            if chip.active:
                self._narrow_again()
        users = view.totals.users
        self.query_one("#adoption-cli", CliPane).show(
            cli_series(
                getattr(self.snapshot, "day_totals", ()),
                view.period.each_day(),
                users_field="daily_active_cli_users",
                users_total=users.cli if users is not None else None,
            )
        )
        summary = self.query_one(AdoptionSummary)
        summary.show(view.period, view.totals.users, view.previous_totals.users if view.previous_totals else None)
        if not same_users:
            summary.set_history(None)
            if self.query_one(TabbedContent).active == "tab-adoption":
                self._load_history()
        self._title_totals()
        self._update_status()
        for screen in self.app.screen_stack:
            if getattr(screen, "dashboard", None) is self:  # trends: charts of this view
                screen.show(view)  # type: ignore[attr-defined]

    def _no_comparison(self, view: DashboardView) -> str:
        """Says how to get the previous period when only a download can bring it (live, no history yet)."""
        if self.session.mode != "live":
            return "no earlier data to compare"
        since = view.period.start - timedelta(days=view.period.days)
        flag = "--org" if view.scope.kind == "org" else "--enterprise"
        return f"no earlier data: copilot-tui sync {flag} {view.scope.name} --since {since} brings it"

    def _show_users(self, view: DashboardView) -> None:
        """The table gets the view's ready-made computed columns when it shows every user (a team's members are
        few, and read their own), and in an enterprise each user's org."""
        users = self.query_one(SegmentChip).only_segment(self.query_one(TeamChip).only_members(view.users))
        values = dict(view.user_values) if users is view.users else {}
        if view.scope.kind == "enterprise":
            orgs = self._user_orgs
            values[ORG_COLUMN] = [orgs.get(user_id) for user_id in user_column(users, "user_id")]
        names = names_of(self)
        if names is not None:
            values["user_login"] = names.users(list(user_column(users, "user_login")))
        self.query_one(UsersTable).set_rows(users, values)

    def names_changed(self) -> None:
        """Names hidden or shown again (n): every table and line naming a user or a team draws again. A login typed
        in a filter is cleared: it would stand on screen, and match nothing among pseudonyms."""
        for field in self.query(Input):
            field.value = ""
        self._update_status()
        self._show_names()

    @work(exclusive=True, group="names", exit_on_error=False)
    async def _show_names(self) -> None:
        """The users' pseudonyms are hashed in a thread first (seconds at 200k users), then every table draws."""
        names, view = names_of(self), self.view
        if names is not None and view is not None:
            await asyncio.to_thread(names.users, list(user_column(view.users, "user_login")))
        if names is not names_of(self):
            return
        if self.view is not None:
            self._show_users(self.view)
        self.query_one(TeamsPane).names_changed()
        self.query_one(SeatsPane).names_changed()

    @work(exclusive=True, group="user-orgs", exit_on_error=False)
    async def _name_user_orgs(self, view: DashboardView) -> None:
        """An enterprise's users' orgs for the Org column, from its seats (as ``export`` names them); without the
        seats the column stays empty and a notice says why."""
        from copilot_tui.views import user_organizations

        seats = self.query_one(SeatsPane)
        report = await seats.report_of(view.scope)
        if self.view is None or self.view.users is not view.users:
            return
        if report is None:
            why = seats.errors.get(view.scope) or "see the seats tab (l)"
            self.notify(
                f"The Org column stays empty: it comes from the enterprise's seats, which could not be had: {why}",
                title="Org column",
                severity="warning",
                timeout=12,
            )
            return
        self._user_orgs = await asyncio.to_thread(user_organizations, report, view.users)
        if self.view is not None and self.view.users is view.users:
            self._show_users(self.view)

    # ------------------------------------------------------------------------------------------------ status

    def _idle_text(self) -> str:
        if self.session.mode == "demo":
            return "demo data"
        if self.session.mode == "files":
            return "report files"
        fetched = getattr(self.snapshot, "fetched_at", None)
        if isinstance(fetched, datetime):
            stamp = fetched.astimezone().strftime("%Y-%m-%d %H:%M")
            return f"{'stored' if self.session.mode == 'offline' else 'fetched'} {stamp}"
        return ""

    def _set_activity(self, text: str, *, busy: bool = False, error: bool = False) -> None:
        self.activity = text
        status = self.query_one(StatusBar)
        status.activity = text
        status.busy = busy
        status.set_class(error, "error")

    def _update_status(self) -> None:
        status = self.query_one(StatusBar)
        shown = self.view.scope if self.view else self.scope
        if shown is None:
            status.what = "copilot-tui"
            return
        if self.view is None:
            status.what = f"{shown} · {self.period.label or f'{self.period.days} days'}"
            return
        p = self.view.period
        label = f"{self.period.label} · " if self.period.label else ""
        hidden = "names hidden · " if names_of(self) is not None else ""  # first: a narrow screen cuts the end
        status.what = f"{hidden}{shown} · {label}{day(p.start)} → {day(p.end)}"

    # ------------------------------------------------------------------------------------------------ actions

    def action_refresh(self) -> None:
        if self.scope is None:
            self.notify("Pick an organization first (o).", severity="warning")
            return
        self._load(self.scope)
        self.query_one(SeatsPane).reload()

    def action_pick_org(self) -> None:
        def picked(scope: Scope | None) -> None:
            if scope is not None and scope != self.scope:
                self.open_scope(scope)

        self.app.push_screen(OrgPickerScreen(list(self.session.scopes), self.scope), picked)

    def _step_org(self, step: int) -> None:
        scopes = self.session.scopes
        if not scopes:
            self.notify("No organizations to switch between.", severity="warning")
            return
        i = scopes.index(self.scope) if self.scope in scopes else -step
        self.open_scope(scopes[(i + step) % len(scopes)])

    def action_next_org(self) -> None:
        self._step_org(1)

    def action_previous_org(self) -> None:
        self._step_org(-1)

    def action_period(self, days: int) -> None:
        self.show_period(PeriodChoice.last(days))

    def show_period(self, period: PeriodChoice) -> None:
        if period == self.period:
            return
        self.period = period
        self._update_status()
        if self.scope is not None:
            self._load(self.scope)

    def action_pick_period(self) -> None:
        def picked(period: PeriodChoice | None) -> None:
            if period is not None:
                self.show_period(period)

        can_sync = self.session.mode in ("live", "offline")
        screen = PeriodPickerScreen(
            period_choices(self.held), self.period, self.held, self.view_scope(), can_sync=can_sync
        )
        self.app.push_screen(screen, picked)

    def view_scope(self) -> Scope | None:
        return self.view.scope if self.view is not None else self.scope

    def _filter_field(self) -> Input:
        """The login filter "/" goes to: the seats tab has its own; from any other tab, the users'."""
        if self.query_one(TabbedContent).active == "tab-seats":
            return self.query_one(SeatsPane).filter_input
        return self.query_one("#filter", Input)

    def action_filter(self) -> None:
        self._typing = True
        if self.query_one(TabbedContent).active == "tab-seats":
            self.set_focus(self.query_one(SeatsPane).filter_input)
            return
        self.query_one(TabbedContent).active = "tab-users"
        # set_focus now, not focus() (deferred): letters typed right after "/" must land in the field
        self.set_focus(self.query_one("#filter", Input))

    def action_tab(self, tab: str) -> None:
        """Focus moves with the tab: a hidden focused widget would pull TabbedContent back to its own pane."""
        target = {
            "tab-users": "#users",
            "tab-adoption": "#adoption-scroll",
            "tab-breakdowns": "#breakdowns",
            "tab-teams": "#teams-table",
            "tab-seats": "#seats-table",
            "tab-versions": "#versions-table",
            "tab-orgs": "#orgs-table",
        }[tab]
        self.query_one(TabbedContent).active = tab
        self.set_focus(self.query_one(target))

    def action_trends(self) -> None:
        if self.view is None:
            self.notify("Nothing to chart yet.", severity="warning")
            return
        from copilot_tui.ui.screens.trends import TrendsScreen  # its charts import numpy: not at start-up

        self.app.push_screen(TrendsScreen(self))

    def action_adoption_metric(self) -> None:
        pane = self.query_one(AdoptionPane)
        pane.metric = "activity" if pane.metric == "users" else "users"
        pane.refresh(layout=True)

    def action_export(self) -> None:
        if self.view is None:
            self.notify("Nothing to export yet.", severity="warning")
            return
        from copilot_tui.ui.export import default_path
        from copilot_tui.ui.screens.export_picker import ExportChoice, ExportPickerScreen, current_table, export_data_of

        named = export_data_of(self)  # the file name says the scope and period on screen now

        def picked(choice: ExportChoice | None) -> None:
            if choice is not None and self.view is not None:
                self._export(export_data_of(self), choice)

        def propose(what: str, fmt: Any, folder: Path | None) -> Path:
            return default_path(what, fmt, named, folder)

        self.app.push_screen(ExportPickerScreen(propose, current_table(self)), picked)

    @work(group="export", exit_on_error=False)
    async def _export(self, data: Any, choice: Any) -> None:
        from copilot_tui.exports import ORG_TABLES
        from copilot_tui.ui.export import export_table

        if data.scope.kind == "enterprise" and data.seats is None and choice.what in ORG_TABLES:
            # the users' orgs come from the enterprise's seats, as `copilot-tui export` takes them
            data = replace(data, seats=await self.query_one(SeatsPane).report_of(data.scope))
        try:
            path, rows = await asyncio.to_thread(
                export_table, choice.what, choice.fmt, data, choice.path, overwrite=choice.overwrite
            )
        except OSError as exc:
            self.notify(f"Export failed: {exc}", severity="error")
            return
        said = f"Wrote {plural(rows, 'row')} of {choice.what} to {path}"
        if choice.overwrite:
            said += " (the file there was replaced)"
        elif path != choice.path:
            said += f" ({choice.path.name} appeared meanwhile and was kept)"
        self.notify(said, title="Export", timeout=15)

    def action_problems(self) -> None:
        if self.view is None or self.snapshot is None:
            self.notify("Nothing loaded yet.", severity="warning")
            return
        from copilot_tui.ui.screens.problems import ProblemsScreen

        pending = getattr(self.snapshot, "pending", ()) or ()
        self.app.push_screen(ProblemsScreen(self.view.scope, self.view.period, self.problems, pending))

    def _show_chosen_columns(self) -> None:
        """The users table's columns as last chosen (the state file) or configured (users_columns: names or
        headers); a name the table does not know is said and left out."""
        chosen = getattr(self.app, "users_columns", lambda: ())()
        table = self.query_one(UsersTable)
        known = {name.lower(): c.key for c in table.columns for name in (c.key, c.label)}
        unknown = [name for name in chosen if name.lower() not in known]
        if unknown:
            self.notify(
                f"users_columns names no column {', '.join(unknown)}; the columns are "
                f"{', '.join(column.key for column in table.columns)} (or their headers).",
                title="Columns",
                severity="warning",
                timeout=15,
            )
        first = table.columns[0].key
        keys = [first, *(known[name.lower()] for name in chosen if name.lower() in known)]
        table.show_columns(keys if len(keys) > 1 else None)

    def action_choose_columns(self) -> None:
        from copilot_tui.ui.screens.column_picker import ColumnPickerScreen

        table = self.query_one(UsersTable)
        fitting = {column.key for column in table.fitting_columns()}
        shown = [column.key for column in table.shown_columns]

        def picked(keys: tuple[str, ...] | None) -> None:
            if keys is None:
                return
            table.show_columns(keys)
            remember = getattr(self.app, "remember_users_columns", None)
            if remember is not None:
                remember(None if keys == tuple(c.key for c in table.columns) else keys)

        hidden = [key for key in shown if key not in fitting]
        self.app.push_screen(ColumnPickerScreen(table.columns, shown, hidden), picked)

    def action_clear_team(self) -> None:
        chip = self.query_one(TeamChip)
        if not chip.active:
            return
        chip.set_team(None)
        if self.view is not None:
            self._show_users(self.view)

    def action_next_segment(self) -> None:
        """Narrow the users table to the next usage segment (after the last: everyone again)."""
        self.query_one(SegmentChip).step()
        if self.view is not None:
            self._show_users(self.view)
        if self.query_one(TabbedContent).active != "tab-users":
            self.action_tab("tab-users")

    def _clear_segment(self) -> None:
        self.query_one(SegmentChip).set_segment(None)
        if self.view is not None:
            self._show_users(self.view)

    @on(TeamsPane.Opened)
    def _team_opened(self, event: TeamsPane.Opened) -> None:
        self.query_one(TeamChip).set_team(event.team, event.members, event.logins)
        if self.view is not None:
            self._show_users(self.view)
        self.action_tab("tab-users")

    @on(TeamsPane.Built)
    async def _teams_built(self, event: TeamsPane.Built) -> None:
        """The user-teams report has been read: its skipped lines join the count; a team filter set before the
        period changed takes the team's members in the new one."""
        if event.snapshot is not self.snapshot:
            return
        chip = self.query_one(TeamChip)
        if chip.pending and chip.what == "team":
            team = self.query_one(TeamsPane).row_of(chip.team.team_id)
            logins = self.query_one(TeamsPane).member_logins(team.team_id) if team is not None else {}
            self._narrowed_again(team, frozenset(logins), logins)
        await self._note_problems(event.snapshot)

    @on(VersionsPane.Counted)
    def _versions_counted(self, event: VersionsPane.Counted) -> None:
        """A version filter set before the period changed takes the version's users in the new one."""
        chip = self.query_one(TeamChip)
        if chip.pending and chip.what == "version" and self.view is not None and event.users is self.view.users:
            row = self.query_one(VersionsPane).row_like(chip.team)
            self._narrowed_again(row, row.user_ids if row is not None else frozenset())

    def _narrow_again(self) -> None:
        """The users changed (another period, a refresh) under a team or version filter: its members are asked
        for in the new users (the chip says so meanwhile), then :meth:`_narrowed_again` applies them."""
        chip = self.query_one(TeamChip)
        chip.pending = True
        if chip.what == "team":
            self.query_one(TeamsPane).build_now()
        else:
            self.query_one(VersionsPane).count_now()
        if self.view is not None:
            self._show_users(self.view)

    def _narrowed_again(self, row: Any, members: frozenset[int], logins: dict[int, str] | None = None) -> None:
        """The filter on the new users: ``row`` (the team's or the version's row in them), or None when they do
        not hold it: then every user is shown, and the user told."""
        chip = self.query_one(TeamChip)
        what, label = chip.what, chip.label
        if row is None:
            chip.set_team(None)
            period = self.view.period if self.view is not None else None
            where = f"{period.start.isoformat()} → {period.end.isoformat()}" if period is not None else "this period"
            self.notify(
                f"The {what} {label} is not in {where}: every user is shown.", title=f"{what.title()} filter cleared"
            )
        elif what == "team":
            chip.set_team(row, members, logins)
        else:
            chip.set_team(row, members, what=what, label=row.label)
        if self.view is not None:
            self._show_users(self.view)

    @on(OrgsPane.Opened)
    def _org_opened(self, event: OrgsPane.Opened) -> None:
        """Enter on an org of the enterprise: open that org."""
        self.open_scope(Scope("org", event.row.org))
        self.action_tab("tab-users")

    @on(VersionsPane.Opened)
    def _version_opened(self, event: VersionsPane.Opened) -> None:
        """Enter on a version: the users table shows its users, as a team's."""
        row = event.row
        self.query_one(TeamChip).set_team(row, row.user_ids, what="version", label=row.label)
        if self.view is not None:
            self._show_users(self.view)
        self.action_tab("tab-users")

    @on(SeatsPane.Opened)
    def _seat_opened(self, event: SeatsPane.Opened) -> None:
        """Enter on a seat: its holder's detail, or why there is none."""
        if self.view is None:
            return
        seat = event.seat
        user_id = seat.record.get("user_id")
        login = seat.login.lower()
        found = next(
            (
                u
                for u in self.view.users
                if (u.user_id == user_id if user_id is not None else u.user_login.lower() == login)
            ),
            None,
        )
        if found is None:
            period = f"{day(self.view.period.start)} → {day(self.view.period.end)}"
            self.notify(
                f"{shown_login(self, seat.login)} holds a seat but never appears in the usage reports of {period}: "
                "no Copilot activity to show.",
                title="Seat",
            )
            return
        self.open_user(found)

    @on(SeatsPane.BreakdownKnown)
    def _seats_known(self, event: SeatsPane.BreakdownKnown) -> None:
        if self.view is not None and event.scope == self.view.scope:
            self._title_totals()
            self._count_seats()

    def _count_seats(self) -> None:
        report = self.query_one(SeatsPane).report
        seats = None if report is None else report.breakdown.get("total", len(report.seats))
        self.query_one(AdoptionSummary).set_seats(seats)

    @on(TabbedContent.TabActivated, pane="#tab-teams")
    @on(TabbedContent.TabActivated, pane="#tab-versions")
    @on(TabbedContent.TabActivated, pane="#tab-orgs")
    def _computed_tab_shown(self, event: TabbedContent.TabActivated) -> None:
        """A tab computed when first shown computes now: its pane's Show may never come (see ``tab_shown``)."""
        pane: TeamsPane | VersionsPane | OrgsPane
        if event.pane.id == "tab-teams":
            pane = self.query_one(TeamsPane)
        elif event.pane.id == "tab-versions":
            pane = self.query_one(VersionsPane)
        else:
            pane = self.query_one(OrgsPane)
        pane.tab_shown()

    @on(TabbedContent.TabActivated, pane="#tab-adoption")
    def _adoption_shown(self) -> None:
        self.query_one(SeatsPane).ensure_loaded()
        self._count_seats()
        summary = self.query_one(AdoptionSummary)
        if summary.history is None and self.snapshot is not None:
            self._load_history()

    def engaged_days(self) -> int:
        settings = getattr(self.app, "settings", None)
        return settings.engaged_days if settings is not None else Settings().engaged_days

    @work(exclusive=True, group="history", exit_on_error=False)
    async def _load_history(self) -> None:
        """Adoption over time reads every day held before the period: computed when the adoption tab is shown."""
        snapshot = self.snapshot
        summary = self.query_one(AdoptionSummary)
        if not hasattr(snapshot, "user_history"):
            summary.set_history(None, "This source keeps no history to compare the period with.")
            return
        summary.set_history(None, "Computing adoption over time from every day held…")
        try:
            history = await asyncio.to_thread(snapshot.user_history, self.engaged_days())
        except Exception as exc:
            log.warning("adoption over time of %s unavailable: %s", snapshot.scope, exc)
            if self.snapshot is snapshot:
                summary.set_history(None, f"Adoption over time could not be computed: {describe_error(exc)}")
            return
        if self.snapshot is snapshot:
            note = "" if history is not None else "This source keeps no history to compare the period with."
            summary.set_history(history, note)

    def _title_totals(self) -> None:
        """The seat breakdown joins the totals' title once the seats of the scope on screen are known."""
        seats = self.query_one(SeatsPane).summary(self.view.scope if self.view else None)
        compare = getattr(self, "_totals_compare", "")
        self.query_one("#totals-box").border_title = " · ".join(p for p in ("Totals", compare, seats) if p)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_one(UsersTable).filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(UsersTable).focus()

    def on_key(self, event: Any) -> None:
        """Esc and Down in and around the login filter, and the keys typed in the same burst as "/".

        Focus is compared with ``self.focused``, which ``set_focus`` changes at once, not ``has_focus``, which
        changes only when the widget has handled its Focus event: a key behind "/" may come in between."""
        field = self.query_one("#filter", Input)
        users = self.query_one(UsersTable)
        if event.key == "escape" and self.focused is field:
            event.stop()
            field.value = ""
            users.focus()
        elif event.key == "escape" and field.value and self.focused is users:
            event.stop()
            field.value = ""
        elif event.key == "escape" and self.query_one(SegmentChip).active and self.focused is users:
            event.stop()
            self._clear_segment()
        elif event.key == "escape" and self.query_one(TeamChip).active and self.focused is users:
            event.stop()
            self.action_clear_team()
        elif event.key == "down" and self.focused is field:
            event.stop()
            users.focus()
        elif event.key == "slash":
            # its binding's action may run only after the keys behind it have come here; a refused one (a
            # terminal too small) opens no filter to type in
            self._typing = self.check_action("filter", ()) is not False
        elif self._typing and event.is_printable and event.character:
            # typed in the same burst as "/" (a paste, or keys an SSH link delivers together) and routed before
            # "/" moved the focus: they belong in the filter, not to the key bindings (a field's own keys never
            # come here)
            event.stop()
            event.prevent_default()
            self._filter_field().insert_text_at_cursor(event.character)

    @on(Input.Blurred)
    def _filter_left(self, event: Input.Blurred) -> None:
        """Leaving the filter (Enter, Esc, Down, a click) ends the keys that "/" sent to it."""
        if event.input is self._filter_field() and self.focused is not event.input:
            self._typing = False

    @on(UsersTable.StatusChanged)
    def _table_status(self, event: UsersTable.StatusChanged) -> None:
        label = tab_label(
            f"Users ({event.total:,})" if event.shown == event.total else f"Users ({event.shown:,} of {event.total:,})",
            "u",
        )
        self.query_one(TabbedContent).get_tab("tab-users").label = label  # type: ignore[assignment]

    @on(UsersTable.SortChanged, "#users")
    def _say_sort_column(self) -> None:
        """Beside the filter: the users table's sort column, its full name and what it counts (g: every label)."""
        table = self.query_one(UsersTable)
        column = table.sorted_column
        line = self.query_one("#column-meaning", Static)
        if column is None or not column.term:
            line.update("")
            return
        from copilot_tui.metrics.catalog import metric

        named = metric(column.term)
        # each span ends with its space: a span that starts with one loses it in an SVG screenshot
        full = f"= {named.label}: " if named.label != column.label else ": "
        text = Text.assemble("▼ " if table.sort_reverse else "▲ ", (column.label + " ", "bold"), full)
        text.append(named.meaning, style="dim")
        line.update(text)

    @on(UsersTable.Selected)
    def _user_selected(self, event: UsersTable.Selected) -> None:
        self.open_user(event.row)

    def open_user(self, user: UserSummary) -> None:
        if self.view is None or self.snapshot is None:
            return
        self._open_user(user, self.snapshot, self.view)

    @work(exclusive=True, group="user", exit_on_error=False)
    async def _open_user(self, user: UserSummary, snapshot: Any, view: DashboardView) -> None:
        """The user's rows are read from the raw report (only their lines are decoded), in a thread: at 200k users
        that is seconds of reading, and the dashboard stays responsive meanwhile."""
        from copilot_tui.ui.screens.user_detail import UserDetailScreen

        if hasattr(snapshot, "user_days"):
            rows = await asyncio.to_thread(snapshot.user_days, user.user_id, view.period)
        else:
            rows = user_days(snapshot.user_rows, user.user_id, view.period)
        if self.snapshot is snapshot:
            self.app.push_screen(UserDetailScreen(user, rows, view.period, view.scope))
