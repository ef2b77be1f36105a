"""The totals pane says each figure's window, and its period figures match the raw demo lines."""

from __future__ import annotations

from collections import defaultdict

import orjson

from copilot_tui.metrics.demo import default_dataset
from copilot_tui.metrics.derive import Period
from copilot_tui.ui.screens.glossary import GlossaryScreen
from copilot_tui.ui.widgets.totals import FIGURES, WINDOW_TAGS, TotalsPane
from tests.ui.conftest import compared_view, dashboard, demo_app, rendered, settle

WINDOW_WORDS = {"period": "period", "day": "latest day", "7 days": "7 days ending", "28 days": "28 days ending"}


def test_every_figure_names_its_window_in_its_label_and_meaning() -> None:
    for figure in FIGURES:
        tag = WINDOW_TAGS[figure.window]
        assert figure.label.endswith(f" {tag}") if tag else not figure.label.endswith(("1d", "7d", "28d"))
        assert WINDOW_WORDS[figure.window] in figure.meaning, figure.key


def raw_period_users(org: str, period: Period) -> dict[str, int]:
    """Distinct user ids of the demo's raw users lines in ``period``, all and per flag."""
    ids: dict[str, set[int]] = defaultdict(set)
    for day in period.each_day():
        for line in default_dataset().iter_ndjson("org", org, "users-1-day", day):
            row = orjson.loads(line)
            ids["active"].add(row["user_id"])
            for name, flag in (("agent", "used_agent"), ("chat", "used_chat"), ("cli", "used_cli")):
                if row.get(flag):
                    ids[name].add(row["user_id"])
    return {name: len(v) for name, v in ids.items()}


async def test_the_pane_shows_period_users_beside_the_apis_windows_with_their_changes() -> None:
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        view = await compared_view(pilot)
        dash = dashboard(app)
        assert view.totals.users is not None and view.previous_totals is not None
        assert view.previous_totals.users is not None  # the changes of the period figures have a basis
        expected = raw_period_users(view.scope.name, view.period)
        got = view.totals.users
        assert (got.active, got.agent, got.chat, got.cli) == (
            expected["active"],
            expected["agent"],
            expected["chat"],
            expected["cli"],
        )
        assert got.cli > view.totals.latest["daily_active_cli_users"]  # the period is not the latest day
        text = rendered(dash.query_one(TotalsPane))
        for label in ("Active users", "Agent users", "CLI users", "Cloud agent", "Avg DAU", "Users 1d", "Users 28d"):
            assert label in text
        assert f"Active users {got.active:,}" in " ".join(text.split())
        assert "1d/7d/28d to" in str(dash.query_one("#totals-box").border_title)
        # a segment's tooltip says its share of the active users, and the share's move against the previous period
        pane = dash.query_one(TotalsPane)
        agent = next(f for f in FIGURES if f.key == "period_agent_users")
        before = view.previous_totals.users
        share, was = got.agent / got.active, before.agent / before.active
        assert pane.tip(agent).endswith(
            f". {share:.1%} of the period's active users, {(share - was) * 100:+.1f}pt against the previous period"
        )
        assert "of the period's active users" not in pane.tip(next(f for f in FIGURES if f.key == "interactions"))
        await pilot.press("g")
        assert isinstance(app.screen, GlossaryScreen)
        totals = {entry.label: entry for entry in dict(app.screen.sections)["Totals"]}
        assert "selected period" in totals["Active users"].meaning
        assert "latest day" in totals["CLI users 1d"].meaning
        assert totals["CLI users 1d"].covers.startswith("Daily CLI users · the latest day with data")


async def test_completion_tiles_say_completion_and_help_explains_they_are_not_the_tables_rate() -> None:
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        tiles = rendered(dashboard(app).query_one(TotalsPane))
        assert "Accept" not in tiles
        assert "Compl. rate" in tiles and "Compl. LoC" in tiles
        await pilot.press("g")
        assert isinstance(app.screen, GlossaryScreen)
        totals = {entry.label: entry for entry in dict(app.screen.sections)["Totals"]}
        for figure in FIGURES:
            if figure.key in ("completion_rate", "completion_loc_rate"):
                assert "code completion only" in totals[figure.label].meaning.lower()
