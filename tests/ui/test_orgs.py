"""The Orgs tab with Pilot on the demo enterprise: one row per org with its seats, active users, engaged and agent
shares, AI credits and idle seats (computed from the raw report lines and seat objects); Enter opens the org; an
organization says to open an enterprise."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from copilot_tui.metrics.demo import default_dataset
from copilot_tui.scope import Scope
from copilot_tui.ui.widgets.orgs import OrgsPane
from tests.orgs_expected import expected_orgs
from tests.ui.conftest import dashboard, demo_app, rendered, settle, until


async def open_orgs(app: Any, pilot: Any) -> OrgsPane:
    await settle(pilot)
    await pilot.press("O")
    pane = dashboard(app).query_one(OrgsPane)
    await until(pilot, lambda: pane.view is not None, "the orgs")
    return pane


async def test_each_org_of_the_demo_enterprise_from_the_raw_lines_and_seats() -> None:
    app = demo_app(enterprise="octo-enterprise")
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_orgs(app, pilot)
        assert pane.view is not None
        rows = {r.org: r for r in pane.view.rows}
        unplaced = pane.view.unplaced
        period = dashboard(app).view.period  # type: ignore[union-attr]
        total = len(dashboard(app).view.users)  # type: ignore[union-attr]
        order = [pane.table.row_at(i).org for i in pane.table.shown_indices]
        await pilot.press("home", "down", "enter")
        await until(pilot, lambda: dashboard(app).view.scope == Scope("org", order[1]), "the org")  # type: ignore[union-attr]
    want = expected_orgs(default_dataset(), period.start, period.end)
    assert set(rows) == set(want)
    for org, row in want.items():
        got = rows[org]
        assert (got.seats, got.idle_seats, set(got.user_ids)) == (row["seats"], row["idle"], row["active"]), org
        assert (got.engaged_users, got.agent_users) == (row["engaged"], row["agent"]), org
        assert got.ai_credits == pytest.approx(row["credits"], abs=1e-6), org
    assert sum(r.active_users for r in rows.values()) == total and unplaced == 0
    assert order == sorted(rows, key=lambda o: -rows[o].active_users)


async def test_an_organization_points_to_its_enterprise() -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("O")
        pane = dashboard(app).query_one(OrgsPane)
        await until(pilot, lambda: "open an enterprise" in rendered(pane.query_one("#orgs-note", Static)), "the note")
        assert pane.table.row_count == 0
