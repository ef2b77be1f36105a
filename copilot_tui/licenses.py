"""Copilot seats of an organization or enterprise, and the seat and team records the app and ``export`` write.

Seats are not part of the usage reports: they come from the seats API (``copilot_tui.github`` client, live) or from
the demo dataset (``--demo``), and the local store does not keep them, so offline there are none. GitHub serves a
``seat_breakdown`` for an organization (``GET /orgs/{org}/copilot/billing``) but not for an enterprise: there the
breakdown is counted from the seats themselves (``SeatReport.counted``), active meaning used in the last 30 days.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from copilot_tui.metrics.seats import Seat, inactive_seats, parse_seats, seat_breakdown
from copilot_tui.scope import Scope

#: Days without use after which a seat counts as inactive, unless the user picks another number.
DEFAULT_INACTIVE_DAYS = 30
#: The steps the seats pane moves through with its +/- keys.
INACTIVE_DAY_STEPS = (7, 14, 30, 45, 60, 90, 180)
#: A counted breakdown calls a seat active when used in this many days (GitHub's billing cycle is about a month).
CYCLE_DAYS = 30


class SeatsUnavailableError(Exception):
    """The seats cannot be had from this source (offline, or a source without seats); the message says why."""


@dataclass(frozen=True, slots=True)
class SeatReport:
    """Every seat of a scope, its breakdown, and the day idle days are counted to.

    ``today`` is the day the seats were read (the demo's: the day after its last report day, as the fake GitHub's
    calendar). ``organization_of`` maps a holder (user id, or login without one) to its org for an enterprise's seats
    (the enterprise seats API names it).
    """

    scope: Scope
    seats: list[Seat]
    breakdown: dict[str, int]
    counted: bool
    today: date
    organization_of: dict[int | str, str] = field(default_factory=dict)

    def inactive(self, days: int = DEFAULT_INACTIVE_DAYS) -> list[Seat]:
        return inactive_seats(self.seats, self.today, days)


def count_breakdown(seats: Iterable[Seat], today: date, days: int = CYCLE_DAYS) -> dict[str, int]:
    """The ``seat_breakdown`` fields that can be counted from seats alone: active means used in the last ``days``."""
    seats = list(seats)
    cutoff = today - timedelta(days=days)
    active = sum(1 for s in seats if s.last_active_day is not None and s.last_active_day >= cutoff)
    return {
        "total": len(seats),
        "pending_cancellation": sum(1 for s in seats if s.pending_cancellation_date is not None),
        "active_this_cycle": active,
        "inactive_this_cycle": len(seats) - active,
    }


def holder_key(seat: Seat) -> int | str:
    return seat.user_id if seat.user_id is not None else seat.login


def _organizations(raw: Iterable[Mapping[str, Any]]) -> dict[int | str, str]:
    found: dict[int | str, str] = {}
    for obj in raw:
        org = obj.get("organization") or {}
        assignee = obj.get("assignee") or {}
        key = assignee.get("id") if assignee.get("id") is not None else assignee.get("login")
        if key is not None and org.get("login"):
            found[key] = str(org["login"])
    return found


def report_from_raw(
    scope: Scope, raw_seats: Sequence[Mapping[str, Any]], billing: Mapping[str, Any] | None, today: date
) -> SeatReport:
    seats = parse_seats(raw_seats)
    breakdown = seat_breakdown(billing) if billing is not None else {}
    counted = not breakdown
    return SeatReport(
        scope=scope,
        seats=seats,
        breakdown=breakdown or count_breakdown(seats, today),
        counted=counted,
        today=today,
        organization_of=_organizations(raw_seats),
    )


def demo_seats(dataset: Any, scope: Scope, seats_of: Callable[[Any], Sequence[Any]] | None = None) -> SeatReport:
    """The demo's seats, shaped as the seats API gives them (an enterprise's with their ``organization``).

    ``seats_of(org)``: an org's seats as the dataset makes them (default ``dataset.seats``; the demo source reads
    them from its kept files)."""
    seats_of = seats_of or dataset.seats
    today = dataset.last_day + timedelta(days=1)
    if scope.kind == "org":
        org = dataset.org(scope.name)
        if org is None:
            raise SeatsUnavailableError(f"the demo has no organization '{scope.name}'.")
        return report_from_raw(scope, seats_of(org), None, today)
    if scope.name != dataset.enterprise:
        raise SeatsUnavailableError(f"the demo's enterprise is '{dataset.enterprise}', not '{scope.name}'.")
    raw = [
        {**seat, "organization": {"login": org.login, "id": int(org.org_id)}}
        for org in dataset.orgs
        for seat in seats_of(org)
    ]
    return report_from_raw(scope, raw, None, today)


async def live_seats(client: Any, scope: Scope, today: date | None = None) -> SeatReport:
    """Seats through the GitHub client (all pages), plus the org's billing breakdown. Raises ``GitHubError``s."""
    raw = await client.copilot_seats(scope)
    billing = await client.copilot_billing(scope.name) if scope.kind == "org" else None
    return report_from_raw(scope, raw, billing, today or datetime.now(UTC).date())


async def load_seats(source: Any, scope: Scope) -> SeatReport:
    """Seats for whichever data source the app runs on (``copilot_tui.sources.contract.DataSource.seats``)."""
    return await source.seats(scope)  # type: ignore[no-any-return]


# ---- records: one plain dict per row, for CSV and JSON ------------------------------------------------------------


def seat_record(
    seat: Seat, today: date, reported_ids: set[int], reported_logins: set[str], organization: str | None = None
) -> dict[str, Any]:
    """One seat as the seats table and the exports show it; ``in_reports``: the holder has a row in the period."""
    in_reports = seat.user_id in reported_ids if seat.user_id is not None else seat.login.lower() in reported_logins
    return {
        "login": seat.login,
        "user_id": seat.user_id,
        "organization": organization,
        "plan_type": seat.plan_type,
        "created_at": seat.created_at.isoformat() if seat.created_at else None,
        "last_activity_at": seat.last_activity_at.isoformat() if seat.last_activity_at else None,
        "last_active_day": seat.last_active_day.isoformat() if seat.last_active_day else None,
        "days_idle": seat.days_idle(today),
        "last_activity_editor": seat.last_activity_editor,
        "pending_cancellation_date": (
            seat.pending_cancellation_date.isoformat() if seat.pending_cancellation_date else None
        ),
        "in_reports": in_reports,
    }


def seat_records(
    report: SeatReport, seats: Iterable[Seat], reported_ids: set[int], reported_logins: set[str]
) -> list[dict[str, Any]]:
    lowered = {login.lower() for login in reported_logins}
    return [
        seat_record(s, report.today, reported_ids, lowered, report.organization_of.get(holder_key(s))) for s in seats
    ]
