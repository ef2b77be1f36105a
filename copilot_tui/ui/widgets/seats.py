"""The Seats tab: the seat breakdown, then one of three lists: seats unused for N days (N set with + and -),
seat holders who never appear in the period's usage reports, or every seat.

Seats come from the seats API, not from the reports, so the pane loads them itself through the loader the
dashboard gives it, once per scope, when first shown (or at once on demo data, which costs nothing).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from copilot_tui.exports import SeatList, chosen_seats
from copilot_tui.licenses import DEFAULT_INACTIVE_DAYS, INACTIVE_DAY_STEPS, SeatReport, seat_records
from copilot_tui.metrics.catalog import explain
from copilot_tui.metrics.derive import user_column
from copilot_tui.metrics.seats import SeatCost, idle_order, seat_cost
from copilot_tui.scope import Scope
from copilot_tui.ui.format import count, plural
from copilot_tui.ui.names import names_of
from copilot_tui.ui.widgets.user_table import Column, UserTable, bindings_opening

log = logging.getLogger(__name__)

LISTS: tuple[SeatList, ...] = ("inactive", "never", "all")
SeatLoader = Callable[[Scope], Awaitable[SeatReport]]


@dataclass(frozen=True, slots=True)
class SeatRow:
    login: str
    organization: str | None
    plan_type: str | None
    last_active_day: date | None
    days_idle: int | None
    idle: float
    """``days_idle`` to sort by: a never-used seat is the idlest (infinite)."""
    editor: str | None
    pending_cancellation: date | None
    in_reports: bool
    record: dict[str, Any]
    """The seat as ``copilot_tui.licenses.seat_record`` gives it: what an export writes."""


def _text(value: Any) -> str:
    return "–" if value is None else str(value)


def _never(value: Any) -> str:
    return "never" if value is None else str(value)


def _editor(value: Any) -> str:
    """``vscode/1.104.2/copilot/0.31.5`` reads as ``vscode 1.104.2``: the plug-in version rarely matters here."""
    if not value:
        return "–"
    parts = str(value).split("/")
    return " ".join(parts[:2])


def _idle(value: Any) -> str:
    return "never" if value == float("inf") else f"{int(value):,}"


def _yes(value: Any) -> str:
    return "✓" if value else "·"


SEAT_COLUMNS: tuple[Column, ...] = (
    Column("login", "Login", 18, priority=100, grow=22, term="seat_login"),
    Column("idle", "Idle days", 9, "right", _idle, priority=95, descending_first=True, term="seat_idle_days"),
    Column(
        "last_active_day",
        "Last active",
        11,
        formatter=_never,
        priority=90,
        descending_first=True,
        term="seat_last_active",
    ),
    Column("in_reports", "In reports", 10, "center", _yes, priority=60, term="seat_in_reports"),
    Column("plan_type", "Plan", 10, formatter=_text, priority=50, term="seat_plan"),
    Column("editor", "Editor", 18, formatter=_editor, priority=45, grow=10, term="seat_editor"),
    Column("organization", "Org", 12, formatter=_text, priority=20, term="seat_org"),
    Column("pending_cancellation", "Cancels", 10, formatter=_text, priority=30, term="seat_cancels"),
)


class SeatsTable(UserTable, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = bindings_opening("Open user", "Open the seat holder's detail")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            SEAT_COLUMNS,
            filter_column="login",
            id_column="login",
            sort_column="idle",
            noun="seats",
            empty_text="No seat in this list.",
            warm_up=False,
            id=id,
            explain=explain,
        )


def breakdown_text(report: SeatReport) -> str:
    b = report.breakdown
    active = "active (30 d)" if report.counted else "active this cycle"
    inactive = "inactive (30 d)" if report.counted else "inactive"
    parts = [f"{count(b.get('total'))} seats"]
    if "active_this_cycle" in b:
        parts.append(f"{count(b['active_this_cycle'])} {active}")
    if "inactive_this_cycle" in b:
        parts.append(f"{count(b['inactive_this_cycle'])} {inactive}")
    parts.append(f"{count(b.get('pending_cancellation', 0))} pending cancellation")
    if b.get("pending_invitation"):
        parts.append(f"{count(b['pending_invitation'])} invited")
    return " · ".join(parts)


def short_breakdown(report: SeatReport) -> str:
    b = report.breakdown
    text = f"{count(b.get('total'))} seats"
    if "inactive_this_cycle" in b:
        text += f", {count(b['inactive_this_cycle'])} inactive"
    if b.get("pending_cancellation"):
        text += f", {count(b['pending_cancellation'])} cancelling"
    return text


def next_step(days: int, step: int) -> int:
    """The next number of days in ``INACTIVE_DAY_STEPS`` above (step 1) or below (step -1) ``days``."""
    if step > 0:
        return next((d for d in INACTIVE_DAY_STEPS if d > days), INACTIVE_DAY_STEPS[-1])
    return next((d for d in reversed(INACTIVE_DAY_STEPS) if d < days), INACTIVE_DAY_STEPS[0])


class SeatsPane(Vertical, can_focus=False):
    """Seat breakdown and lists for the scope on screen; the keys work while the seats table has focus."""

    DEFAULT_CSS = """
    SeatsPane { height: 1fr; }
    SeatsPane > .seats-line { padding: 0 1; height: auto; }
    SeatsPane > #seats-list-title { text-style: bold; }
    SeatsPane > #seats-error { color: $error; }
    SeatsPane > SeatsTable { height: 1fr; }
    SeatsPane > #seats-filter { margin: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,equals_sign", "days(1)", "More days", key_display="+", tooltip="Inactive for more days"),
        Binding("minus", "days(-1)", "Fewer days", key_display="-", tooltip="Inactive for fewer days"),
        Binding("v", "cycle_list", "Seat list", tooltip="Inactive seats → never in reports → all seats"),
    ]

    class Opened(Message):
        """Enter on a seat: open its holder."""

        def __init__(self, seat: SeatRow) -> None:
            super().__init__()
            self.seat = seat

    class BreakdownKnown(Message):
        """The seats of ``scope`` are in: ``text`` is the breakdown in one line, for the totals pane."""

        def __init__(self, scope: Scope, text: str) -> None:
            super().__init__()
            self.scope = scope
            self.text = text

    def __init__(
        self,
        loader: SeatLoader,
        *,
        eager: bool = False,
        prices: dict[str, float] | None = None,
        id: str | None = None,
    ) -> None:
        """``loader(scope)`` fetches the seats (``copilot_tui.licenses.load_seats`` on the app's source);
        ``eager`` loads on ``show`` even while the tab is hidden (cheap sources: the demo); ``prices``: a seat's
        monthly price by plan type (the settings' ``seat_prices``), for what idle seats cost."""
        super().__init__(id=id)
        self.prices = prices or {}
        self.cost: SeatCost | None = None
        self.loader = loader
        self.eager = eager
        self.scope: Scope | None = None
        self.reports: dict[Scope, SeatReport] = {}
        self.errors: dict[Scope, str] = {}
        self.reported_ids: set[int] = set()
        self.reported_logins: set[str] = set()
        self.days = DEFAULT_INACTIVE_DAYS
        self.list: SeatList = "inactive"
        self.rows: list[SeatRow] = []
        self._fetching: dict[Scope, Any] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="seats-breakdown", classes="seats-line")
        yield Static("", id="seats-error", classes="seats-line")
        yield Static("", id="seats-list-title", classes="seats-line")
        yield Input(placeholder="/ filter seats by login", id="seats-filter", compact=True)
        yield SeatsTable(id="seats-table")

    @property
    def filter_input(self) -> Input:
        return self.query_one("#seats-filter", Input)

    @on(Input.Changed, "#seats-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.table.filter(event.value)

    @on(Input.Submitted, "#seats-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def on_key(self, event: Any) -> None:
        """In the filter: Esc clears it, Down goes to the list; on the list, Esc clears a filter in force."""
        field, focused = self.filter_input, self.screen.focused
        if event.key == "escape" and (focused is field or (field.value and focused is self.table)):
            event.stop()
            field.value = ""
            self.table.focus()
        elif event.key == "down" and focused is field:
            event.stop()
            self.table.focus()

    @property
    def table(self) -> SeatsTable:
        return self.query_one(SeatsTable)

    def shown_records(self) -> list[dict[str, Any]]:
        """The seats of the list on screen, in its order, as exports write them."""
        table = self.table
        return [self.rows[i].record for i in table.shown_indices]

    def summary(self, scope: Scope | None) -> str:
        """The breakdown of ``scope`` in a few words ("400 seats, 30 inactive, 7 cancelling") once loaded, else ""."""
        report = self.reports.get(scope) if scope is not None else None
        return short_breakdown(report) if report else ""

    def export_extra(self) -> dict[str, Any]:
        report = self.report
        extra: dict[str, Any] = {"list": self.list}
        if self.list == "inactive":
            extra["inactive_days"] = self.days
        if report is not None:
            extra["as_of"] = report.today.isoformat()
            extra["seat_breakdown"] = report.breakdown
            extra["seat_breakdown_counted"] = report.counted
        return extra

    @property
    def report(self) -> SeatReport | None:
        return self.reports.get(self.scope) if self.scope is not None else None

    # -- data ------------------------------------------------------------------------------------------------

    def show(self, scope: Scope, users: Sequence[Any]) -> None:
        """The scope on screen and the users of its period (for "never in the reports")."""
        self.scope = scope
        self.reported_ids = set(user_column(users, "user_id"))
        self.reported_logins = {login.lower() for login in user_column(users, "user_login")}
        self._redraw()
        if self.eager or self.is_on_screen:
            self.ensure_loaded()

    def on_show(self) -> None:
        self.ensure_loaded()

    def ensure_loaded(self) -> None:
        scope = self.scope
        if scope is None or scope in self.reports or scope in self.errors or scope in self._fetching:
            return
        self._fetching[scope] = self._fetch(scope)

    async def report_of(self, scope: Scope) -> SeatReport | None:
        """The seats of ``scope``, fetched now if they are not in yet; None when they cannot be had (the seats tab
        says why)."""
        if scope not in self.reports and scope not in self.errors:
            worker = self._fetching.get(scope)
            if worker is None:
                worker = self._fetching[scope] = self._fetch(scope)
            await worker.wait()
        return self.reports.get(scope)

    def reload(self) -> None:
        """Forget the scope's seats and fetch them again (refresh)."""
        if self.scope is not None:
            self.reports.pop(self.scope, None)
            self.errors.pop(self.scope, None)
            self._fetching.pop(self.scope, None)
            self._redraw()
            if self.eager or self.is_on_screen:
                self.ensure_loaded()

    @work(group="seats", exit_on_error=False)
    async def _fetch(self, scope: Scope) -> None:
        from copilot_tui.ui.errors import describe_error

        note = self.query_one("#seats-error", Static)
        note.update(f"Loading the seats of {scope}…")
        note.display = True
        try:
            report = await self.loader(scope)
        except Exception as exc:
            log.warning("seats of %s unavailable: %s", scope, exc)
            self.errors[scope] = describe_error(exc)
        else:
            self.reports[scope] = report
            self.post_message(self.BreakdownKnown(scope, breakdown_text(report)))
        self._fetching.pop(scope, None)
        if scope == self.scope:
            self._redraw()

    def _chosen(self, report: SeatReport) -> list[Any]:
        return chosen_seats(report, self.list, self.days, self.reported_ids, self.reported_logins)

    def _redraw(self) -> None:
        report = self.report
        error = self.errors.get(self.scope) if self.scope is not None else None
        note = self.query_one("#seats-error", Static)
        note.update(error or ("" if report else "Seats not loaded yet."))
        note.display = bool(error or not report)
        self.query_one("#seats-breakdown", Static).update(breakdown_text(report) if report else "")
        if report is None:
            self.rows = []
            self.table.set_rows([])
            self.query_one("#seats-list-title", Static).update("")
            return
        chosen = self._chosen(report)
        self.cost = seat_cost(chosen, self.prices) if self.list != "all" else None
        records = seat_records(report, chosen, self.reported_ids, self.reported_logins)
        self.rows = [
            SeatRow(
                login=r["login"],
                organization=r["organization"],
                plan_type=r["plan_type"],
                last_active_day=s.last_active_day,
                days_idle=r["days_idle"],
                idle=idle_order(s, report.today),
                editor=r["last_activity_editor"],
                pending_cancellation=s.pending_cancellation_date,
                in_reports=r["in_reports"],
                record=r,
            )
            for s, r in zip(chosen, records, strict=True)
        ]
        names = names_of(self)
        values = {"login": names.users([r.login for r in self.rows])} if names is not None else None
        self.table.set_rows(self.rows, values)
        self.query_one("#seats-list-title", Static).update(self.list_title(len(self.rows)))

    def names_changed(self) -> None:
        """Names hidden or shown again: the logins draw again."""
        self._redraw()

    def list_title(self, n: int) -> str:
        if self.list == "inactive":
            title = f"{plural(n, 'seat')} unused for {self.days}+ days · +/- change days"
        elif self.list == "never":
            title = f"{plural(n, 'seat holder')} never in this period's usage reports"
        else:
            title = f"All {n:,} seats"
        cost = self.cost
        if cost is not None and n:
            title += f" · cost {cost.monthly:,.0f} a month at the seat prices"
            if cost.unpriced:
                title += f" ({cost.unpriced:,} of unknown plan not counted)"
        return f"{title} · v next list"

    @on(UserTable.StatusChanged)
    def _own_status(self, event: UserTable.StatusChanged) -> None:
        event.stop()  # the dashboard reads this message as the users table's

    @on(UserTable.Selected, "#seats-table")
    def _opened(self, event: UserTable.Selected) -> None:
        event.stop()  # the dashboard reads UserTable.Selected as a user's
        self.post_message(self.Opened(event.row))

    # -- keys ------------------------------------------------------------------------------------------------

    def action_days(self, step: int) -> None:
        self.days = next_step(self.days, step)
        if self.list != "inactive":
            self.list = "inactive"
        self._redraw()

    def action_cycle_list(self) -> None:
        self.list = LISTS[(LISTS.index(self.list) + 1) % len(LISTS)]
        self._redraw()
