"""CLI in depth with Pilot: the adoption tab's CLI section (the scope's day records) and the user detail's (the
user's own lines), each series checked against the raw lines the demo serves."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import orjson

from copilot_tui.metrics.cli import CLI_FIGURES
from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.ui.screens.user_detail import UserDetailScreen
from copilot_tui.ui.widgets.cli import CliPane
from copilot_tui.ui.widgets.users import UsersTable
from tests.ui.conftest import dashboard, demo_app, rendered, settle, until


def lines(parts: Any) -> list[dict[str, Any]]:
    found = []
    for _name, data in parts:
        for chunk in [data] if isinstance(data, bytes) else data:
            found += [orjson.loads(x) for x in chunk.splitlines() if x.strip()]
    return found


def cli_field(line: dict[str, Any], field: str) -> int:
    cli = line.get("totals_by_cli") or {}
    return int(((cli.get("token_usage") or {}) if field.endswith("_tokens_sum") else cli).get(field) or 0)


async def test_the_adoption_tab_and_the_user_detail_show_cli_by_day(app_dirs: dict[str, Path]) -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = dashboard(app)
        view = screen.view
        assert view is not None and view.totals.users is not None
        await pilot.press("a")
        await settle(pilot, view=False)
        pane = screen.query_one("#adoption-cli", CliPane)
        days = view.period.each_day()
        served = DemoDataset()
        org_lines = [
            orjson.loads(b"".join(served.iter_ndjson("org", "octo-labs", "organization-1-day", d))) for d in days
        ]
        series = {s.metric: s for s in pane.series}
        assert series["period_cli_users"].total == view.totals.users.cli
        assert series["period_cli_users"].values == tuple(x["daily_active_cli_users"] for x in org_lines)
        for key, _label, field in CLI_FIGURES:
            expected = tuple(cli_field(x, field) for x in org_lines)
            assert series[key].values == expected and series[key].total == sum(expected) > 0, key
        assert "Copilot CLI" in rendered(pane) and "Tokens out" in rendered(pane)
        user_lines = lines(screen.snapshot.users_parts())
        heavy = max((x for x in user_lines if x.get("totals_by_cli")), key=lambda x: cli_field(x, "session_count"))
        await pilot.press("u")
        table = screen.query_one(UsersTable)
        index = next(i for i in table.shown_indices if table.row_at(i).user_id == heavy["user_id"])
        table.move_cursor(list(table.shown_indices).index(index))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UserDetailScreen), "the user detail")
        await settle(pilot, view=False)
        mine = {date.fromisoformat(x["day"]): x for x in user_lines if x["user_id"] == heavy["user_id"]}
        detail = {s.metric: s for s in app.screen.query_one(CliPane).series}
        for key, _label, field in CLI_FIGURES:
            expected = tuple(cli_field(mine[d], field) if d in mine else 0 for d in days)
            assert detail[key].values == expected and detail[key].total == sum(expected), key
