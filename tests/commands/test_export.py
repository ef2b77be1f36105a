"""``copilot-tui export`` run as a subprocess against the fake GitHub: its numbers equal, field for field, the ones
computed here straight from the fake's report lines (plain sums over dicts, not the app's code)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from copilot_tui.fakehub import MEMBER_TOKEN, OWNER_TOKEN, FakeGitHub
from copilot_tui.metrics.demo import DemoDataset, DemoOrg, default_dataset

ACTIVITY = (
    "user_initiated_interaction_count",
    "code_generation_activity_count",
    "code_acceptance_activity_count",
    "loc_suggested_to_add_sum",
    "loc_suggested_to_delete_sum",
    "loc_added_sum",
    "loc_deleted_sum",
)
FLAGS = ("used_agent", "used_chat", "used_cli")
FLAG_SERIES = ("copilot_cli", "code_review", "cloud_agent")
FEATURE_FIELDS = (
    "user_initiated_interaction_count",
    "code_generation_activity_count",
    "code_acceptance_activity_count",
    "loc_added_sum",
)


def expected(
    kind: str, name: str, lines: Iterable[dict[str, Any]], start: date, end: date, dataset: Any = None
) -> dict[str, Any]:
    """The export document computed from raw report lines (users) and the scope's day records (totals); the
    figures only the app's code computes (rates, top IDE, ...) are checked against the app by test_export_app."""
    rows = [line for line in lines if start.isoformat() <= line["day"] <= end.isoformat()]
    users: dict[int, dict[str, Any]] = {}
    credits: dict[int, float] = {}
    features: dict[tuple[str, str], dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: r["day"]):
        uid = row["user_id"]
        user = users.setdefault(
            uid,
            {"user_login": row["user_login"], "user_id": uid, "days": set(), **dict.fromkeys(FLAGS, False)}
            | dict.fromkeys(ACTIVITY, 0),
        )
        user["days"].add(row["day"])
        user["user_login"] = row["user_login"]
        for flag in FLAGS:
            user[flag] = user[flag] or bool(row.get(flag))
        for field in ACTIVITY:
            user[field] += row.get(field) or 0
        credits[uid] = credits.get(uid, 0.0) + (row.get("ai_credits_used") or 0.0)
        for entry in row.get("totals_by_feature", []):
            sums = features.setdefault(
                (entry["feature"], row["day"]), {"users": set(), **dict.fromkeys(FEATURE_FIELDS, 0)}
            )
            sums["users"].add(uid)
            for field in FEATURE_FIELDS:
                sums[field] += entry.get(field) or 0
    user_list = []
    for uid, user in sorted(users.items(), key=lambda kv: (kv[1]["user_login"].lower(), kv[0])):
        days = user.pop("days")
        user_list.append(
            {
                "user_login": user["user_login"],
                "user_id": uid,
                "days_active": len(days),
                "last_active_day": max(days),
                **{flag: user[flag] for flag in FLAGS},
                **{field: user[field] for field in ACTIVITY},
                "ai_credits_used": round(credits[uid], 4),
            }
        )
    doc: dict[str, Any] = {
        "scope": {"kind": kind, "name": name},
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "users": user_list,
        "features": {key: {"users": len(v.pop("users")), **v} for key, v in sorted(features.items())},
    }
    if dataset is not None:
        report = "organization-1-day" if kind == "org" else "enterprise-1-day"
        records = [r for day in each_day(start, end) for r in dataset.report_lines(kind, name, report, day) or []]
        latest = max(records, key=lambda r: r["day"])
        doc["totals"] = {
            "scope": name,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "days_with_data": len({r["day"] for r in records}),
            "latest_day": latest["day"],
            **{f: latest[f] for f in ("daily_active_users", "weekly_active_users", "monthly_active_users")},
            **{field: sum(r.get(field) or 0 for r in records) for field in ACTIVITY},
        }
    return doc


def each_day(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def assert_export_equals(got: dict[str, Any], want: dict[str, Any]) -> None:
    """Every figure the oracle computes equals the export's (the export holds more columns)."""
    assert got["scope"] == want["scope"] and got["period"] == want["period"]
    assert len(got["users"]) == len(want["users"]) > 0
    for mine, theirs in zip(got["users"], want["users"], strict=True):
        assert {k: mine[k] for k in theirs} == theirs
        # a count is written as a whole number (21, not 21.0): 21.0 == 21 would pass the line above
        assert {k: type(mine[k]) for k in theirs} == {k: type(v) for k, v in theirs.items()}, mine
    # the flag series (CLI, code review, cloud agent) count users by their used_* flags: the app's own rule
    features = {(f["feature"], f["day"]): f for f in got["features"] if f["feature"] not in FLAG_SERIES}
    oracle = {k: v for k, v in want["features"].items() if k[0] not in FLAG_SERIES}
    assert {k: {f: v[f] for f in ("users", *FEATURE_FIELDS)} for k, v in features.items() if v["users"]} == oracle
    if "totals" in want:
        (totals,) = got["totals"]
        assert {k: totals[k] for k in want["totals"]} == want["totals"]


def daily_lines(dataset: Any, kind: str, name: str, start: date, end: date) -> list[dict[str, Any]]:
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return [line for day in days for line in dataset.report_lines(kind, name, "users-1-day", day) or []]


def export(
    *args: str, token: str | None = OWNER_TOKEN, tmp: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``copilot-tui export`` in a process of its own, with the test's directories; ``env``: variables to add."""
    extra = env or {}
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN") and k != "COPILOT_TUI_API_URL"}
    env.update(extra)
    env.update(
        {
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "COPILOT_TUI_CONFIG_DIR": str(tmp / "config"),
            "COPILOT_TUI_DATA_DIR": str(tmp / "data"),
            "COPILOT_TUI_LOG_DIR": str(tmp / "log"),
        }
    )
    if token:
        env["GH_ENTERPRISE_TOKEN"] = token
    exe = shutil.which("copilot-tui")
    command = [exe] if exe else [sys.executable, "-m", "copilot_tui"]
    return subprocess.run([*command, "export", *args], capture_output=True, text=True, env=env, timeout=120)


def test_export_json_equals_the_fake_data_field_for_field(fakehub: FakeGitHub, tmp_path: Path) -> None:
    org = fakehub.dataset.orgs[0].login
    result = export("--api-url", fakehub.api_url, "--org", org, "--format", "json", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    lines = fakehub.dataset.report_lines("org", org, "users-28-day") or []
    end = fakehub.dataset.last_day
    want = expected("org", org, lines, end - timedelta(days=27), end, fakehub.dataset)
    assert want["users"] and want["features"]
    assert_export_equals(got, want)
    downloads = fakehub.requests_to("download")
    assert downloads and all("authorization" not in r.headers for r in downloads)
    asked = {r.path.rsplit("/reports/", 1)[-1] for r in fakehub.requests_to("api") if "/reports/" in r.path}
    # the app's road, day by day; the 28-day report's links only say which day is the newest
    assert asked == {"users-28-day/latest", "organization-1-day", "users-1-day", "user-teams-1-day"}
    assert len(downloads) <= 28 * 3 * 2  # at most three 1-day reports a day, each in two files


def test_an_older_period_is_fetched_day_by_day(fakehub: FakeGitHub, tmp_path: Path) -> None:
    org = fakehub.dataset.orgs[0].login
    start = fakehub.dataset.last_day - timedelta(days=60)
    end = start + timedelta(days=6)
    result = export(
        "--api-url",
        fakehub.api_url,
        "--org",
        org,
        "--since",
        start.isoformat(),
        "--until",
        end.isoformat(),
        tmp=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert_export_equals(
        json.loads(result.stdout),
        expected("org", org, daily_lines(fakehub.dataset, "org", org, start, end), start, end, fakehub.dataset),
    )
    days = sorted(r.query["day"][0] for r in fakehub.requests_to("api") if r.path.endswith("/users-1-day"))
    assert days == [(start + timedelta(days=i)).isoformat() for i in range(7)]


def test_csv_tables_hold_the_json_numbers(fakehub: FakeGitHub, tmp_path: Path) -> None:
    org = fakehub.dataset.orgs[0].login
    base = ("--api-url", fakehub.api_url, "--org", org, "--last", "7")
    doc = json.loads(export(*base, tmp=tmp_path).stdout)
    for what in ("users", "features", "totals"):
        result = export(*base, "--format", "csv", "--what", what, tmp=tmp_path)
        assert result.returncode == 0, result.stderr
        table = list(csv.DictReader(io.StringIO(result.stdout)))
        rows = doc[what]
        assert len(table) == len(rows) > 0
        for line, row in zip(table, rows, strict=True):
            for key, value in row.items():
                shown = "true" if value is True else "false" if value is False else str(value)
                assert line[key] == ("" if value is None else shown), (what, key)
    assert doc["period"]["end"] == fakehub.dataset.last_day.isoformat()
    assert doc["period"]["start"] == (fakehub.dataset.last_day - timedelta(days=6)).isoformat()


def test_what_picks_one_section(fakehub: FakeGitHub, tmp_path: Path) -> None:
    org = fakehub.dataset.orgs[0].login
    result = export("--api-url", fakehub.api_url, "--org", org, "--what", "features", tmp=tmp_path)
    doc = json.loads(result.stdout)
    assert set(doc) == {"scope", "period", "features"}
    assert doc["features"]


def test_demo_needs_no_token_and_no_network(tmp_path: Path) -> None:
    result = export("--demo", "--api-url", "http://127.0.0.1:9", "--last", "14", token=None, tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    dataset = default_dataset()
    org = dataset.orgs[0].login
    end = dataset.last_day
    start = end - timedelta(days=13)
    assert_export_equals(
        json.loads(result.stdout),
        expected("org", org, daily_lines(dataset, "org", org, start, end), start, end, dataset),
    )


@pytest.fixture(scope="module")
def small_enterprise_hub() -> Any:
    dataset = DemoDataset(
        orgs=(DemoOrg("ant", "3001", 9, 2), DemoOrg("bee", "3002", 14, 2)), days=40, enterprise="hive"
    )
    with FakeGitHub(dataset, parts_per_report=3) as hub:
        yield hub


def test_enterprise_export_spans_its_orgs(small_enterprise_hub: FakeGitHub, tmp_path: Path) -> None:
    hub = small_enterprise_hub
    result = export("--api-url", hub.api_url, "--enterprise", "hive", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    end = hub.dataset.last_day
    lines = hub.dataset.report_lines("enterprise", "hive", "users-28-day") or []
    want = expected("enterprise", "hive", lines, end - timedelta(days=27), end, hub.dataset)
    assert_export_equals(json.loads(result.stdout), want)


# ---- errors: stderr, a non-zero exit, the client's sentence -----------------------------------------------------


def test_unknown_org_is_an_error_on_stderr(fakehub: FakeGitHub, tmp_path: Path) -> None:
    result = export("--api-url", fakehub.api_url, "--org", "no-such-org", tmp=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no-such-org" in result.stderr and "--org" in result.stderr


def test_a_missing_role_names_the_role(fakehub: FakeGitHub, tmp_path: Path) -> None:
    org = fakehub.dataset.orgs[0].login
    result = export("--api-url", fakehub.api_url, "--org", org, token=MEMBER_TOKEN, tmp=tmp_path)
    assert result.returncode == 1
    assert "View Organization Copilot Metrics" in result.stderr and "policy" not in result.stderr
    assert MEMBER_TOKEN not in result.stderr


def test_no_token_and_no_keyring_says_how_to_get_one(fakehub: FakeGitHub, tmp_path: Path) -> None:
    result = export("--api-url", fakehub.api_url, "--org", "octo-garage", token=None, tmp=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("copilot-tui export: ") and "GH_ENTERPRISE_TOKEN" in result.stderr
    assert f"No GitHub token for {fakehub.api_url.removeprefix('http://')}: GH_ENTERPRISE_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
    assert fakehub.requests == []


def test_a_period_before_the_first_report_is_refused_before_asking_for_days(
    fakehub: FakeGitHub, tmp_path: Path
) -> None:
    result = export(
        "--api-url",
        fakehub.api_url,
        "--org",
        "octo-garage",
        "--since",
        "2025-01-01",
        "--until",
        "2025-01-05",
        tmp=tmp_path,
    )
    assert result.returncode == 2
    assert "2025-10-10" in result.stderr
    assert not [r for r in fakehub.requests if r.path.endswith("/users-1-day")]


@pytest.mark.parametrize(
    "args",
    [
        ("--last", "7", "--since", "2026-01-01"),
        ("--since", "2026-02-01", "--until", "2026-01-01"),
        ("--last", "0"),
    ],
)
def test_contradictory_periods_are_usage_errors(fakehub: FakeGitHub, tmp_path: Path, args: tuple[str, ...]) -> None:
    result = export("--api-url", fakehub.api_url, "--org", "octo-garage", *args, tmp=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
