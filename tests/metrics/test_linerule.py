"""The line rule (``copilot_tui.metrics.linerule``) on the hostile lines of ``tests/data/users-report-lines.jsonl``,
through the parser; the other roads (the fold, its workers, the teams join, the user detail, export) are tested
against the same lines where they live."""

from __future__ import annotations

import gzip
from typing import Any

import pytest

from copilot_tui.metrics import linerule
from copilot_tui.metrics.aggregate import aggregate_users
from copilot_tui.metrics.derive import Period
from copilot_tui.metrics.model import ACTIVITY_FIELDS
from copilot_tui.metrics.parse import iter_lines, parse_users_report
from tests.conftest import HostileReport


def check_problems(problems: Any, hostile: HostileReport) -> None:
    """Every skipped line named by part and line number with its reason, and nothing else."""
    got = [(p.source, p.line_no, p.message) for p in problems]
    assert [(s, n) for s, n, _ in got] == [(s, n) for s, n, _ in hostile.skipped]
    for (_, n, message), (_, _, reason) in zip(got, hostile.skipped, strict=True):
        assert reason in message, (n, message)


def test_parser_gives_every_line_its_verdict(hostile_report: HostileReport) -> None:
    report = parse_users_report(hostile_report.parts)
    check_problems(report.problems, hostile_report)
    rows = {r.user_id: r for r in report.rows}
    assert len(rows) == len(report.rows) == len(hostile_report.accepted)
    for expect in hostile_report.accepted:
        row = rows[expect["user_id"]]
        assert row.day.isoformat() == expect["day"]
        assert row.user_login == expect["user_login"]
        assert {name: getattr(row.activity, name) for name in ACTIVITY_FIELDS} == expect["activity"]
        assert dict(row.flags) == expect["flags"]
        assert row.ai_credits_used == expect["ai_credits_used"]


def test_the_first_of_two_lines_of_a_user_and_day_counts(hostile_report: HostileReport) -> None:
    rows = {r.user_id: r for r in parse_users_report(hostile_report.parts).rows}
    assert rows[102].activity.user_initiated_interaction_count == 4  # the repeat says 1


def test_unknown_fields_are_kept_unless_nested_deeper_than_a_report_line(hostile_report: HostileReport) -> None:
    rows = {r.user_id: r for r in parse_users_report(hostile_report.parts).rows}
    assert rows[106].extra["brand_new_metric"] == {"a": [1, 2, {"b": None}]}
    assert "nested_unknown" not in rows[111].extra


def test_a_line_nested_a_million_deep_is_skipped_not_a_crash() -> None:
    line = b'{"day":"2026-03-02","user_id":1,"user_login":"x","x":' + b"[" * 1_000_000 + b"]" * 1_000_000 + b"}"
    report = parse_users_report([("p", line + b"\n")])
    assert not report.rows
    assert [p.message for p in report.problems] == ["nested more than 1000 deep"]


@pytest.mark.parametrize("chunk", [1, 2, 5, 1 << 16])
def test_gzip_and_a_byte_order_mark_read_in_any_chunking(chunk: int) -> None:
    plain = b'{"a":1}\r\n{"b":2}\n'
    for data in (
        b"\xef\xbb\xbf" + plain,
        gzip.compress(b"\xef\xbb\xbf" + plain),
        gzip.compress(plain[:5]) + gzip.compress(plain[5:]),
    ):
        chunks = [data[i : i + chunk] for i in range(0, len(data), chunk)]
        assert list(iter_lines(iter(chunks))) == [b'{"a":1}\r', b'{"b":2}']
        assert list(iter_lines(data)) == [b'{"a":1}\r', b'{"b":2}']


def test_a_damaged_gzip_part_is_named_and_the_rest_stands() -> None:
    good = b'{"day":"2026-03-02","user_id":1,"user_login":"a"}\n'
    report = parse_users_report(
        [("bad", gzip.compress(good * 3)[:-12] + b"garbage!"), ("good", good.replace(b"1", b"2"))]
    )
    assert [p.source for p in report.problems] == ["bad"]
    assert "gzip" in report.problems[0].message
    assert 2 in {r.user_id for r in report.rows}


@pytest.mark.parametrize(
    ("value", "verdict"),
    [(0, 0), (3.0, 3), (linerule.MAX_COUNT, linerule.MAX_COUNT), (None, None)],
)
def test_counts_accepted(value: Any, verdict: Any) -> None:
    assert linerule.count(value, "n") == verdict


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (-1, "negative"),
        (-1.0, "negative"),
        (linerule.MAX_COUNT + 1, "out of range"),
        (10**30, "out of range"),
        (1e300, "out of range"),
        (float("nan"), "whole number"),
        (float("inf"), "whole number"),
        (2.5, "whole number"),
        ("5", "whole number"),
        (True, "whole number"),
        ([1], "whole number"),
    ],
)
def test_counts_skipped(value: Any, reason: str) -> None:
    with pytest.raises(linerule.LineError, match=reason):
        linerule.count(value, "n")


def test_ids_amounts_and_the_user_id_patterns() -> None:
    assert linerule.identifier("123", "id") == linerule.identifier(123, "id") == 123
    for bad in ("-1", "1e3", "", 1.0, -1, 2**63, "x"):
        with pytest.raises(linerule.LineError):
            linerule.identifier(bad, "id")
    for bad in (float("nan"), float("inf"), -0.5, "1", True, 1e16):
        with pytest.raises(linerule.LineError):
            linerule.amount(bad, "a")
    assert linerule.amount(None, "a") is None
    for raw in (b'{"user_id":42,', b'{"user_id": "42",', b'{"user_id" : 42}'):
        m = linerule.USER_ID.search(raw)
        assert m is not None and int(m[1]) == 42
        assert linerule.user_id_needle(42).search(raw)
        assert not linerule.user_id_needle(4).search(raw)


def check_summaries(users: Any, hostile: HostileReport) -> None:
    """The accepted lines, one a user, folded: each user's numbers are their line's."""
    by_id = {u.user_id: u for u in users}
    assert sorted(by_id) == sorted(e["user_id"] for e in hostile.accepted)
    for expect in hostile.accepted:
        s = by_id[expect["user_id"]]
        assert (s.user_login, s.days_active, s.last_active_day.isoformat()) == (expect["user_login"], 1, expect["day"])
        assert s.activity == {k: v or 0 for k, v in expect["activity"].items()}
        assert s.flags == expect["flags"]
        assert s.ai_credits_used == (expect["ai_credits_used"] or 0)


def test_the_fold_gives_every_line_its_verdict(hostile_report: HostileReport) -> None:
    period = Period(hostile_report.day, hostile_report.day)
    agg = aggregate_users(hostile_report.parts, period)
    check_problems(agg.problems, hostile_report)
    check_summaries(agg.users, hostile_report)
    assert agg.lines == len(hostile_report.accepted)
