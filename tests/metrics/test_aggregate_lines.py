"""The fast road's decoding (msgspec structs, with the typed parser as the slow road) on lines of unusual shape."""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson

from copilot_tui.metrics.aggregate import aggregate_users
from copilot_tui.metrics.derive import Period, breakdown, feature_series, summarize_users
from copilot_tui.metrics.parse import parse_users_report

PERIOD = Period.last(7, date(2026, 1, 7))


def _line(user_id: int, day: str, **fields: Any) -> dict[str, Any]:
    return {"day": day, "user_id": user_id, "user_login": f"u{user_id}", **fields}


def _ndjson(lines: list[Any]) -> bytes:
    return b"".join(orjson.dumps(line) + b"\n" for line in lines)


ODD_LINES = [
    # whole floats where counts belong, null counters, a null list, a null flag beside false ones
    _line(
        1,
        "2026-01-05",
        code_generation_activity_count=4.0,
        user_initiated_interaction_count=None,
        loc_added_sum=3,
        used_chat=None,
        used_agent=False,
        totals_by_feature=None,
        totals_by_ide=[{"ide": "vscode", "code_generation_activity_count": 2.0, "loc_added_sum": None}],
    ),
    # unknown feature, IDE, language and model names are kept; unknown keys ignored; a version without a date
    _line(
        1,
        "2026-01-06",
        used_agent=True,
        code_generation_activity_count=1,
        etl_id="x",
        new_top_level_field={"nested": [1, 2]},
        totals_by_feature=[{"feature": "brand_new_mode", "user_initiated_interaction_count": 2, "extra_key": 1}],
        totals_by_ide=[{"ide": "new-ide", "user_initiated_interaction_count": 2, "last_known_ide_version": {}}],
        totals_by_language_feature=[
            {"language": "zig", "feature": "brand_new_mode", "code_generation_activity_count": 5}
        ],
        totals_by_model_feature=[
            {"model": "m-next", "feature": "brand_new_mode", "user_initiated_interaction_count": 2}
        ],
        totals_by_cli={"session_count": 1, "request_count": None, "token_usage": {"prompt_tokens_sum": 7.0}},
        used_cli=True,
        ai_credits_used=2,
    ),
    # a user id as a string of digits
    _line("2", "2026-01-06", totals_by_ide=[{"ide": "42", "code_generation_activity_count": 1}], ai_credits_used=0.25),
    # a 28-day row carries its window
    _line(3, "2026-01-07T00:00:00Z", report_start_day="2025-12-11", report_end_day="2026-01-07", used_cli=False),
]


def test_odd_but_valid_lines_fold_as_the_typed_road_reads_them() -> None:
    parts = [("p", _ndjson(ODD_LINES))]
    rows = parse_users_report(parts).rows
    expected = summarize_users(rows, PERIOD)
    fast = aggregate_users(parts, PERIOD)
    assert fast.problems == ()
    assert [(s.user_id, s.user_login, s.days_active, s.last_active_day) for s in fast.users] == [
        (s.user_id, s.user_login, s.days_active, s.last_active_day) for s in expected
    ]
    for a, b in zip(fast.users, expected, strict=True):
        assert a.activity == b.activity and a.flags == b.flags and a.cli == b.cli
        assert (a.features, a.ides, a.languages, a.models) == (b.features, b.ides, b.languages, b.models)
        assert a.ide_versions == b.ide_versions and a.cli_version == b.cli_version
        assert a.ai_credits_used == b.ai_credits_used
    assert fast.series == feature_series(rows, PERIOD)
    assert fast.by_ide == breakdown(rows, PERIOD, "ide")
    assert fast.by_language == breakdown(rows, PERIOD, "language")
    assert fast.by_model == breakdown(rows, PERIOD, "model")
    one = fast.users[0]
    assert one.generations == 5 and one.flags == {"used_agent": True, "used_cli": True}
    assert one.features["brand_new_mode"] == 2 and one.ides == {"vscode": 2, "new-ide": 2}
    assert one.cli == {"session_count": 1, "prompt_tokens_sum": 7} and isinstance(one.cli["prompt_tokens_sum"], int)
    assert fast.users[1].ides == {"42": 1}


def test_three_bad_lines_in_a_thousand_are_named_and_the_rest_folded() -> None:
    good = [_line(i, "2026-01-05", code_generation_activity_count=1) for i in range(1000)]
    lines: list[Any] = list(good)
    lines[10] = b"{oops"
    lines[500] = _line(500, "2026-01-05", code_generation_activity_count="many")
    lines[998] = _line(998, "2026-01-05", totals_by_ide=[{"ide": "vscode", "loc_added_sum": 1.5}])
    data = b"".join((line if isinstance(line, bytes) else orjson.dumps(line)) + b"\n" for line in lines)
    fast = aggregate_users([("users.ndjson", data)], PERIOD)
    assert len(fast.users) == fast.lines == 997
    assert [(p.source, p.line_no) for p in fast.problems] == [
        ("users.ndjson", 11),
        ("users.ndjson", 501),
        ("users.ndjson", 999),
    ]
    messages = [p.message for p in fast.problems]
    assert messages[0].startswith("not valid JSON")
    assert "code_generation_activity_count" in messages[1] and "'many'" in messages[1]
    assert "loc_added_sum" in messages[2] and "1.5" in messages[2]


def test_a_wrong_shape_is_a_problem_with_a_clear_reason() -> None:
    lines = [
        b"[1, 2]",
        b"",
        orjson.dumps(_line(1, "2026-01-05", used_chat="yes")),
        orjson.dumps(_line(1, "2026-01-05", totals_by_ide={"ide": "vscode"})),
        orjson.dumps({"day": "2026-01-05", "user_login": "x"}),
        orjson.dumps(_line(2, "2026-01-05", code_generation_activity_count=1)),
    ]
    fast = aggregate_users([("p", b"\n".join(lines))], PERIOD)
    assert [u.user_id for u in fast.users] == [2]
    assert [(p.line_no, p.message) for p in fast.problems] == [
        (1, "expected a JSON object, got a list"),
        (3, "used_chat should be true or false, got 'yes'"),
        (4, "totals_by_ide should be a list, got an object"),
        (5, "required field 'user_id' is missing"),
    ]
