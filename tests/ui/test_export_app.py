"""Export from the app (e): a picker opens on the current tab's table; the file holds what the screen shows and its
path is shown. Driven with Pilot on demo data."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path
from typing import Any

from textual.widgets import OptionList

from copilot_tui.ui.export import team_record
from copilot_tui.ui.screens.export_picker import ExportPickerScreen
from copilot_tui.ui.widgets.seats import SeatsPane
from copilot_tui.ui.widgets.teams import TeamsPane
from copilot_tui.ui.widgets.users import UsersTable
from tests.ui.conftest import dashboard, demo_app, notifications, settle, until


def written(app_dirs: dict[str, Path], suffix: str) -> Path:
    files = list((app_dirs["data"] / "exports").glob(f"*{suffix}"))
    assert len(files) == 1, files
    return files[0]


async def export(pilot: Any, *, json_format: bool = False) -> None:
    await pilot.press("e")
    await until(pilot, lambda: isinstance(pilot.app.screen, ExportPickerScreen), "the export picker")
    if json_format:
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


async def test_teams_tab_exports_teams_as_json_in_the_order_shown(app_dirs: dict[str, Path]) -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("s")  # another order than the default: the file follows the screen
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportPickerScreen), "the export picker")
        picker = app.screen
        assert isinstance(picker, ExportPickerScreen)
        options = picker.query_one(OptionList)
        assert options.get_option_at_index(options.highlighted or 0).id == "teams:csv"
        await pilot.press("down", "enter")
        await settle(pilot)
        path = written(app_dirs, ".json")
        doc = json.loads(path.read_text())
        rows = dashboard(app).query_one(TeamsPane).shown_rows()
        assert len(rows) >= 10
        assert doc["teams"] == [team_record(r) for r in rows]
        assert doc["scope"] == {"kind": "org", "name": "octo-labs"}
        assert any(str(path) in n for n in notifications(app))


async def test_users_export_keeps_the_team_filter(app_dirs: dict[str, Path]) -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        table = dashboard(app).query_one(UsersTable)
        shown = [table.row_at(i).user_login for i in table.shown_indices]
        assert 0 < len(shown) < len(dashboard(app).view.users)  # type: ignore[union-attr]
        await export(pilot)
        with written(app_dirs, ".csv").open() as fh:
            assert [r["user_login"] for r in csv.DictReader(fh)] == shown


async def test_seats_export_is_the_list_on_screen(app_dirs: dict[str, Path]) -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("minus")
        pane = dashboard(app).query_one(SeatsPane)
        await export(pilot, json_format=True)
        doc = json.loads(written(app_dirs, ".json").read_text())
        assert doc["inactive_days"] == pane.days == 14
        assert doc["seats"] == pane.shown_records() and doc["seats"]
        assert doc["seat_breakdown"]["total"] == len(pane.report.seats)  # type: ignore[union-attr]


async def test_breakdowns_tab_exports_totals_and_adoption_exports_features(app_dirs: dict[str, Path]) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = dashboard(app).view
        assert view is not None
        await pilot.press("b")
        await export(pilot)
        with written(app_dirs, ".csv").open() as fh:
            (totals,) = list(csv.DictReader(fh))
        assert int(totals["code_generation_activity_count"]) == view.totals.activity["code_generation_activity_count"]
        assert int(totals["days_with_data"]) == view.totals.days_with_data
        assert totals["end"] == view.period.end.isoformat()
        written(app_dirs, ".csv").unlink()
        await pilot.press("a")
        await export(pilot)
        with written(app_dirs, ".csv").open() as fh:
            features = list(csv.DictReader(fh))
        assert len(features) == sum(len(s.days) for s in view.series)
        first = view.series[0]
        assert [int(r["users"]) for r in features if r["feature"] == first.feature] == list(first.users)


async def test_escape_in_the_picker_writes_nothing(app_dirs: dict[str, Path]) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportPickerScreen), "the export picker")
        await pilot.press("escape")
        await settle(pilot)
        assert not list((app_dirs["data"] / "exports").glob("*"))


async def test_teams_export_before_the_tab_was_shown_computes_them(app_dirs: dict[str, Path]) -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e", "down", "down", "enter")  # Teams · CSV from the users tab
        await settle(pilot)
        with written(app_dirs, ".csv").open() as fh:
            exported = list(csv.DictReader(fh))
        await pilot.press("t")
        await settle(pilot)
        rows = dashboard(app).query_one(TeamsPane).shown_rows()
        assert len(exported) == len(rows) > 0
        got = [(int(r["team_id"]), int(r["active_users"])) for r in exported]
        assert sorted(got) == sorted((t.team_id, t.active_users) for t in rows)
        assert [a for _, a in got] == sorted((a for _, a in got), reverse=True)  # most active first


async def test_the_apps_users_csv_has_the_headless_exports_columns_first_and_is_private(
    app_dirs: dict[str, Path],
) -> None:
    from copilot_tui.commands.export import build_document
    from copilot_tui.source import DemoSource

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = dashboard(app).view
        assert view is not None
        await pilot.press("e", "enter")
        await settle(pilot)
    (path,) = (app_dirs["data"] / "exports").glob("*.csv")
    with path.open() as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        header = list(reader.fieldnames or ())
    snap = await DemoSource().load(view.scope, days=view.period.days)
    headless = build_document(view.scope, view.period, snap.user_rows)["users"]
    assert header[: len(headless[0])] == list(headless[0])
    ours = {r["user_login"]: r for r in rows}
    for user in headless:
        assert ours[user["user_login"]]["user_id"] == str(user["user_id"])
        assert ours[user["user_login"]]["code_generation_activity_count"] == str(user["code_generation_activity_count"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
