"""The problems view (w): the report lines the line rule skipped and the days GitHub has not delivered yet, named
on the dashboard in one line and listed by report, day, part and line number."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import DataTable, Static

from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from copilot_tui.metrics.model import LineProblem
from copilot_tui.ui.screens.dashboard import DashboardScreen
from copilot_tui.ui.screens.problems import ProblemsScreen, pending_days, problems_summary, skipped_line
from copilot_tui.ui.widgets.status import ProblemsLine
from tests.commands.test_skipped_lines import hostile_team_lines, serve_hostile_lines
from tests.conftest import HostileReport
from tests.ui.conftest import MemoryKeyring, dashboard, demo_app, live_app, rendered, settle, until


@pytest.fixture
def owner_env(monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)


def test_a_part_name_is_taken_apart_into_report_day_part_and_line() -> None:
    line = skipped_line(LineProblem("acme/users-1-day/2026-11-23/part-2-of-3.ndjson", 31, "nested more than 1000 deep"))
    assert (line.report, line.day, line.part, line.line_no) == ("users", "2026-11-23", "2 of 3", 31)
    other = skipped_line(LineProblem("pasted.ndjson", 4, "not valid JSON"))
    assert (other.report, other.day, other.part, other.why) == ("pasted.ndjson", "", "", "not valid JSON")


def test_pending_days_are_newest_first_with_their_reports_in_the_dashboards_order() -> None:
    d1, d2 = date(2026, 11, 30), date(2026, 12, 1)
    pending = [(d1, "users-1-day"), (d2, "user-teams-1-day"), (d2, "users-1-day"), (d2, "organization-1-day")]
    assert pending_days(pending) == [(d2, ["organization", "users", "user-teams"]), (d1, ["users"])]


def test_the_dashboards_line_counts_lines_and_days_in_the_singular_where_it_is_one() -> None:
    assert problems_summary(0, 0) == ""
    assert problems_summary(1, 0) == "1 line skipped — w to see"
    assert problems_summary(0, 1) == "1 day pending — w to see"
    assert problems_summary(30, 2) == "30 lines skipped, 2 days pending — w to see"


@pytest.mark.usefixtures("owner_env")
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
async def test_w_lists_every_skipped_line_and_pending_day_and_esc_goes_back(
    fakehub: FakeGitHub, hostile_report: HostileReport, size: tuple[int, int]
) -> None:
    day = serve_hostile_lines(fakehub, hostile_report)
    last = fakehub.dataset.last_day
    fakehub.faults.no_report("204", kinds=["user-teams-1-day"], days=[last])
    fakehub.faults.no_report("empty-string", kinds=["users-1-day"], days=[last - timedelta(days=2)])
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        board = dashboard(app)
        skipped = len(hostile_report.skipped)
        line = board.query_one(ProblemsLine)
        await until(pilot, lambda: line.message, "the problems line")
        assert line.message == f"{skipped} lines skipped, 2 days pending — w to see"
        assert line.display and "w to see" in rendered(line)

        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, ProblemsScreen), "the problems view")
        await pilot.pause()
        screen = app.screen
        lines = screen.query_one("#problem-lines", DataTable)
        assert lines.row_count == skipped
        rows = [lines.get_row_at(i) for i in range(lines.row_count)]
        # the fake appends the hostile lines to the last part of the day's users report, in their order
        assert {(r[0], r[1], r[2]) for r in rows} == {
            ("users", day, f"{fakehub.parts_per_report} of {fakehub.parts_per_report}")
        }
        numbers = [r[3] for r in rows]
        assert numbers == sorted(set(numbers))
        for row, (_, _, reason) in zip(rows, hostile_report.skipped, strict=True):
            assert reason.split(" on ")[0] in row[4]
        assert lines.has_focus
        detail = str(screen.query_one("#line-detail", Static).render())
        assert f"users-1-day/{day}/" in detail and hostile_report.skipped[0][2].split(" on ")[0] in detail

        days = screen.query_one("#pending-days", DataTable)
        assert [days.get_row_at(i) for i in range(days.row_count)] == [
            [last.isoformat(), "user-teams"],
            [(last - timedelta(days=2)).isoformat(), "users"],
        ]

        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard again")


@pytest.mark.usefixtures("owner_env")
async def test_skipped_user_teams_lines_are_counted_and_listed_too(fakehub: FakeGitHub) -> None:
    day = fakehub.dataset.last_day - timedelta(days=5)
    fakehub.faults.hostile_lines(hostile_team_lines(day.isoformat()), kind="user-teams-1-day", days=[day])
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = dashboard(app).query_one(ProblemsLine)
        assert "skipped" not in line.message  # the user-teams report is read when the teams are first shown
        await pilot.press("t")
        await until(pilot, lambda: "skipped" in line.message, "the problems line")
        assert line.message.startswith("3 lines skipped")
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, ProblemsScreen), "the problems view")
        await pilot.pause()
        lines = app.screen.query_one("#problem-lines", DataTable)
        assert [tuple(lines.get_row_at(i)[:2]) for i in range(lines.row_count)] == [("user-teams", str(day))] * 3


async def test_with_nothing_left_out_there_is_no_line_and_w_says_so() -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = dashboard(app).query_one(ProblemsLine)
        assert line.message == "" and not line.display
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, ProblemsScreen), "the problems view")
        await pilot.pause()
        assert not app.screen.query("#problem-lines") and not app.screen.query("#pending-days")
        said = rendered(app.screen.query_one("#lines-heading")) + rendered(app.screen.query_one("#days-heading"))
        assert "No report line was skipped" in said and "No day pending" in said
