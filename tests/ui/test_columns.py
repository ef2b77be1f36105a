"""The column picker (c): which users-table columns, in which order; remembered between runs, configurable; sorting
reaches every column, shown or not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot_tui.app import CopilotApp
from copilot_tui.settings import resolve_settings
from copilot_tui.ui.screens.column_picker import ColumnPickerScreen
from copilot_tui.ui.widgets.users import COLUMNS, UsersTable
from tests.ui.conftest import dashboard, demo_app, notifications, settle, until

USUAL = [c.key for c in COLUMNS]


def table(app: CopilotApp) -> UsersTable:
    return dashboard(app).query_one(UsersTable)


def shown(app: CopilotApp) -> list[str]:
    return [c.key for c in table(app).shown_columns]


async def test_c_hides_and_moves_columns_and_the_choice_is_remembered(app_dirs: dict[str, Path]) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown(app) == USUAL
        await pilot.press("c")
        assert isinstance(app.screen, ColumnPickerScreen)
        await pilot.press("space")  # the login stays: it names the row
        assert app.screen.chosen()[0] == "user_login" and any("always stays" in n for n in notifications(app))
        await pilot.press("down", "down", "down", "space")  # past Org (an enterprise's): hide Last active
        await pilot.press("down", "down", "shift+up")  # Gen before Interact
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, ColumnPickerScreen), "the picker to close")
        expected = ["user_login", "organization", "days_active", "generations", "interactions", *USUAL[6:]]
        assert shown(app) == expected
        on_screen = [c.key for c in table(app).fitting_columns()]
        assert on_screen[:4] == [expected[0], *expected[2:5]] and "last_active_day" not in on_screen
    assert json.loads((app_dirs["data"] / "state.json").read_text())["users_columns"] == expected
    again = demo_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown(again) == expected
        await pilot.press("c", "d", "enter")  # every column again: nothing left to remember
        await until(pilot, lambda: shown(again) == USUAL, "every column")
    assert json.loads((app_dirs["data"] / "state.json").read_text())["users_columns"] is None


async def test_esc_drops_the_changes_and_q_quits() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c", "down", "space", "J", "escape")
        await until(pilot, lambda: app.screen is dashboard(app), "the dashboard")
        assert shown(app) == USUAL
        await pilot.press("c", "q")
        await pilot.pause()
        assert app._exit


async def test_the_config_sets_the_columns_and_names_one_it_does_not_know(
    app_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from copilot_tui import locations

    locations.config_file().parent.mkdir(parents=True, exist_ok=True)
    locations.config_file().write_text('users_columns = ["days_active", "rating", "LoC+"]\n', encoding="utf-8")
    app = CopilotApp(resolve_settings({"demo": True}))
    said: list[str] = []  # kept here: a notice may time out before a loaded machine settles
    monkeypatch.setattr(app, "notify", lambda message, **kw: said.append(message))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown(app) == ["user_login", "days_active", "loc_added"]
        assert any("no column rating" in n for n in said), said


async def test_sorting_reaches_a_column_chosen_away_and_s_cycles_the_ones_shown() -> None:
    from copilot_tui.ui.commands import CopilotCommands

    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        t = table(app)
        t.show_columns(["user_login", "days_active", "interactions"])
        await pilot.pause()
        command = next(c for c in CopilotCommands(app.screen)._commands() if c.name == "Users: sort by Gen")
        command.run()
        await pilot.pause()
        assert t.sort_column == "generations"
        seen = set()
        for _ in range(4):
            await pilot.press("s")
            seen.add(t.sort_column)
        assert seen == {"user_login", "days_active", "interactions"}
