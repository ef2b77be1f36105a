from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import orjson
import pytest

from copilot_tui.metrics.demo import DEMO_ORGS, DemoDataset
from copilot_tui.metrics.derive import Period, org_totals, summarize_users
from copilot_tui.metrics.model import ACTIVITY_FIELDS
from copilot_tui.metrics.parse import parse_org_report, parse_users_report

SMALL = DemoDataset(days=40)


def test_same_seed_same_bytes_and_another_seed_differs() -> None:
    org = DEMO_ORGS[0].login
    a = b"".join(DemoDataset(days=40).iter_ndjson("org", org, "users-28-day"))
    b = b"".join(DemoDataset(days=40).iter_ndjson("org", org, "users-28-day"))
    c = b"".join(DemoDataset(days=40, seed=8).iter_ndjson("org", org, "users-28-day"))
    assert a == b and a != c


def test_three_orgs_of_growing_size() -> None:
    sizes = [o.size for o in SMALL.orgs]
    assert sizes == sorted(sizes) and sizes[0] <= 50 and 300 <= sizes[1] <= 500 and sizes[2] >= 4000


def _sum_entries(rows: list[dict[str, Any]], list_name: str, keys: tuple[str, ...]) -> dict[Any, dict[str, int]]:
    out: dict[Any, dict[str, int]] = {}
    for r in rows:
        for e in r[list_name]:
            slot = out.setdefault(tuple(e[k] for k in keys), {})
            for f in ACTIVITY_FIELDS:
                if f in e:
                    slot[f] = slot.get(f, 0) + e[f]
    return out


@pytest.mark.parametrize("org", [o.login for o in DEMO_ORGS[:2]])
def test_org_day_totals_equal_the_sums_of_user_rows(org: str) -> None:
    for day in (SMALL.last_day, SMALL.last_day - timedelta(days=3), SMALL.first_day + timedelta(days=10)):
        (record,) = SMALL.report_lines("org", org, "organization-1-day", day) or []
        rows = SMALL.report_lines("org", org, "users-1-day", day) or []
        for f in ACTIVITY_FIELDS:
            assert record[f] == sum(r[f] for r in rows), f
        assert record["daily_active_users"] == len(rows)
        assert record["daily_active_cli_users"] == sum(r["used_cli"] for r in rows)
        for list_name, keys in (
            ("totals_by_feature", ("feature",)),
            ("totals_by_ide", ("ide",)),
            ("totals_by_language_feature", ("language", "feature")),
            ("totals_by_language_model", ("language", "model")),
            ("totals_by_model_feature", ("model", "feature")),
        ):
            org_side = _sum_entries([record], list_name, keys)
            assert org_side == _sum_entries(rows, list_name, keys), list_name
        if "totals_by_cli" in record:
            assert record["totals_by_cli"]["request_count"] == sum(
                r["totals_by_cli"]["request_count"] for r in rows if "totals_by_cli" in r
            )


def test_28_day_window_matches_the_1_day_reports_and_parses_cleanly() -> None:
    org = DEMO_ORGS[0].login
    (window,) = SMALL.report_lines("org", org, "organization-28-day") or []
    assert window["report_end_day"] == SMALL.last_day.isoformat() and len(window["day_totals"]) == 28
    for rec in window["day_totals"][-3:]:
        (one,) = SMALL.report_lines("org", org, "organization-1-day", date.fromisoformat(rec["day"])) or []
        assert {**rec, "organization_id": one["organization_id"]} == one
    report = parse_org_report([("w", orjson.dumps(window))])
    users = parse_users_report([("u", b"".join(SMALL.iter_ndjson("org", org, "users-28-day")))])
    assert report.problems == () and users.problems == ()
    period = Period(report.report_start_day or SMALL.first_day, report.report_end_day or SMALL.last_day)
    totals = org_totals(report.days, period)
    summaries = summarize_users(users.rows, period)
    for f in ACTIVITY_FIELDS:
        assert totals.activity[f] == sum(s.activity[f] for s in summaries), f
    assert totals.latest["monthly_active_users"] == len(summaries)


def test_realistic_shape() -> None:
    ds = DemoDataset(days=120)
    org = ds.orgs[1]
    plans = ds.plans(org)
    weekday = [
        sum(p[i] is not None for p in plans) for i in range(ds.days) if (ds.first_day + timedelta(i)).weekday() < 5
    ]
    weekend = [
        sum(p[i] is not None for p in plans) for i in range(ds.days) if (ds.first_day + timedelta(i)).weekday() >= 5
    ]
    assert sum(weekday) / len(weekday) > 3 * sum(weekend) / len(weekend)
    assert sum(weekday[-10:]) > sum(weekday[:10])  # adoption grows
    never = sum(all(p is None for p in user) for user in plans)
    assert 0 < never < len(plans) * 0.2  # some licensed users never use Copilot
    early_agent = sum(p.agent for user in plans for p in user[:30] if p)
    late_agent = sum(p.agent for user in plans for p in user[-30:] if p)
    assert late_agent > 1.5 * early_agent
    rows = ds.report_lines("org", org.login, "users-28-day") or []
    assert len({r["totals_by_ide"][0]["ide"] for r in rows if r["totals_by_ide"]}) >= 4
    days_per_user: dict[int, int] = {}
    for r in rows:
        days_per_user[r["user_id"]] = days_per_user.get(r["user_id"], 0) + 1
    counts = sorted(days_per_user.values())
    assert counts[len(counts) // 4] < counts[-len(counts) // 10]  # a long tail of light users


def test_unknown_entity_and_out_of_range_day() -> None:
    assert SMALL.report_lines("org", "nope", "users-1-day", SMALL.last_day) is None
    assert SMALL.report_lines("org", DEMO_ORGS[0].login, "users-1-day", SMALL.last_day + timedelta(1)) is None
    assert SMALL.report_lines("enterprise", SMALL.enterprise, "enterprise-1-day", SMALL.last_day)


def test_enterprise_day_is_the_sum_of_its_orgs() -> None:
    day = SMALL.last_day - timedelta(days=1)
    (ent,) = SMALL.report_lines("enterprise", SMALL.enterprise, "enterprise-1-day", day) or []
    orgs = [(SMALL.report_lines("org", o.login, "organization-1-day", day) or [])[0] for o in SMALL.orgs]
    for f in (*ACTIVITY_FIELDS, "daily_active_users", "monthly_active_users"):
        assert ent[f] == sum(o[f] for o in orgs), f


@pytest.mark.parametrize("offset", [0, 1, 13])
def test_every_summed_enterprise_figure_is_the_sum_of_its_orgs(offset: int) -> None:
    """Demo data obeys real data's arithmetic: an enterprise's counts (activity, active-user windows, CLI, pull
    requests and their comment types) are its orgs' sums, so never below any one org's; medians lie between."""
    day = SMALL.last_day - timedelta(days=offset)
    (ent,) = SMALL.report_lines("enterprise", SMALL.enterprise, "enterprise-1-day", day) or []
    orgs = [(SMALL.report_lines("org", o.login, "organization-1-day", day) or [])[0] for o in SMALL.orgs]
    from copilot_tui.metrics.model import ACTIVE_USER_FIELDS

    for f in (*ACTIVITY_FIELDS, *ACTIVE_USER_FIELDS):
        assert ent[f] == sum(o[f] for o in orgs), f
    for f in ("session_count", "request_count", "prompt_count"):
        assert ent["totals_by_cli"][f] == sum(o["totals_by_cli"][f] for o in orgs if "totals_by_cli" in o), f
    prs = [o["pull_requests"] for o in orgs if "pull_requests" in o]
    assert prs and set(ent["pull_requests"]) == set(prs[0])
    for f, value in ent["pull_requests"].items():
        if f.startswith("total_"):
            assert value == sum(p[f] for p in prs), f
            assert all(value >= p[f] for p in prs), f
        elif f.startswith("median_"):
            assert min(p[f] for p in prs) <= value <= max(p[f] for p in prs), f
    by_type: dict[str, int] = {}
    for p in prs:
        for e in p["copilot_suggestions_by_comment_type"]:
            by_type[e["comment_type"]] = by_type.get(e["comment_type"], 0) + e["total_copilot_suggestions"]
    assert {
        e["comment_type"]: e["total_copilot_suggestions"]
        for e in ent["pull_requests"]["copilot_suggestions_by_comment_type"]
    } == by_type


def test_logins_are_unique_and_completion_rates_differ_by_lines() -> None:
    ds = DemoDataset(days=30)
    for org in ds.orgs:
        logins = [p.login for p in ds.personas(org)]
        assert len(set(logins)) == len(logins), org.login
    rows = ds.report_lines("org", ds.orgs[1].login, "users-28-day") or []
    acc = sum(
        e["code_acceptance_activity_count"]
        for r in rows
        for e in r["totals_by_feature"]
        if e["feature"] == "code_completion"
    )
    gen = sum(
        e["code_generation_activity_count"]
        for r in rows
        for e in r["totals_by_feature"]
        if e["feature"] == "code_completion"
    )
    added = sum(e["loc_added_sum"] for r in rows for e in r["totals_by_feature"] if e["feature"] == "code_completion")
    suggested = sum(
        e["loc_suggested_to_add_sum"] for r in rows for e in r["totals_by_feature"] if e["feature"] == "code_completion"
    )
    assert abs(acc / gen - added / suggested) > 0.02
