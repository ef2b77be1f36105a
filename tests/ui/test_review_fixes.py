"""Findings of a first-time user's review: labels that say what they count, errors that stay, the right host."""

from __future__ import annotations

import csv
import io
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Label, TabbedContent

from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from copilot_tui.scope import Scope
from copilot_tui.ui.screens.help import HelpScreen
from copilot_tui.ui.screens.sign_in import SignInScreen
from copilot_tui.ui.widgets.status import ErrorLine, StatusBar
from copilot_tui.ui.widgets.totals import FIGURES, TotalsPane
from tests.ui.conftest import MemoryKeyring, dashboard, demo_app, live_app, notifications, settle, until

CLASS_NAME = re.compile(r"\b[A-Za-z]*(?:Error|Exception)\b")


def rendered(widget: Widget) -> str:
    console = Console(width=widget.size.width or 160, file=io.StringIO(), record=True)
    console.print(widget.render())
    return console.export_text()


async def test_completion_tiles_say_completion_and_help_explains_they_are_not_the_tables_rate() -> None:
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        tiles = rendered(dashboard(app).query_one(TotalsPane))
        assert "Accept" not in tiles
        assert "Compl. rate" in tiles and "Compl. LoC" in tiles
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        notes = dict(app.screen.notes)
        for figure in FIGURES:
            (label,) = [name for name in notes if name.split(" (")[0] == figure.label]
            if figure.key in ("completion_rate", "completion_loc_rate"):
                assert "code completion only" in notes[label].lower()


async def test_a_load_error_stays_on_screen_in_words_and_r_shows_a_new_attempt(
    fakehub: FakeGitHub, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    app = live_app(fakehub, org="nope-no-such-org")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app._dashboard() and dashboard(app).query_one(ErrorLine).display, "the error line")
        await settle(pilot, view=False)
        dash = dashboard(app)
        line = dash.query_one(ErrorLine)
        toast = notifications(app)[-1]
        assert line.display and toast in line.message and "nope-no-such-org" in line.message
        assert "failed" in dash.query_one(StatusBar).activity
        seen: list[str] = []
        original = type(dash)._set_activity

        def spy(self: Any, text: str, **kw: Any) -> None:
            seen.append(text)
            original(self, text, **kw)

        monkeypatch.setattr(type(dash), "_set_activity", spy)
        await pilot.press("r")
        await settle(pilot, view=False)
        assert any(text.startswith("Loading") for text in seen), seen
        assert line.display and toast in line.message


async def test_offline_with_nothing_stored_says_why_without_an_exception_name(fakehub: FakeGitHub) -> None:
    app = live_app(fakehub, org="octo-garage", offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app._dashboard() and dashboard(app).query_one(ErrorLine).display, "the error line")
        await settle(pilot, view=False)
        dash = dashboard(app)
        message = dash.query_one(ErrorLine).message
        assert "octo-garage" in message
        for text in (message, dash.query_one(StatusBar).activity, *notifications(app)):
            assert not CLASS_NAME.search(text), text


async def test_a_successful_load_clears_the_error(
    fakehub: FakeGitHub, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    app = live_app(fakehub, org="nope-no-such-org")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, view=False)
        assert dashboard(app).query_one(ErrorLine).display
        dashboard(app).open_scope(Scope("org", "octo-garage"))
        await settle(pilot)
        assert not dashboard(app).query_one(ErrorLine).display


async def test_sign_in_names_the_api_host_in_use_and_the_org_being_opened(
    fakehub: FakeGitHub, memory_keyring: MemoryKeyring
) -> None:
    app = live_app(fakehub, org="octo-labs")
    host = fakehub.api_url.split("://", 1)[1].rstrip("/")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, view=False)
        assert isinstance(app.screen, SignInScreen)
        title = str(app.screen.query_one(".picker-title", Label).render())
        assert host in title and "github.com" not in title
        await pilot.press(*OWNER_TOKEN, "enter")
        await settle(pilot)
        signed = [n for n in notifications(app) if n.startswith("Signed in")]
        assert signed and "octo-labs" in signed[0], signed


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


def test_r_is_refresh_only_no_table_binds_it() -> None:
    from copilot_tui.ui.widgets.seats import SeatsTable
    from copilot_tui.ui.widgets.teams import TeamsTable
    from copilot_tui.ui.widgets.user_table import UserTable
    from copilot_tui.ui.widgets.users import UsersTable

    for cls in (UserTable, UsersTable, TeamsTable, SeatsTable):
        keys = {k for b in cls.BINDINGS if isinstance(b, Binding) for k in b.key.split(",")}
        assert "r" not in keys and "S" in keys, cls.__name__


def test_a_day_with_none_is_the_floor_of_the_sparkline_not_a_gap() -> None:
    from copilot_tui.ui.widgets.spark import BARS, sparkline

    line = sparkline([3, 0, 5, 1, 9], 5)
    assert " " not in line
    assert line[1] == BARS[0] and line[3] != BARS[0]


async def test_short_labels_are_explained_in_help_and_palette_periods_show_their_keys() -> None:
    from copilot_tui.ui.commands import CopilotCommands
    from copilot_tui.ui.widgets.seats import SEAT_COLUMNS

    labels = {c.key: c.label for c in SEAT_COLUMNS}
    assert labels["days_idle"] == "Idle days" and labels["in_reports"] == "In reports"
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        provider = CopilotCommands(app.screen)
        periods = {c.name: c.help for c in provider._commands() if c.name.startswith("Period:")}
        assert periods and all(re.search(r"key [123]$", h) for h in periods.values()), periods
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        noted = " ".join(name for name, _ in app.screen.notes)
        for label in ("AI credits", "trend", "Idle days", "In reports"):
            assert label in noted


async def test_user_detail_names_the_user_id() -> None:
    from copilot_tui.ui.screens.user_detail import UserDetailScreen

    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, UserDetailScreen)
        assert f"id {screen.user.user_id}" in screen.query_one(StatusBar).what


async def test_a_wide_screen_gives_logins_and_headers_their_room_and_breakdowns_show_every_row() -> None:
    from copilot_tui.ui.widgets.breakdown import BreakdownTable
    from copilot_tui.ui.widgets.users import UsersTable

    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        layout = dict((c.key, (c, w)) for c, w in dash.query_one(UsersTable)._layout())
        column, width = layout["user_login"]
        assert width >= 36 > column.width
        for column, width in layout.values():
            assert width > len(column.label), column.label
        await pilot.press("b")
        await until(pilot, lambda: dash.query_one(TabbedContent).active == "tab-breakdowns", "the breakdowns")
        await pilot.pause()
        for table in dash.query(BreakdownTable):
            assert table.rows and "more" not in rendered(table)
            assert table.size.height == len(table.rows) + 1


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_footer_shows_whole_keys_only_help_and_quit_first(size: tuple[int, int]) -> None:
    from textual.widgets._footer import FooterKey

    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for keys in ((), ("enter",)):
            await pilot.press(*keys)
            await settle(pilot)
            shown = [k for k in app.screen.query(FooterKey) if k.display]
            assert {"help", "quit"} <= {k.action.removeprefix("app.") for k in shown}
            for key in shown:
                assert key.region.right <= size[0], key.description
                assert key.region.width >= len(key.description) + len(key.key_display), key.description


async def test_a_wrong_token_says_why_and_r_says_it_again(
    fakehub: FakeGitHub, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", "ghp_not_a_real_token")
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app._dashboard() and dashboard(app).query_one(ErrorLine).display, "the error line")
        line = dashboard(app).query_one(ErrorLine)
        first = line.message
        assert "octo-garage" in first and not CLASS_NAME.search(first)
        status = dashboard(app).query_one(StatusBar)
        before = status.activity
        await pilot.press("r")
        await until(pilot, lambda: status.activity != before and "failed" in status.activity, "a second failure")
        await settle(pilot, view=False)
        after = status.activity
        assert line.message == first
        assert "failed" in after and after != before
