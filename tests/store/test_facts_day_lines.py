"""A day's facts are that day's lines: a line of another day in a day's report is not counted for the period."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

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


#: The last version whose facts could hold a line dated another day than its report (made before the ingest
#: skipped such lines).
BEFORE_OWN_DAY_RULE = 3


def _user_days_of_any_day(con: Any, out: Path, day: date) -> tuple[int, bool]:
    """The ingest's check as it was before the own-day rule: the rows, and whether no user and day repeats."""
    from copilot_tui.facts import _sql_string

    total, distinct = con.execute(
        f"SELECT count(*), count(DISTINCT (user_id, day)) FROM read_parquet({_sql_string(str(out))}) WHERE kind IS NULL"
    ).fetchone()
    return int(total), total == distinct


def test_facts_made_before_the_own_day_rule_are_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A day's facts of the version that kept a line of another day are not read: the day is made again from its
    report, the line named as skipped, and the old version's files removed."""
    from copilot_tui import facts as facts_module

    day = date(2026, 3, 2)
    report = [(f"users {day}", line(day, 1) + b"\n" + line(day - timedelta(days=1), 2) + b"\n")]
    with monkeypatch.context() as old:  # the ingest as it was: every row kept whatever its day
        old.setattr(facts_module, "FACTS_VERSION", BEFORE_OWN_DAY_RULE)
        old.setattr(facts_module, "_user_days", _user_days_of_any_day)
        old.setattr(facts_module, "_ROOTS_SWEPT", set())  # the sweep left to the present version
        before = Facts(tmp_path / "facts").ingest(day, "t", report)
    assert before.rows == 2 and before.problems == ()  # the stray line kept
    assert (tmp_path / "facts" / f"v{BEFORE_OWN_DAY_RULE}").is_dir()

    facts = Facts(tmp_path / "facts")
    assert facts.missing({day: "t"}) == [day]
    (problem,) = facts.ingest(day, "t", report).problems
    assert problem.line_no == 2 and problem.message.startswith(f"dated {day - timedelta(days=1)}")
    assert [u.user_id for u in facts.aggregate(Period(day, day), {day: "t"}).users] == [1]
    assert not (tmp_path / "facts" / f"v{BEFORE_OWN_DAY_RULE}").exists()
