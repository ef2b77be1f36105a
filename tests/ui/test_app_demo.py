"""Every key and flow of the dashboard, driven with Pilot on the built-in demo data."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Input, Label, OptionList, TabbedContent, TabPane

from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.metrics.derive import Period, summarize_users
from copilot_tui.scope import Scope
from copilot_tui.sources.demo import DemoSource
from copilot_tui.ui.screens.glossary import GlossaryScreen
from copilot_tui.ui.screens.help import HelpScreen, described
from copilot_tui.ui.screens.org_picker import OrgPickerScreen
from copilot_tui.ui.screens.period_picker import PeriodPickerScreen
from copilot_tui.ui.screens.user_detail import UserDetailScreen
from copilot_tui.ui.widgets.status import StatusBar
from copilot_tui.ui.widgets.totals import TotalsPane
from copilot_tui.ui.widgets.users import UsersTable
from tests.ui.conftest import dashboard, demo_app, notifications, palette_offers, rendered, settle, until

GARAGE = Scope("org", "octo-garage")
LABS = Scope("org", "octo-labs")


async def expected_logins(scope: Scope, days: int, until: date | None = None) -> list[str]:
    snap = await DemoSource().load(scope, days=days, until=until)
    return sorted(u.user_login for u in summarize_users(snap.user_rows, Period(snap.first_day, snap.last_day)))


def table(app) -> UsersTable:  # type: ignore[no-untyped-def]
    return dashboard(app).query_one(UsersTable)


def shown_logins(t: UsersTable) -> list[str]:
    return [t.row_at(i).user_login for i in t.shown_indices]


async def test_demo_opens_the_first_org_with_every_user_of_the_period() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        assert dash.scope == GARAGE
        assert dash.view is not None and dash.view.period.days == 28
        assert sorted(shown_logins(table(app))) == await expected_logins(GARAGE, 28)
        assert str(GARAGE) in dash.query_one(StatusBar).what
        assert dash.activity == "demo data"


async def test_r_loads_the_open_org_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    loads: list[tuple[Scope, int]] = []
    original = DemoSource.load

    async def counting(self: DemoSource, scope: Scope, **kw):  # type: ignore[no-untyped-def]
        if kw.get("until") is None:  # a load of the latest days, not the previous period for comparison
            loads.append((scope, kw["days"]))
        return await original(self, scope, **kw)

    monkeypatch.setattr(DemoSource, "load", counting)
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = len(loads)
        await pilot.press("r")
        await settle(pilot)
        assert loads[before:] == [(GARAGE, 28)]
        assert dashboard(app).activity == "demo data"


async def test_org_flag_opens_that_org() -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert dashboard(app).view.scope == LABS  # type: ignore[union-attr]


async def test_s_cycles_the_sort_column_and_shift_s_flips_the_order() -> None:
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        t = table(app)
        first_key = t.sort_column
        await pilot.press("s")
        assert t.sort_column != first_key
        key = t.sort_column
        rows = [t.row_at(i) for i in t.shown_indices]
        values = [getattr(r, key) for r in rows if getattr(r, key) is not None]
        order = [v.lower() if isinstance(v, str) else v for v in values]
        assert order == sorted(order, reverse=t.sort_reverse)
        before = t.sort_reverse
        await pilot.press("S")
        assert t.sort_reverse is not before
        flipped = [getattr(t.row_at(i), key) for i in t.shown_indices]
        flipped = [v.lower() if isinstance(v, str) else v for v in flipped if v is not None]
        assert flipped == sorted(flipped, reverse=t.sort_reverse)


async def test_slash_filters_by_login_as_you_type_and_escape_clears() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        t = table(app)
        everyone = shown_logins(t)
        needle = everyone[0][:3]
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*needle)
        shown = shown_logins(t)
        assert shown == [login for login in shown if needle in login.lower()]
        assert set(shown) == {login for login in everyone if needle in login.lower()}
        await pilot.press("escape")
        assert app.focused is t
        assert sorted(shown_logins(t)) == sorted(everyone)


async def test_enter_opens_the_user_and_escape_returns_with_sort_filter_and_cursor_intact() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        t = table(app)
        await pilot.press("s", "s", "S")
        await pilot.press("slash", "a", "enter")
        await pilot.press("down", "down")
        sort, reverse, needle, cursor = t.sort_column, t.sort_reverse, t.filter_text, t.cursor_position
        picked = t.row_at(t.cursor_index)  # type: ignore[arg-type]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UserDetailScreen), "the user's detail")
        assert isinstance(app.screen, UserDetailScreen)
        assert app.screen.user.user_login == picked.user_login
        assert all(r.user_id == picked.user_id for r in app.screen.rows)
        assert len(app.screen.rows) == picked.days_active
        await pilot.press("escape")
        assert app.screen is dashboard(app)
        assert (t.sort_column, t.sort_reverse, t.filter_text, t.cursor_position) == (sort, reverse, needle, cursor)
        assert t.row_at(t.cursor_index).user_login == picked.user_login  # type: ignore[arg-type]
        assert app.focused is t


async def test_org_picker_filters_as_you_type_and_opens_the_choice() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        assert isinstance(app.screen, OrgPickerScreen)
        options = app.screen.query_one(OptionList)
        assert options.option_count == len(await DemoSource().scopes())
        await pilot.press(*"labs")
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == ["octo-labs"]
        await pilot.press("enter")
        await settle(pilot)
        assert dashboard(app).view.scope == LABS  # type: ignore[union-attr]
        assert sorted(shown_logins(table(app))) == await expected_logins(LABS, 28)


async def test_home_and_end_move_the_org_list_and_typing_goes_on_at_the_end() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        assert isinstance(app.screen, OrgPickerScreen)
        options = app.screen.query_one(OptionList)
        field = app.screen.query_one(Input)
        await pilot.press("end")
        assert options.highlighted == options.option_count - 1 > 0
        await pilot.press("home")
        assert options.highlighted == 0
        await pilot.press(*"oct", "end")
        last = options.option_count - 1
        assert last > 0 and options.highlighted == last
        await pilot.press("home", "o")  # the text cursor stayed at the end of the filter
        assert (field.value, field.cursor_position) == ("octo", 4)
        scopes = await DemoSource().scopes()
        assert options.option_count == len(scopes) > 2
        await pilot.press("end", "up", "up", "enter")  # the last but two: octo-labs, quick to open
        await settle(pilot)
        assert dashboard(app).view.scope == scopes[-3] == LABS  # type: ignore[union-attr]


async def test_escape_leaves_the_org_picker_without_switching() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o", "l", "escape")
        assert app.screen is dashboard(app)
        assert dashboard(app).scope == GARAGE


async def test_brackets_step_through_the_orgs() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        scopes = await DemoSource().scopes()
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert dashboard(app).view.scope == scopes[1]  # type: ignore[union-attr]
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert dashboard(app).view.scope == scopes[0]  # type: ignore[union-attr]


async def test_number_keys_pick_7_14_and_28_days() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, days in (("1", 7), ("2", 14), ("3", 28)):
            await pilot.press(key)
            await settle(pilot)
            view = dashboard(app).view
            assert view is not None and view.period.days == days
            assert view.period.end == DemoDataset().last_day
            assert sorted(u.user_login for u in view.users) == await expected_logins(GARAGE, days)


async def test_period_picker_offers_longer_ranges_the_data_holds() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        screen = app.screen
        assert isinstance(screen, PeriodPickerScreen)
        held = DemoDataset().days
        presets = [c.days for c in screen.choices if c.until is None]
        assert presets[:3] == [7, 14, 28]
        assert max(presets) == held
        assert all(d <= held for d in presets)
        screen.query_one(OptionList).highlighted = len(presets) - 1
        await pilot.press("enter")
        await settle(pilot)
        assert dashboard(app).view.period.days == held  # type: ignore[union-attr]


async def test_period_picker_shows_a_calendar_month_with_its_dates_in_the_header() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        screen = app.screen
        assert isinstance(screen, PeriodPickerScreen)
        october = next(i for i, c in enumerate(screen.choices) if c.label == "October 2026")
        screen.query_one(OptionList).highlighted = october
        await pilot.press("enter")
        await settle(pilot)
        view = dashboard(app).view
        assert view is not None and (view.period.start, view.period.end) == (date(2026, 10, 1), date(2026, 10, 31))
        assert sorted(u.user_login for u in view.users) == await expected_logins(GARAGE, 31, date(2026, 10, 31))
        assert "October 2026 · 2026-10-01 → 2026-10-31" in dashboard(app).query_one(StatusBar).what


async def test_a_typed_range_is_shown_and_one_before_the_data_says_where_it_starts() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p", "slash")
        screen = app.screen
        assert isinstance(screen, PeriodPickerScreen)
        assert "sync" not in str(screen.query_one(".picker-hint", Label).render())  # the demo cannot sync
        await pilot.press(*"2025-01-01..2025-01-31", "enter")
        error = str(screen.query_one("#period-error", Label).render())
        assert "The data held starts on 2026-07-27: nothing before it" in error and "sync" not in error
        assert app.screen is screen  # nothing changed, the text is still there to correct
        screen.query_one(Input).value = ""
        await pilot.press(*"2026-10-03..2026-10-20", "enter")
        await settle(pilot)
        view = dashboard(app).view
        assert view is not None and (view.period.start, view.period.end) == (date(2026, 10, 3), date(2026, 10, 20))
        assert dashboard(app).query_one(StatusBar).what.endswith("2026-10-03 → 2026-10-20")
        await pilot.press("3")  # the presets still follow the newest day
        await settle(pilot)
        assert dashboard(app).view.period.end == DemoDataset().last_day  # type: ignore[union-attr]


async def test_previous_period_comparison_appears_only_when_the_data_covers_it() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert dashboard(app).view.previous_totals is not None  # type: ignore[union-attr]
        await pilot.press("p", "end", "enter")
        await settle(pilot)
        assert dashboard(app).view.previous_totals is None  # type: ignore[union-attr]


async def test_tab_keys_switch_panes() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tabs = dashboard(app).query_one(TabbedContent)
        for key, pane in (("a", "tab-adoption"), ("b", "tab-breakdowns"), ("u", "tab-users")):
            await pilot.press(key)
            await until(pilot, lambda: tabs.active == pane, pane)  # noqa: B023


async def test_m_switches_the_sparklines_between_users_and_activity() -> None:
    from copilot_tui.ui.widgets.adoption import AdoptionPane

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = dashboard(app).query_one(AdoptionPane)
        assert pane.metric == "users"
        await pilot.press("a", "m")
        assert pane.metric == "activity"


async def test_help_lists_every_key_of_every_screen() -> None:
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = {text for _, bindings in app.screen.sections for _, text in described(bindings)}
        for cls in (type(dashboard(app)), UsersTable, UserDetailScreen, OrgPickerScreen, type(app)):
            for _, text in described(cls.BINDINGS):
                assert text in listed, f"{cls.__name__}: {text!r} missing from help"
        await pilot.press("question_mark")
        assert app.screen is dashboard(app)


async def test_command_palette_runs_our_commands() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Period: last 7 days")
        await until(pilot, lambda: palette_offers(app, "Period: last 7 days"), "the command")
        await pilot.press("enter")
        await settle(pilot)
        assert dashboard(app).view.period.days == 7  # type: ignore[union-attr]


async def test_command_palette_opens_a_user_by_login() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        login = max(dashboard(app).view.users, key=lambda u: len(u.user_login)).user_login  # type: ignore[union-attr]
        await pilot.press("ctrl+p")
        await pilot.press(*f"Open user {login}")
        await until(pilot, lambda: palette_offers(app, f"Open user {login}"), "the command")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UserDetailScreen), "the user's detail")
        assert isinstance(app.screen, UserDetailScreen)
        assert app.screen.user.user_login == login


async def test_e_exports_the_users_of_the_period(app_dirs: dict[str, Path]) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.press("enter")  # the export picker opens on the current tab's table as CSV
        await settle(pilot)
        files = list((app_dirs["data"] / "exports").glob("*.csv"))
        assert len(files) == 1
        with files[0].open() as fh:
            rows = list(csv.DictReader(fh))
        assert sorted(r["user_login"] for r in rows) == await expected_logins(GARAGE, 28)
        assert any(str(files[0]) in n for n in notifications(app))


async def test_the_last_org_opens_next_time(app_dirs: dict[str, Path]) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        opened = dashboard(app).scope
    assert opened != GARAGE
    state = json.loads((app_dirs["data"] / "state.json").read_text())
    assert state["demo_scope"] == opened.name  # type: ignore[union-attr]
    again = demo_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert dashboard(again).view.scope == opened  # type: ignore[union-attr]


async def test_a_broken_config_file_is_named_with_its_line() -> None:
    from copilot_tui import locations
    from copilot_tui.app import CopilotApp
    from copilot_tui.settings import resolve_settings

    path = locations.config_file()
    path.write_text('hostname = "github.com"\norgs = ["a", \n', encoding="utf-8")
    app = CopilotApp(resolve_settings({"demo": True}))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = " ".join(notifications(app))
        assert str(path) in shown
        assert "line 2" in shown or "line 3" in shown


async def test_a_picked_theme_is_remembered(app_dirs: dict[str, Path]) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert json.loads((app_dirs["data"] / "state.json").read_text())["theme"] == "nord"
    again = demo_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


async def test_sign_out_in_demo_mode_says_there_is_nothing_to_sign_out_of() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("sign_out")
        await until(pilot, lambda: any("nothing to sign out" in n for n in notifications(app)), "the notice")
        assert app.screen is dashboard(app)


async def test_q_quits() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_palette_finds_every_key_of_the_app() -> None:
    from textual.binding import Binding

    from copilot_tui.ui.commands import NAVIGATION_KEYS, CopilotCommands

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        commands = CopilotCommands(app.screen)._commands()
        actions = {c.action for c in commands}
        for section, bindings in app.help_sections():
            for binding in bindings:
                if not isinstance(binding, Binding) or binding.key in NAVIGATION_KEYS:
                    continue
                inside = section.endswith("picker") or section == "Glossary"
                if inside or binding.action in ("command_palette", "app.quit"):
                    continue  # inside a picker or the glossary, or the palette itself
                assert binding.action in actions, f"{section}: {binding.key} ({binding.action}) is not in the palette"
        names = [c.name for c in commands]
        for column in dashboard(app).query_one(UsersTable).columns:  # hidden at 80 columns too
            assert f"Users: sort by {column.label}" in names
        for wanted in (
            "Sign out",
            "Theme…",
            "Seats: Inactive for more days",
            "Sparklines: daily users or daily activity",
        ):
            assert wanted in names
        view = dashboard(app).view
        assert view is not None
        assert {f"Open user {u.user_login}" for u in view.users} <= set(names)
        assert {f"Open {s}" for s in dashboard(app).session.scopes} <= set(names)


def test_every_class_with_keys_is_in_the_help_the_palette_is_made_from() -> None:
    """Every screen and widget of the package that binds keys is walked: each of its keys is in a help section (the
    sections the palette test above walks), so a key added to a new widget cannot miss the help and the palette."""
    import importlib
    import inspect
    import pkgutil

    import copilot_tui
    from copilot_tui.app import CopilotApp
    from copilot_tui.ui.commands import NAVIGATION_KEYS
    from copilot_tui.ui.screens.dashboard import DashboardScreen
    from copilot_tui.ui.screens.help import HelpScreen
    from copilot_tui.ui.screens.sign_in import SignInScreen

    own_keys_only = {HelpScreen, SignInScreen}  # help's own keys, and the sign-in before any data
    found = set()
    for info in pkgutil.walk_packages(copilot_tui.__path__, "copilot_tui."):
        if not info.name.startswith(("copilot_tui.ui", "copilot_tui.app")):
            continue
        for _, cls in inspect.getmembers(importlib.import_module(info.name), inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__.startswith("copilot_tui") and "BINDINGS" in vars(cls):
                found.add(cls)
    assert {DashboardScreen, UsersTable, CopilotApp} <= found and len(found) >= 15
    app = CopilotApp.__new__(CopilotApp)
    helped = {(b.key, b.action) for _, bs in CopilotApp.help_sections(app) for b in bs if isinstance(b, Binding)}
    for cls in found - own_keys_only:
        for binding in vars(cls)["BINDINGS"]:
            if isinstance(binding, Binding) and binding.key not in NAVIGATION_KEYS:
                assert (binding.key, binding.action) in helped, f"{cls.__name__}: {binding.key} is not in the help"


async def test_the_palette_sorts_by_a_column_hidden_at_80_columns() -> None:
    from copilot_tui.ui.commands import CopilotCommands

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        t = table(app)
        shown = {c.key for c, _ in t._layout()}
        hidden = next(c for c in t.columns if c.key not in shown and c.sortable)
        command = next(c for c in CopilotCommands(app.screen)._commands() if c.name == f"Users: sort by {hidden.label}")
        command.run()
        await pilot.pause()
        assert t.sort_column == hidden.key


async def test_theme_command_opens_the_theme_picker() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Theme…")
        await until(pilot, lambda: palette_offers(app, "Theme…"), "the command")
        palette = app.screen
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is not palette, "the theme picker")
        await pilot.press(*"nord")
        await until(pilot, lambda: palette_offers(app, "nord"), "the theme")
        await pilot.press("enter")
        await until(pilot, lambda: app.theme == "nord", "the theme to change")


async def test_letters_arriving_in_one_burst_with_the_slash_land_in_the_filter() -> None:
    from textual import events

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, char in (("slash", "/"), ("a", "a"), ("d", "d"), ("a", "a")):
            app.post_message(events.Key(key, char))
        field = dashboard(app).query_one("#filter", Input)
        await until(pilot, lambda: table(app).filter_text == "ada", "the filter")
        assert field.value == "ada"
        assert app.focused is field
        assert dashboard(app).query_one(TabbedContent).active == "tab-users"
        assert table(app).filter_text == "ada"


@pytest.mark.parametrize("tab", ["u", "a", "l"])
async def test_letters_sent_to_the_table_before_slash_moved_the_focus_land_in_the_filter(tab: str) -> None:
    """A burst is read in one go: its letters are routed to the widget focused then, and may reach the dashboard
    only after "/" has moved the focus to the field (its binding ran first). Such a letter is typed into the field,
    not taken as a key binding ("a" would open the Adoption tab). Pilot presses "/" then letters at once."""
    from textual import events

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(tab)
        await pilot.pause()
        before = app.focused
        assert before is not None
        await pilot.press("slash")
        dash = dashboard(app)
        field = dash._filter_field()
        tab_now = dash.query_one(TabbedContent).active
        for char in "ada":  # routed to the widget that had the focus before "/", handled after it
            before._forward_event(events.Key(char, char))
        await until(pilot, lambda: field.value == "ada", "the letters in the filter")
        assert app.focused is field
        assert dash.query_one(TabbedContent).active == tab_now
        await pilot.press("escape")
        await pilot.pause()
        assert field.value == ""
        await pilot.press("a")  # out of the field, "a" is the Adoption tab again
        await until(pilot, lambda: dash.query_one(TabbedContent).active == "tab-adoption", "the adoption tab")


async def test_q_quits_from_help_and_from_a_user_detail() -> None:
    for keys in (("question_mark", "q"), ("enter", "q"), ("p", "q"), ("e", "q")):
        app = demo_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            await pilot.pause()
            assert app._exit, keys  # q quits from help, a detail, a picker without a text field


@pytest.mark.parametrize("after", ["e", "p", "question_mark", "enter", "o"])
async def test_keys_typed_right_after_q_open_nothing(after: str) -> None:
    """q and a key behind it in one burst: the app quits cleanly, the key opens no screen on the way out (a picker
    mounted while the app closes had no widgets: a traceback and exit status 1)."""
    from textual import events

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screens = len(app.screen_stack)
        app.post_message(events.Key("q", "q"))
        app.post_message(events.Key(after, {"question_mark": "?", "enter": "\r"}.get(after, after)))
        await pilot.pause()
        await pilot.pause()
        assert app._exit
        assert len(app.screen_stack) <= screens
    assert app.return_code in (0, None)


async def test_ctrl_c_quits_outside_a_text_field() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app._exit


async def test_esc_on_the_table_clears_a_kept_login_filter() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        t = table(app)
        everyone = len(t.shown_indices)
        first = t.row_at(t.shown_indices[0]).user_login
        await pilot.press("slash", *first[:4], "enter")
        await pilot.pause()
        assert t.has_focus and len(t.shown_indices) < everyone
        await pilot.press("escape")
        await pilot.pause()
        assert dashboard(app).query_one("#filter", Input).value == ""
        assert len(t.shown_indices) == everyone


async def test_a_small_terminal_shows_the_totals_as_a_strip_and_a_tiny_one_says_its_size() -> None:
    from copilot_tui.ui.widgets.totals import STRIP_LINES

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        totals = dashboard(app).query_one(TotalsPane)
        assert totals.compact and totals.size.height == STRIP_LINES
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert not totals.compact and totals.size.height > STRIP_LINES
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        dash = dashboard(app)
        assert "at least 60x14" in str(dash.query_one("#too-small").render())
        assert app.focused is None
        await pilot.press("end", "enter")
        await pilot.pause()
        assert app.screen is dash  # no hidden table opened a user nobody saw
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.focused, UsersTable)


async def test_tab_labels_show_their_keys_and_the_footer_keeps_sort_filter_export_help_at_80() -> None:
    from textual.widgets._footer import FooterKey

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tabs = dashboard(app).query_one(TabbedContent)
        await pilot.pause()
        shown = {k.action.removeprefix("app.") for k in dashboard(app).query(FooterKey)}
        assert {"cycle_sort", "filter", "export", "help", "quit"} <= shown, shown
        panes = [pane.id for pane in tabs.query(TabPane)]
        assert len(panes) >= 7
        for pane in [*panes[1:], panes[0]]:  # every tab, each by the key its label shows
            key, _name = tabs.get_tab(pane).label.plain.split(" ", 1)
            assert len(key) == 1, pane
            await pilot.press(key)
            await until(pilot, lambda p=pane: tabs.active == p, f"{key} to open {pane}")


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
    assert labels["idle"] == "Idle days" and labels["in_reports"] == "In reports"
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        provider = CopilotCommands(app.screen)
        periods = {c.name: c.help for c in provider._commands() if c.name.startswith("Period:")}
        assert periods and all(re.search(r"key [123]$", h) for h in periods.values()), periods
        await pilot.press("g")
        assert isinstance(app.screen, GlossaryScreen)
        explained = {entry.label for _, entries in app.screen.sections for entry in entries}
        for label in ("AI credits", "Credits", "trend", "Idle days", "In reports", "Gen", "Acc", "LoC+", "Agt"):
            assert label in explained


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


async def test_the_palette_finds_a_key_by_its_name_in_the_footer() -> None:
    """Typing a footer's word ("Export", "Refresh", "Help") offers that key's command first, though the palette
    names it by its longer tooltip."""
    from textual.binding import Binding

    from copilot_tui.ui.commands import CopilotCommands
    from copilot_tui.ui.screens.dashboard import DashboardScreen

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        provider = CopilotCommands(app.screen)
        action_of = {c.name: c.action for c in provider._commands()}
        bindings = [b for b in [*app.BINDINGS, *DashboardScreen.BINDINGS] if isinstance(b, Binding)]
        for binding in (b for b in bindings if b.show):
            hits = [hit async for hit in provider.search(binding.description)]
            assert hits, f"{binding.description!r} finds nothing"
            best = max(hits, key=lambda hit: hit.score)
            same_name = {b.action for b in bindings if b.description == binding.description}
            assert action_of.get(best.text or "") in same_name, f"{binding.description!r} finds {best.text!r} first"
