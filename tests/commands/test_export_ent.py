"""``copilot-tui export --what teams|seats`` run as a subprocess against a fake GitHub holding an enterprise of three
orgs and 20+ teams. Expected figures are computed here from the fake's raw report lines and seat objects (dict sums,
not the app's code)."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from copilot_tui.fakehub import MEMBER_TOKEN, FakeGitHub
from copilot_tui.metrics.demo import DemoDataset, DemoOrg
from tests.commands.test_export import ACTIVITY, export

ENTERPRISE = "hive"


@pytest.fixture(scope="module")
def _hive() -> Iterator[FakeGitHub]:
    dataset = DemoDataset(
        orgs=(DemoOrg("ant", "3001", 60, 7), DemoOrg("bee", "3002", 70, 7), DemoOrg("cat", "3003", 80, 8)),
        days=40,
        enterprise=ENTERPRISE,
    )
    with FakeGitHub(dataset, parts_per_report=2) as hub:
        yield hub


@pytest.fixture
def hive(_hive: FakeGitHub) -> FakeGitHub:
    """The module's fake GitHub with an empty request log."""
    _hive.reset()
    return _hive


def expected_teams(dataset: Any, kind: str, name: str, start: date, end: date) -> dict[int, dict[str, Any]]:
    """Per team id: members on the last day, active users, and the counters summed over each member's rows on the
    days they were in the team."""
    teams: dict[int, dict[str, Any]] = {}
    last_members: dict[int, set[int]] = defaultdict(set)
    day = start
    while day <= end:
        membership: dict[int, set[int]] = defaultdict(set)
        for line in dataset.report_lines(kind, name, "user-teams-1-day", day) or []:
            membership[line["user_id"]].add(line["team_id"])
            teams.setdefault(line["team_id"], {"slug": line["slug"], "active": set(), **dict.fromkeys(ACTIVITY, 0)})
            if day == end:
                last_members[line["team_id"]].add(line["user_id"])
        for row in dataset.report_lines(kind, name, "users-1-day", day) or []:
            for team_id in membership.get(row["user_id"], ()):
                team = teams[team_id]
                team["active"].add(row["user_id"])
                for field in ACTIVITY:
                    team[field] += row.get(field) or 0
        day += timedelta(days=1)
    for team_id, team in teams.items():
        team["members"] = len(last_members[team_id])
    return teams


def test_enterprise_team_totals_are_the_sums_over_their_members(hive: FakeGitHub, tmp_path: Path) -> None:
    result = export(
        "--api-url", hive.api_url, "--enterprise", ENTERPRISE, "--what", "teams", "--last", "14", tmp=tmp_path
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    end = hive.dataset.last_day
    start = end - timedelta(days=13)
    want = expected_teams(hive.dataset, "enterprise", ENTERPRISE, start, end)
    assert len(want) >= 20
    got = {t["team_id"]: t for t in doc["teams"]}
    assert set(got) == set(want)
    for team_id, team in want.items():
        assert got[team_id]["slug"] == team["slug"]
        assert got[team_id]["members"] == team["members"]
        assert got[team_id]["active_users"] == len(team["active"])
        for field in ACTIVITY:
            assert got[team_id][field] == team[field], (team_id, field)
    # a user in two teams counts in both: the teams' active users add up to more than the distinct users
    distinct = set().union(*(t["active"] for t in want.values()))
    assert sum(t["active_users"] for t in doc["teams"]) > len(distinct)
    assert doc["days_without_team_data"] == []
    teams_asked = [r for r in hive.requests_to("api") if r.path.endswith("/user-teams-1-day")]
    assert len(teams_asked) == 14


def test_enterprise_teams_name_the_org_whose_seats_their_members_hold(hive: FakeGitHub, tmp_path: Path) -> None:
    """The enterprise's user-teams lines carry no org: a team's org is the one that assigned its members' seats, so
    teams of one slug in several orgs stay apart."""
    result = export(
        "--api-url", hive.api_url, "--enterprise", ENTERPRISE, "--what", "teams", "--last", "7", tmp=tmp_path
    )
    assert result.returncode == 0, result.stderr
    org_of_user = {s["assignee"]["id"]: s["org"] for s in raw_seats(hive.dataset, list(hive.dataset.orgs))}
    end = hive.dataset.last_day
    listed: dict[int, set[str]] = defaultdict(set)
    for i in range(7):
        for line in hive.dataset.report_lines("enterprise", ENTERPRISE, "user-teams-1-day", end - timedelta(days=i)):
            assert "organization_id" not in line
            listed[line["team_id"]].add(org_of_user[line["user_id"]])
    doc = json.loads(result.stdout)
    assert {t["team_id"]: t["organization"] for t in doc["teams"]} == {t: orgs.pop() for t, orgs in listed.items()}
    by_slug: dict[str, set[str]] = defaultdict(set)
    for team in doc["teams"]:
        by_slug[team["slug"]].add(team["organization"])
    assert max(len(orgs) for orgs in by_slug.values()) == 3  # one slug in each of the three orgs
    org = json.loads(
        export("--api-url", hive.api_url, "--org", "bee", "--what", "teams", "--last", "7", tmp=tmp_path).stdout
    )
    assert {t["organization"] for t in org["teams"]} == {"bee"}


def test_teams_csv_holds_the_json_numbers(hive: FakeGitHub, tmp_path: Path) -> None:
    base = ("--api-url", hive.api_url, "--org", "bee", "--what", "teams", "--last", "7")
    doc = json.loads(export(*base, tmp=tmp_path).stdout)
    table = list(csv.DictReader(io.StringIO(export(*base, "--format", "csv", tmp=tmp_path).stdout)))
    assert len(table) == len(doc["teams"]) > 0
    for line, team in zip(table, doc["teams"], strict=True):
        assert {k: line[k] for k in team} == {k: "" if v is None else str(v) for k, v in team.items()}


def raw_seats(dataset: Any, orgs: list[Any]) -> list[dict[str, Any]]:
    return [{**seat, "org": org.login} for org in orgs for seat in dataset.seats(org)]


def last_day_of(seat: dict[str, Any]) -> date | None:
    value = seat["last_activity_at"]
    return date.fromisoformat(value[:10]) if value else None


@pytest.mark.parametrize("scope", [("--org", "cat"), ("--enterprise", ENTERPRISE)])
def test_inactive_seats_match_the_seats_last_activity(hive: FakeGitHub, tmp_path: Path, scope: tuple[str, str]) -> None:
    result = export("--api-url", hive.api_url, *scope, "--what", "seats", "--inactive", "30", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    as_of = date.fromisoformat(doc["as_of"])
    assert (datetime.now(UTC).date() - as_of).days in (0, 1)
    orgs = [o for o in hive.dataset.orgs if scope[0] == "--enterprise" or o.login == scope[1]]
    seats = raw_seats(hive.dataset, orgs)
    cutoff = as_of - timedelta(days=30)
    idle = [s for s in seats if last_day_of(s) is None or last_day_of(s) <= cutoff]  # type: ignore[operator]
    assert idle, "the fake should hold some idle seats"
    assert sorted(s["user_id"] for s in doc["seats"]) == sorted(s["assignee"]["id"] for s in idle)
    by_id = {s["assignee"]["id"]: s for s in seats}
    for seat in doc["seats"]:
        raw = by_id[seat["user_id"]]
        day = last_day_of(raw)
        assert seat["days_idle"] == (None if day is None else (as_of - day).days)
        assert seat["last_activity_editor"] == raw["last_activity_editor"]
        assert seat["plan_type"] == raw["plan_type"]
        if scope[0] == "--enterprise":
            assert seat["organization"] == raw["org"]
    known = [s["days_idle"] for s in doc["seats"] if s["days_idle"] is not None]
    assert known == sorted(known, reverse=True)
    assert doc["seat_breakdown"]["total"] == len(seats)
    assert doc["seat_breakdown_counted"] is (scope[0] == "--enterprise")


@pytest.mark.parametrize("days", [None, 5])
def test_reclaim_list_is_the_idle_seats_never_used_first_with_their_cost(
    hive: FakeGitHub, tmp_path: Path, days: int | None
) -> None:
    extra = () if days is None else ("--inactive", str(days))
    base = ("--api-url", hive.api_url, "--enterprise", ENTERPRISE, "--what", "reclaim", *extra)
    env = {"COPILOT_TUI_SEAT_PRICE_BUSINESS": "20", "COPILOT_TUI_SEAT_PRICE_ENTERPRISE": "40.5"}
    result = export(*base, env=env, tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    as_of = date.fromisoformat(doc["as_of"])
    cutoff = as_of - timedelta(days=days or 30)
    seats = raw_seats(hive.dataset, list(hive.dataset.orgs))
    idle = [s for s in seats if last_day_of(s) is None or last_day_of(s) <= cutoff]  # type: ignore[operator]
    never = sorted(s["assignee"]["login"].lower() for s in idle if last_day_of(s) is None)
    assert never and (days is None or len(idle) > len(never))
    rows = doc["reclaim"]
    assert [r["login"].lower() for r in rows[: len(never)]] == never
    idle_days = [r["days_idle"] for r in rows[len(never) :]]
    assert idle_days == sorted(idle_days, reverse=True)  # type: ignore[type-var]
    assert sorted(r["user_id"] for r in rows) == sorted(s["assignee"]["id"] for s in idle)
    prices = {"business": 20.0, "enterprise": 40.5}
    by_id = {s["assignee"]["id"]: s for s in seats}
    for row in rows:
        assert row["monthly_price"] == prices[by_id[row["user_id"]]["plan_type"]]
        assert row["organization"] == by_id[row["user_id"]]["org"]
    assert doc["monthly_cost"] == round(sum(prices[s["plan_type"]] for s in idle), 2)
    assert doc["inactive_days"] == (days or 30) and doc["seats_without_price"] == 0
    table = list(csv.DictReader(io.StringIO(export(*base, "--format", "csv", env=env, tmp=tmp_path).stdout)))
    assert [line["login"] for line in table] == [r["login"] for r in rows]


def test_all_seats_say_who_is_in_the_reports(hive: FakeGitHub, tmp_path: Path) -> None:
    result = export("--api-url", hive.api_url, "--org", "ant", "--what", "seats", "--last", "28", tmp=tmp_path)
    doc = json.loads(result.stdout)
    end = hive.dataset.last_day
    reported: set[int] = set()
    for i in range(28):
        for row in hive.dataset.report_lines("org", "ant", "users-1-day", end - timedelta(days=i)) or []:
            reported.add(row["user_id"])
    dataset: Any = hive.dataset
    seats = dataset.seats(dataset.org("ant"))
    assert len(doc["seats"]) == len(seats)
    assert {s["user_id"] for s in doc["seats"] if not s["in_reports"]} == {
        s["assignee"]["id"] for s in seats
    } - reported
    billing_asked = [r.path for r in hive.requests_to("api") if r.path.endswith("/copilot/billing")]
    assert billing_asked == ["/orgs/ant/copilot/billing"]
    assert doc["seat_breakdown_counted"] is False


def test_seats_csv_has_a_line_per_seat(hive: FakeGitHub, tmp_path: Path) -> None:
    base = ("--api-url", hive.api_url, "--org", "ant", "--what", "seats")
    doc = json.loads(export(*base, tmp=tmp_path).stdout)
    table = list(csv.DictReader(io.StringIO(export(*base, "--format", "csv", tmp=tmp_path).stdout)))
    assert [line["login"] for line in table] == [s["login"] for s in doc["seats"]]
    assert [line["in_reports"] for line in table] == [str(s["in_reports"]).lower() for s in doc["seats"]]


def test_seats_refused_for_a_member_is_one_sentence(hive: FakeGitHub, tmp_path: Path) -> None:
    result = export("--api-url", hive.api_url, "--org", "ant", "--what", "seats", token=MEMBER_TOKEN, tmp=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("copilot-tui export: ") and "Traceback" not in result.stderr
    assert MEMBER_TOKEN not in result.stderr


def test_inactive_goes_with_seats_only(hive: FakeGitHub, tmp_path: Path) -> None:
    result = export("--api-url", hive.api_url, "--org", "ant", "--inactive", "30", tmp=tmp_path)
    assert result.returncode == 2
    assert "--what seats or --what reclaim" in result.stderr


def test_demo_teams_and_seats_need_no_network(tmp_path: Path) -> None:
    for what in ("teams", "seats"):
        result = export("--demo", "--api-url", "http://127.0.0.1:9", "--what", what, token=None, tmp=tmp_path)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)[what]


def test_orgs_side_by_side_and_each_users_org(hive: FakeGitHub, tmp_path: Path) -> None:
    from tests.orgs_expected import expected_orgs

    base = ("--api-url", hive.api_url, "--enterprise", ENTERPRISE, "--last", "14")
    result = export(*base, "--what", "orgs", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    end = hive.dataset.last_day
    want = expected_orgs(hive.dataset, end - timedelta(days=13), end)
    got = {r["organization"]: r for r in doc["orgs"]}
    assert set(got) == set(want) == {"ant", "bee", "cat"}
    for org, row in want.items():
        active = len(row["active"])
        assert got[org]["seats"] == row["seats"] and got[org]["idle_seats"] == row["idle"], org
        assert got[org]["active_users"] == active and got[org]["engaged_users"] == row["engaged"], org
        assert got[org]["users_used_agent"] == row["agent"], org
        assert got[org]["agent_share"] == round(row["agent"] / active, 4), org
        assert got[org]["engaged_share"] == round(row["engaged"] / active, 4), org
        assert got[org]["ai_credits_used"] == pytest.approx(row["credits"], abs=1e-3), org
    assert doc["engaged_days"] == 4 and doc["active_users_without_org"] == 0
    users = json.loads(export(*base, "--what", "users", tmp=tmp_path).stdout)["users"]
    org_of = {uid: org for org, row in want.items() for uid in row["active"]}
    assert {u["user_id"]: u["organization"] for u in users} == org_of
    mine = json.loads(export("--api-url", hive.api_url, "--org", "bee", "--what", "users", tmp=tmp_path).stdout)
    assert {u["organization"] for u in mine["users"]} == {"bee"}
