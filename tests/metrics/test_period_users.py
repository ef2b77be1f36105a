"""Distinct users over a period (the totals pane's period figures), checked against the raw lines of the demo."""

from __future__ import annotations

from datetime import date

import orjson
import pytest

from copilot_tui.metrics.aggregate import aggregate_users
from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.metrics.derive import Period, org_totals, period_users, summarize_users
from copilot_tui.metrics.parse import parse_org_report, parse_users_report
from tests.adoption_oracle import SEGMENT_KEYS, segments_by_hand

SMALL = DemoDataset(days=40)


def raw_lines(org: str, period: Period) -> list[dict[str, object]]:
    return [
        orjson.loads(line)
        for day in period.each_day()
        for line in b"".join(SMALL.iter_ndjson("org", org, "users-1-day", day)).splitlines()
        if line.strip()
    ]


def by_hand(lines: list[dict[str, object]]) -> dict[str, object]:
    """The figures from the lines alone (the oracle's distinct users)."""
    counted = segments_by_hand(lines)
    return {name: counted[name] for name in SEGMENT_KEYS}


@pytest.mark.parametrize("days", [7, 28])
def test_period_users_match_the_raw_lines_on_both_roads(days: int) -> None:
    org = SMALL.orgs[1].login
    period = Period.last(days, SMALL.last_day)
    lines = raw_lines(org, period)
    expected = by_hand(lines)
    assert expected["active"] > 100 and 0 < expected["cli"] < expected["active"]  # a real check, not 0 == 0
    assert expected["code_review"] > 0 and expected["cloud_agent"] > 0
    parts = [(d.isoformat(), b"".join(SMALL.iter_ndjson("org", org, "users-1-day", d))) for d in period.each_day()]
    agg = aggregate_users(parts, period)
    rows = parse_users_report(parts).rows
    for users in (agg.users, summarize_users(rows, period)):
        assert {name: getattr(period_users(users), name) for name in expected} == expected


def test_average_daily_active_users_is_the_mean_of_the_raw_daily_counts() -> None:
    org = SMALL.orgs[1].login
    period = Period.last(14, SMALL.last_day)
    raw = [orjson.loads(b"".join(SMALL.iter_ndjson("org", org, "organization-1-day", d))) for d in period.each_day()]
    counts = [line["daily_active_users"] for line in raw]
    parts = [
        (d.isoformat(), b"".join(SMALL.iter_ndjson("org", org, "organization-1-day", d))) for d in period.each_day()
    ]
    totals = org_totals(parse_org_report(parts).days, period)
    assert totals.average_daily_active_users == pytest.approx(sum(counts) / len(counts))
    user_days = {(line["user_id"], line["day"]) for line in raw_lines(org, period)}
    assert totals.average_daily_active_users == pytest.approx(len(user_days) / period.days)  # the demo agrees


def test_a_user_counts_once_and_the_renamed_cloud_agent_flag_counts() -> None:
    period = Period(date(2026, 1, 1), date(2026, 1, 4))
    lines = [
        {"day": "2026-01-01", "user_id": 1, "user_login": "ada", "used_cli": True, "totals_by_feature": []},
        {"day": "2026-01-02", "user_id": 1, "user_login": "ada", "used_cli": False},
        {"day": "2026-01-02", "user_id": 2, "user_login": "bob", "used_copilot_coding_agent": True},
    ]
    data = b"\n".join(orjson.dumps(line) for line in lines)
    agg = aggregate_users([("p", data)], period)
    got = period_users(agg.users)
    assert (got.active, got.cli, got.cloud_agent) == (2, 1, 1)
    assert period_users([]).active == 0
