"""Trends (key h): every totals figure and each feature's adoption as a chart with dates, and the user detail's
daily charts. Each line's points are checked against the demo's raw report lines."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import orjson
import pytest
from textual.widgets import OptionList

from copilot_tui.metrics.demo import default_dataset
from copilot_tui.metrics.derive import Period
from copilot_tui.metrics.trends import buckets
from copilot_tui.ui.periods import PeriodChoice
from copilot_tui.ui.screens.period_picker import PeriodPickerScreen
from copilot_tui.ui.screens.trends import TrendsScreen
from copilot_tui.ui.screens.user_detail import UserDetailScreen
from copilot_tui.ui.widgets.chart import LineChart
from copilot_tui.ui.widgets.status import StatusBar
from tests.ui.conftest import compared_view, dashboard, demo_app, settle, until


def raw_org_days(org: str, period: Period) -> dict[date, dict[str, Any]]:
    """day -> the organization report's line of that day, read straight from the demo's raw lines."""
    out = {}
    for d in period.each_day():
        data = b"".join(default_dataset().iter_ndjson("org", org, "organization-1-day", d))
        if data.strip():
            out[d] = orjson.loads(data)
    return out


def raw_feature_users(org: str, period: Period, feature: str) -> dict[date, int]:
    """day -> how many users lines name ``feature`` in their breakdown."""
    counts: Counter[date] = Counter()
    for d in period.each_day():
        for line in default_dataset().iter_ndjson("org", org, "users-1-day", d):
            row = orjson.loads(line)
            if any(f["feature"] == feature for f in row.get("totals_by_feature") or ()):
                counts[d] += 1
    return counts


def raw_users(org: str, period: Period, size: str, flag: str | None) -> list[float | None]:
    """The distinct users (with ``flag`` set, when named) of each bucket of ``period``, from the demo's raw users
    lines; None for a bucket without the organization report (as the charts leave it out)."""
    org_days = raw_org_days(org, period)
    out: list[float | None] = []
    for cut in buckets(period, size):  # type: ignore[arg-type]
        ids = {
            row["user_id"]
            for d in cut.each_day()
            for row in map(orjson.loads, default_dataset().iter_ndjson("org", org, "users-1-day", d))
            if flag is None or row.get(flag)
        }
        out.append(float(len(ids)) if any(d in org_days for d in cut.each_day()) else None)
    return out


def screen_text(app: Any) -> str:
    """What the terminal shows, line by line."""
    return "\n".join("".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips())


async def open_trends(pilot: Any) -> TrendsScreen:
    await pilot.press("h")
    await until(pilot, lambda: isinstance(pilot.app.screen, TrendsScreen), "the trends screen")
    screen = pilot.app.screen
    assert isinstance(screen, TrendsScreen)
    await until(pilot, lambda: screen.trends != [] and not screen.counting, "the charts")
    return screen


async def test_daily_charts_are_the_raw_days_and_the_previous_period_is_a_second_line() -> None:
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        view = await compared_view(pilot)
        trends = await open_trends(pilot)
        by_key = {t.key: t for t in trends.trends}
        org = view.scope.name
        now, before = raw_org_days(org, view.period), raw_org_days(org, view.period.previous())

        interactions = by_key["interactions"]
        assert interactions.current.days == tuple(view.period.each_day())
        assert list(interactions.current.values) == [
            now[d]["user_initiated_interaction_count"] if d in now else None for d in view.period.each_day()
        ]
        assert interactions.previous is not None
        assert list(interactions.previous.values) == [
            before[d]["user_initiated_interaction_count"] for d in view.period.previous().each_day()
        ]
        assert [d - view.period.start for d in interactions.previous.days] == [
            d - view.period.previous().start for d in view.period.previous().each_day()
        ]  # drawn on the same days as the period
        assert list(by_key["mau"].current.values) == [now[d]["monthly_active_users"] for d in view.period.each_day()]
        completions = [
            [f for f in now[d].get("totals_by_feature") or () if f["feature"] == "code_completion"]
            for d in view.period.each_day()
        ]
        assert by_key["completion_rate"].percent
        assert list(by_key["completion_rate"].current.values) == pytest.approx(
            [
                f[0]["code_acceptance_activity_count"] / f[0]["code_generation_activity_count"] if f else None
                for f in completions
            ]
        )

        completion = by_key["feature:code_completion"]
        users = raw_feature_users(org, view.period, "code_completion")
        assert list(completion.current.values) == [users[d] for d in view.period.each_day()]
        for t in trends.trends:  # every line the list offers has points
            assert any(v is not None for v in t.current.values), t.key
        # the features stand under their own heading, below every figure: "Cloud agent" is both
        listed = trends.query_one("#trend-list", OptionList)
        ids = [listed.get_option_at_index(i).id for i in range(listed.option_count)]
        heading = ids.index("features-heading")
        assert listed.get_option_at_index(heading).disabled
        assert all(not k.startswith("feature:") for k in ids[:heading])
        assert ids[heading + 1 :] and all(k.startswith("feature:") for k in ids[heading + 1 :])
        listed.highlighted = heading - 1
        await pilot.press("down")
        assert trends._shown() is not None and trends._shown().key == ids[heading + 1]

        # the users report's distinct users of each day, this period's and the previous period's
        for key, flag in (
            ("active_users", None),
            ("period_agent_users", "used_agent"),
            ("period_cli_users", "used_cli"),
        ):
            trend = by_key[key]
            assert trend.reads == "each day" and trend.previous is not None
            assert list(trend.current.values) == raw_users(org, view.period, "day", flag), key
            assert list(trend.previous.values) == raw_users(org, view.period.previous(), "day", flag), key
        assert max(by_key["active_users"].current.values) > max(by_key["period_cli_users"].current.values) > 0


async def test_a_long_period_is_charted_by_week_as_a_mean_a_day() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        dash.show_period(PeriodChoice.last(119))
        await until(pilot, lambda: dash.view is not None and dash.view.period.days == 119, "the long period")
        await settle(pilot)
        view = dash.view
        assert view is not None
        trends = await open_trends(pilot)
        assert "by week" in trends.query_one(StatusBar).what
        interactions = next(t for t in trends.trends if t.key == "interactions")
        assert interactions.reads == "a day, mean of each week"
        raw = raw_org_days(view.scope.name, view.period)
        weeks = buckets(view.period, "week")
        assert len(weeks) == 17 and interactions.current.days == tuple(w.start for w in weeks)
        for week, value in zip(weeks, interactions.current.values, strict=True):
            lines = [raw[d]["user_initiated_interaction_count"] for d in week.each_day() if d in raw]
            assert value == (pytest.approx(sum(lines) / len(lines)) if lines else None)
        active = next(t for t in trends.trends if t.key == "active_users")
        assert active.reads == "each week"  # distinct users of each week, not a mean of its days
        assert list(active.current.values) == raw_users(view.scope.name, view.period, "week", None)
        chat = next(t for t in trends.trends if t.key == "period_chat_users")
        assert list(chat.current.values) == raw_users(view.scope.name, view.period, "week", "used_chat")


async def test_h_opens_and_closes_trends_and_p_picks_the_period_the_charts_follow() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        trends = await open_trends(pilot)
        start = dash.view.period.start if dash.view else None
        assert start is not None
        assert start.strftime("%b %d") in screen_text(app)  # the first date under the x axis
        await pilot.press("down", "down")
        chosen = trends.trends[2].key
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PeriodPickerScreen), "the period picker")
        await pilot.press("slash")
        for key in "2026-10-03..2026-10-20":
            await pilot.press(key)
        await pilot.press("enter")
        await until(pilot, lambda: trends.view is not None and trends.view.period.days == 18, "the charts of the range")
        await settle(pilot)
        assert app.screen is trends
        assert "2026-10-03 → 2026-10-20" in trends.query_one(StatusBar).what
        shown = trends._shown()
        assert shown is not None and shown.key == chosen
        await pilot.pause()
        assert "Oct 03" in screen_text(app)
        await pilot.press("h")
        await until(pilot, lambda: app.screen is dash, "the dashboard")
        await open_trends(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is dash, "the dashboard again")


async def test_user_detail_draws_each_daily_series_with_dates() -> None:
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UserDetailScreen), "the user detail")
        detail = app.screen
        assert isinstance(detail, UserDetailScreen)
        # the charts may be mounted after the screen is pushed: none yet is not "every chart drawn"
        await until(pilot, lambda: (cs := list(detail.query(LineChart))) and all(c.series for c in cs), "the charts")
        charts = list(detail.query(LineChart))
        raw: dict[date, dict[str, Any]] = {}
        for d in detail.period.each_day():
            for line in default_dataset().iter_ndjson("org", detail.scope.name, "users-1-day", d):
                row = orjson.loads(line)
                if row["user_id"] == detail.user.user_id:
                    raw[d] = row
        fields = {
            "Interactions": "user_initiated_interaction_count",
            "Generations": "code_generation_activity_count",
            "Acceptances": "code_acceptance_activity_count",
            "LoC added": "loc_added_sum",
            "LoC deleted": "loc_deleted_sum",
            "AI credits": "ai_credits_used",
        }
        assert [c.series[0].label for c in charts] == list(fields)
        for chart in charts:
            (series,) = chart.series
            name = fields[series.label]
            assert series.days == tuple(detail.period.each_day())
            expected = [raw[d].get(name) if d in raw else 0 for d in detail.period.each_day()]
            assert list(series.values) == pytest.approx(expected), series.label
        text = screen_text(app)
        assert detail.period.start.strftime("%b %d") in text and "AI credits" in text
