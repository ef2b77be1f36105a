"""Seats to reclaim, with Pilot on the demo: never-used seats are the idlest, "/" filters the seats, Enter opens
the holder (or says they never appear in the reports), and the idle list says what it costs at the seat prices."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, TabbedContent

from copilot_tui.metrics.demo import default_dataset
from copilot_tui.ui.screens.user_detail import UserDetailScreen
from copilot_tui.ui.widgets.seats import SeatsPane, SeatsTable
from tests.ui.conftest import dashboard, demo_app, notifications, settle, until


async def open_seats(app: Any, pilot: Any) -> SeatsPane:
    await settle(pilot)
    await pilot.press("l")
    dash = dashboard(app)
    pane = dash.query_one(SeatsPane)
    await until(pilot, lambda: pane.report is not None and pane.rows, "the seats")
    assert dash.query_one(TabbedContent).active == "tab-seats"
    return pane


def raw_seats(org: str) -> list[dict[str, Any]]:
    ds = default_dataset()
    return next(ds.seats(o) for o in ds.orgs if o.login == org)


async def test_never_used_seats_sort_as_the_idlest_both_ways() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_seats(app, pilot)
        await pilot.press("v", "v")  # every seat
        assert pane.list == "all"
        table = pane.table
        idle = [r["days_idle"] for r in pane.shown_records()]
        never = idle.count(None)
        assert never > 0 and len(idle) > never
        assert table.sort_column == "idle" and idle[:never] == [None] * never
        used = idle[never:]
        assert used == sorted(used, reverse=True)  # type: ignore[type-var]
        await pilot.press("S")
        idle = [r["days_idle"] for r in pane.shown_records()]
        assert idle[-never:] == [None] * never and idle[:-never] == sorted(used)  # type: ignore[type-var]


async def test_slash_filters_the_seats_and_escape_clears_without_touching_the_users_filter() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_seats(app, pilot)
        await pilot.press("v", "v")
        everyone = len(pane.shown_records())
        needle = pane.shown_records()[0]["login"][:4].lower()
        await pilot.press("slash", *needle)
        assert pane.filter_input.has_focus and pane.filter_input.value == needle
        shown = [r["login"] for r in pane.shown_records()]
        assert shown and all(needle in login.lower() for login in shown) and len(shown) < everyone
        assert dashboard(app).query_one("#filter", Input).value == ""
        await pilot.press("escape")
        assert pane.filter_input.value == "" and len(pane.shown_records()) == everyone
        assert pane.query_one(SeatsTable).has_focus
        assert dashboard(app).query_one(TabbedContent).active == "tab-seats"


async def test_enter_on_a_seat_opens_its_holder_or_says_they_never_appear() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_seats(app, pilot)
        dash = dashboard(app)
        assert dash.view is not None
        active = {u.user_id: u for u in dash.view.users}
        await pilot.press("v")  # never in the reports
        assert pane.list == "never"
        first = pane.shown_records()[0]
        assert first["user_id"] not in active
        await pilot.press("home", "enter")
        await until(pilot, lambda: any("never appears" in n for n in notifications(app)), "the notice")
        assert app.screen is dash
        notice = next(n for n in notifications(app) if "never appears" in n)
        assert first["login"] in notice
        await pilot.press("v")  # every seat: find one whose holder is in the reports
        records = pane.shown_records()
        position = next(i for i, r in enumerate(records) if r["user_id"] in active)
        table = pane.table
        table.move_cursor(position)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UserDetailScreen), "the user detail")
        assert app.screen.user.user_id == records[position]["user_id"]  # type: ignore[attr-defined]


async def test_the_idle_list_says_its_monthly_cost_at_the_seat_prices() -> None:
    app = demo_app()
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await open_seats(app, pilot)
        dash = dashboard(app)
        assert dash.view is not None
        idle_ids = {r["user_id"] for r in pane.shown_records()}
        prices = {"business": 19, "enterprise": 39}
        cost = sum(prices[s["plan_type"]] for s in raw_seats(dash.view.scope.name) if s["assignee"]["id"] in idle_ids)
        assert cost > 0
        title = str(pane.query_one("#seats-list-title").render())
        assert f"cost {cost:,} a month at the seat prices" in title
        assert pane.cost is not None and pane.cost.monthly == cost and pane.cost.unpriced == 0


def test_a_list_of_one_seat_names_one_seat() -> None:
    pane = SeatsPane(lambda scope: None)
    assert pane.list_title(1).startswith("1 seat unused for 30+ days ·")
    assert pane.list_title(2).startswith("2 seats unused for 30+ days ·")
    pane.list = "never"
    assert pane.list_title(1).startswith("1 seat holder never in this period's usage reports")
    assert pane.list_title(3).startswith("3 seat holders never in")
