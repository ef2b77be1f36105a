from __future__ import annotations

from datetime import date

import orjson

from copilot_tui.metrics.aggregate import aggregate_users
from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.metrics.derive import Period, breakdown, feature_series, summarize_users
from copilot_tui.metrics.parse import parse_users_report


def test_the_fast_road_agrees_with_the_typed_road_on_demo_data() -> None:
    ds = DemoDataset(days=40)
    org = ds.orgs[1].login
    period = Period.last(14, ds.last_day)
    parts = [
        (d.isoformat(), b"".join(ds.iter_ndjson("org", org, "users-1-day", d)))
        for d in Period.last(20, ds.last_day).each_day()
    ]
    typed_rows = parse_users_report(parts).rows
    expected = summarize_users(typed_rows, period)
    fast = aggregate_users(parts, period)
    assert fast.problems == ()
    assert len(fast.users) == len(expected) > 100
    for a, b in zip(fast.users, expected, strict=True):
        assert (a.user_id, a.user_login, a.days_active, a.last_active_day) == (
            b.user_id,
            b.user_login,
            b.days_active,
            b.last_active_day,
        )
        assert a.activity == b.activity and a.flags == b.flags and a.cli == b.cli
        assert (a.features, a.ides, a.languages, a.models) == (b.features, b.ides, b.languages, b.models)
        assert a.ide_versions == b.ide_versions and a.cli_version == b.cli_version
        assert abs(a.ai_credits_used - b.ai_credits_used) < 1e-9
    assert fast.series == feature_series(typed_rows, period)
    assert fast.by_ide == breakdown(typed_rows, period, "ide")
    assert fast.by_language == breakdown(typed_rows, period, "language")
    assert fast.by_model == breakdown(typed_rows, period, "model")
    assert len(fast.by_ide) > 1 and len(fast.by_language) > 1 and len(fast.by_model) > 1


def test_repeats_count_once_and_bad_lines_are_named() -> None:
    line = {"day": "2026-01-05", "user_id": 1, "user_login": "ada", "code_generation_activity_count": 3}
    data = orjson.dumps(line) + b"\n" + orjson.dumps(line) + b"\n{oops\n" + orjson.dumps({"day": "2026-01-05"})
    result = aggregate_users([("p", data)], Period.last(7, date(2026, 1, 6)))
    (ada,) = result.users
    assert ada.generations == 3 and ada.days_active == 1
    assert [(p.line_no, p.message.split(" (")[0]) for p in result.problems] == [
        (2, "user 1 on 2026-01-05 again"),
        (3, "not valid JSON"),
        (4, "required field 'user_id' is missing"),
    ]
