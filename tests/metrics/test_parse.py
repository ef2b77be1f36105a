from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from copilot_tui.metrics.model import ACTIVE_USER_FIELDS, ACTIVITY_FIELDS, PULL_REQUEST_FIELDS, USER_FLAG_FIELDS
from copilot_tui.metrics.parse import (
    iter_lines,
    parse_org_report,
    parse_user_teams_report,
    parse_users_report,
)


def test_github_sample_user_row_lands_field_by_field(reference: Callable[[str], Path]) -> None:
    raw = reference("docs-example.users-1-day.ndjson").read_bytes()
    expected = json.loads(raw)
    report = parse_users_report([("docs-example.users-1-day.ndjson", raw)])
    assert report.problems == ()
    (row,) = report.rows
    assert row.day == date.fromisoformat(expected["day"])
    assert (row.user_id, row.user_login, row.enterprise_id) == (expected["user_id"], expected["user_login"], "1")
    for name in ACTIVITY_FIELDS:
        assert getattr(row.activity, name) == expected[name], name
    assert row.ai_credits_used == expected["ai_credits_used"]
    assert dict(row.flags) == {k: expected[k] for k in USER_FLAG_FIELDS if k in expected}
    cli = expected["totals_by_cli"]
    assert row.cli is not None and row.cli.token_usage is not None and row.cli.last_known_cli_version is not None
    assert (row.cli.session_count, row.cli.request_count, row.cli.prompt_count) == (
        cli["session_count"],
        cli["request_count"],
        cli["prompt_count"],
    )
    assert row.cli.token_usage.output_tokens_sum == cli["token_usage"]["output_tokens_sum"]
    assert row.cli.token_usage.avg_tokens_per_request == cli["token_usage"]["avg_tokens_per_request"]
    assert row.cli.last_known_cli_version.version == cli["last_known_cli_version"]["cli_version"]
    (ide,) = row.breakdowns.by_ide
    assert ide.ide == "vscode" and ide.last_known_ide_version is not None
    assert ide.last_known_ide_version.version == expected["totals_by_ide"][0]["last_known_ide_version"]["ide_version"]
    (lang,) = row.breakdowns.by_language_feature
    assert (lang.language, lang.feature) == ("unknown", "code_completion")
    assert lang.activity.user_initiated_interaction_count is None  # absent in that breakdown, not zero
    assert row.breakdowns.by_language_model == () and row.breakdowns.by_model_feature == ()
    # bookkeeping fields are dropped quietly, not kept as "unknown"
    assert dict(row.extra) == {}


def test_github_sample_enterprise_28_day_rows(reference: Callable[[str], Path]) -> None:
    path = reference("docs-example.enterprise-28-day.ndjson")
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    report = parse_org_report([(path.name, path.read_bytes())])
    assert report.problems == ()
    assert report.report_start_day == date(2025, 9, 4) and report.report_end_day == date(2025, 10, 1)
    assert len(report.days) == sum(len(line["day_totals"]) for line in lines)
    by_ent = {d.enterprise_id: d for d in report.days}
    for line in lines:
        (src,) = line["day_totals"]
        day = by_ent[src["enterprise_id"]]
        for name in ACTIVE_USER_FIELDS:
            assert day.active(name) == src.get(name), name
        for name in ACTIVITY_FIELDS:
            assert getattr(day.activity, name) == src[name]
        assert day.pull_requests is not None
        for name in PULL_REQUEST_FIELDS:
            assert day.pull_requests.get(name) == src["pull_requests"].get(name), name
    assert by_ent["1"].cli is not None and by_ent["2"].cli is None  # absent stays absent


def _instance(shape: Any) -> Any:
    """A concrete value for a shape placeholder: every number distinct enough to catch a misplaced field."""
    counter = _instance.counter  # type: ignore[attr-defined]
    if isinstance(shape, dict):
        return {k: _instance(v) for k, v in shape.items()}
    if isinstance(shape, list):
        return [_instance(shape[0])]
    assert isinstance(shape, str)
    counter[0] += 1
    if shape.startswith("<number>"):
        return counter[0]
    if shape.startswith("<boolean>"):
        return counter[0] % 2 == 0
    if shape.startswith("<string>"):
        return f"s{counter[0]}"
    return shape


_instance.counter = [0]  # type: ignore[attr-defined]


def _shape(line_shapes: dict[str, Any], prefix: str) -> dict[str, Any]:
    (key,) = [k for k in line_shapes if k.startswith(prefix)]
    return line_shapes[key]


def test_every_field_of_the_day_record_shape_lands(line_shapes: dict[str, Any]) -> None:
    line = _instance(_shape(line_shapes, "organization-1-day"))
    line["day"] = "2026-01-05"
    report = parse_org_report([("org.ndjson", orjson.dumps(line))])
    assert report.problems == ()
    (day,) = report.days
    assert day.day == date(2026, 1, 5)
    assert day.organization_id == line["organization_id"] and day.enterprise_id == line["enterprise_id"]
    for name in ACTIVE_USER_FIELDS:
        assert day.active(name) == line[name], name
    for name in ACTIVITY_FIELDS:
        assert getattr(day.activity, name) == line[name], name
    b = day.breakdowns
    assert b.by_ide[0].ide == line["totals_by_ide"][0]["ide"]
    assert b.by_ide[0].activity.loc_added_sum == line["totals_by_ide"][0]["loc_added_sum"]
    assert b.by_feature[0].feature == line["totals_by_feature"][0]["feature"]
    assert (
        b.by_feature[0].activity.user_initiated_interaction_count
        == (line["totals_by_feature"][0]["user_initiated_interaction_count"])
    )
    lf = line["totals_by_language_feature"][0]
    assert (b.by_language_feature[0].language, b.by_language_feature[0].feature) == (lf["language"], lf["feature"])
    assert b.by_language_feature[0].activity.loc_deleted_sum == lf["loc_deleted_sum"]
    lm = line["totals_by_language_model"][0]
    assert (b.by_language_model[0].language, b.by_language_model[0].model) == (lm["language"], lm["model"])
    assert b.by_language_model[0].activity.code_generation_activity_count == lm["code_generation_activity_count"]
    mf = line["totals_by_model_feature"][0]
    assert (b.by_model_feature[0].model, b.by_model_feature[0].feature) == (mf["model"], mf["feature"])
    assert b.by_model_feature[0].activity.code_acceptance_activity_count == mf["code_acceptance_activity_count"]
    pr = line["pull_requests"]
    assert day.pull_requests is not None
    for name, value in pr.items():
        if name != "copilot_suggestions_by_comment_type":
            assert day.pull_requests.get(name) == value, name
    (ct,) = day.pull_requests.copilot_suggestions_by_comment_type
    src = pr["copilot_suggestions_by_comment_type"][0]
    assert (ct.comment_type, ct.total_copilot_suggestions, ct.total_copilot_applied_suggestions) == (
        src["comment_type"],
        src["total_copilot_suggestions"],
        src["total_copilot_applied_suggestions"],
    )
    assert day.cli is not None and day.cli.token_usage is not None
    assert day.cli.session_count == line["totals_by_cli"]["session_count"]
    assert day.cli.token_usage.prompt_tokens_sum == line["totals_by_cli"]["token_usage"]["prompt_tokens_sum"]
    (phase,) = day.adoption_phases
    phase_src = line["totals_by_ai_adoption_phase"][0]
    assert phase.phase == phase_src["phase"]
    assert dict(phase.values) == {k: v for k, v in phase_src.items() if k != "phase"}
    assert dict(day.extra) == {}


def test_28_day_window_shape_lands(line_shapes: dict[str, Any]) -> None:
    shape = _shape(line_shapes, "organization-28-day")
    day_shape = _shape(line_shapes, "organization-1-day")
    days = []
    for d in (3, 1, 2):
        rec = _instance(day_shape)
        rec["day"] = f"2026-02-0{d}"
        del rec["organization_id"]
        days.append(rec)
    line = {**_instance({k: v for k, v in shape.items() if k != "day_totals"}), "day_totals": days}
    line["report_start_day"], line["report_end_day"] = "2026-01-06", "2026-02-02"
    report = parse_org_report([("org28.ndjson", orjson.dumps(line))])
    assert report.problems == ()
    assert [d.day.day for d in report.days] == [1, 2, 3]
    assert report.report_start_day == date(2026, 1, 6) and report.report_end_day == date(2026, 2, 2)
    assert report.created_at == line["created_at"]
    assert {d.organization_id for d in report.days} == {line["organization_id"]}  # inherited from the window


def test_every_field_of_the_user_row_shape_lands(line_shapes: dict[str, Any]) -> None:
    line = _instance(_shape(line_shapes, "users-1-day"))
    line["day"], line["report_start_day"], line["report_end_day"] = "2026-03-04", "2026-02-05", "2026-03-04"
    report = parse_users_report([("users.ndjson", orjson.dumps(line))])
    assert report.problems == ()
    (row,) = report.rows
    assert (row.user_id, row.user_login) == (line["user_id"], line["user_login"])
    assert row.report_start_day == date(2026, 2, 5) and row.report_end_day == date(2026, 3, 4)
    assert row.ai_credits_used == line["ai_credits_used"]
    for name in USER_FLAG_FIELDS:
        assert row.flag(name) is line[name], name
    for name in ACTIVITY_FIELDS:
        assert getattr(row.activity, name) == line[name], name
    assert row.cli is not None and row.cli.last_known_cli_version is not None
    assert row.cli.last_known_cli_version.version == line["totals_by_cli"]["last_known_cli_version"]["cli_version"]
    assert row.cli.prompt_count == line["totals_by_cli"]["prompt_count"]
    assert row.breakdowns.by_model_feature[0].model == line["totals_by_model_feature"][0]["model"]
    assert dict(row.extra) == {}


def test_user_teams_shape_lands(line_shapes: dict[str, Any]) -> None:
    line = {
        "user_id": 7,
        "user_login": "mona",
        "day": "2026-03-04",
        "organization_id": "9",
        "team_id": 3,
        "slug": "web",
    }
    report = parse_user_teams_report([("teams.ndjson", orjson.dumps(line))])
    (row,) = report.rows
    assert (row.user_id, row.user_login, row.team_id, row.slug, row.organization_id) == (7, "mona", 3, "web", "9")
    assert row.day == date(2026, 3, 4)


def _user_line(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "day": "2026-01-02",
        "user_id": n,
        "user_login": f"user{n}",
        "code_generation_activity_count": n,
        "totals_by_feature": [{"feature": "code_completion", "code_generation_activity_count": n}],
        **extra,
    }


def test_unknown_fields_and_enum_values_survive() -> None:
    line = _user_line(
        1,
        brand_new_metric=42,
        totals_by_feature=[{"feature": "chat_panel_dream_mode", "code_generation_activity_count": 1, "sparkle": 2}],
        totals_by_ide=[{"ide": "zed", "loc_added_sum": 3, "last_known_ide_version": {"ide_version": "0.200"}}],
        etl_id="green",
    )
    (row,) = parse_users_report([("u", orjson.dumps(line))]).rows
    assert dict(row.extra) == {"brand_new_metric": 42}
    assert row.breakdowns.by_feature[0].feature == "chat_panel_dream_mode"
    assert dict(row.breakdowns.by_feature[0].extra) == {"sparkle": 2}
    assert row.breakdowns.by_ide[0].ide == "zed"


def test_missing_optional_fields_are_absent_not_zero() -> None:
    (row,) = parse_users_report([("u", orjson.dumps({"day": "2026-01-02", "user_id": 1, "user_login": "a"}))]).rows
    assert row.activity.loc_added_sum is None
    assert row.cli is None and row.ai_credits_used is None and row.flag("used_cli") is None


def test_malformed_lines_are_counted_and_named() -> None:
    lines = [orjson.dumps(_user_line(i)) for i in range(1, 1001)]
    lines[9] = b'{"day": "2026-01-02", "user_id": 10, "user_'  # cut in the middle
    lines[499] = b"[1, 2, 3]"
    lines[899] = orjson.dumps({"day": "2026-01-02", "user_login": "no-id"})
    report = parse_users_report([("users-part-1.ndjson", b"\n".join(lines) + b"\n")])
    assert len(report.rows) == 997
    assert [(p.source, p.line_no) for p in report.problems] == [
        ("users-part-1.ndjson", 10),
        ("users-part-1.ndjson", 500),
        ("users-part-1.ndjson", 900),
    ]
    assert "user_id" in report.problems[2].message


def test_wrong_types_are_reported_not_crashed() -> None:
    lines = [
        _user_line(1, code_generation_activity_count="lots"),
        _user_line(2),
        _user_line(3, used_cli="yes"),
    ]
    report = parse_users_report([("u", b"\n".join(orjson.dumps(line) for line in lines))])
    assert [r.user_id for r in report.rows] == [2]
    assert [p.line_no for p in report.problems] == [1, 3]
    assert "whole number" in report.problems[0].message and "true or false" in report.problems[1].message


def test_a_report_in_three_parts_equals_it_in_one() -> None:
    lines = [orjson.dumps(_user_line(i)) + b"\n" for i in range(1, 31)]
    whole = parse_users_report([("all", b"".join(lines))])
    parts = parse_users_report(
        [("p1", b"".join(lines[:7])), ("p2", b"".join(lines[7:20])), ("p3", b"".join(lines[20:]))]
    )
    assert parts.rows == whole.rows and len(whole.rows) == 30


def test_streamed_chunks_equal_whole_bytes() -> None:
    data = b"".join(orjson.dumps(_user_line(i)) + b"\n" for i in range(1, 50))
    chunks = [data[i : i + 37] for i in range(0, len(data), 37)]
    assert parse_users_report([("s", iter(chunks))]).rows == parse_users_report([("w", data)]).rows
    assert list(iter_lines(iter([b"a\nb", b"c\n", b"d"]))) == [b"a", b"bc", b"d"]


def test_a_bad_day_in_a_28_day_window_keeps_the_others() -> None:
    window = {
        "report_start_day": "2026-01-01",
        "report_end_day": "2026-01-28",
        "day_totals": [{"day": "2026-01-01", "daily_active_users": 3}, {"daily_active_users": 4}],
    }
    report = parse_org_report([("w.ndjson", orjson.dumps(window))])
    assert [d.active("daily_active_users") for d in report.days] == [3]
    assert report.problems[0].message.startswith("day_totals[1]")


@pytest.mark.parametrize("blank", [b"", b"\n", b"\n\n  \n"])
def test_blank_content_is_an_empty_report(blank: bytes) -> None:
    report = parse_users_report([("empty", blank)])
    assert report.rows == () and report.problems == ()
