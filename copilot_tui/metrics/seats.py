"""Copilot seats: who holds a license, when they last used it, and who never shows up in the usage reports.

Source: GitHub REST "Copilot user management": ``GET /orgs/{org}/copilot/billing`` (``seat_breakdown``) and
``GET /orgs/{org}/copilot/billing/seats`` (each seat: ``assignee``, ``plan_type``, ``last_activity_at``,
``last_activity_editor``, ``pending_cancellation_date``, ``created_at``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

SEAT_BREAKDOWN_FIELDS: tuple[str, ...] = (
    "total",
    "added_this_cycle",
    "pending_invitation",
    "pending_cancellation",
    "active_this_cycle",
    "inactive_this_cycle",
)


@dataclass(frozen=True, slots=True)
class Seat:
    login: str
    user_id: int | None
    plan_type: str | None
    created_at: datetime | None
    last_activity_at: datetime | None
    last_activity_editor: str | None
    pending_cancellation_date: date | None

    @property
    def last_active_day(self) -> date | None:
        return self.last_activity_at.date() if self.last_activity_at else None

    def days_idle(self, today: date) -> int | None:
        """Whole days since the last activity; ``None`` for a seat never used."""
        day = self.last_active_day
        return None if day is None else (today - day).days


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def parse_seat(obj: Mapping[str, Any]) -> Seat:
    assignee = obj.get("assignee") or {}
    pending = obj.get("pending_cancellation_date")
    return Seat(
        login=str(assignee.get("login") or assignee.get("slug") or "?"),
        user_id=assignee.get("id"),
        plan_type=obj.get("plan_type"),
        created_at=_when(obj.get("created_at")),
        last_activity_at=_when(obj.get("last_activity_at")),
        last_activity_editor=obj.get("last_activity_editor"),
        pending_cancellation_date=date.fromisoformat(pending[:10]) if pending else None,
    )


def parse_seats(objs: Iterable[Mapping[str, Any]]) -> list[Seat]:
    return [parse_seat(o) for o in objs]


def inactive_seats(seats: Iterable[Seat], today: date, days: int = 30) -> list[Seat]:
    """Seats with no activity in the ``days`` days before ``today`` (never-used seats included), idlest first.

    A seat last active exactly ``days`` days ago counts as inactive: it has had ``days`` full days without use.
    """
    cutoff = today - timedelta(days=days)
    picked = [s for s in seats if s.last_active_day is None or s.last_active_day <= cutoff]
    return sorted(picked, key=lambda s: (s.last_active_day or date.min, s.login.lower()))


def never_in_reports(seats: Iterable[Seat], reported_user_ids: set[int], reported_logins: set[str]) -> list[Seat]:
    """Seat holders who never appear in the usage reports held (by id, or by login where the seat has no id)."""
    lowered = {login.lower() for login in reported_logins}
    return sorted(
        (
            s
            for s in seats
            if not (s.user_id in reported_user_ids if s.user_id is not None else s.login.lower() in lowered)
        ),
        key=lambda s: s.login.lower(),
    )


@dataclass(frozen=True, slots=True)
class SeatCost:
    """What a list of seats costs a month at ``prices`` (by ``plan_type``); ``unpriced``: seats whose plan has none."""

    seats: int
    monthly: float
    unpriced: int


def seat_cost(seats: Iterable[Seat], prices: Mapping[str, float]) -> SeatCost:
    n = unpriced = 0
    monthly = 0.0
    for seat in seats:
        n += 1
        price = prices.get((seat.plan_type or "").lower())
        if price is None:
            unpriced += 1
        else:
            monthly += price
    return SeatCost(n, monthly, unpriced)


def idle_order(seat: Seat, today: date) -> float:
    """Idleness to sort by: days since the last use, and a never-used seat above every used one."""
    idle = seat.days_idle(today)
    return float("inf") if idle is None else float(idle)


def seat_breakdown(billing: Mapping[str, Any]) -> dict[str, int]:
    """The ``seat_breakdown`` counts of ``GET /orgs/{org}/copilot/billing`` (absent fields left out)."""
    raw = billing.get("seat_breakdown") or {}
    return {name: int(raw[name]) for name in SEAT_BREAKDOWN_FIELDS if raw.get(name) is not None}
