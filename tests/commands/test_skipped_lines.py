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


def test_live_export_names_every_skipped_line(
    fakehub_env: FakeGitHub, hostile_report: HostileReport, capsys: pytest.CaptureFixture[str]
) -> None:
    day = serve_hostile_lines(fakehub_env, hostile_report, "users-1-day", "users-28-day")
    assert cli.main(["export", "--org", ORG, "--since", day, "--until", day, "--what", "users"]) == 0
    out, err = capsys.readouterr()
    check_stderr(err, hostile_report)
    accepted_users(out, hostile_report)
