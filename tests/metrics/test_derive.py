from __future__ import annotations

from datetime import date
from typing import Any

import orjson
import pytest

from copilot_tui.metrics.derive import (
    Period,
    acceptance_rate,
    breakdown,
    change,
    feature_series,
    format_rate,
    org_totals,
    summarize_users,
    user_days,
)
from copilot_tui.metrics.model import UserDay
from copilot_tui.metrics.parse import parse_org_report, parse_users_report

D1, D2, D3 = date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 7)


def users(*lines: dict[str, Any]) -> list[UserDay]:
    report = parse_users_report([("t", b"\n".join(orjson.dumps(line) for line in lines))])
    assert report.problems == ()
    return list(report.rows)


def row(day: date, uid: int, login: str, gen: int, acc: int, **kw: Any) -> dict[str, Any]:
    return {
        "day": day.isoformat(),
        "user_id": uid,
        "user_login": login,
        "code_generation_activity_count": gen,
        "code_acceptance_activity_count": acc,
        **kw,
    }


def test_rates_and_their_zero_denominator() -> None:
    assert acceptance_rate(1, 4) == 0.25
    assert acceptance_rate(0, 0) is None
    assert acceptance_rate(3, 0) is None
    assert format_rate(None) == "n/a" and format_rate(0.25) == "25.0%"
    assert change(120, 100) == pytest.approx(0.2)
    assert change(5, 0) is None and change(None, 3) is None


def test_period_arithmetic() -> None:
    p = Period.last(7, D3)
    assert (p.start, p.end, p.days) == (date(2026, 1, 1), D3, 7)
    assert p.previous() == Period(date(2025, 12, 25), date(2025, 12, 31))
    assert D3 in p and date(2026, 1, 8) not in p
    with pytest.raises(ValueError):
        Period(D2, D1)


def test_user_summary_by_hand() -> None:
    rows = users(
        row(
            D1,
            1,
            "ada",
            10,
            4,
            used_agent=False,
            used_chat=True,
            loc_added_sum=7,
            totals_by_ide=[
                {
                    "ide": "vscode",
                    "code_generation_activity_count": 10,
                    "last_known_ide_version": {"ide_version": "1.0", "sampled_at": "2026-01-05T10:00:00Z"},
                }
            ],
            totals_by_language_feature=[
                {"language": "python", "feature": "code_completion", "code_generation_activity_count": 6},
                {"language": "go", "feature": "code_completion", "code_generation_activity_count": 4},
            ],
        ),
        row(
            D3,
            1,
            "ada",
            5,
            1,
            used_agent=True,
            used_chat=False,
            loc_added_sum=2,
            ai_credits_used=1.5,
            totals_by_ide=[
                {
                    "ide": "vscode",
                    "code_generation_activity_count": 2,
                    "last_known_ide_version": {"ide_version": "1.1", "sampled_at": "2026-01-07T10:00:00Z"},
                },
                {"ide": "neovim", "code_generation_activity_count": 3},
            ],
            totals_by_language_feature=[
                {"language": "go", "feature": "code_completion", "code_generation_activity_count": 5}
            ],
        ),
        row(D2, 2, "bob", 0, 0),
        row(date(2026, 1, 9), 1, "ada", 100, 100),  # outside the period
    )
    summaries = {s.user_login: s for s in summarize_users(rows, Period(D1, D3))}
    ada, bob = summaries["ada"], summaries["bob"]
    assert (ada.days_active, ada.last_active_day, ada.generations, ada.acceptances, ada.loc_added) == (2, D3, 15, 5, 9)
    assert ada.acceptance_rate == pytest.approx(5 / 15)
    assert ada.used_agent and ada.used_chat and not ada.used_cli
    assert ada.ai_credits_used == 1.5
    assert ada.top_ide == "vscode" and ada.ides == {"vscode": 12, "neovim": 3}
    assert ada.top_language == "go"  # 9 generations against python's 6
    assert ada.ide_versions["vscode"].version == "1.1"
    assert bob.acceptance_rate is None and bob.top_ide is None


def test_a_user_day_seen_twice_counts_once() -> None:
    rows = users(row(D1, 1, "ada", 10, 4)) + users(row(D1, 1, "ada", 12, 5))  # two reports: the first read wins
    (ada,) = summarize_users(rows)
    assert (ada.days_active, ada.generations) == (1, 10)
    assert [r.activity.code_generation_activity_count for r in user_days(rows, 1)] == [10]


def test_feature_series_and_breakdown_by_hand() -> None:
    cc = "code_completion"
    rows = users(
        row(
            D1,
            1,
            "ada",
            3,
            1,
            totals_by_feature=[
                {
                    "feature": cc,
                    "code_generation_activity_count": 3,
                    "code_acceptance_activity_count": 1,
                    "loc_added_sum": 4,
                },
                {"feature": "chat_panel_agent_mode", "user_initiated_interaction_count": 2},
            ],
            totals_by_model_feature=[{"model": "m1", "feature": cc, "code_generation_activity_count": 3}],
            used_cli=True,
            totals_by_cli={"request_count": 9},
        ),
        row(
            D3, 1, "ada", 1, 0, totals_by_feature=[{"feature": cc, "code_generation_activity_count": 1}], used_cli=False
        ),
        row(
            D3,
            2,
            "bob",
            2,
            2,
            totals_by_feature=[
                {"feature": cc, "code_generation_activity_count": 2, "code_acceptance_activity_count": 2}
            ],
            totals_by_model_feature=[
                {"model": "m1", "feature": cc, "code_generation_activity_count": 2},
                {"model": "m2", "feature": cc, "code_generation_activity_count": 7},
            ],
        ),
    )
    series = {s.feature: s for s in feature_series(rows, Period(D1, D3))}
    assert series[cc].users == (1, 0, 2)
    assert series[cc].generations == (3, 0, 3)
    assert series[cc].acceptances == (1, 0, 2)
    assert series[cc].loc_added == (4, 0, 0)
    assert series["chat_panel_agent_mode"].interactions == (2, 0, 0)
    assert series["copilot_cli"].users == (1, 0, 0) and series["copilot_cli"].interactions == (9, 0, 0)
    assert "code_review" not in series  # no row carries that flag
    models = {b.name: b for b in breakdown(rows, None, "model")}
    assert models["m2"].users == 1 and models["m1"].users == 2
    assert models["m1"].activity["code_generation_activity_count"] == 5
    assert [b.name for b in breakdown(rows, None, "model")] == ["m2", "m1"]  # busiest first


def test_org_totals_by_hand() -> None:
    lines = [
        {
            "day": "2026-01-05",
            "daily_active_users": 3,
            "monthly_active_users": 10,
            "code_generation_activity_count": 4,
            "code_acceptance_activity_count": 1,
            "loc_suggested_to_add_sum": 10,
            "loc_added_sum": 5,
            "totals_by_feature": [
                {
                    "feature": "code_completion",
                    "code_generation_activity_count": 2,
                    "code_acceptance_activity_count": 1,
                    "loc_suggested_to_add_sum": 8,
                    "loc_added_sum": 2,
                }
            ],
            "pull_requests": {"total_created": 2, "median_minutes_to_merge": 30.0},
        },
        {
            "day": "2026-01-07",
            "daily_active_users": 5,
            "monthly_active_users": 12,
            "code_generation_activity_count": 6,
            "code_acceptance_activity_count": 3,
            "totals_by_cli": {"request_count": 4, "token_usage": {"prompt_tokens_sum": 9}},
            "pull_requests": {"total_created": 3, "median_minutes_to_merge": 90.0},
        },
        {"day": "2026-01-09", "daily_active_users": 100, "code_generation_activity_count": 1000},
    ]
    days = parse_org_report([("o", b"\n".join(orjson.dumps(x) for x in lines))]).days
    t = org_totals(days, Period(D1, D3))
    assert t.days_with_data == 2 and t.latest_day == D3
    assert t.latest["daily_active_users"] == 5 and t.latest["monthly_active_users"] == 12
    assert t.activity["code_generation_activity_count"] == 10
    assert t.acceptance_rate == pytest.approx(0.4)
    assert t.completion_acceptance_rate == pytest.approx(0.5)
    assert t.completion_loc_acceptance_rate == pytest.approx(0.25)
    assert t.pull_requests == {"total_created": 5}  # the medians are not summed
    assert t.cli == {"request_count": 4, "prompt_tokens_sum": 9}
    assert t.average_daily_active_users == 4
    empty = org_totals(days, Period(date(2025, 1, 1), date(2025, 1, 2)))
    assert empty.days_with_data == 0 and empty.acceptance_rate is None and empty.latest == {}
