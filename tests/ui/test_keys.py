"""Keys as terminal users expect, on every screen: Esc backs out one step, q quits unless a text field takes it,
Ctrl+C quits everywhere."""

from __future__ import annotations

import pytest

from tests.ui.conftest import dashboard, demo_app, settle, until

SCREENS = [
    pytest.param(("question_mark",), "q", id="help"),
    pytest.param(("g",), "q", id="glossary"),
    pytest.param(("g",), "ctrl+c", id="glossary-find-ctrl+c"),
    pytest.param(("enter",), "q", id="user-detail"),
    pytest.param(("p",), "q", id="period-picker"),
    pytest.param(("e",), "q", id="export-picker"),
    pytest.param(("c",), "q", id="column-picker"),
    pytest.param(("w",), "q", id="problems-view"),
    pytest.param(("o",), "ctrl+c", id="org-picker-typing"),
]


@pytest.mark.parametrize(("opening", "quit_key"), SCREENS)
async def test_esc_backs_out_one_step_and_q_or_ctrl_c_quits(opening: tuple[str, ...], quit_key: str) -> None:
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        await pilot.press(*opening)
        await until(pilot, lambda: app.screen is not dash, "the screen to open")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is dash, "Esc to go back to the dashboard")
        await pilot.press(*opening)
        await until(pilot, lambda: app.screen is not dash, "the screen to open again")
        opened = app.screen
        if quit_key == "ctrl+c":
            if opening == ("g",):
                await pilot.press("slash")  # into the glossary's find field
            await pilot.press("q")  # a text field has the focus (the org picker's filter): q is typed
            await pilot.pause()
            assert not app._exit and app.screen is opened
        await pilot.press(quit_key)
        await until(pilot, lambda: app._exit, f"{quit_key} to quit")
