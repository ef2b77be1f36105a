"""Pictures of what the numbers leave out: the dashboard's problems line and the problems view (w), at 80x24 and
160x48, on demo data with skipped lines and pending days of the kinds the fake's realistic preset gives."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot

from copilot_tui.app import CopilotApp, LaunchOptions
from copilot_tui.metrics.model import LineProblem
from copilot_tui.scope import Scope
from copilot_tui.sources.demo import DemoSource
from tests.ui.test_snapshots import SIZES, after


def quietly(*keys: str) -> Any:
    """Press ``keys`` once the app is at rest, with its notifications gone: they would cover what is pictured."""
    settled = after()
    pressed = after(*keys)

    async def run(pilot: Pilot[Any]) -> None:
        await settled(pilot)
        pilot.app.clear_notifications()
        await pressed(pilot)

    return run


REASONS = (
    "expected a JSON object, got a list",
    "not valid JSON (unexpected character: line 1 column 189 (char 188))",
    "not valid JSON (byte order mark (BOM) is not supported: line 1 column 1 (char 0))",
    "nested more than 1000 deep",
    "loc_added_sum is out of range (3.6893488147419103e+19)",
    "user_initiated_interaction_count is negative (-1000000)",
    "code_generation_activity_count should be a whole number, got '10'",
    "user 200100001 on {day} again (the first line is kept)",
)


class LeftOutSource(DemoSource):
    """The demo, with a week-old users report ending in lines the rule skips, and the last day's users and
    user-teams reports (and the day before's user-teams) not delivered yet."""

    async def load(self, scope: Scope, **kw: Any) -> Any:
        snap = await super().load(scope, **kw)
        day = snap.last_day - timedelta(days=6)
        source = f"{scope.name}/users-1-day/{day}/part-2-of-2.ndjson"
        problems = [LineProblem(source, 180 + n, r.format(day=day)) for n, r in enumerate(REASONS)]
        last = snap.last_day
        pending = ((last, "users-1-day"), (last, "user-teams-1-day"), (last - timedelta(days=1), "user-teams-1-day"))
        return dataclasses.replace(snap, totals_problems=problems, pending=pending)


def app() -> CopilotApp:
    return CopilotApp(LaunchOptions(demo=True, org="octo-labs"), source=LeftOutSource())


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_says_what_is_left_out(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(app(), terminal_size=size, run_before=quietly())


@pytest.mark.parametrize("size", SIZES)
def test_problems_view(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(app(), terminal_size=size, run_before=quietly("w"))
