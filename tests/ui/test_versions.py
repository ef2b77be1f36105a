"""The Versions tab with Pilot on the demo: per IDE the IDE and plugin versions with their users (counted from the
raw report lines), newest first and marked; Enter lists a version's users in the users table, Esc clears it; the
key is in the palette and the help."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.widgets import TabbedContent

from copilot_tui.metrics.demo import default_dataset
from copilot_tui.ui.widgets.teams import TeamChip
from copilot_tui.ui.widgets.users import UsersTable
from copilot_tui.ui.widgets.versions import VersionsPane
from tests.ui.conftest import dashboard, demo_app, palette_offers, rendered, settle, until
from tests.versions_expected import newest, version_counts


async def open_versions(app: Any, pilot: Any) -> VersionsPane:
    await settle(pilot)
    await pilot.press("V")
    pane = dashboard(app).query_one(VersionsPane)
    await until(pilot, lambda: pane.view is not None, "the versions")
    assert dashboard(app).query_one(TabbedContent).active == "tab-versions"
    return pane


async def test_versions_are_the_raw_lines_last_samples_newest_first() -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_versions(app, pilot)
        assert pane.view is not None
        rows = pane.view.rows
        period = dashboard(app).view.period  # type: ignore[union-attr]
    dataset = default_dataset()
    lines = [
        line
        for i in range(period.days)
        for line in dataset.report_lines("org", "octo-labs", "users-1-day", period.end - timedelta(days=i)) or []
    ]
    want = version_counts(lines)
    assert {(r.ide, r.kind, r.version): r.user_ids for r in rows} == want
    ides = [r.ide for r in rows]
    assert ides[0] == "vscode" and sorted(set(ides)) == sorted({k[0] for k in want})
    for ide, kind in {(r.ide, r.kind) for r in rows}:
        group = [r for r in rows if (r.ide, r.kind) == (ide, kind)]
        assert group[0].version == newest(r.version for r in group) and group[0].newest
        assert not any(r.newest for r in group[1:])


async def test_enter_lists_the_users_on_a_version_and_escape_shows_everyone() -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_versions(app, pilot)
        dash = dashboard(app)
        assert pane.table.row_at(0).newest  # marked "★ newest" (the snapshots show it)
        await pilot.press("down", "enter")
        row = pane.table.row_at(1)
        assert not row.newest and row.users > 0
        table = dash.query_one(UsersTable)
        await until(pilot, lambda: dash.query_one(TabbedContent).active == "tab-users", "the users tab")
        shown = {table.row_at(i).user_id for i in table.shown_indices}
        assert shown == set(row.user_ids)
        chip = dash.query_one(TeamChip)
        assert chip.active and f"version: {row.label} · {row.users} users" in rendered(chip)
        await pilot.press("escape")
        assert not chip.active and len(table.shown_indices) == len(dash.view.users)  # type: ignore[union-attr]


async def test_versions_key_is_in_the_palette_and_the_help() -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"versions")
        await until(pilot, lambda: palette_offers(app, "IDE and plugin versions"), "the palette")
        sections = dict(app.help_sections())
        assert "V" in [b.key for b in sections["Dashboard"]]  # type: ignore[union-attr]
        assert "Versions tab" in sections


async def test_a_new_period_lists_the_versions_users_in_it() -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_versions(app, pilot)
        dash = dashboard(app)
        await pilot.press("enter")
        row = pane.table.row_at(0)
        chip = dash.query_one(TeamChip)
        await until(pilot, lambda: chip.active, "the version filter")
        await pilot.press("1")  # the last 7 days
        await until(pilot, lambda: dash.view is not None and dash.view.period.days == 7, "the new period")
        await until(pilot, lambda: not chip.pending, "the version's users in the new period")
        period = dash.view.period  # type: ignore[union-attr]
        lines = [
            line
            for i in range(period.days)
            for line in default_dataset().report_lines(
                "org", "octo-labs", "users-1-day", period.end - timedelta(days=i)
            )
            or []
        ]
        users = version_counts(lines)[(row.ide, row.kind, row.version)]
        assert users != row.user_ids and chip.members == users
        table = dash.query_one(UsersTable)
        assert {table.row_at(i).user_id for i in table.shown_indices} == users
        assert f"version: {row.label} · {len(users)} users" in rendered(chip)
