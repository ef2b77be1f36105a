"""Adoption over time (new, returning, retained, lapsed, engaged) from the facts in SQL, checked against the demo's
raw lines (``tests.adoption_oracle``); the adoption rows' shares and funnel."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from copilot_tui.facts import Facts
from copilot_tui.metrics.adoption import UserHistory, adoption_rows
from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.metrics.derive import Period, PeriodUsers
from tests.adoption_oracle import history_by_hand

SMALL = DemoDataset(days=40)
ORG = SMALL.orgs[1].login


def raw(day: date) -> bytes:
    return b"".join(SMALL.iter_ndjson("org", ORG, "users-1-day", day))


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Facts, dict[date, str]]:
    held = Facts(Path(tmp_path_factory.mktemp("facts")))
    days = {SMALL.first_day + timedelta(days=i): "t" for i in range(SMALL.days)}
    for day in days:
        held.ingest(day, "t", [(day.isoformat(), raw(day))])
    return held, days


@pytest.mark.parametrize(("days", "engaged_days"), [(7, 2), (7, 4), (14, 4), (28, 10)])
def test_history_matches_the_raw_lines(facts: tuple[Facts, dict[date, str]], days: int, engaged_days: int) -> None:
    held, wanted = facts
    period = Period.last(days, SMALL.last_day)
    expected = history_by_hand(raw, SMALL.first_day, period, engaged_days)
    if days == 7:  # a real check, not 0 == 0: the demo's light users skip weeks
        assert all(expected[k] > 0 for k in ("new", "returning", "retained", "lapsed", "engaged_agent"))
    history = held.history(period, wanted, engaged_days)
    assert {k: getattr(history, k) for k in expected} == expected
    assert history.active == history.new + history.returning + history.retained
    assert history.first_day == SMALL.first_day and history.engaged_days == engaged_days
    assert history.days_before == SMALL.days - days and history.previous_days == min(days, SMALL.days - days)


def test_a_period_at_the_start_of_the_history_is_all_new(facts: tuple[Facts, dict[date, str]]) -> None:
    held, wanted = facts
    period = Period(SMALL.first_day, SMALL.first_day + timedelta(days=6))
    history = held.history(period, wanted, 4)
    assert history.days_before == 0 and history.previous_days == 0
    assert history.new == history.active > 0 and history.lapsed == 0
    empty = Facts(Path("/nonexistent")).history(period, {}, 4)
    assert (empty.active, empty.first_day) == (0, None)


def test_rows_give_shares_of_the_figure_they_name() -> None:
    period = Period(date(2026, 1, 8), date(2026, 1, 14))
    history = UserHistory(period, 4, date(2026, 1, 1), 7, 7, 100, 10, 5, 85, 15, 60, 30)
    users = PeriodUsers(active=100, agent=40, chat=70, cli=10, code_review=3, cloud_agent=1, completion_only=20)
    rows = {(r.group, r.figure): r for r in adoption_rows(history, 200, users)}
    assert rows["over_time", "new_users"].share == 0.1
    assert rows["over_time", "lapsed_users"].share == 15 / 100  # of the previous period's 85 + 15
    assert rows["funnel", "active_users"].share == 0.5 and rows["funnel", "active_users"].share_of == "seats"
    assert rows["funnel", "engaged_users"].share == 0.6
    assert rows["funnel", "engaged_agent_users"].share == 0.5
    assert rows["segments", "completion_only"].share == 0.2
    unseated = {(r.group, r.figure): r for r in adoption_rows(None, None, users)}
    assert ("over_time", "new_users") not in unseated and unseated["funnel", "seats"].users is None
    assert unseated["funnel", "active_users"].share is None
