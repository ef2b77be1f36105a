"""A period cut into buckets (days, weeks or months) and the figures of each bucket, for charts over time.

A bucket's figures are :func:`~copilot_tui.metrics.derive.org_totals` of its days: the very sum the totals pane and
the ``daily`` export take, so a point on a chart and a row of that export agree. Long periods are cut coarser so a
year stays readable on 80 columns: days up to ``DAILY_UP_TO`` days, 7-day weeks up to ``WEEKLY_UP_TO``, calendar
months beyond.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Literal

from copilot_tui.metrics.derive import FeatureSeries, OrgTotals, Period, org_totals
from copilot_tui.metrics.model import DayTotals

BucketSize = Literal["day", "week", "month"]

DAILY_UP_TO = 90
"""Periods of at most this many days are charted day by day."""
WEEKLY_UP_TO = 366
"""Periods of at most this many days (and more than ``DAILY_UP_TO``) are charted by weeks; longer ones by months."""


def bucket_size(period: Period) -> BucketSize:
    if period.days <= DAILY_UP_TO:
        return "day"
    return "week" if period.days <= WEEKLY_UP_TO else "month"


def buckets(period: Period, size: BucketSize | None = None) -> list[Period]:
    """The period cut into buckets, oldest first, together covering every day once.

    Weeks are 7-day blocks counted back from the period's last day (only the first may be shorter), so the latest
    week is always whole; months are calendar months (the first and last may be partial).
    """
    size = size or bucket_size(period)
    if size == "day":
        return [Period(d, d) for d in period.each_day()]
    out: list[Period] = []
    if size == "week":
        end = period.end
        while end >= period.start:
            start = max(period.start, end - timedelta(days=6))
            out.append(Period(start, end))
            end = start - timedelta(days=1)
        return out[::-1]
    start = period.start
    while start <= period.end:
        next_month = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        end = min(period.end, next_month - timedelta(days=1))
        out.append(Period(start, end))
        start = next_month
    return out


def bucket_totals(days: Iterable[DayTotals], cuts: Sequence[Period]) -> list[OrgTotals]:
    """Each bucket's ``org_totals`` (a bucket without a day record has ``days_with_data`` 0)."""
    by_bucket: list[list[DayTotals]] = [[] for _ in cuts]
    starts = [b.start for b in cuts]
    for record in days:
        i = _bucket_of(record.day, starts)
        if i is not None and record.day in cuts[i]:
            by_bucket[i].append(record)
    return [org_totals(records, cut) for records, cut in zip(by_bucket, cuts, strict=True)]


def _bucket_of(day: date, starts: Sequence[date]) -> int | None:
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= day:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1 if lo else None


def per_day(total: int | float | None, days_with_data: int) -> float | None:
    """A bucket's sum as a mean a day over the days that have data: buckets of 7, 3 or 31 days stay comparable, and
    a day bucket keeps its own value."""
    if total is None or days_with_data == 0:
        return None
    return total / days_with_data


def feature_users(series: FeatureSeries, cuts: Sequence[Period], totals: Sequence[OrgTotals]) -> list[float | None]:
    """A feature's daily users, each bucket's mean a day over the days the scope has data for (``totals``)."""
    sums = [0] * len(cuts)
    starts = [b.start for b in cuts]
    for day, users in zip(series.days, series.users, strict=True):
        i = _bucket_of(day, starts)
        if i is not None and day in cuts[i]:
            sums[i] += users
    return [per_day(s, t.days_with_data) for s, t in zip(sums, totals, strict=True)]
