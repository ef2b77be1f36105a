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
from copilot_tui.ui.screens.org_picker import OrgPickerScreen
from copilot_tui.ui.widgets.seats import SeatsPane
from copilot_tui.ui.widgets.status import StatusBar
from copilot_tui.ui.widgets.teams import TeamsPane
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
