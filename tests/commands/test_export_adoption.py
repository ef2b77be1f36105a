"""``export --what adoption`` on the store road: a period's new, returning, retained, lapsed and engaged users from
the facts of every day synced from the fake GitHub, checked against the fake's raw lines."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from copilot_tui.github.client import GitHubClient
from copilot_tui.metrics.derive import Period
from copilot_tui.scope import Scope
from copilot_tui.sources.live import LiveSource
from copilot_tui.store import Store, host_key
from tests.adoption_oracle import history_by_hand, lines_in, segments_by_hand
from tests.commands.test_export import export


async def test_offline_adoption_export_matches_the_fakes_lines(
    fakehub: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = fakehub.dataset.orgs[0].login
    monkeypatch.setenv("COPILOT_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COPILOT_TUI_ENGAGED_DAYS", "3")
    now = datetime.combine(fakehub.today, time(12), tzinfo=UTC)
    async with GitHubClient(OWNER_TOKEN, api_url=fakehub.api_url) as client:
        source = LiveSource(client, Store(host_key(None, fakehub.api_url)), clock=lambda: now)
        snap = await source.load(Scope("org", org), days=35)
    fakehub.reset()
    result = export(
        "--offline", "--api-url", fakehub.api_url, "--org", org, "--what", "adoption", "--last", "7",
        token=None, tmp=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert fakehub.requests == []
    doc = json.loads(result.stdout)
    period = Period(date.fromisoformat(doc["period"]["start"]), date.fromisoformat(doc["period"]["end"]))

    def lines_of(day: date) -> bytes:
        return b"".join(fakehub.dataset.iter_ndjson("org", org, "users-1-day", day))

    expected = history_by_hand(lines_of, snap.first_day, period, 3)
    assert expected["returning"] > 0 and expected["lapsed"] > 0  # a real check, not 0 == 0
    got = {r["figure"]: r["users"] for r in doc["adoption"] if r["group"] in ("over_time", "funnel")}
    assert {k: got[f"{k}_users"] for k in expected} == expected
    assert got["seats"] is None  # offline: the seats API is not asked
    assert doc["engaged_days"] == 3 and doc["history_first_day"] == snap.first_day.isoformat()
    held = [h.day for h in Store(host_key(None, fakehub.api_url)).held(Scope("org", org), "users-1-day") if h.has_data]
    assert doc["days_held_before"] == sum(d < period.start for d in held) >= 20
    assert doc["previous_days_held"] == sum(d in period.previous() for d in held)


def test_adoption_from_report_files_matches_the_fakes_lines(
    fakehub: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = fakehub.dataset.orgs[0].login
    monkeypatch.setenv("COPILOT_TUI_DATA_DIR", str(tmp_path / "data"))
    days = [fakehub.dataset.last_day - timedelta(days=i) for i in range(21)]
    for day in days:
        for kind in ("organization-1-day", "users-1-day"):
            fakehub.write_report(tmp_path / "reports", "org", org, kind, day)
    result = export(
        "--from", str(tmp_path / "reports"), "--org", org, "--what", "adoption", "--last", "7", tmp=tmp_path
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    period = Period(date.fromisoformat(doc["period"]["start"]), date.fromisoformat(doc["period"]["end"]))

    def lines_of(day: date) -> bytes:
        return b"".join(fakehub.dataset.iter_ndjson("org", org, "users-1-day", day))

    expected = history_by_hand(lines_of, min(days), period, 4)
    got = {r["figure"]: r["users"] for r in doc["adoption"] if r["group"] in ("over_time", "funnel")}
    assert {k: got[f"{k}_users"] for k in expected} == expected
    assert expected["lapsed"] > 0 and doc["history_first_day"] == str(min(d for d in days if lines_of(d)))
    assert doc["days_held_before"] == sum(1 for d in days if d < period.start and lines_of(d)) >= 12


def test_the_segments_carry_their_change_against_the_previous_period(tmp_path: Path) -> None:
    """The demo's segments in ``export --what adoption``: this period's and the previous period's users, as the raw
    lines count them, with the share and its change."""
    from copilot_tui.metrics.demo import default_dataset

    result = export("--demo", "--org", "octo-labs", "--what", "adoption", "--last", "14", token=None, tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    period = Period(date.fromisoformat(doc["period"]["start"]), date.fromisoformat(doc["period"]["end"]))

    def lines_of(day: date) -> bytes:
        return b"".join(default_dataset().iter_ndjson("org", "octo-labs", "users-1-day", day))

    now = segments_by_hand(lines_in(lines_of, period))
    before = segments_by_hand(lines_in(lines_of, period.previous()))
    rows = {r["figure"]: r for r in doc["adoption"] if r["group"] == "segments"}
    assert set(rows) == {"completion_only", "chat", "agent", "cli", "cloud_agent", "code_review"}
    changed = 0
    for key, row in rows.items():
        assert (row["users"], row["previous_users"]) == (now[key], before[key]), key
        assert row["previous_share"] == round(before[key] / before["active"], 4)
        if before[key]:
            assert row["change"] == round((now[key] - before[key]) / before[key], 4)
            changed += row["change"] != 0
        points = (now[key] / now["active"] - before[key] / before["active"]) * 100
        assert row["share_change_points"] == round(points, 2)
    assert changed >= 3  # a real comparison, not 0 against 0
    over_time = [r for r in doc["adoption"] if r["group"] != "segments"]
    assert all(r["previous_users"] is None and r["change"] is None for r in over_time)


def test_without_the_previous_period_the_segments_have_no_change(tmp_path: Path) -> None:
    from copilot_tui.metrics.demo import default_dataset

    first = default_dataset().first_day
    result = export(
        "--demo", "--org", "octo-labs", "--what", "adoption", "--since", str(first),
        "--until", str(first + timedelta(days=6)), token=None, tmp=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = [r for r in json.loads(result.stdout)["adoption"] if r["group"] == "segments"]
    assert rows and all(r["previous_users"] is None and r["change"] is None for r in rows)
