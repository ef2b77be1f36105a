"""Enterprise scope: --enterprise opens it, the org picker lists it with its orgs to switch between them, and the
Teams and Seats tabs work at that scope. On demo data and live against a fake GitHub holding an enterprise of three
orgs and 20+ teams."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets import OptionList

from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from copilot_tui.metrics.demo import DemoDataset, DemoOrg
from copilot_tui.scope import Scope
from copilot_tui.sources.demo import DemoSource
from copilot_tui.ui.screens.org_picker import OrgPickerScreen
from copilot_tui.ui.widgets.seats import SeatsPane
from copilot_tui.ui.widgets.status import StatusBar
from copilot_tui.ui.widgets.teams import TeamsPane
from copilot_tui.ui.widgets.users import UsersTable
from tests.ui.conftest import MemoryKeyring, dashboard, live_app, settle, until
from tests.ui.test_teams import app_on

HIVE = Scope("enterprise", "hive")
ORGS = ("ant", "bee", "cat")


def hive_dataset() -> DemoDataset:
    return DemoDataset(
        orgs=(DemoOrg("ant", "3001", 60, 7), DemoOrg("bee", "3002", 70, 7), DemoOrg("cat", "3003", 80, 8)),
        days=40,
        enterprise="hive",
    )


@pytest.fixture(scope="module")
def hive_hub() -> Iterator[FakeGitHub]:
    with FakeGitHub(hive_dataset(), parts_per_report=1) as hub:
        yield hub


def picker_entries(app: Any) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt).strip("● ").strip() for i in range(options.option_count)]


async def switch_to(pilot: Any, text: str) -> None:
    await pilot.press("o")
    await until(pilot, lambda: isinstance(pilot.app.screen, OrgPickerScreen), "the org picker")
    await pilot.press(*text, "enter")
    await settle(pilot)


async def test_enterprise_flag_opens_the_enterprise_and_the_picker_switches_to_its_orgs_and_back() -> None:
    app = app_on(hive_dataset(), enterprise="hive")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        assert dash.view is not None and dash.view.scope == HIVE
        assert "hive (enterprise)" in dash.query_one(StatusBar).what
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, OrgPickerScreen), "the org picker")
        assert set(picker_entries(app)) == {*ORGS, "hive (enterprise)"}
        await pilot.press("escape")
        await switch_to(pilot, "bee")
        assert dash.view.scope == Scope("org", "bee")
        await switch_to(pilot, "hive")
        assert dash.view.scope == HIVE


async def test_live_enterprise_from_the_fake(
    hive_hub: FakeGitHub, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    hive_hub.reset()
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    app = live_app(hive_hub, enterprise="hive")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        assert dash.view is not None and dash.view.scope == HIVE
        asked = {r.path for r in hive_hub.requests_to("api")}
        assert "/enterprises/hive/copilot/metrics/reports/enterprise-1-day" in asked
        assert set(dash.session.scopes) == {HIVE, *(Scope("org", o) for o in ORGS)}
        await pilot.press("t")
        await settle(pilot)
        assert len(dash.query_one(TeamsPane).shown_rows()) >= 20
        await pilot.press("l")
        await settle(pilot)
        report = dash.query_one(SeatsPane).report
        assert report is not None and report.scope == HIVE and report.counted
        assert len(report.seats) == 60 + 70 + 80
        assert "/enterprises/hive/copilot/billing/seats" in {r.path for r in hive_hub.requests_to("api")}
        assert f"{len(report.seats)} seats" in str(dash.query_one("#totals-box").border_title)
        await switch_to(pilot, "cat")
        assert dash.view.scope == Scope("org", "cat")
        await settle(pilot)
        org_report = dash.query_one(SeatsPane).report
        assert org_report is not None and not org_report.counted and len(org_report.seats) == 80


def seat_orgs(dataset: DemoDataset) -> dict[int, str]:
    """Each user id's org, from the raw seats of each org (as the enterprise's seats API names it)."""
    return {seat["assignee"]["id"]: org.login for org in dataset.orgs for seat in dataset.seats(org)}


async def test_enterprise_users_show_their_org_and_teams_are_named_with_theirs() -> None:
    dataset = hive_dataset()
    app = app_on(dataset, enterprise="hive")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        table = dash.query_one(UsersTable)
        await until(
            pilot,
            lambda: table.row_at(0) is not None and any(c.key == "organization" for c in table.fitting_columns()),
            "Org",
        )
        await until(pilot, lambda: table._cell("organization", 0) is not None, "the users' orgs")
        want = seat_orgs(dataset)
        for index in range(table.row_count):
            assert table._cell("organization", index) == want[table.row_at(index).user_id]
        assert "Org" in pilot.app.screen.query_one(UsersTable).render_line(0).text
        await pilot.press("t")
        await settle(pilot)
        pane = dash.query_one(TeamsPane)
        await until(pilot, lambda: all("/" in r.name for r in pane.shown_rows() if r.team_id), "teams' orgs")
        slugs = {team_id: (org.login, slug) for org in dataset.orgs for team_id, slug in dataset.team_slugs(org)}
        rows = [r for r in pane.shown_rows() if r.team_id]
        assert rows and all(r.name == "/".join(slugs[r.team_id]) for r in rows)
        same_slug = [r for r in rows if r.slug == rows[0].slug]
        assert len({r.name for r in same_slug}) == len(same_slug) > 1
        await switch_to(pilot, "bee")
        await settle(pilot)
        assert all(c.key != "organization" for c in table.fitting_columns())
        await pilot.press("t")
        await settle(pilot)
        assert all("/" not in r.name for r in dash.query_one(TeamsPane).shown_rows())


async def test_enterprise_without_seats_leaves_the_org_column_empty_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from copilot_tui.licenses import SeatsUnavailableError

    async def refused(self: Any, scope: Scope) -> Any:
        raise SeatsUnavailableError("the token may not read this enterprise's seats.")

    monkeypatch.setattr(DemoSource, "seats", refused)
    app = app_on(hive_dataset(), enterprise="hive")
    notes: list[str] = []
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(str(message)))
        await settle(pilot)
        await until(pilot, lambda: any("Org column" in n for n in notes), "the notice")
        table = dashboard(app).query_one(UsersTable)
        assert any(c.key == "organization" for c in table.fitting_columns())
        assert all(table._cell("organization", i) is None for i in range(table.row_count))
        assert any("may not read this enterprise's seats" in n for n in notes)
        await pilot.press("t")
        await settle(pilot)
        note = str(dashboard(app).query_one("#teams-note").render())
        assert "without their org" in note
