"""AI credits where an admin looks for them: a sortable users column, the period's total with its change, per day in
a user's detail. Every figure is checked against the demo's raw users lines."""

from __future__ import annotations

import io
from collections import defaultdict

import orjson
import pytest
from rich.console import Console

from copilot_tui.metrics.demo import default_dataset
from copilot_tui.metrics.derive import Period
from copilot_tui.ui.screens.user_detail import UserDetailScreen
from copilot_tui.ui.widgets.totals import TotalsPane
from copilot_tui.ui.widgets.users import UsersTable
from tests.ui.conftest import compared_view, dashboard, demo_app, rendered, until


def raw_credits(org: str, period: Period) -> dict[int, dict[str, float | None]]:
    """user id -> day -> ai_credits_used (None where the line has none), from the raw lines."""
    credits: dict[int, dict[str, float | None]] = defaultdict(dict)
    for day in period.each_day():
        for line in default_dataset().iter_ndjson("org", org, "users-1-day", day):
            row = orjson.loads(line)
            credits[row["user_id"]][row["day"]] = row.get("ai_credits_used")
    return credits


def summed(days: dict[str, float | None]) -> float:
    return sum(v for v in days.values() if v)


async def test_credits_are_a_sortable_column_a_total_with_its_change_and_a_daily_figure() -> None:
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        view = await compared_view(pilot)
        dash = dashboard(app)
        assert view.totals.users is not None and view.previous_totals is not None
        org = view.scope.name
        now = raw_credits(org, view.period)
        before = raw_credits(org, view.period.previous())
        total = sum(summed(days) for days in now.values())
        assert total > 0
        assert view.totals.users.ai_credits == pytest.approx(total)
        assert view.previous_totals.users is not None
        assert view.previous_totals.users.ai_credits == pytest.approx(sum(summed(d) for d in before.values()))
        pane = " ".join(rendered(dash.query_one(TotalsPane)).split())
        assert "AI credits" in pane

        t = dash.query_one(UsersTable)
        assert "ai_credits_used" in [c.key for c in t.columns]
        t.sort_by("ai_credits_used")
        await pilot.pause()
        top = t.row_at(t.shown_indices[0])
        richest = max(now, key=lambda uid: summed(now[uid]))
        assert top.user_id == richest and top.ai_credits_used == pytest.approx(summed(now[richest]))

        t.focus()
        await pilot.press("home", "enter")
        await until(pilot, lambda: isinstance(app.screen, UserDetailScreen), "the user detail")
        detail = app.screen
        assert isinstance(detail, UserDetailScreen) and detail.user.user_id == richest
        console = Console(width=200, file=io.StringIO(), record=True)
        console.print(detail._days())
        lines = console.export_text().splitlines()
        assert "Credits" in lines[0]
        for day, value in now[richest].items():
            (line,) = [text for text in lines if text.strip().startswith(day)]
            assert ("–" if value is None else f"{value:,.1f}") in line.split()
