"""The hostile users-report lines (``tests/data/users-report-lines.jsonl``) through the store and the snapshot: each
road that reads them (the aggregate, the parsed rows, one user's days, the teams join) gives every line the line
rule's verdict, and the accepted lines' numbers are the lines' own."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from copilot_tui.facts import USERS_KIND
from copilot_tui.metrics.model import ACTIVITY_FIELDS
from copilot_tui.scope import Scope
from copilot_tui.sources.stored import snapshot_from_store
from copilot_tui.store import Store
from copilot_tui.ui.widgets.teams import stream_user_rows
from tests.conftest import HostileReport
from tests.metrics.test_linerule import check_problems, check_summaries

SCOPE = Scope("org", "hostile")


def _snapshot(tmp_path: Path, hostile: HostileReport) -> object:
    store = Store("example.test", root=tmp_path)
    store.put_report(SCOPE, USERS_KIND, hostile.day, hostile.parts, datetime(2026, 3, 10, tzinfo=UTC))
    return snapshot_from_store(store, SCOPE, hostile.day, hostile.day)


def test_every_road_of_a_stored_report_gives_the_rules_verdicts(tmp_path: Path, hostile_report: HostileReport) -> None:
    snap = _snapshot(tmp_path, hostile_report)
    agg = snap.users_aggregate()  # type: ignore[attr-defined]
    check_problems(agg.problems, hostile_report)
    check_summaries(agg.users, hostile_report)
    rows = snap.user_rows  # type: ignore[attr-defined]
    assert sorted(r.user_id for r in rows) == sorted(e["user_id"] for e in hostile_report.accepted)
    for expect in hostile_report.accepted:
        (row,) = snap.user_days(expect["user_id"])  # type: ignore[attr-defined]
        assert {name: getattr(row.activity, name) for name in ACTIVITY_FIELDS} == expect["activity"]
        assert dict(row.flags) == expect["flags"]
    joined = {}
    for row in stream_user_rows(snap):
        assert (row.user_id, row.day) not in joined or row.user_id in (101, 102)  # the repeats, left to the join
        joined.setdefault((row.user_id, row.day), row)
    assert sorted(u for u, _ in joined) == sorted(e["user_id"] for e in hostile_report.accepted)
    for expect in hostile_report.accepted:
        row = joined[(expect["user_id"], hostile_report.day)]
        assert {n: getattr(row.activity, n) for n in ACTIVITY_FIELDS} == {
            k: v or 0 for k, v in expect["activity"].items()
        }


def test_a_gzip_part_is_stored_inflated_and_indexed(tmp_path: Path, hostile_report: HostileReport) -> None:
    snap = _snapshot(tmp_path, hostile_report)
    held = Store("example.test", root=tmp_path).held(SCOPE, USERS_KIND)
    assert held[0].raw_bytes == sum(len(p) for _, p in hostile_report.plain_parts())  # no gzip, no mark
    # one user's days come from the index's blocks, the id written as a string included
    assert [r.user_id for r in snap.user_days(102)] == [102]  # type: ignore[attr-defined]
