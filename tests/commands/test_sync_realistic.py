"""``copilot-tui sync`` of a year against the fake GitHub's "realistic" preset, on simulated days.

The preset answers the way the real API does at its rough edges (see ``copilot_tui.fakehub.server.PRESETS``):
yesterday's users reports not there yet, days before the data answered in five different empty ways, one 502, a
gzip part, drifting content. A sync fills every day that has data, exits 0 and names what is still pending; the
next day's sync asks for those and the days GitHub may still revise, and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from copilot_tui import cli
from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from copilot_tui.fakehub.server import HOSTILE_USER_ID, hostile_user_lines
from copilot_tui.metrics.demo import DemoDataset, DemoOrg
from copilot_tui.scope import Scope
from copilot_tui.sources import stored
from copilot_tui.store import Store, host_key, store_root

ACME = Scope("org", "acme")
KINDS = ("organization-1-day", "users-1-day", "user-teams-1-day")
HOSTILE_SKIPPED = len(hostile_user_lines(date(2026, 1, 1))) + 1
"""The preset's hostile lines and the repeat of the report's first line: each skipped."""


@pytest.fixture(scope="module")
def _realistic_hub() -> Iterator[FakeGitHub]:
    dataset = DemoDataset(orgs=(DemoOrg("acme", "2001", 12, 2),), days=60, enterprise="acme-ent")
    hub = FakeGitHub(dataset, parts_per_report=2, preset="realistic").start()
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture
def hub(_realistic_hub: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    _realistic_hub.reset()
    for name in ("GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COPILOT_TUI_API_URL", _realistic_hub.api_url)
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    monkeypatch.setenv("COPILOT_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(stored, "utc_now", lambda: datetime.combine(_realistic_hub.today, time(6), UTC))
    try:
        yield _realistic_hub
    finally:
        _realistic_hub.reset()


def asked(hub: FakeGitHub) -> set[tuple[date, str]]:
    return {
        (date.fromisoformat(r.query["day"][0]), r.path.rsplit("/", 1)[-1])
        for r in hub.requests_to("api")
        if "/copilot/metrics/reports/" in r.path and "day" in r.query
    }


def held(hub: FakeGitHub) -> dict[tuple[date, str], bool]:
    with Store(host_key(None, hub.api_url), store_root()) as store:
        return {(h.day, h.kind): h.has_data for h in store.held(ACME)}


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def test_a_year_of_sync_fills_every_day_with_data_and_the_next_day_asks_only_for_what_is_pending(
    hub: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    first, last = hub.dataset.first_day, hub.dataset.last_day
    yesterday = hub.today - timedelta(days=1)
    assert yesterday == last

    assert cli.main(["sync", "--org", ACME.name, "--jobs", "4"]) == 0
    out, err = capsys.readouterr()
    stored = held(hub)
    earliest = hub.today - timedelta(days=365)
    assert {d for d, _ in stored} == set(days(earliest, yesterday))
    with_data = {key for key, has in stored.items() if has}
    served = {(d, k) for d in days(first, last) for k in KINDS if hub.dataset.report_lines("org", ACME.name, k, d)}
    assert with_data == served - {
        (yesterday, "users-1-day"),
        (yesterday, "user-teams-1-day"),
    }
    assert f"GitHub has no users or user-teams reports yet for {yesterday.isoformat()}." in err
    assert "2 reports of 1 day still pending" in out
    assert "Traceback" not in err
    assert f"skipped {HOSTILE_SKIPPED} report line(s)" in err
    assert f"acme/users-1-day/{hub.hostile_day}/part-2-of-2.ndjson" in err

    # the next day: yesterday's users arrive; the days GitHub may still revise are asked again, nothing else
    hub.requests.clear()
    today = hub.advance(1)
    assert cli.main(["sync", "--org", ACME.name, "--jobs", "4"]) == 0
    out, err = capsys.readouterr()
    revisable = days(today - timedelta(days=4), today - timedelta(days=1))
    assert asked(hub) == {(d, k) for d in revisable for k in KINDS}
    stored = held(hub)
    assert stored[(last, "users-1-day")] and stored[(last, "user-teams-1-day")]
    assert f"GitHub has no organization, users or user-teams reports yet for {(today - timedelta(days=1))}." in err

    # and the same day again: nothing is due (a pending day is not asked in a tight loop)
    hub.requests.clear()
    assert cli.main(["sync", "--org", ACME.name]) == 0
    assert asked(hub) == set()
    assert "already up to date" in capsys.readouterr().out


def test_export_live_and_offline_give_the_figures_of_the_fakes_lines_without_the_hostile_ones(
    hub: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.commands.test_export import assert_export_equals, each_day, expected, export

    last = hub.dataset.last_day
    since, until = last - timedelta(days=13), last - timedelta(days=1)
    assert since <= hub.hostile_day <= until
    assert cli.main(["sync", "--org", ACME.name, "--since", since.isoformat(), "--until", last.isoformat()]) == 0
    capsys.readouterr()
    period = ["--org", ACME.name, "--since", since.isoformat(), "--until", until.isoformat(), "--format", "json"]
    offline = export("--api-url", hub.api_url, "--offline", *period, tmp=tmp_path)
    assert offline.returncode == 0, offline.stderr
    live = export("--api-url", hub.api_url, *period, tmp=tmp_path / "live")  # a store of its own: fetched anew
    assert live.returncode == 0, live.stderr
    assert json.loads(live.stdout) == json.loads(offline.stdout)
    lines = [line for d in each_day(since, until) for line in hub.served_lines("org", ACME.name, "users-1-day", d)]
    assert_export_equals(json.loads(live.stdout), expected("org", ACME.name, lines, since, until, hub.dataset))
    let_through = [u for u in json.loads(live.stdout)["users"] if u["user_login"].startswith("hostile-")]
    assert not let_through and all(u["user_id"] < HOSTILE_USER_ID for u in json.loads(live.stdout)["users"])
    for road in (offline, live):
        assert f"skipped {HOSTILE_SKIPPED} report line(s)" in road.stderr
        assert f"users-1-day/{hub.hostile_day}/" in road.stderr


def test_export_names_a_day_being_generated(hub: FakeGitHub, tmp_path: Path) -> None:
    from tests.commands.test_export import export

    last = hub.dataset.last_day

    # a period before the latest 28-day report is fetched day by day: a day still being generated is named
    since, until = last - timedelta(days=35), last - timedelta(days=30)
    generating = until - timedelta(days=2)
    hub.faults.no_report("503", kinds=["users-1-day"], days=[generating])
    period = ["--org", ACME.name, "--since", since.isoformat(), "--until", until.isoformat(), "--format", "json"]
    live = export("--api-url", hub.api_url, *period, tmp=tmp_path)
    assert live.returncode == 0, live.stderr
    assert f"GitHub has no users report yet for {generating}. The export leaves it out." in live.stderr


def test_export_names_a_settled_day_whose_users_report_never_came(hub: FakeGitHub, tmp_path: Path) -> None:
    """A day GitHub still answered "no users report" for after it settled, while its totals count active users:
    the answer is final, never asked again, so the users figures leave the day out for good, and both roads say so."""
    from tests.commands.test_export import export

    last = hub.dataset.last_day
    since, until = last - timedelta(days=35), last - timedelta(days=30)
    never = until - timedelta(days=2)
    hub.faults.no_report("204", kinds=["users-1-day"], days=[never])
    period = ["--org", ACME.name, "--since", since.isoformat(), "--until", until.isoformat(), "--format", "json"]
    sentence = (
        f"GitHub sent no users report for {never}, though its totals count active users: the users figures leave"
        " it out."
    )
    live = export("--api-url", hub.api_url, *period, tmp=tmp_path)
    assert live.returncode == 0, live.stderr
    offline = export("--api-url", hub.api_url, "--offline", *period, tmp=tmp_path)
    assert offline.returncode == 0, offline.stderr
    for road in (live, offline):
        assert sentence in road.stderr
        assert "yet" not in road.stderr
    hub.faults.clear_no_report()
    again = export("--api-url", hub.api_url, *period, tmp=tmp_path)  # settled: not asked for again
    assert sentence in again.stderr


def test_an_enterprise_whose_days_before_the_data_answer_404_syncs_to_the_end(
    hub: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    first = hub.dataset.first_day
    since, until = first - timedelta(days=6), first + timedelta(days=6)
    argv = ["sync", "--enterprise", "acme-ent", "--since", since.isoformat(), "--until", until.isoformat()]
    assert cli.main(argv) == 0
    assert "Traceback" not in capsys.readouterr().err
    refused = [r for r in hub.requests_to("api") if r.status == 404]
    assert len(refused) == 6 * 3  # every report of the six days before the data, and nothing else
    with Store(host_key(None, hub.api_url), store_root()) as store:
        stored = {(h.day, h.kind): h.has_data for h in store.held(Scope("enterprise", "acme-ent"))}
    assert {d for (d, _), has in stored.items() if not has} >= set(days(since, first - timedelta(days=1)))
    assert stored[(first, "enterprise-1-day")] and stored[(until, "users-1-day")]
