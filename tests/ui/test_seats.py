"""The Seats tab with Pilot: the inactive list follows the seats' last activity dates as N moves with + and -, the
never-in-reports list follows the period's users, the breakdown joins the totals' title; live against the fake."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from textual.widgets import TabbedContent

from copilot_tui.app import CopilotApp
from copilot_tui.fakehub import MEMBER_TOKEN, OWNER_TOKEN, FakeGitHub
from copilot_tui.metrics.demo import DemoDataset, DemoOrg
from copilot_tui.scope import Scope
from copilot_tui.sources.demo import DemoSource
from copilot_tui.ui.widgets.seats import SeatsPane, SeatsTable
from tests.ui.conftest import MemoryKeyring, dashboard, live_app, settle
from tests.ui.test_teams import app_on

ENTERPRISE = "hive"


@pytest.fixture(scope="module")
def dataset() -> DemoDataset:
    return DemoDataset(
        orgs=(DemoOrg("ant", "3001", 60, 7), DemoOrg("bee", "3002", 70, 7), DemoOrg("cat", "3003", 80, 8)),
        days=60,
        enterprise=ENTERPRISE,
    )


def raw_seats(dataset: Any, scope: Scope) -> list[dict[str, Any]]:
    orgs = [o for o in dataset.orgs if scope.kind == "enterprise" or o.login == scope.name]
    return [seat for org in orgs for seat in dataset.seats(org)]


def last_day(seat: dict[str, Any]) -> date | None:
    return date.fromisoformat(seat["last_activity_at"][:10]) if seat["last_activity_at"] else None


def idle_ids(seats: list[dict[str, Any]], today: date, days: int) -> set[int]:
    cutoff = today - timedelta(days=days)
    return {s["assignee"]["id"] for s in seats if last_day(s) is None or last_day(s) <= cutoff}  # type: ignore[operator]


def shown(pane: SeatsPane) -> list[dict[str, Any]]:
    return pane.shown_records()


async def open_seats(app: CopilotApp, pilot: Any) -> SeatsPane:
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)
    dash = dashboard(app)
    assert dash.query_one(TabbedContent).active == "tab-seats"
    assert dash.query_one(SeatsTable).has_focus
    return dash.query_one(SeatsPane)


@pytest.mark.parametrize("scope", [Scope("enterprise", ENTERPRISE), Scope("org", "bee")])
async def test_inactive_list_follows_last_activity_as_n_moves(dataset: DemoDataset, scope: Scope) -> None:
    option = {"enterprise": ENTERPRISE} if scope.kind == "enterprise" else {"org": scope.name}
    app = app_on(dataset, **option)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_seats(app, pilot)
        seats = raw_seats(dataset, scope)
        today = dataset.last_day + timedelta(days=1)
        seen_sizes = set()
        for keys, days in (((), 30), (("plus",), 45), (("minus", "minus"), 14), (("minus",), 7)):
            for key in keys:
                await pilot.press(key)
            assert pane.days == days
            got = shown(pane)
            assert {r["user_id"] for r in got} == idle_ids(seats, today, days)
            for record in got:
                raw = next(s for s in seats if s["assignee"]["id"] == record["user_id"])
                day = last_day(raw)
                assert record["days_idle"] == (None if day is None else (today - day).days)
            seen_sizes.add(len(got))
        assert len(seen_sizes) > 1, "N should change the list on this data"
        title = str(dashboard(app).query_one("#totals-box").border_title)
        assert f"{len(seats)} seats" in title


async def test_v_shows_never_in_reports_then_all_seats(dataset: DemoDataset) -> None:
    app = app_on(dataset, org="ant")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_seats(app, pilot)
        dash = dashboard(app)
        assert dash.view is not None
        active = {u.user_id for u in dash.view.users}
        seats = raw_seats(dataset, Scope("org", "ant"))
        await pilot.press("v")
        assert pane.list == "never"
        assert {r["user_id"] for r in shown(pane)} == {s["assignee"]["id"] for s in seats} - active
        assert all(not r["in_reports"] for r in shown(pane))
        await pilot.press("v")
        assert pane.list == "all" and len(shown(pane)) == len(seats)
        await pilot.press("v")
        assert pane.list == "inactive"


async def test_live_seats_come_from_the_fake_with_the_billing_breakdown(
    fakehub: FakeGitHub, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not [r for r in fakehub.requests_to("api") if "/copilot/billing" in r.path], "seats load when shown"
        pane = await open_seats(app, pilot)
        report = pane.report
        assert report is not None and not report.counted
        seats = raw_seats(fakehub.dataset, Scope("org", "octo-garage"))
        assert len(report.seats) == len(seats) == report.breakdown["total"]
        assert {r["user_id"] for r in shown(pane)} == idle_ids(seats, report.today, 30)


async def test_live_seats_refused_say_so_in_the_pane(
    fakehub: FakeGitHub, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        fakehub.tokens[OWNER_TOKEN] = fakehub.tokens[MEMBER_TOKEN]
        pane = await open_seats(app, pilot)
        assert pane.report is None
        error = pane.errors[Scope("org", "octo-garage")]
        assert "octo-garage" in error and "Traceback" not in error
        assert error in str(pane.query_one("#seats-error").render())


class WithoutSeats:
    """A source that loads reports but has no way to seats (as the offline source)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def seats(self, scope: Scope) -> Any:
        from copilot_tui.licenses import SeatsUnavailableError

        raise SeatsUnavailableError("Seats come from GitHub's seats API, which offline mode does not reach.")


async def test_offline_has_no_seats_and_says_why(dataset: DemoDataset) -> None:
    app = CopilotApp(app_on(dataset).settings, source=WithoutSeats(DemoSource(dataset)))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_seats(app, pilot)
        assert pane.report is None
        assert "offline" in str(pane.query_one("#seats-error").render())


async def test_r_fetches_the_seats_again(dataset: DemoDataset, monkeypatch: pytest.MonkeyPatch) -> None:
    from copilot_tui import licenses

    asked: list[Scope] = []
    original = licenses.load_seats

    async def counting(source: Any, scope: Scope) -> Any:
        asked.append(scope)
        return await original(source, scope)

    monkeypatch.setattr(licenses, "load_seats", counting)
    app = app_on(dataset, org="cat")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_seats(app, pilot)
        await pilot.press("plus")
        assert asked == [Scope("org", "cat")]
        await pilot.press("r")
        await settle(pilot)
        assert asked == [Scope("org", "cat")] * 2
        pane = dashboard(app).query_one(SeatsPane)
        assert pane.report is not None and pane.days == 45
