"""Buckets of a period for charts, and each bucket's figures checked against the raw lines of the demo."""

from __future__ import annotations

from datetime import date

import orjson
import pytest

from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.metrics.derive import Period
from copilot_tui.metrics.parse import parse_org_report
from copilot_tui.metrics.trends import bucket_size, bucket_totals, buckets, per_day

SMALL = DemoDataset(days=40)


@pytest.mark.parametrize(
    ("days", "size"), [(1, "day"), (90, "day"), (91, "week"), (366, "week"), (367, "month"), (800, "month")]
)
def test_long_periods_are_cut_coarser(days: int, size: str) -> None:
    period = Period.last(days, date(2026, 11, 23))
    assert bucket_size(period) == size
    cuts = buckets(period)
    covered = [d for cut in cuts for d in cut.each_day()]
    assert covered == period.each_day()  # every day once, in order


def test_weeks_count_back_from_the_last_day_and_months_are_calendar_months() -> None:
    period = Period(date(2026, 7, 27), date(2026, 11, 23))
    weeks = buckets(period, "week")
    assert all(w.days == 7 for w in weeks[1:]) and 1 <= weeks[0].days <= 7
    assert weeks[-1] == Period(date(2026, 11, 17), date(2026, 11, 23))
    months = buckets(Period(date(2025, 12, 20), date(2026, 3, 2)), "month")
    assert months == [
        Period(date(2025, 12, 20), date(2025, 12, 31)),
        Period(date(2026, 1, 1), date(2026, 1, 31)),
        Period(date(2026, 2, 1), date(2026, 2, 28)),
        Period(date(2026, 3, 1), date(2026, 3, 2)),
    ]


def test_a_weeks_interactions_are_its_raw_days_summed_and_a_mean_a_day() -> None:
    org = SMALL.orgs[0].login
    period = Period.last(35, SMALL.last_day)
    parts = [
        (d.isoformat(), b"".join(SMALL.iter_ndjson("org", org, "organization-1-day", d))) for d in period.each_day()
    ]
    raw = {d: orjson.loads(data) for d, data in parts if data.strip()}
    weeks = buckets(period, "week")
    totals = bucket_totals(parse_org_report(parts).days, weeks)
    for week, t in zip(weeks, totals, strict=True):
        lines = [raw[d.isoformat()] for d in week.each_day() if d.isoformat() in raw]
        summed = sum(line["user_initiated_interaction_count"] for line in lines)
        assert t.days_with_data == len(lines) > 0
        assert t.activity["user_initiated_interaction_count"] == summed
        assert t.latest_day == max(d for d in week.each_day() if d.isoformat() in raw)
        assert per_day(t.activity["user_initiated_interaction_count"], t.days_with_data) == pytest.approx(
            summed / len(lines)
        )


def test_a_bucket_without_data_says_none_not_zero() -> None:
    (empty,) = bucket_totals([], [Period(date(2026, 1, 1), date(2026, 1, 7))])
    assert empty.days_with_data == 0
    assert per_day(empty.activity["user_initiated_interaction_count"], empty.days_with_data) is None
