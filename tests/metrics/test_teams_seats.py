from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import orjson

from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.metrics.derive import Period, summarize_users
from copilot_tui.metrics.model import ACTIVITY_FIELDS
from copilot_tui.metrics.parse import parse_user_teams_report, parse_users_report
from copilot_tui.metrics.seats import inactive_seats, never_in_reports, parse_seats, seat_breakdown
from copilot_tui.metrics.teams import days_without_team_data, summarize_teams

D1, D2 = date(2026, 1, 5), date(2026, 1, 6)


def _nd(lines: list[dict[str, Any]]) -> bytes:
    return b"\n".join(orjson.dumps(x) for x in lines)


def test_team_join_by_hand_a_user_in_two_teams_counts_in_both() -> None:
    teams = parse_user_teams_report(
        [
            (
                "t",
                _nd(
                    [
                        {"user_id": 1, "user_login": "ada", "day": "2026-01-05", "team_id": 10, "slug": "web"},
                        {"user_id": 1, "user_login": "ada", "day": "2026-01-05", "team_id": 20, "slug": "api"},
                        {"user_id": 2, "user_login": "bob", "day": "2026-01-05", "team_id": 20, "slug": "api"},
                        {"user_id": 2, "user_login": "bob", "day": "2026-01-06", "team_id": 20, "slug": "api"},
                    ]
                ),
            )
        ]
    ).rows
    users = parse_users_report(
        [
            (
                "u",
                _nd(
                    [
                        {"day": "2026-01-05", "user_id": 1, "user_login": "ada", "code_generation_activity_count": 5},
                        {"day": "2026-01-05", "user_id": 2, "user_login": "bob", "code_generation_activity_count": 7},
                        {"day": "2026-01-06", "user_id": 2, "user_login": "bob", "code_generation_activity_count": 1},
                        {"day": "2026-01-07", "user_id": 1, "user_login": "ada", "code_generation_activity_count": 9},
                    ]
                ),
            )
        ]
    ).rows
    by_slug = {t.slug: t for t in summarize_teams(teams, users)}
    assert by_slug["web"].activity["code_generation_activity_count"] == 5
    assert by_slug["api"].activity["code_generation_activity_count"] == 5 + 7 + 1
    assert by_slug["api"].active_users == {1, 2} and by_slug["web"].active_users == {1}
    assert by_slug["api"].members == {2}  # membership of the latest team day
    assert days_without_team_data(teams, users) == [date(2026, 1, 7)]
    only_d2 = {t.slug: t for t in summarize_teams(teams, users, Period(D2, D2))}
    assert only_d2["api"].activity["code_generation_activity_count"] == 1 and "web" not in only_d2


def test_demo_team_totals_equal_the_sums_over_their_members_rows() -> None:
    ds = DemoDataset(days=30)
    org = ds.orgs[1]
    day = ds.last_day
    team_rows = parse_user_teams_report(
        [("t", b"".join(ds.iter_ndjson("org", org.login, "user-teams-1-day", day)))]
    ).rows
    user_rows = parse_users_report([("u", b"".join(ds.iter_ndjson("org", org.login, "users-1-day", day)))]).rows
    summaries = summarize_teams(team_rows, user_rows)
    assert len(summaries) >= 5
    by_user = {r.user_id: r for r in user_rows}
    two_team_users = 0
    for team in summaries:
        members = {r.user_id for r in team_rows if r.team_id == team.team_id}
        rows = [by_user[u] for u in members if u in by_user]
        for name in ACTIVITY_FIELDS:
            assert team.activity[name] == sum(r.activity.get(name) for r in rows), (team.slug, name)
        assert team.active_users == {r.user_id for r in rows}
    per_user: dict[int, int] = {}
    for r in team_rows:
        per_user[r.user_id] = per_user.get(r.user_id, 0) + 1
    two_team_users = sum(1 for n in per_user.values() if n > 1)
    assert two_team_users > 0


def _seat(login: str, uid: int | None, last: str | None) -> dict[str, Any]:
    return {
        "assignee": {"login": login, "id": uid},
        "plan_type": "business",
        "created_at": "2025-11-01T00:00:00Z",
        "last_activity_at": last,
        "last_activity_editor": "vscode/1.104/copilot/1.3" if last else None,
        "pending_cancellation_date": None,
    }


def test_inactive_seats_follow_last_activity() -> None:
    seats = parse_seats(
        [
            _seat("fresh", 1, "2026-01-30T10:00:00Z"),
            _seat("edge", 2, "2025-12-31T23:59:00Z"),
            _seat("old", 3, "2025-12-01T08:00:00Z"),
            _seat("never", 4, None),
        ]
    )
    today = date(2026, 1, 30)
    assert [s.login for s in inactive_seats(seats, today, 30)] == ["never", "old", "edge"]
    assert [s.login for s in inactive_seats(seats, today, 60)] == ["never", "old"]  # 60 full idle days
    assert [s.login for s in inactive_seats(seats, today, 61)] == ["never"]
    assert seats[0].last_activity_at == datetime(2026, 1, 30, 10, tzinfo=UTC)
    assert seats[2].days_idle(today) == 60 and seats[3].days_idle(today) is None
    assert [s.login for s in never_in_reports(seats, {1, 2}, set())] == ["never", "old"]


def test_demo_seats_inactive_list_matches_last_activity_dates() -> None:
    ds = DemoDataset(days=60)
    org = ds.orgs[0]
    seats = parse_seats(ds.seats(org))
    assert len(seats) == org.size
    users = parse_users_report(
        [
            (d.isoformat(), b"".join(ds.iter_ndjson("org", org.login, "users-1-day", d)))
            for d in Period(ds.first_day, ds.last_day).each_day()
        ]
    ).rows
    last_seen = {s.user_id: s.last_active_day for s in summarize_users(users)}
    for seat in seats:
        assert seat.last_active_day == last_seen.get(seat.user_id)
    inactive = inactive_seats(seats, ds.last_day, 30)
    expected = {s.login for s in seats if s.last_active_day is None or (ds.last_day - s.last_active_day).days >= 30}
    assert {s.login for s in inactive} == expected and expected


def test_seat_breakdown_reads_the_documented_fields() -> None:
    billing = {
        "seat_breakdown": {
            "total": 12,
            "added_this_cycle": 2,
            "pending_invitation": 0,
            "pending_cancellation": 1,
            "active_this_cycle": 9,
            "inactive_this_cycle": 3,
        },
        "seat_management_setting": "assign_selected",
    }
    assert seat_breakdown(billing) == {
        "total": 12,
        "added_this_cycle": 2,
        "pending_invitation": 0,
        "pending_cancellation": 1,
        "active_this_cycle": 9,
        "inactive_this_cycle": 3,
    }
    assert seat_breakdown({}) == {}


def test_seat_cost_prices_each_plan_and_counts_the_unpriced() -> None:
    from copilot_tui.metrics.seats import idle_order, seat_cost

    seats = parse_seats(
        [
            {**_seat("a", 1, None), "plan_type": "business"},
            {**_seat("b", 2, "2026-01-01T00:00:00Z"), "plan_type": "Enterprise"},
            {**_seat("c", 3, None), "plan_type": "unknown"},
        ]
    )
    cost = seat_cost(seats, {"business": 19.0, "enterprise": 39.0})
    assert (cost.seats, cost.monthly, cost.unpriced) == (3, 58.0, 1)
    today = date(2026, 1, 11)
    assert idle_order(seats[0], today) > idle_order(seats[1], today) == 10


def test_users_in_no_team_get_a_row_of_their_own_and_inactive_members_are_named() -> None:
    from copilot_tui.metrics.teams import NO_TEAM_ID, NO_TEAM_SLUG, team_member_logins

    teams = parse_user_teams_report(
        [
            (
                "t",
                _nd(
                    [
                        {"user_id": 1, "user_login": "ada", "day": "2026-01-05", "team_id": 10, "slug": "web"},
                        {"user_id": 4, "user_login": "dan", "day": "2026-01-05", "team_id": 10, "slug": "web"},
                        {"user_id": 4, "user_login": "dan2", "day": "2026-01-06", "team_id": 10, "slug": "web"},
                    ]
                ),
            )
        ]
    ).rows
    users = parse_users_report(
        [
            (
                "u",
                _nd(
                    [
                        {"day": "2026-01-05", "user_id": 1, "user_login": "ada", "code_generation_activity_count": 5},
                        {"day": "2026-01-05", "user_id": 3, "user_login": "cy", "code_generation_activity_count": 2},
                        {"day": "2026-01-07", "user_id": 5, "user_login": "eve", "code_generation_activity_count": 9},
                    ]
                ),
            )
        ]
    ).rows
    web, nobody = summarize_teams(teams, users)
    assert (web.slug, nobody.team_id, nobody.slug) == ("web", NO_TEAM_ID, NO_TEAM_SLUG)
    assert nobody.active_users == {3} and nobody.members == set()  # eve's day has no team data: left out
    assert nobody.activity["code_generation_activity_count"] == 2 and nobody.active_share is None
    assert team_member_logins(teams, 10) == {1: "ada", 4: "dan2"}  # dan never used Copilot, and is named
