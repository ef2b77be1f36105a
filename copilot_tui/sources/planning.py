"""Which reports a live load asks GitHub for, and how the reports it has not delivered yet are named.

Fetch policy: 1-day reports only (users, organization/enterprise, user-teams), one request per kind and day. A day
is asked for when the store does not hold it, or when the copy held was fetched while GitHub could still revise it
(the last ``REVISION_DAYS`` days): such a copy is asked again once the day has settled, and, while it is still
recent, when it is older than ``RECHECK_AFTER``. A day that answered "no data" is remembered the same way.

A day without a report never stops a load: whichever way GitHub says it (``copilot_tui.github.client.NoReport``),
the day is remembered as having none. Until that answer was given after the day settled, the report is *pending*:
asked again on a later run, and named ("GitHub has no users report yet for 2026-12-01").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from copilot_tui.facts import USERS_KIND
from copilot_tui.github.errors import FIRST_REPORT_DAY
from copilot_tui.metrics.model import DayTotals
from copilot_tui.scope import Scope
from copilot_tui.sources.snapshot import TEAMS_KIND
from copilot_tui.store import HeldReport

#: GitHub may revise a report for this many days after the day itself (shared/README.md: "the last 1 to 3 days").
REVISION_DAYS = 3


#: How old a copy of a still-revisable day may be before a load asks for it again.
RECHECK_AFTER = timedelta(minutes=30)


#: Reports are kept this far back by GitHub.
HISTORY_DAYS = 365


def report_kinds(scope: Scope) -> tuple[str, ...]:
    """The 1-day reports asked for each day, totals first (the dashboard's top pane)."""
    return (f"{scope.totals_kind}-1-day", USERS_KIND, TEAMS_KIND)


def latest_day(now: datetime) -> date:
    """The newest day a report can exist for: yesterday in UTC."""
    return now.astimezone(UTC).date() - timedelta(days=1)


def earliest_day(now: datetime) -> date:
    """The oldest day GitHub still serves: a year back, and never before the first report day."""
    return max(FIRST_REPORT_DAY, now.astimezone(UTC).date() - timedelta(days=HISTORY_DAYS))


def needs_fetch(held: HeldReport | None, day: date, now: datetime, *, recheck_after: timedelta = RECHECK_AFTER) -> bool:
    """Whether to ask GitHub for a report of ``day`` that the store holds as ``held`` (None: not held)."""
    if held is None:
        return True
    settled_on = day + timedelta(days=REVISION_DAYS + 1)
    if held.fetched_at.astimezone(UTC).date() >= settled_on:
        return False
    if now.astimezone(UTC).date() >= settled_on:
        return True
    return now - held.fetched_at >= recheck_after


def is_settled(held: HeldReport) -> bool:
    """Whether a held answer was given after GitHub could still deliver or revise the day: then it is final."""
    return held.fetched_at.astimezone(UTC).date() >= held.day + timedelta(days=REVISION_DAYS + 1)


def pending_reports(held: Iterable[HeldReport]) -> list[tuple[date, str]]:
    """The ``(day, kind)`` held as "no report" whose answer is not final yet: GitHub may still deliver them."""
    return newest_first((h.day, h.kind) for h in held if not h.has_data and not is_settled(h))


def undelivered_users_days(held: Iterable[HeldReport], day_totals: Iterable[DayTotals]) -> list[date]:
    """Days whose totals count active users but whose users report GitHub answered "no report" for after the day
    settled: that answer is final, so the users figures leave those days out for good."""
    active = {d.day for d in day_totals if (d.active("daily_active_users") or 0) > 0}
    return sorted(h.day for h in held if h.kind == USERS_KIND and not h.has_data and is_settled(h) and h.day in active)


def describe_undelivered(days: Sequence[date]) -> str:
    """The sentence naming the days of ``undelivered_users_days``."""
    it = "it" if len(days) == 1 else "them"
    return (
        f"GitHub sent no users report for {_and_list([d.isoformat() for d in days])}, though its totals count "
        f"active users: the users figures leave {it} out."
    )


KIND_NAMES = {
    USERS_KIND: "users",
    TEAMS_KIND: "user-teams",
    "organization-1-day": "organization",
    "enterprise-1-day": "enterprise",
}


def newest_first(pending: Iterable[tuple[date, str]]) -> list[tuple[date, str]]:
    return sorted(set(pending), key=lambda p: (p[0], -report_order(p[1])), reverse=True)


def report_order(kind: str) -> int:
    return {"organization-1-day": 0, "enterprise-1-day": 0, USERS_KIND: 1, TEAMS_KIND: 2}.get(kind, 3)


def describe_pending(pending: Iterable[tuple[date, str]]) -> list[str]:
    """One sentence per set of missing report kinds: "GitHub has no users report yet for 2026-12-01"."""
    kinds_of: dict[date, set[str]] = {}
    for day, kind in pending:
        kinds_of.setdefault(day, set()).add(kind)
    days_of: dict[tuple[str, ...], list[date]] = {}
    for day, kinds in sorted(kinds_of.items()):
        days_of.setdefault(tuple(sorted(kinds, key=report_order)), []).append(day)
    sentences = []
    for kind_set, days in days_of.items():
        names = [KIND_NAMES.get(k, k) for k in kind_set]
        what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        report = "report" if len(names) == 1 else "reports"
        sentences.append(f"GitHub has no {what} {report} yet for {_and_list([d.isoformat() for d in days])}.")
    return sentences


def _and_list(items: list[str]) -> str:
    if len(items) > 4:
        return f"{len(items)} days from {items[0]} to {items[-1]}"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def plan_fetches(
    scope: Scope,
    held: Iterable[HeldReport],
    start: date,
    end: date,
    now: datetime,
    *,
    recheck_after: timedelta = RECHECK_AFTER,
) -> list[tuple[date, str]]:
    """The ``(day, kind)`` requests needed for ``start..end``, newest day first (a backfill walks back in time)."""
    by_key = {(h.kind, h.day): h for h in held}
    start = max(start, earliest_day(now))
    end = min(end, latest_day(now))
    plan: list[tuple[date, str]] = []
    day = end
    while day >= start:
        for kind in report_kinds(scope):
            if needs_fetch(by_key.get((kind, day)), day, now, recheck_after=recheck_after):
                plan.append((day, kind))
        day -= timedelta(days=1)
    return plan


def days_in(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def period_ending(days: int, until: date) -> tuple[date, date]:
    if days < 1:
        raise ValueError("a period has at least one day")
    return until - timedelta(days=days - 1), until


def utc_now() -> datetime:
    return datetime.now(UTC)
