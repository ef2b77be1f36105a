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


def expected(kind: str, name: str, lines: Iterable[dict[str, Any]], start: date, end: date) -> dict[str, Any]:
    """The export document computed from raw report lines."""
    rows = [line for line in lines if start.isoformat() <= line["day"] <= end.isoformat()]
    users: dict[int, dict[str, Any]] = {}
    credits: dict[int, float] = {}
    features: dict[str, dict[str, Any]] = {}
    feature_users: dict[str, set[int]] = {}
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
            sums = features.setdefault(entry["feature"], dict.fromkeys(ACTIVITY, 0))
            for field in ACTIVITY:
                sums[field] += entry.get(field) or 0
            feature_users.setdefault(entry["feature"], set()).add(uid)
    user_list = []
    for uid, user in sorted(users.items(), key=lambda kv: kv[1]["user_login"].lower()):
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
    totals = {
        "active_users": len(users),
        "days_with_data": len({row["day"] for row in rows}),
        **{field: sum(row.get(field) or 0 for row in rows) for field in ACTIVITY},
        "ai_credits_used": round(sum(credits.values()), 4),
        **{f"users_{flag}": sum(1 for u in user_list if u[flag]) for flag in FLAGS},
    }
    feature_list = [
        {"feature": name, "users": len(feature_users[name]), **sums}
        for name, sums in sorted(
            features.items(),
            key=lambda kv: (
                -(kv[1]["code_generation_activity_count"] + kv[1]["user_initiated_interaction_count"]),
                kv[0],
            ),
        )
    ]
    return {
        "scope": {"kind": kind, "name": name},
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "totals": totals,
        "users": user_list,
        "features": feature_list,
    }


def daily_lines(dataset: Any, kind: str, name: str, start: date, end: date) -> list[dict[str, Any]]:
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return [line for day in days for line in dataset.report_lines(kind, name, "users-1-day", day) or []]


def export(*args: str, token: str | None = OWNER_TOKEN, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN") and k != "COPILOT_TUI_API_URL"}
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
    want = expected("org", org, lines, end - timedelta(days=27), end)
    assert want["users"] and want["features"]
    assert got == want
    downloads = fakehub.requests_to("download")
    assert downloads and all("authorization" not in r.headers for r in downloads)
    asked = [r.path.rsplit("/reports/", 1)[-1] for r in fakehub.requests_to("api")]
    assert asked == ["users-28-day/latest"]


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
    assert json.loads(result.stdout) == expected(
        "org", org, daily_lines(fakehub.dataset, "org", org, start, end), start, end
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
        rows = [doc["totals"]] if what == "totals" else doc[what]
        assert len(table) == len(rows) > 0
        for line, row in zip(table, rows, strict=True):
            for key, value in row.items():
                shown = "true" if value is True else "false" if value is False else str(value)
                assert line[key] == shown, (what, key)
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
    assert json.loads(result.stdout) == expected("org", org, daily_lines(dataset, "org", org, start, end), start, end)


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
    assert json.loads(result.stdout) == expected("enterprise", "hive", lines, end - timedelta(days=27), end)


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
