"""Usage segments (counts, shares, each user's) checked against the raw lines of the demo, on the facts road and the
fold's."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import orjson
import pytest

from copilot_tui.exports import user_record
from copilot_tui.facts import Facts
from copilot_tui.metrics.aggregate import aggregate_users
from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.metrics.derive import Period, PeriodUsers, period_users
from copilot_tui.metrics.segments import SEGMENTS, in_segment, segment_figures, user_segments

SMALL = DemoDataset(days=40)
ORG = SMALL.orgs[1].login


def parts(period: Period) -> list[tuple[str, bytes]]:
    return [(d.isoformat(), b"".join(SMALL.iter_ndjson("org", ORG, "users-1-day", d))) for d in period.each_day()]


def by_hand(period: Period) -> dict[str, set[int]]:
    """Each segment's user ids from the lines alone."""
    used: dict[str, set[int]] = defaultdict(set)
    completion: set[int] = set()
    active: set[int] = set()
    for _day, data in parts(period):
        for raw in data.splitlines():
            line = orjson.loads(raw)
            uid = line["user_id"]
            active.add(uid)
            for flag in ("used_chat", "used_agent", "used_cli", "used_copilot_code_review_active"):
                if line.get(flag):
                    used[flag].add(uid)
            if line.get("used_copilot_cloud_agent") or line.get("used_copilot_coding_agent"):
                used["cloud"].add(uid)
            if any(e["feature"] == "code_completion" for e in line.get("totals_by_feature") or ()):
                completion.add(uid)
    more = used["used_chat"] | used["used_agent"] | used["used_cli"]
    return {
        "active": active,
        "completion_only": completion - more,
        "chat": used["used_chat"],
        "agent": used["used_agent"],
        "cli": used["used_cli"],
        "cloud_agent": used["cloud"],
        "code_review": used["used_copilot_code_review_active"],
    }


def facts_users(tmp_path: Path, period: Period) -> list:  # type: ignore[type-arg]
    facts = Facts(tmp_path / "facts")
    for day, data in parts(period):
        facts.ingest(date.fromisoformat(day), "t", [(day, data)])
    return facts.aggregate(period, dict.fromkeys(period.each_day(), "t")).users


@pytest.mark.parametrize("days", [7, 28])
def test_segments_match_the_raw_lines_on_the_facts_and_the_fold(tmp_path: Path, days: int) -> None:
    period = Period.last(days, SMALL.last_day)
    expected = by_hand(period)
    assert 0 < len(expected["completion_only"]) < len(expected["active"])  # a real check, not 0 == 0
    assert expected["completion_only"].isdisjoint(expected["chat"])
    for users in (facts_users(tmp_path / str(days), period), aggregate_users(parts(period), period).users):
        counts = period_users(users)
        for s in SEGMENTS:
            assert getattr(counts, s.key) == len(expected[s.key]), s.key
            assert {u.user_id for u in in_segment(users, s.key)} == expected[s.key], s.key
        for u in users:
            mine = {key for key, ids in expected.items() if key != "active" and u.user_id in ids}
            assert set(user_segments(u)) == mine
            assert user_record(u)["segments"] == ";".join(s.key for s in SEGMENTS if s.key in mine)


def test_shares_are_of_the_periods_active_users_and_changes_against_the_previous() -> None:
    now = PeriodUsers(active=200, agent=50, chat=100, cli=20, code_review=4, cloud_agent=2, completion_only=80)
    before = PeriodUsers(active=100, agent=20, chat=60, cli=20, code_review=0, cloud_agent=0, completion_only=30)
    rows = {r.segment.key: r for r in segment_figures(now, before)}
    assert rows["agent"].share == 0.25 and rows["agent"].previous_share == 0.2
    assert rows["agent"].change == pytest.approx(1.5)
    assert rows["agent"].share_points == pytest.approx(5.0)
    assert rows["cli"].change == 0 and rows["cli"].share_points == pytest.approx(-10.0)
    assert rows["code_review"].change is None  # from none: no relative change to speak of
    alone = {r.segment.key: r for r in segment_figures(now, None)}
    assert alone["chat"].previous_users is None and alone["chat"].share_points is None
    empty = segment_figures(PeriodUsers(0, 0, 0, 0, 0, 0), None)
    assert all(r.share is None for r in empty)
