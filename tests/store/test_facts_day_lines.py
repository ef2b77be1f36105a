"""A day's facts are that day's lines: a line of another day in a day's report is not counted for the period."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import orjson
import pytest

from copilot_tui.facts import Facts
from copilot_tui.metrics.derive import Period


def line(day: date, user_id: int) -> bytes:
    return orjson.dumps(
        {
            "day": day.isoformat(),
            "user_id": user_id,
            "user_login": f"u{user_id}",
            "user_initiated_interaction_count": 1,
            "code_generation_activity_count": 2,
            "totals_by_feature": [
                {
                    "feature": "chat_panel_ask_mode",
                    "user_initiated_interaction_count": 1,
                    "code_generation_activity_count": 2,
                }
            ],
        }
    )


@pytest.mark.parametrize("offset", [-1, 1], ids=["day-before", "day-after"])
def test_a_line_of_another_day_is_not_counted(tmp_path: Path, offset: int) -> None:
    """The period's first (or last) day's report holds a line dated the day before (after) the period: it is not
    the period's, as the fold passes it over; the day's own lines are read whole."""
    period = Period(date(2026, 3, 1), date(2026, 3, 4))
    facts = Facts(tmp_path / "facts")
    edge = period.start if offset < 0 else period.end
    days: dict[date, str] = {}
    for day in period.each_day():
        lines = [line(day, 1)]
        if day == edge:
            lines.append(line(day + timedelta(days=offset), 2))
        result = facts.ingest(day, "t", [(f"users {day}", b"\n".join(lines) + b"\n")])
        days[day] = "t"
        if day == edge:  # never silent: the line is named, with its place and why
            (problem,) = result.problems
            stray = (day + timedelta(days=offset)).isoformat()
            assert (problem.source, problem.line_no) == (f"users {day}", 2)
            assert (
                problem.message
                == f"dated {stray}, in the users report of {day}: left out (a report holds its own day only)"
            )
        else:
            assert result.problems == () and result.fast
    for _ in range(2):  # blocks made, then read as kept
        got = facts.aggregate(period, days)
        assert [u.user_id for u in got.users] == [1]
        assert got.users[0].days_active == 4 and got.users[0].last_active_day == period.end
        assert got.lines == 4
        assert [p.line_no for p in got.problems] == [2]
        chat = [s for s in got.series if s.feature == "chat_panel_ask_mode"]
        assert chat and chat[0].users == (1, 1, 1, 1)
