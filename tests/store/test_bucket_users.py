"""Distinct users per bucket of a period (the trend charts' and the ``daily`` export's distinct-user figures), from
the facts in one query, checked against the demo's raw lines and against the per-period count of the rows."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path

import pytest

from copilot_tui.exports import daily_records
from copilot_tui.facts import bucket_users
from copilot_tui.metrics.demo import default_dataset
from copilot_tui.metrics.derive import Period, PeriodUsers
from copilot_tui.metrics.trends import buckets
from copilot_tui.scope import Scope
from copilot_tui.sources.demo import DemoSource
from copilot_tui.views import users_by_bucket
from tests.adoption_oracle import SEGMENT_KEYS, lines_in, segments_by_hand
from tests.commands.test_export import export


def by_hand(org: str, cut: Period) -> dict[str, object]:
    def lines_of(day: date) -> bytes:
        return b"".join(default_dataset().iter_ndjson("org", org, "users-1-day", day))

    return segments_by_hand(lines_in(lines_of, cut))


def counted(users: PeriodUsers) -> dict[str, object]:
    return {
        **{key: getattr(users, key) for key in SEGMENT_KEYS},
        "completion_only": users.completion_only,
        "ai_credits": round(users.ai_credits, 4),
    }


@pytest.mark.parametrize(("days", "size"), [(21, "day"), (63, "week"), (70, "month")])
def test_each_buckets_distinct_users_are_the_raw_lines(days: int, size: str) -> None:
    org = "octo-labs"
    snap = asyncio.run(DemoSource().load(Scope("org", org), days=days))
    period = Period(snap.first_day, snap.last_day)
    cuts = buckets(period, size)  # type: ignore[arg-type]
    got = users_by_bucket(snap, cuts)
    assert got is not None and len(got) == len(cuts)
    for cut, users in zip(cuts, got, strict=True):
        assert counted(users) == by_hand(org, cut), cut
    assert max(u.active for u in got) > 10 and any(0 < u.cli < u.active for u in got)  # a real check
    if size != "day":  # a week's distinct users are fewer than the sum of its days'
        days_of = users_by_bucket(snap, buckets(period, "day"))
        assert days_of is not None and got[-1].active < sum(u.active for u in days_of[-7:])


def test_the_rows_road_counts_the_same() -> None:
    org = "octo-garage"
    snap = asyncio.run(DemoSource().load(Scope("org", org), days=14))
    period = Period(snap.first_day, snap.last_day)
    cuts = buckets(period, "week")

    class RowsOnly:
        user_rows = snap.user_rows

    from_rows, from_facts = users_by_bucket(RowsOnly(), cuts), users_by_bucket(snap, cuts)
    assert from_rows is not None and from_facts is not None
    assert [counted(u) for u in from_rows] == [counted(u) for u in from_facts]


def test_the_daily_export_holds_each_days_distinct_users(tmp_path: Path) -> None:
    """``export --what daily``: each day's distinct users of the users report beside the day's record."""
    result = export("--demo", "--org", "octo-labs", "--what", "daily", "--last", "10", token=None, tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["daily"]
    assert len(rows) == 10
    fields = {"active": "active_users", "agent": "users_used_agent", "chat": "users_used_chat"}
    fields |= {"cli": "users_used_cli", "code_review": "users_used_copilot_code_review_active"}
    fields |= {"cloud_agent": "users_used_copilot_cloud_agent", "completion_only": "users_completion_only"}
    for row in rows:
        day = date.fromisoformat(row["day"])
        expected = by_hand("octo-labs", Period(day, day))
        assert {key: row[field] for key, field in fields.items()} == {k: expected[k] for k in fields}, day
        assert row["ai_credits_used"] == expected["ai_credits"]
    assert sum(r["active_users"] for r in rows) > len(rows)  # a real check


def test_a_day_without_its_users_report_is_not_known_rather_than_nobody() -> None:
    """GitHub sends a day's org totals before its users report: such a day's distinct users are unknown (None, an
    empty cell in the daily export, a gap in the chart), never zero."""
    org = "octo-labs"
    snap = asyncio.run(DemoSource().load(Scope("org", org), days=14))
    period = Period(snap.first_day, snap.last_day)
    files = dict(snap.facts_from())
    del files[period.end]  # the newest day's users report has not come yet
    days = bucket_users(files, buckets(period, "day"))
    assert days[-1] is None
    held = list(period.each_day())[:-1]
    assert all(u is not None and counted(u) == by_hand(org, Period(d, d)) for d, u in zip(held, days[:-1], strict=True))
    weeks = bucket_users(files, buckets(period, "week"))
    assert all(w is not None for w in weeks)  # a week with some of its days held counts those
    rows = daily_records(snap.day_totals, period, days)
    last = next(r for r in rows if r["day"] == period.end.isoformat())
    assert last["active_users"] is None and last["users_used_agent"] is None
    assert last["daily_active_users"] is not None  # the org totals of the day are there
    assert list(last) == list(rows[0])  # every row has every column: the CSV writes them all
