"""``copilot-tui open``: report files written by the fake GitHub open in the dashboard with no token and no network:
users, totals, adoption, breakdowns and teams hold the numbers of the files' raw lines; a file that is not a report
and the lines the rule skips are said on screen; the seats say why they are not there."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from copilot_tui import cli
from copilot_tui.app import CopilotApp, LaunchOptions
from copilot_tui.fakehub import FakeGitHub
from copilot_tui.metrics.demo import DemoDataset, DemoOrg
from copilot_tui.scope import Scope
from copilot_tui.ui.screens.problems import ProblemsScreen
from copilot_tui.ui.screens.user_detail import UserDetailScreen
from copilot_tui.ui.widgets.breakdown import BreakdownTable
from copilot_tui.ui.widgets.seats import SeatsPane
from copilot_tui.ui.widgets.status import StatusBar
from copilot_tui.ui.widgets.teams import TeamsPane
from tests.commands.test_export import ACTIVITY
from tests.commands.test_export import expected as expected_export
from tests.ui.conftest import dashboard, notifications, rendered, settle, until
from tests.ui.test_snapshots import SIZES, after
from tests.ui.test_teams import FIELDS
from tests.ui.test_teams import expected as expected_teams

DAYS = 28


@pytest.fixture(scope="module")
def dataset() -> DemoDataset:
    return DemoDataset(orgs=(DemoOrg("wasp", "4001", 50, 6),), days=35, enterprise="nest")


@pytest.fixture(scope="module")
def files(dataset: DemoDataset, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The org's 1-day reports of the last 28 days, as the fake GitHub's download links serve them (two parts
    each, drifted: a gzip part, .json names), and a note that is not a report."""
    into = tmp_path_factory.mktemp("reports")
    with FakeGitHub(dataset, parts_per_report=2) as hub:
        hub.faults.drift()
        for i in range(DAYS):
            day = dataset.last_day - timedelta(days=i)
            for kind in ("organization-1-day", "users-1-day", "user-teams-1-day"):
                hub.write_report(into, "org", "wasp", kind, day)
    (into / "README.txt").write_text("the reports Sam sent\n")
    yield into


@pytest.fixture(scope="module")
def clean_files(dataset: DemoDataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The org's 1-day reports of the last 28 days and nothing else: a picture names no temporary path."""
    into = tmp_path_factory.mktemp("clean")
    with FakeGitHub(dataset) as hub:
        for i in range(DAYS):
            day = dataset.last_day - timedelta(days=i)
            for kind in ("organization-1-day", "users-1-day", "user-teams-1-day"):
                hub.write_report(into, "org", "wasp", kind, day)
    return into


def files_app(files: Path, **options: Any) -> CopilotApp:
    return CopilotApp(LaunchOptions(files=(files,), **options))


async def test_open_shows_every_view_the_files_allow_with_their_numbers(
    dataset: DemoDataset, files: Path, no_tokens: None
) -> None:
    app = files_app(files, org="wasp")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        view = dash.view
        assert view is not None and view.scope == Scope("org", "wasp")
        assert "report files" in dash.query_one(StatusBar).activity
        # users: the oracle's sums of the raw lines
        end = dataset.last_day
        start = end - timedelta(days=DAYS - 1)
        lines = [
            line
            for i in range(DAYS)
            for line in dataset.report_lines("org", "wasp", "users-1-day", end - timedelta(days=i)) or []
        ]
        want = expected_export("org", "wasp", lines, start, end)["users"]
        got = {u.user_id: u for u in view.users}
        assert len(got) == len(want) > 0
        for user in want:
            mine = got[user["user_id"]]
            assert mine.days_active == user["days_active"]
            assert {f: mine.activity[f] for f in ACTIVITY} == {f: user[f] for f in ACTIVITY}
        # totals: the day records of the organization report
        records = [
            r
            for i in range(DAYS)
            for r in dataset.report_lines("org", "wasp", "organization-1-day", end - timedelta(days=i)) or []
        ]
        assert view.totals.days_with_data == DAYS and view.totals.latest_day == end
        assert {f: view.totals.activity[f] for f in ACTIVITY} == {f: sum(r[f] for r in records) for f in ACTIVITY}
        # a user's days, the adoption series
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UserDetailScreen), "the user's detail")
        detail = app.screen
        assert isinstance(detail, UserDetailScreen)
        assert len(detail.rows) == detail.user.days_active == got[detail.user.user_id].days_active > 0
        assert {r.day for r in detail.rows} <= {start + timedelta(days=i) for i in range(DAYS)}
        await pilot.press("escape")
        await pilot.press("a")
        await settle(pilot)
        assert view.series and sum(sum(s.users) for s in view.series) > 0
        # breakdowns and teams
        await pilot.press("b")
        await settle(pilot)
        assert view.by_ide and view.by_language and view.by_model
        assert view.by_ide[0].name in rendered(dash.query_one("#by-ide", BreakdownTable))
        await pilot.press("t")
        await settle(pilot)
        rows = {r.team_id: r for r in dash.query_one(TeamsPane).shown_rows() if r.team_id}  # 0: "(no team)"
        teams = expected_teams(dataset, "org", "wasp", DAYS)
        assert rows and set(rows) == set(teams)
        for team_id, team in teams.items():
            assert rows[team_id].active_users == len(team["active"])
            for attr in FIELDS:
                assert getattr(rows[team_id], attr) == team[attr], (team_id, attr)
        # seats are not in report files, and the note is not a report: both said
        await pilot.press("l")
        error = dash.query_one(SeatsPane).query_one("#seats-error", Static)
        await until(pilot, lambda: "report files do not hold them" in str(error.render()), "the seats' refusal")
        said = notifications(app)
        assert any(f"{files / 'README.txt'} is not a Copilot usage metrics report" in n for n in said), said


async def test_without_a_name_the_org_is_its_id_and_is_not_remembered(files: Path, no_tokens: None) -> None:
    app = files_app(files)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert dashboard(app).view.scope == Scope("org", "4001")  # type: ignore[union-attr]
        assert app.state.last_scope is None


async def test_skipped_lines_are_said_on_screen(dataset: DemoDataset, tmp_path: Path, no_tokens: None) -> None:
    day = dataset.last_day
    with FakeGitHub(dataset) as hub:
        hub.faults.malformed_lines(2)
        hub.write_report(tmp_path, "org", "wasp", "users-1-day", day)
        broken = list(hub.corrupted)
    app = files_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: any("2 report lines could not be read" in n for n in notifications(app)), "it")
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, ProblemsScreen), "the problems view")
        await pilot.pause()
        table = app.screen.query_one("#problem-lines", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        name = str(tmp_path / f"wasp-users-1-day-{day}-1.ndjson")
        assert [(r[0], r[3]) for r in rows] == [(name, line) for _part, line in broken]
        assert all("not valid JSON" in r[4] for r in rows)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("keys", [(), ("l",)], ids=["dashboard", "seats"])
def test_pictures(snap_compare: Any, clean_files: Path, size: tuple[int, int], keys: tuple[str, ...]) -> None:
    assert snap_compare(files_app(clean_files, org="wasp"), terminal_size=size, run_before=after(*keys))


# ---- the command line ----------------------------------------------------------------------------------------------


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The settings the dashboard would start with (it is not started)."""
    from copilot_tui.commands import launch

    seen: list[Any] = []
    monkeypatch.setattr(launch, "run", lambda args, settings: seen.append(settings) or 0)
    return seen


def test_open_starts_the_dashboard_on_the_files(files: Path, launched: list[Any]) -> None:
    assert cli.main(["open", str(files), "--org", "wasp"]) == 0
    (settings,) = launched
    assert settings.mode == "files" and settings.files == (files,) and settings.scope == Scope("org", "wasp")


def test_open_refuses_a_missing_path_and_files_without_a_report(
    tmp_path: Path, launched: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["open", str(tmp_path / "nowhere.json")]) == 2
    assert f"copilot-tui open: {tmp_path / 'nowhere.json'} does not exist." in capsys.readouterr().err
    (tmp_path / "links.json").write_text('{"download_links": [], "report_day": "2026-01-01"}')
    assert cli.main(["open", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no Copilot usage metrics report among the files" in err and "the API's answer" in err
    assert launched == []


def test_open_refuses_demo_and_the_api_url(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--demo", "open", str(files)]) == 2
    assert "cannot run with --demo" in capsys.readouterr().err


def test_open_help_explains(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["open", "--help"])
    out = capsys.readouterr().out
    for words in (
        "without a token",
        "gzip",
        "download_links",
        "28-day",
        "user-teams",
        "--org NAME",
        "temporary directory",
    ):
        assert words in out, words


async def test_the_app_removes_its_temp_facts_at_the_end_and_a_killed_runs_at_start(
    files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_tokens: None
) -> None:
    import os

    from tests.store.test_leftovers import dead_pid

    temp = tmp_path / "temp"
    temp.mkdir()
    killed = temp / f"copilot-tui-demo-facts-{dead_pid()}-x"  # a demo run killed: the app's start removes it
    killed.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    app = files_app(files, org="wasp")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert dashboard(app).view is not None
        (made,) = temp.glob("copilot-tui-files-*")
        assert made.name.startswith(f"copilot-tui-files-{os.getpid()}-") and any(made.rglob("*.parquet"))
        await until(pilot, lambda: not killed.exists(), "the killed run's temporary facts removed")
    assert list(temp.glob("copilot-tui-files-*")) == []
