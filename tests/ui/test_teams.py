"""The Teams tab with Pilot, on a demo enterprise of three orgs and 20+ teams: the figures are the sums over the
members' rows (from the raw report lines), Enter filters the users table to a team, Esc and x clear it."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest
from textual.widgets import TabbedContent

from copilot_tui.app import CopilotApp, LaunchOptions
from copilot_tui.metrics.demo import DemoDataset, DemoOrg
from copilot_tui.sources.demo import DemoSource
from copilot_tui.ui.widgets.orgs import OrgsPane
from copilot_tui.ui.widgets.teams import TEAM_COLUMNS, TeamChip, TeamsPane, TeamsTable
from copilot_tui.ui.widgets.users import UsersTable
from copilot_tui.ui.widgets.versions import VersionsPane
from tests.ui.conftest import dashboard, first_team_opened, notifications, rendered, settle, until

ENTERPRISE = "hive"
FIELDS = {
    "interactions": "user_initiated_interaction_count",
    "generations": "code_generation_activity_count",
    "acceptances": "code_acceptance_activity_count",
    "loc_added": "loc_added_sum",
}


@pytest.fixture(scope="module")
def dataset() -> DemoDataset:
    return DemoDataset(
        orgs=(DemoOrg("ant", "3001", 60, 7), DemoOrg("bee", "3002", 70, 7), DemoOrg("cat", "3003", 80, 8)),
        days=40,
        enterprise=ENTERPRISE,
    )


def app_on(dataset: DemoDataset, **options: Any) -> CopilotApp:
    return CopilotApp(LaunchOptions(demo=True, **options), source=DemoSource(dataset))


def expected(dataset: DemoDataset, kind: str, name: str, days: int) -> dict[int, dict[str, Any]]:
    """Per team: members ever listed in the period, active users and the counters summed over the days they were
    members (raw report lines, plain sums)."""
    end = dataset.last_day
    teams: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"listed": set(), "active": set(), "ai_credits": 0.0, **{f: 0 for f in FIELDS}}
    )
    for i in range(days):
        day = end - timedelta(days=i)
        membership: dict[int, set[int]] = defaultdict(set)
        for line in dataset.report_lines(kind, name, "user-teams-1-day", day) or []:
            membership[line["user_id"]].add(line["team_id"])
            teams[line["team_id"]]["listed"].add(line["user_id"])
        for row in dataset.report_lines(kind, name, "users-1-day", day) or []:
            for team_id in membership.get(row["user_id"], ()):
                teams[team_id]["active"].add(row["user_id"])
                for attr, field in FIELDS.items():
                    teams[team_id][attr] += row.get(field) or 0
                teams[team_id]["ai_credits"] += row.get("ai_credits_used") or 0.0
    return dict(teams)


async def test_enterprise_teams_are_the_sums_over_their_members(dataset: DemoDataset) -> None:
    app = app_on(dataset, enterprise=ENTERPRISE)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        dash = dashboard(app)
        assert dash.query_one(TabbedContent).active == "tab-teams"
        table = dash.query_one(TeamsTable)
        assert table.has_focus
        rows = {r.team_id: r for r in dash.query_one(TeamsPane).shown_rows()}
        want = expected(dataset, "enterprise", ENTERPRISE, 28)
        assert len(want) >= 20 and set(rows) == set(want)
        for team_id, team in want.items():
            assert rows[team_id].active_users == len(team["active"])
            for attr in FIELDS:
                assert getattr(rows[team_id], attr) == team[attr], (team_id, attr)
            assert rows[team_id].ai_credits == pytest.approx(team["ai_credits"])
        assert sum(t["ai_credits"] for t in want.values()) > 0
        distinct = set().union(*(t["active"] for t in want.values()))
        assert sum(r.active_users for r in rows.values()) > len(distinct)  # users in two teams count in both
        shown = [r.active_users for r in dash.query_one(TeamsPane).shown_rows()]
        assert shown == sorted(shown, reverse=True)


async def test_s_sorts_teams_and_enter_filters_users_until_esc(dataset: DemoDataset) -> None:
    app = app_on(dataset, org="cat")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        everyone = dash.query_one(UsersTable).row_count
        await pilot.press("t")
        await settle(pilot)
        table = dash.query_one(TeamsTable)
        before = table.sort_column
        await pilot.press("s")
        assert table.sort_column != before
        await pilot.press("S")
        await pilot.press("down")
        team = table.row_at(table.cursor_index)  # type: ignore[arg-type]
        await pilot.press("enter")
        await settle(pilot)
        assert dash.query_one(TabbedContent).active == "tab-users"
        users = dash.query_one(UsersTable)
        assert users.has_focus
        members = expected(dataset, "org", "cat", 28)[team.team_id]["listed"]
        rows = [users.row_at(i) for i in users.shown_indices]
        shown = {u.user_id for u in rows}
        assert shown == members  # every listed member, active or not
        active = {u.user_id for u in dash.view.users if u.user_id in members}  # type: ignore[union-attr]
        inactive = [u for u in rows if u.user_id not in active]
        assert inactive and all(u.days_active == 0 and u.user_login for u in inactive)
        chip = dash.query_one(TeamChip)
        text = str(chip.render())
        assert chip.display and team.slug in text and f"{len(active)} active of {len(members)} members" in text
        await pilot.press("escape")
        assert not chip.display
        assert users.row_count == everyone


async def test_x_clears_the_team_and_another_scope_drops_it(dataset: DemoDataset) -> None:
    app = app_on(dataset, org="bee")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        everyone = dash.query_one(UsersTable).row_count
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert dash.query_one(UsersTable).row_count < everyone
        await pilot.press("x")
        assert dash.query_one(UsersTable).row_count == everyone
        await pilot.press("t", "enter")
        await settle(pilot)
        assert dash.query_one(TeamChip).active
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert dash.view is not None and dash.view.scope.name != "bee"
        assert not dash.query_one(TeamChip).active
        assert dash.query_one(UsersTable).row_count == len(dash.view.users)


async def test_the_light_decoding_gives_the_full_parsers_teams(dataset: DemoDataset) -> None:
    from copilot_tui.metrics.teams import summarize_teams
    from copilot_tui.scope import Scope
    from copilot_tui.ui.widgets.teams import build_teams

    snap = await DemoSource(dataset).load(Scope("enterprise", ENTERPRISE), days=28)
    fast = build_teams(snap, snap.period).teams
    full = summarize_teams(snap.team_rows, snap.user_rows, snap.period)

    def figures(teams: Any) -> dict[int, Any]:
        return {
            t.team_id: (
                t.members,
                t.active_users,
                t.active_user_days,
                t.activity,
                t.agent_users,
                t.chat_users,
                t.cli_users,
            )
            for t in teams
        }

    assert len(fast) >= 20 and figures(fast) == figures(full)


async def test_the_glossary_explains_every_teams_column(dataset: DemoDataset) -> None:
    from copilot_tui.metrics.catalog import metric
    from copilot_tui.ui.screens.glossary import GlossaryScreen
    from copilot_tui.ui.widgets.teams import TEAM_COLUMNS

    app = app_on(dataset, org="cat")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        assert isinstance(app.screen, GlossaryScreen)
        teams = dict(app.screen.sections)["Teams tab"]
        explained = {entry.label: entry.meaning for entry in teams}
        for column in TEAM_COLUMNS:
            assert explained[column.label] == metric(column.term).meaning


class TeamsChanging(DemoDataset):
    """Every fifth user left their teams ten days before the last day."""

    def team_rows(self, org: DemoOrg, day: Any) -> list[dict[str, Any]]:
        rows = super().team_rows(org, day)
        if day <= self.last_day - timedelta(days=10):
            return rows
        return [r for r in rows if r["user_id"] % 5]


async def test_a_new_period_narrows_to_the_teams_members_in_it() -> None:
    """The team stays chosen across a period change, with its members in the new period (from the raw lines)."""
    dataset = TeamsChanging(orgs=(DemoOrg("cat", "3003", 80, 8),), days=40, enterprise=ENTERPRISE)
    app = app_on(dataset, org="cat")
    async with app.run_test(size=(80, 24)) as pilot:
        chip = await first_team_opened(app, pilot)
        dash = dashboard(app)
        team, before = chip.team, chip.members
        assert before == expected(dataset, "org", "cat", 28)[team.team_id]["listed"]
        await pilot.press("1")  # the last 7 days
        await until(pilot, lambda: dash.view is not None and dash.view.period.days == 7, "the new period")
        members = expected(dataset, "org", "cat", 7)[team.team_id]["listed"]
        assert members < before
        await until(pilot, lambda: chip.members == members, "the team's members in the new period")
        users = dash.query_one(UsersTable)
        assert {users.row_at(i).user_id for i in users.shown_indices} == members
        assert chip.active and chip.team.team_id == team.team_id and f"of {len(members)} members" in rendered(chip)


async def test_a_team_absent_from_the_new_period_is_cleared_and_said(dataset: DemoDataset) -> None:
    from dataclasses import replace

    app = app_on(dataset, org="cat")
    async with app.run_test(size=(80, 24)) as pilot:
        chip = await first_team_opened(app, pilot)
        dash = dashboard(app)
        gone = replace(chip.team, team_id=-42, slug="disbanded")  # a team the new period does not list
        chip.set_team(gone, chip.members, chip.logins)
        await pilot.press("1")
        await until(pilot, lambda: not chip.active, "the team filter cleared")
        users = dash.query_one(UsersTable)
        assert len(users.shown_indices) == len(dash.view.users)  # type: ignore[union-attr]
        await until(pilot, lambda: any("disbanded" in n for n in notifications(app)), "the notice")


@pytest.mark.parametrize("key", ["t", "V", "O"])
async def test_a_tab_opened_right_after_a_scroll_elsewhere_computes_its_rows(dataset: DemoDataset, key: str) -> None:
    app = app_on(dataset, enterprise=ENTERPRISE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b", "down")  # after a scroll, Textual sends no Show to the pane of the next tab
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        dash = dashboard(app)
        pane = {"t": dash.query_one(TeamsPane), "V": dash.query_one(VersionsPane), "O": dash.query_one(OrgsPane)}[key]
        assert pane.view is not None and pane.table.row_count > 0


@pytest.mark.parametrize(
    ("name", "width", "shown"),
    [
        ("octo-corp/platform-core", 15, "…/platform-core"),  # the slug whole
        ("octo-corp/platform-core", 12, "…/platform-…"),  # a slug longer still cut at its end
        ("platform-core", 10, "platform-…"),  # a team of one org has no org to drop
    ],
)
def test_a_team_too_long_for_its_column_keeps_its_slug(name: str, width: int, shown: str) -> None:
    from copilot_tui.ui.widgets.user_table import _fit

    (column,) = [c for c in TEAM_COLUMNS if c.key == "name"]
    text = column.shorten(name, width) if column.shorten is not None else name
    assert _fit(text, width, "left") == shown
