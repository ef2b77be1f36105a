"""Export from the app (e): a picker opens on the current tab's table; the file holds what the screen shows (as
filtered, in the export model's order) and its path is shown; it is byte for byte what ``copilot-tui export`` prints
for the same scope, period, table and format; and every number in it is the one on screen. Driven with Pilot."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Label, OptionList

from copilot_tui.exports import WHATS, figure_key, team_record
from copilot_tui.metrics.teams import NO_TEAM_ID
from copilot_tui.ui.export import export_table
from copilot_tui.ui.screens.export_picker import ExportPickerScreen, export_data_of
from copilot_tui.ui.widgets.seats import SeatsPane
from copilot_tui.ui.widgets.teams import TeamsPane
from copilot_tui.ui.widgets.totals import FIGURES
from copilot_tui.ui.widgets.users import UsersTable
from tests.ui.conftest import (
    compared_view,
    dashboard,
    demo_app,
    first_team_opened,
    live_app,
    notifications,
    settle,
    until,
)


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


async def test_teams_tab_exports_every_team_shown_most_active_first(app_dirs: dict[str, Path]) -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("s")  # another order on screen: the file keeps the model's (most active first)
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
        pane = dashboard(app).query_one(TeamsPane)
        rows = pane.shown_rows()
        assert len(rows) >= 10
        assert pane.view is not None
        teams = sorted(pane.view.teams, key=lambda t: (-len(t.active_users), t.slug, t.team_id))
        assert doc["teams"] == [team_record(t, None if t.team_id == NO_TEAM_ID else "octo-labs") for t in teams]
        assert {t["team_id"] for t in doc["teams"]} == {r.team_id for r in rows}
        assert all("active_share" in t for t in doc["teams"])
        assert doc["scope"] == {"kind": "org", "name": "octo-labs"}
        assert any(str(path) in n for n in notifications(app))


async def test_users_export_keeps_the_team_filter(app_dirs: dict[str, Path]) -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_team_opened(app, pilot)
        table = dashboard(app).query_one(UsersTable)
        shown = [table.row_at(i).user_login for i in table.shown_indices]
        assert 0 < len(shown) < len(dashboard(app).view.users)  # type: ignore[union-attr]
        await export(pilot)
        with written(app_dirs, ".csv").open() as fh:
            assert [r["user_login"] for r in csv.DictReader(fh)] == sorted(shown, key=str.lower)


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
        key = lambda r: r["login"].lower()  # noqa: E731
        assert sorted(doc["seats"], key=key) == sorted(pane.shown_records(), key=key) and doc["seats"]
        assert doc["seat_breakdown"]["total"] == len(pane.report.seats)  # type: ignore[union-attr]


async def test_breakdowns_tab_exports_totals_and_adoption_exports_adoption(app_dirs: dict[str, Path]) -> None:
    from copilot_tui.metrics.adoption import adoption_rows
    from copilot_tui.ui.widgets.adoption_summary import AdoptionSummary

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
        summary = dashboard(app).query_one(AdoptionSummary)
        await until(pilot, lambda: summary.history is not None and summary.seats is not None, "the adoption history")
        await export(pilot)
        with written(app_dirs, ".csv").open() as fh:
            rows = list(csv.DictReader(fh))
        assert view.totals.users is not None
        shown = adoption_rows(summary.history, summary.seats, view.totals.users)
        assert [(r["group"], r["figure"], r["users"]) for r in rows] == [
            (r.group, r.figure, str(r.users)) for r in shown
        ]
        assert {r["group"] for r in rows} == {"over_time", "funnel", "segments"}


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


async def test_the_apps_export_is_private_and_never_overwrites(app_dirs: dict[str, Path]) -> None:
    """What the file holds is tested against ``copilot-tui export`` below (byte for byte)."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(2):
            await pilot.press("e", "enter")
            await settle(pilot)
    first, second = sorted((app_dirs["data"] / "exports").glob("*.csv"), key=lambda p: len(p.name))
    assert second.name == first.name.replace(".csv", "-2.csv")
    assert first.read_bytes() == second.read_bytes()
    for path in (first, second):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700


async def open_picker(pilot: Any) -> ExportPickerScreen:
    await pilot.press("e")
    await until(pilot, lambda: isinstance(pilot.app.screen, ExportPickerScreen), "the export picker")
    picker = pilot.app.screen
    assert isinstance(picker, ExportPickerScreen)
    return picker


async def write_to(pilot: Any, picker: ExportPickerScreen, value: str) -> None:
    """Tab to the path, put ``value`` there, Enter."""
    await pilot.press("tab")
    field = picker.query_one("#export-path", Input)
    assert field.has_focus
    field.value = value
    await pilot.press("enter")
    await pilot.pause()


async def test_the_picker_proposes_a_free_path_that_follows_the_table(app_dirs: dict[str, Path]) -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = dashboard(app).view
        assert view is not None
        name = f"org-octo-labs-users-{view.period.start}-{view.period.end}"
        exports = app_dirs["data"] / "exports"
        exports.mkdir(parents=True)
        (exports / f"{name}.csv").write_text("kept")
        picker = await open_picker(pilot)
        field = picker.query_one("#export-path", Input)
        assert field.value == str(exports / f"{name}-2.csv")  # the name no file has
        await pilot.press("down")
        assert field.value == str(exports / f"{name}.json")
        await pilot.press("escape")


async def test_the_picker_writes_where_it_is_told(app_dirs: dict[str, Path], tmp_path: Path) -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        picker = await open_picker(pilot)
        await write_to(pilot, picker, str(tmp_path / "mine" / "users.csv"))
        await settle(pilot)
        assert (tmp_path / "mine" / "users.csv").read_text().startswith("user_login")
        assert any(f"to {tmp_path / 'mine' / 'users.csv'}" in n for n in notifications(app))
        picker = await open_picker(pilot)  # a folder: the proposed name inside it
        await pilot.press("down")
        await write_to(pilot, picker, f"{tmp_path}/")
        await settle(pilot)
        (written_json,) = tmp_path.glob("*.json")
        assert written_json.name.startswith("org-octo-labs-users-")
    assert not list((app_dirs["data"] / "exports").glob("*"))


async def test_an_existing_file_is_replaced_only_after_a_second_enter(
    app_dirs: dict[str, Path], tmp_path: Path
) -> None:
    target = tmp_path / "users.csv"
    target.write_text("old")
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        picker = await open_picker(pilot)
        await write_to(pilot, picker, str(target))
        assert app.screen is picker  # asked, not written
        assert "users.csv exists: Enter again replaces it" in str(picker.query_one("#export-error", Label).render())
        assert target.read_text() == "old"
        await pilot.press("enter")
        await settle(pilot)
        assert target.read_text().startswith("user_login")
        assert any("(the file there was replaced)" in n for n in notifications(app))


async def test_a_file_that_appears_meanwhile_is_kept_and_said(app_dirs: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "users.csv"
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        picker = await open_picker(pilot)
        await pilot.press("tab")
        picker.query_one("#export-path", Input).value = str(target)
        target.write_text("someone else's")  # after the picker looked, before the write
        screen = dashboard(app)
        data = export_data_of(screen)
        path, _ = await asyncio.to_thread(export_table, "users", "csv", data, target)
        assert path == tmp_path / "users-2.csv" and target.read_text() == "someone else's"
        await pilot.press("escape")


# ---- the app's file and `copilot-tui export` are one ---------------------------------------------------------------


def headless(*argv: str, env: dict[str, str] | None = None) -> bytes:
    """``copilot-tui export`` in a process of its own (the dirs of the test's environment)."""
    environ = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    environ.update(env or {})
    environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    done = subprocess.run(
        [sys.executable, "-m", "copilot_tui", "export", *argv], capture_output=True, env=environ, timeout=300
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


async def app_files(app: Any, pilot: Any, whats: tuple[str, ...] = WHATS) -> dict[tuple[str, str], bytes]:
    """Each table in each format, written as the ``e`` key writes it (the picker's data, ``export_table``)."""
    screen = dashboard(app)
    seats = screen.query_one(SeatsPane)
    if "seats" in whats:
        seats.ensure_loaded()
        await until(pilot, lambda: seats.report is not None, "the seats")
    files = {}
    for what in whats:
        for fmt in ("csv", "json"):
            path, _ = await asyncio.to_thread(export_table, what, fmt, export_data_of(screen))  # type: ignore[arg-type]
            files[(what, fmt)] = path.read_bytes()
            path.unlink()
    return files


def extra(what: str) -> tuple[str, ...]:
    return ("--inactive", "30") if what == "seats" else ()  # the seats tab opens on the 30-day inactive list


async def test_demo_every_table_in_every_format_is_byte_identical(app_dirs: dict[str, Path]) -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(120, 40)) as pilot:
        await compared_view(pilot)  # the adoption table's segments carry their changes
        files = await app_files(app, pilot)
    segments = [r for r in json.loads(files[("adoption", "json")])["adoption"] if r["group"] == "segments"]
    assert segments and all(r["previous_users"] is not None for r in segments)
    for (what, fmt), content in files.items():
        printed = headless("--demo", "--org", "octo-labs", "--what", what, "--format", fmt, *extra(what))
        assert printed == content, (what, fmt)
        assert content.strip(), (what, fmt)


async def test_live_and_offline_exports_equal_the_app_file(app_dirs: dict[str, Path], fakehub_env: Any) -> None:
    org = fakehub_env.dataset.orgs[0].login
    app = live_app(fakehub_env, org=org)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        files = await app_files(app, pilot, ("users", "teams"))
    env = {"GH_ENTERPRISE_TOKEN": os.environ["GH_ENTERPRISE_TOKEN"]}
    assert headless("--org", org, "--what", "users", "--format", "csv", env=env) == files[("users", "csv")]
    fakehub_env.reset()
    offline = headless("--offline", "--org", org, "--what", "teams", "--format", "json", env=env)
    assert offline == files[("teams", "json")]
    assert fakehub_env.requests == []


async def test_every_exported_number_is_the_one_on_screen(app_dirs: dict[str, Path]) -> None:
    from copilot_tui.ui.widgets.users import COLUMNS, UsersTable

    app = demo_app(org="octo-labs")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = dashboard(app)
        view = screen.view
        assert view is not None
        await pilot.press("t")
        await settle(pilot)
        team_rows = screen.query_one(TeamsPane).shown_rows()
        table = screen.query_one(UsersTable)
        shown_users = [table.row_at(i) for i in table.shown_indices]
    doc = json.loads(headless("--demo", "--org", "octo-labs", "--what", "totals"))
    (totals,) = doc["totals"]
    for figure in FIGURES:
        value = figure.value(view.totals)
        exported = totals[figure_key(figure.key, figure.metric.field)]
        assert exported == (None if value is None else round(value, 4)), figure.key
    users = {u["user_login"]: u for u in json.loads(headless("--demo", "--org", "octo-labs"))["users"]}
    assert len(users) == len(shown_users)
    names = {"interactions": "user_initiated_interaction_count", "generations": "code_generation_activity_count"}
    names |= {"acceptances": "code_acceptance_activity_count", "loc_added": "loc_added_sum"}
    names |= {"ide_version_text": "ide_versions", "plugin_version_text": "plugin_versions"}
    for user in shown_users:
        row = users[user.user_login]
        assert row["organization"] == "octo-labs"  # the Org column is an enterprise's only
        for column in COLUMNS:
            if column.key == "organization":
                continue
            value = getattr(user, column.key)
            value = value.isoformat() if hasattr(value, "isoformat") else value
            value = round(value, 4) if isinstance(value, float) else value
            assert row[names.get(column.key, column.key)] == value, (user.user_login, column.key)
    teams = {t["team_id"]: t for t in json.loads(headless("--demo", "--org", "octo-labs", "--what", "teams"))["teams"]}
    assert len(teams) == len(team_rows)
    for r in team_rows:
        t = teams[r.team_id]
        assert (t["members"], t["active_users"], t["active_user_days"]) == (
            r.members,
            r.active_users,
            r.active_user_days,
        )
        assert t["active_share"] == (None if r.active_share is None else round(r.active_share, 4))
        assert (t["user_initiated_interaction_count"], t["code_generation_activity_count"]) == (
            r.interactions,
            r.generations,
        )
        assert (t["code_acceptance_activity_count"], t["loc_added_sum"]) == (r.acceptances, r.loc_added)
    daily = json.loads(headless("--demo", "--org", "octo-labs", "--what", "daily"))["daily"]
    assert len(daily) == view.totals.days_with_data
    assert (
        sum(d["code_generation_activity_count"] for d in daily)
        == view.totals.activity["code_generation_activity_count"]
    )
    assert daily[-1]["daily_active_users"] == view.totals.latest["daily_active_users"]


@pytest.mark.parametrize("what", ["users", "daily"])
def test_an_empty_period_is_an_error_and_a_partial_one_names_its_missing_days(
    what: str, app_dirs: dict[str, Path]
) -> None:
    from copilot_tui.metrics.demo import default_dataset

    first = default_dataset().first_day
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    base = [sys.executable, "-m", "copilot_tui", "export", "--demo", "--what", what]
    before = first.replace(year=first.year - 1)
    done = subprocess.run(
        [*base, "--since", str(before), "--until", str(before)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 1 and done.stdout == "" and "no data for" in done.stderr
    start = first - timedelta(days=2)
    done = subprocess.run(
        [*base, "--since", str(start), "--until", str(first)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert f"{start}..{first - timedelta(days=1)}" in done.stderr


async def test_the_written_notice_counts_one_row_as_a_row(app_dirs: dict[str, Path]) -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("O")  # an organization's orgs table: the org itself, one row
        await settle(pilot)
        await export(pilot)
        path = written(app_dirs, ".csv")
        assert len(path.read_text().splitlines()) == 2
        assert any(f"Wrote 1 row of orgs to {path}" in n for n in notifications(app)), notifications(app)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_path_and_the_keys_show_on_a_small_screen(size: tuple[int, int]) -> None:
    app = demo_app(org="octo-garage")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        picker = await open_picker(pilot)
        await pilot.press("tab")  # the path: it is typed in, so it must be seen
        field = picker.query_one("#export-path", Input)
        assert field.has_focus
        for widget in (field, picker.query(Label).last()):
            region = widget.region
            assert region.height >= 1, widget
            assert picker.get_widget_at(region.x, region.y)[0] is widget, f"{widget} is hidden at {size}"
