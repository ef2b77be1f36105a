"""Skipped report lines are named on stderr by ``sync``, ``export`` and ``export --offline``: the hostile lines of
``tests/data/users-report-lines.jsonl`` served by the fake GitHub in one day's users report."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from copilot_tui import cli
from copilot_tui.fakehub import FakeGitHub
from tests.conftest import HostileReport

ORG = "octo-garage"


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COPILOT_TUI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def serve_hostile_lines(hub: FakeGitHub, hostile: HostileReport, *kinds: str) -> str:
    """The fake's next users report of each kind ends with the hostile lines (moved to the last day); that day."""
    day = (hub.today - timedelta(days=1)).isoformat()
    lines = [c["line"].replace(hostile.day.isoformat(), day).encode() for c in hostile.cases]
    for kind in kinds or ("users-1-day",):
        hub.faults.hostile_lines(lines, kind=kind)
    return day


def check_stderr(err: str, hostile: HostileReport) -> None:
    assert f"skipped {len(hostile.skipped)} report line(s)" in err
    named = [line for line in err.splitlines() if line.startswith("  ") and "users-" in line]
    assert len(named) == min(20, len(hostile.skipped))
    for line, (_, _, reason) in zip(named, hostile.skipped, strict=False):
        assert reason.split(" on ")[0] in line


def accepted_users(out: str, hostile: HostileReport) -> dict[int, dict[str, object]]:
    users = {u["user_id"]: u for u in json.loads(out)["users"]}
    found = {e["user_id"]: users.get(e["user_id"]) for e in hostile.accepted}
    for expect in hostile.accepted:
        got = found[expect["user_id"]]
        assert got is not None, expect["user_id"]
        for name, value in expect["activity"].items():
            assert got[name] == (value or 0)
    return users


def test_sync_then_offline_export_name_every_skipped_line(
    fakehub_env: FakeGitHub, hostile_report: HostileReport, capsys: pytest.CaptureFixture[str]
) -> None:
    day = serve_hostile_lines(fakehub_env, hostile_report)
    assert cli.main(["sync", "--org", ORG, "--since", day, "--until", day]) == 0
    check_stderr(capsys.readouterr().err, hostile_report)
    args = ["export", "--offline", "--org", ORG, "--since", day, "--until", day, "--what", "users"]
    assert cli.main(args) == 0
    out, err = capsys.readouterr()
    check_stderr(err, hostile_report)
    accepted_users(out, hostile_report)


def test_sync_names_them_from_the_facts_decoding_without_a_second_pass(
    fakehub_env: FakeGitHub,
    hostile_report: HostileReport,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A users report is decoded once when synced: the lines its facts skipped are the ones named."""
    from copilot_tui.sources import live

    checked: list[object] = []
    monkeypatch.setattr(live, "check_users_report", lambda parts: checked.append(parts) or [])
    day = serve_hostile_lines(fakehub_env, hostile_report)
    assert cli.main(["sync", "--org", ORG, "--since", day, "--until", day]) == 0
    check_stderr(capsys.readouterr().err, hostile_report)
    assert checked == []


def test_live_export_names_every_skipped_line(
    fakehub_env: FakeGitHub, hostile_report: HostileReport, capsys: pytest.CaptureFixture[str]
) -> None:
    day = serve_hostile_lines(fakehub_env, hostile_report, "users-1-day", "users-28-day")
    assert cli.main(["export", "--org", ORG, "--since", day, "--until", day, "--what", "users"]) == 0
    out, err = capsys.readouterr()
    check_stderr(err, hostile_report)
    accepted_users(out, hostile_report)


def hostile_team_lines(day: str) -> list[bytes]:
    """User-teams lines the rule skips: not an object, a team id of letters, no slug."""
    return [
        b'["not", "an", "object"]',
        b'{"day": "%s", "user_id": 7, "user_login": "x", "team_id": "abc", "slug": "t"}' % day.encode(),
        b'{"day": "%s", "user_id": 7, "user_login": "x", "team_id": 9}' % day.encode(),
    ]


def test_skipped_user_teams_lines_are_named_by_sync_and_by_an_export_that_reads_teams(
    fakehub_env: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    day = (fakehub_env.today - timedelta(days=1)).isoformat()
    fakehub_env.faults.hostile_lines(hostile_team_lines(day), kind="user-teams-1-day")
    assert cli.main(["sync", "--org", ORG, "--since", day, "--until", day]) == 0
    err = capsys.readouterr().err
    assert "skipped 3 report line(s)" in err and f"{ORG}/user-teams-1-day/{day}/" in err
    period = ["--org", ORG, "--since", day, "--until", day]
    assert cli.main(["export", "--offline", *period, "--what", "teams"]) == 0
    err = capsys.readouterr().err
    assert "skipped 3 report line(s)" in err
    assert "team_id should be a whole number" in err and "'slug' is missing" in err
    assert cli.main(["export", "--offline", *period, "--what", "users"]) == 0
    assert "skipped" not in capsys.readouterr().err  # the users table does not read the teams
