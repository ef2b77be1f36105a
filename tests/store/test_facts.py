"""The facts road (reports decoded once into per-day Parquet, periods queried) against the fold it replaces.

The oracle is ``metrics.aggregate``'s fold over the same raw report parts: every user's summary field, the series,
the breakdowns, the line count and the skipped lines must agree.
"""

from __future__ import annotations

import pickle
import stat
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from copilot_tui.facts import Facts
from copilot_tui.metrics.aggregate import UsersAggregate, aggregate_users
from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.metrics.derive import Period, UserSummary, period_users

FIELDS = tuple(UserSummary.__dataclass_fields__)
#: What the users table and the exports read of every user (the facts answer them without its Counters).
SHOWN = ("top_feature", "top_ide", "top_language", "top_model", "ide_version_text", "plugin_version_text")


def assert_same(got: UsersAggregate, expected: UsersAggregate) -> None:
    assert got.period == expected.period
    # by login, case-insensitively; the order of two users whose logins differ only in case is not specified
    assert [u.user_login.lower() for u in got.users] == [u.user_login.lower() for u in expected.users]
    by_id = {u.user_id: u for u in expected.users}
    assert len(by_id) == len(got.users)
    # the users table's columns and the period's counts, read from the columns before any user is made
    columns = getattr(got.users, "columns", {})
    for key, values in columns.items():
        assert values == [getattr(by_id[i], key) for i in columns["user_id"]], key
    assert period_users(got.users) == period_users(expected.users)
    for a in got.users:
        b = by_id[a.user_id]
        for name in (*SHOWN, "completion_only"):  # first: before its Counters are made
            assert getattr(a, name) == getattr(b, name), (a.user_id, name)
        for name in FIELDS:
            assert getattr(a, name) == getattr(b, name), (a.user_id, name)
        assert a == b and b == a and pickle.loads(pickle.dumps(a)) == b
    assert got.series == expected.series
    assert (got.by_ide, got.by_language, got.by_model) == (expected.by_ide, expected.by_language, expected.by_model)
    assert got.lines == expected.lines
    assert got.problems == expected.problems


@pytest.fixture(scope="module")
def demo() -> DemoDataset:
    return DemoDataset(days=40)


def demo_parts(ds: DemoDataset, kind: str, name: str, days: list[date]) -> dict[date, bytes]:
    return {d: b"".join(ds.iter_ndjson(kind, name, "users-1-day", d)) for d in days}


@pytest.mark.parametrize(("kind", "name", "levels"), [("org", "octo-labs", 2), ("enterprise", "octo-enterprise", 8)])
def test_every_number_equals_the_fold_on_demo_data(
    tmp_path: Path, demo: DemoDataset, kind: str, name: str, levels: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each period twice (its blocks made, then read as kept), and again after a day of it is stored anew;
    ``levels``: the longest block (2, 4 days: many blocks and days; 256 days: few)."""
    from copilot_tui import facts as facts_module

    monkeypatch.setattr(facts_module, "BLOCK_LEVELS", levels)
    days = Period.last(20, demo.last_day).each_day()
    parts = demo_parts(demo, kind, name, days)
    facts = Facts(tmp_path / "facts")
    for day in days:
        result = facts.ingest(day, "a1", [(f"users {day}", parts[day])])
        assert result.fast and not result.problems
    tokens = dict.fromkeys(days, "a1")
    periods = (Period.last(14, demo.last_day), Period.last(7, demo.last_day - timedelta(days=5)))
    for again in range(3):
        if again == 2:  # a day stored anew (here its first half only): every block holding it is made again
            day = demo.last_day - timedelta(days=6)
            lines = parts[day].splitlines(keepends=True)
            parts[day] = b"".join(lines[: len(lines) // 2])
            tokens[day] = "a2"
            facts.ingest(day, "a2", [(f"users {day}", parts[day])])
        for period in periods:
            got = facts.aggregate(period, {d: tokens[d] for d in period.each_day()})
            expected = aggregate_users([(f"users {d}", parts[d]) for d in days], period)
            assert len(got.users) > 100 and len(got.by_ide) > 1 and len(got.series) > 3
            assert_same(got, expected)
        assert any(facts.blocks.iterdir())


def test_a_kept_period_is_read_again_made_again_when_dropped_and_the_last_read_are_kept(
    tmp_path: Path, demo: DemoDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A period's rollup is kept after its first read and read the next time; the users' Counters read after it
    was dropped make it again; only the periods read last are kept; where none can be written, the numbers
    are the same."""
    from copilot_tui import facts as facts_module

    monkeypatch.setattr(facts_module, "KEPT_PERIODS", 2)
    days = Period.last(10, demo.last_day).each_day()
    parts = demo_parts(demo, "org", "octo-labs", days)
    facts = Facts(tmp_path / "facts")
    for day in days:
        facts.ingest(day, "a1", [(f"users {day}", parts[day])])
    tokens = dict.fromkeys(days, "a1")

    def read(period: Period) -> UsersAggregate:
        got = facts.aggregate(period, {d: tokens[d] for d in period.each_day()})
        assert_same(got, aggregate_users([(f"users {d}", parts[d]) for d in days], period))
        return got

    week = Period.last(7, demo.last_day)
    read(week)
    kept = facts.period_path(week, tokens)
    assert kept is not None and kept.exists() and stat.S_IMODE(kept.stat().st_mode) == 0o600
    blocks = sorted(facts.blocks.iterdir())
    got = facts.aggregate(week, tokens)  # read from the kept period: no block made or read
    assert sorted(facts.blocks.iterdir()) == blocks
    kept.unlink()
    assert_same(got, aggregate_users([(f"users {d}", parts[d]) for d in days], week))  # made again when read
    assert kept.exists()
    for end in range(3):
        read(Period.last(5, demo.last_day - timedelta(days=end)))
    assert len([p for p in facts.blocks.iterdir() if p.name.startswith("p.")]) == 2 and not kept.exists()
    monkeypatch.setattr(Facts, "period_path", lambda *_: tmp_path / "nowhere" / "period.parquet")
    read(week)
    assert not (tmp_path / "nowhere").exists()


def line(day: str, user: Any, **fields: Any) -> bytes:
    return orjson.dumps({"day": day, "user_id": user, "user_login": f"u{user}", **fields})


HOSTILE = b"\n".join(
    [
        line("2026-01-05", 1, code_generation_activity_count=3, used_cli=True, totals_by_cli={"request_count": 2}),
        line("2026-01-05", 1, code_generation_activity_count=50),  # the same user-day again: counted once
        b"{oops",
        b"[1, 2]",
        orjson.dumps({"day": "2026-01-05"}),
        line("2026-01-05", 2, code_generation_activity_count="12"),
        line("2026-01-05", 3, code_generation_activity_count=3.5),
        line("2026-01-05", 4, code_generation_activity_count=True),
        line("2026-01-05", 5, code_generation_activity_count=7.0, used_chat=None),
        b"",
        line("2026-01-05", 6, totals_by_feature=None, totals_by_ide=[{"ide": "vscode"}]) + b"\r",
        b"\xef\xbb\xbf" + line("2026-01-05", 7),
        line("2026-01-05", 8, code_generation_activity_count=None, ai_credits_used=1.5),
        line("not a day", 9),
    ]
)


def test_a_report_with_hostile_lines_gives_the_folds_verdict(tmp_path: Path) -> None:
    facts = Facts(tmp_path / "facts")
    day = date(2026, 1, 5)
    parts = [("users part 1", HOSTILE), ("users part 2", line("2026-01-05", 10, loc_added_sum=4) + b"\n")]
    result = facts.ingest(day, "t", parts)
    assert not result.fast
    period = Period.last(7, date(2026, 1, 6))
    got = facts.aggregate(period, {day: "t"})
    expected = aggregate_users(parts, period)
    assert expected.problems and result.problems == expected.problems
    assert_same(got, expected)
    (one,) = [u for u in got.users if u.user_id == 1]
    assert one.generations == 3 and one.days_active == 1


def test_a_day_stored_again_replaces_its_facts_and_files_are_private(tmp_path: Path, demo: DemoDataset) -> None:
    facts = Facts(tmp_path / "facts")
    day = demo.last_day
    data = demo_parts(demo, "org", "octo-garage", [day])[day]
    facts.ingest(day, "first", [("p", data)])
    assert facts.missing({day: "first"}) == [] and facts.missing({day: "second"}) == [day]
    facts.ingest(day, "second", [("p", data)])
    assert facts.held() == {day: "second"}
    assert [p.name for p in facts.dir.iterdir()] == [f"{day.isoformat()}.second.parquet"]
    assert stat.S_IMODE(facts.dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(facts.path(day, "second").stat().st_mode) == 0o600
    got = facts.aggregate(Period(day, day), {day: "second"})
    assert_same(got, aggregate_users([("p", data)], Period(day, day)))


def test_a_period_with_no_facts_is_empty(tmp_path: Path) -> None:
    period = Period.last(7, date(2026, 1, 6))
    got = Facts(tmp_path / "facts").aggregate(period, {})
    assert got.users == [] and got.series == [] and got.lines == 0


def test_the_store_road_decodes_missing_days_once_and_a_day_stored_again_anew(
    tmp_path: Path, demo: DemoDataset
) -> None:
    from datetime import UTC, datetime

    from copilot_tui.facts import facts_for, stored_aggregate
    from copilot_tui.scope import Scope
    from copilot_tui.store import Store

    scope = Scope("org", "octo-labs")
    days = Period.last(5, demo.last_day).each_day()
    parts = demo_parts(demo, "org", scope.name, days)
    period = Period(days[0], days[-1])
    with Store("github.com", tmp_path / "store") as store:
        for day in days:
            store.put_report(
                scope, "users-1-day", day, [(f"users {day}", parts[day])], datetime(2026, 12, 1, tzinfo=UTC)
            )
        facts = facts_for(store, scope)
        assert facts.held() == {}
        got = stored_aggregate(store, scope, period, store.held(scope, start=period.start, end=period.end))
        assert sorted(facts.held()) == days  # decoded when first needed, kept
        assert_same(got, aggregate_users([(f"users {d}", parts[d]) for d in days], period))
        before = facts.held()
        revised = parts[days[-1]].replace(
            b'"code_generation_activity_count":', b'"code_generation_activity_count":1', 1
        )
        store.put_report(scope, "users-1-day", days[-1], [("x", revised)], datetime(2026, 12, 2, tzinfo=UTC))
        again = stored_aggregate(store, scope, period, store.held(scope, start=period.start, end=period.end))
        after = facts.held()
        assert [d for d in days if after[d] != before[d]] == [days[-1]]  # only the day stored again
        expected = aggregate_users([*((f"users {d}", parts[d]) for d in days[:-1]), ("x", revised)], period)
        assert_same(again, expected)
        assert again.users != got.users


def test_cache_clear_removes_the_facts_with_the_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from copilot_tui import cli
    from copilot_tui.facts import facts_for, stored_aggregate
    from copilot_tui.scope import Scope
    from copilot_tui.store import Store, store_root

    monkeypatch.setenv("COPILOT_TUI_DATA_DIR", str(tmp_path / "data"))
    scope = Scope("org", "octo-garage")
    day = date(2026, 1, 5)
    with Store("github.com", store_root()) as store:
        store.put_report(scope, "users-1-day", day, [("p", line("2026-01-05", 1) + b"\n")])
        stored_aggregate(store, scope, Period(day, day), store.held(scope))
        root = facts_for(store, scope).root
    assert root.is_dir()
    assert cli.main(["cache", "clear", "--org", "octo-garage"]) == 0
    assert not root.exists()


def test_the_hostile_lines_get_the_line_rules_verdict(tmp_path: Path, hostile_report: Any) -> None:
    """tests/data/users-report-lines.jsonl as one report (a BOM, a gzip part, a repeated line): the facts keep what
    the fold keeps and name what it skips, with the same part, line and reason."""
    facts = Facts(tmp_path / "facts")
    day = hostile_report.day
    result = facts.ingest(day, "t", hostile_report.parts)
    period = Period(day, day)
    expected = aggregate_users(hostile_report.parts, period)
    assert len(expected.problems) == len(hostile_report.skipped) and result.problems == expected.problems
    assert_same(facts.aggregate(period, {day: "t"}), expected)


def test_a_renamed_flag_reads_the_same_on_the_fast_road(tmp_path: Path) -> None:
    facts = Facts(tmp_path / "facts")
    day = date(2026, 1, 5)
    data = b"\n".join(
        [
            line("2026-01-05", 1, used_copilot_coding_agent=True),
            line("2026-01-05", 2, used_copilot_coding_agent=True, used_copilot_cloud_agent=False),
            line("2026-01-05", 3, used_copilot_coding_agent=False, used_copilot_cloud_agent=True),
            line("2026-01-05", 4, used_copilot_cloud_agent=False),
        ]
    )
    result = facts.ingest(day, "t", [("p", data)])
    assert result.fast
    period = Period(day, day)
    got = facts.aggregate(period, {day: "t"})
    assert_same(got, aggregate_users([("p", data)], period))
    assert [u.flags.get("used_copilot_cloud_agent") for u in got.users] == [True, True, True, False]


def test_duckdb_spills_into_a_private_directory_not_the_working_one() -> None:
    from copilot_tui.facts import connect

    con = connect(threads=1)
    try:
        (spill,) = con.execute("SELECT current_setting('temp_directory')").fetchone()
    finally:
        con.close()
    assert Path(spill).name.startswith("copilot-tui-duckdb-") and Path(spill).is_absolute()
    assert stat.S_IMODE(Path(spill).stat().st_mode) == 0o700


def test_a_read_that_meets_another_process_replacing_a_file_reads_again_before_remaking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process may replace a block or a day's file between the listing and the read: the period is read
    again as the files now stand, and nothing is made again from the stored reports (a year of that is minutes)."""
    from copilot_tui.facts import Facts, stored_aggregate
    from copilot_tui.scope import Scope
    from copilot_tui.store import Store

    scope = Scope("org", "octo-garage")
    day = date(2026, 1, 5)
    real = Facts.aggregate
    calls: list[str] = []

    def replaced_once(self: Facts, *args: object, **kwargs: object) -> object:
        calls.append("read")
        if len(calls) == 1:
            raise RuntimeError("IO Error: No files found that match the pattern (replaced by another process)")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    with Store("github.com", tmp_path / "store") as store:
        store.put_report(scope, "users-1-day", day, [("p", line("2026-01-05", 1) + b"\n")])
        stored_aggregate(store, scope, Period(day, day), store.held(scope))
        monkeypatch.setattr(Facts, "aggregate", replaced_once)
        monkeypatch.setattr(Facts, "forget", lambda *a: calls.append("forget"))
        got = stored_aggregate(store, scope, Period(day, day), store.held(scope))
    assert calls == ["read", "read"] and [u.user_id for u in got.users] == [1]
