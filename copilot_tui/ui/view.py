"""What the dashboard shows for one scope and period, computed from a snapshot.

Built in a thread (thousands of users times weeks of days is real work) and handed to the widgets whole, so a pane
never shows numbers from two different periods. The users' side comes from the snapshot's users aggregate (a query
over the facts: the users as columns, ``metrics.user_columns``); a snapshot-like object without one (a test's) is
summed from its rows with ``metrics.derive``: the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from copilot_tui.metrics.derive import (
    BreakdownRow,
    FeatureSeries,
    OrgTotals,
    Period,
    PeriodUsers,
    UserSummary,
    breakdown,
    comparable,
    feature_series,
    org_totals,
    period_users,
    summarize_users,
)
from copilot_tui.metrics.model import DayTotals, UserDay
from copilot_tui.scope import Scope
from copilot_tui.ui.widgets.users import column_values
from copilot_tui.views import bucket_counter


class SnapshotLike(Protocol):
    @property
    def scope(self) -> Scope: ...
    @property
    def day_totals(self) -> Sequence[DayTotals]: ...
    @property
    def first_day(self) -> date | None: ...
    @property
    def last_day(self) -> date | None: ...
    @property
    def fetched_at(self) -> Any: ...


@dataclass(frozen=True, slots=True)
class DashboardView:
    scope: Scope
    period: Period
    totals: OrgTotals
    previous_totals: OrgTotals | None
    """Totals of the period of equal length just before, when the loaded data covers it entirely."""
    users: Sequence[UserSummary]
    series: list[FeatureSeries]
    by_ide: list[BreakdownRow]
    by_language: list[BreakdownRow]
    by_model: list[BreakdownRow]
    fetched_at: Any
    user_values: dict[str, list[Any]] = field(default_factory=dict)
    """The users table's computed columns for ``users``, read once here (``widgets.users.column_values``): a first
    sort of such a column then costs only the sort (at 200k users, reading top IDE alone is ~160 ms)."""
    days: tuple[DayTotals, ...] = ()
    """The scope's day records of the period: what ``totals`` sums, and what the trend charts cut into buckets."""
    previous_days: tuple[DayTotals, ...] = ()
    """The day records of the previous period, when ``previous_totals`` could be computed (else empty)."""
    previous_series: list[FeatureSeries] = field(default_factory=list)
    """The feature series of the previous period, beside ``previous_days``."""
    users_by_bucket: Callable[[Sequence[Period]], Sequence[PeriodUsers | None]] | None = None
    """Counts each bucket's distinct users, for buckets of the period (``copilot_tui.views.bucket_counter`` of its
    snapshot): blocking, called off the UI thread by the trend charts."""
    previous_users_by_bucket: Callable[[Sequence[Period]], Sequence[PeriodUsers | None]] | None = None
    """The same for buckets of the previous period, beside ``previous_days``."""


def build_view(
    snapshot: SnapshotLike, previous: SnapshotLike | None = None, *, same_as: DashboardView | None = None
) -> DashboardView:
    """The view of ``snapshot``'s period; ``previous`` (the period of equal length before it) feeds the changes.

    ``same_as``: a view already built from this snapshot, whose users' side is taken as it is (the comparison
    changes only the totals)."""
    end = snapshot.last_day or date.today()
    start = snapshot.first_day or end
    period = Period(start, end)
    days = tuple(d for d in snapshot.day_totals if d.day in period)
    totals = org_totals(days, period)
    if same_as is not None:
        users, series = same_as.users, same_as.series
        by_ide, by_language, by_model = same_as.by_ide, same_as.by_language, same_as.by_model
    else:
        users, series, by_ide, by_language, by_model = _users_side(snapshot, period)
    people = same_as.totals.users if same_as is not None else None
    totals = replace(totals, users=people or period_users(users))
    previous_totals = None
    previous_days: tuple[DayTotals, ...] = ()
    previous_series: list[FeatureSeries] = []
    previous_by_bucket = None
    if previous is not None:
        before_days = tuple(d for d in previous.day_totals if d.day in period.previous())
        before = org_totals(before_days, period.previous())
        if comparable(totals, before):
            previous_users, previous_series = _users_side(previous, period.previous(), breakdowns=False)[:2]
            previous_totals = replace(before, users=period_users(previous_users))
            previous_days = before_days
            previous_by_bucket = bucket_counter(previous)
    if same_as is not None:
        return replace(
            same_as,
            scope=snapshot.scope,
            period=period,
            totals=totals,
            previous_totals=previous_totals,
            fetched_at=snapshot.fetched_at,
            days=days,
            previous_days=previous_days,
            previous_series=previous_series,
            users_by_bucket=bucket_counter(snapshot),
            previous_users_by_bucket=previous_by_bucket,
        )
    return DashboardView(
        scope=snapshot.scope,
        period=period,
        totals=totals,
        previous_totals=previous_totals,
        users=users,
        series=series,
        by_ide=by_ide,
        by_language=by_language,
        by_model=by_model,
        fetched_at=snapshot.fetched_at,
        user_values=column_values(users),
        days=days,
        previous_days=previous_days,
        previous_series=previous_series,
        users_by_bucket=bucket_counter(snapshot),
        previous_users_by_bucket=previous_by_bucket,
    )


def _users_side(
    snapshot: SnapshotLike, period: Period, *, breakdowns: bool = True
) -> tuple[Sequence[UserSummary], list[FeatureSeries], list[BreakdownRow], list[BreakdownRow], list[BreakdownRow]]:
    """Summaries, series and breakdowns of ``period``: the snapshot's users aggregate, or (a test's snapshot-like
    without one) its rows summed with ``metrics.derive``."""
    aggregate = getattr(snapshot, "users_aggregate", None)
    if aggregate is not None and snapshot.first_day is not None and snapshot.last_day is not None:
        agg = aggregate()
        return agg.users, agg.series, agg.by_ide, agg.by_language, agg.by_model
    rows: Sequence[UserDay] = getattr(snapshot, "user_rows", ())
    if not breakdowns:
        return summarize_users(rows, period), feature_series(rows, period), [], [], []
    by_ide, by_language, by_model = (breakdown(rows, period, by) for by in ("ide", "language", "model"))
    return summarize_users(rows, period), feature_series(rows, period), by_ide, by_language, by_model
