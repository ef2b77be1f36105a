"""The dashboard's road at scale: numbers from the facts without rows, the period kept between runs, one user's rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson
import pytest

from copilot_tui import block_index
from copilot_tui import facts as facts_module
from copilot_tui.facts import facts_for
from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.metrics.derive import Period, breakdown, feature_series, summarize_users, user_days
from copilot_tui.scope import Scope
from copilot_tui.sources.demo import DemoSource
from copilot_tui.sources.snapshot import lines_of_user
from copilot_tui.sources.stored import snapshot_from_store
from copilot_tui.store import COMPUTED_KEEP, Store
from copilot_tui.ui.view import build_view

LABS = Scope("org", "octo-labs")


def fill(store: Store, dataset: DemoDataset, scope: Scope, days: list[date], at: datetime) -> None:
    kinds = (f"{scope.totals_kind}-1-day", "users-1-day", "user-teams-1-day")
    for day in days:
        for kind in kinds:
            data = b"".join(dataset.iter_ndjson(scope.kind, scope.name, kind, day))
            half = len(data) // 2
            cut = data.index(b"\n", half) + 1 if half else 0
            store.put_report(scope, kind, day, [(f"{kind}-1", data[:cut]), (f"{kind}-2", data[cut:])], at)


@pytest.fixture(scope="module")
def dataset() -> DemoDataset:
    return DemoDataset(days=30)


@pytest.fixture
def filled(store: Store, dataset: DemoDataset) -> tuple[Store, Period]:
    period = Period.last(10, dataset.last_day)
    fill(store, dataset, LABS, period.each_day(), datetime(2026, 11, 20, tzinfo=UTC))
    return store, period


def counting_rollups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The periods rolled up from their blocks and days (not read as kept), by the table each is made into."""
    calls: list[str] = []
    real = facts_module._roll_up_into

    def counted(con: Any, table: str, *args: Any) -> None:
        if table == "rolled":
            calls.append(table)
        real(con, table, *args)

    monkeypatch.setattr(facts_module, "_roll_up_into", counted)
    return calls


def test_the_view_from_the_store_equals_the_view_summed_from_rows(filled: tuple[Store, Period]) -> None:
    store, period = filled
    snap = snapshot_from_store(store, LABS, period.start, period.end)
    view = build_view(snap)
    rows = snap.user_rows
    assert len(rows) > 500
    assert view.users == summarize_users(rows, period)
    assert view.series == feature_series(rows, period)
    assert view.by_ide == breakdown(rows, period, "ide")
    assert view.by_language == breakdown(rows, period, "language")
    assert view.by_model == breakdown(rows, period, "model")
    assert snap.problems == []


def test_a_second_start_reads_the_kept_period_and_new_data_makes_it_anew(
    filled: tuple[Store, Period], dataset: DemoDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, period = filled
    calls = counting_rollups(monkeypatch)
    first = build_view(snapshot_from_store(store, LABS, period.start, period.end))
    assert len(calls) == 1

    again = build_view(snapshot_from_store(store, LABS, period.start, period.end))
    assert len(calls) == 1
    assert again.users == first.users and again.series == first.series and again.by_model == first.by_model

    # GitHub revises the last day: one user's line changes; the kept period must not be read any more.
    last = period.end
    lines = [
        orjson.loads(line) for line in b"".join(dataset.iter_ndjson("org", LABS.name, "users-1-day", last)).split()
    ]
    lines[0]["code_generation_activity_count"] += 1000
    store.put_report(LABS, "users-1-day", last, [("x", b"\n".join(orjson.dumps(x) for x in lines))], datetime.now(UTC))
    revised = build_view(snapshot_from_store(store, LABS, period.start, period.end))
    assert len(calls) == 2
    changed = {u.user_id: u.generations for u in revised.users}
    before = {u.user_id: u.generations for u in first.users}
    assert changed[lines[0]["user_id"]] == before[lines[0]["user_id"]] + 1000
    assert {k: v for k, v in changed.items() if k != lines[0]["user_id"]} == {
        k: v for k, v in before.items() if k != lines[0]["user_id"]
    }


def test_another_period_is_rolled_up_and_kept_on_its_own(
    filled: tuple[Store, Period], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, period = filled
    calls = counting_rollups(monkeypatch)
    shorter = Period.last(3, period.end)
    build_view(snapshot_from_store(store, LABS, period.start, period.end))
    short_view = build_view(snapshot_from_store(store, LABS, shorter.start, shorter.end))
    build_view(snapshot_from_store(store, LABS, shorter.start, shorter.end))
    assert len(calls) == 2
    assert all(u.days_active <= 3 for u in short_view.users)


def test_a_damaged_kept_period_is_made_again(filled: tuple[Store, Period]) -> None:
    store, period = filled
    good = build_view(snapshot_from_store(store, LABS, period.start, period.end))
    (kept,) = facts_for(store, LABS).blocks.glob("p.*.parquet")
    kept.write_bytes(b"not parquet at all")
    again = build_view(snapshot_from_store(store, LABS, period.start, period.end))
    assert again.users == good.users and again.by_ide == good.by_ide


def test_the_store_keeps_a_bounded_number_of_computed_rows(store: Store) -> None:
    for i in range(COMPUTED_KEEP + 3):
        store.put_computed(LABS, f"k{i}", "v1", b"%d" % i)
    kept = [i for i in range(COMPUTED_KEEP + 3) if store.get_computed(LABS, f"k{i}", "v1") is not None]
    assert kept == list(range(3, COMPUTED_KEEP + 3))
    assert store.get_computed(LABS, f"k{COMPUTED_KEEP + 2}", "v2") is None


def test_one_users_rows_are_read_without_the_others(filled: tuple[Store, Period]) -> None:
    store, period = filled
    snap = snapshot_from_store(store, LABS, period.start, period.end)
    rows = snap.user_rows
    busiest = max(build_view(snap).users, key=lambda u: u.days_active)
    quiet = min(build_view(snap).users, key=lambda u: u.days_active)
    for user in (busiest, quiet):
        expected = user_days(rows, user.user_id, period)
        assert snap.user_days(user.user_id) == expected
        assert len(expected) == user.days_active
    inner = Period.last(2, period.end)
    assert snap.user_days(busiest.user_id, inner) == user_days(rows, busiest.user_id, inner)
    assert snap.user_days(123) == []


def test_the_byte_prefilter_takes_whole_lines_across_chunks_and_no_id_that_only_starts_alike() -> None:
    lines = [
        {"day": "2026-01-05", "user_id": 12, "user_login": "a"},
        {"day": "2026-01-05", "user_id": 123, "user_login": "b"},
        {"day": "2026-01-06", "user_id": 12, "user_login": "a", "note": "x" * 50},
    ]
    data = b"\n".join(orjson.dumps(x) for x in lines)
    for size in (1, 7, 40, len(data)):
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        found = [orjson.loads(x)["user_login"] for x in lines_of_user([("p", iter(chunks))], 12)]
        assert found == ["a", "a"], size
    assert [orjson.loads(x)["user_id"] for x in lines_of_user([("p", data)], 123)] == [123]


async def test_demo_drill_down_and_rows_agree() -> None:
    src = DemoSource(DemoDataset(days=20))
    snap = await src.load(Scope("org", "octo-garage"), days=7)
    view = build_view(snap)
    user = view.users[0]
    assert snap.user_days(user.user_id) == user_days(snap.user_rows, user.user_id, view.period)
    assert view.users == summarize_users(snap.user_rows, view.period)
    assert snap.period == Period.last(7, src.dataset.last_day)
    assert snap.last_day - snap.first_day == timedelta(days=6)


def test_the_users_index_finds_a_users_lines_in_small_blocks(
    store: Store, dataset: DemoDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(block_index, "BLOCK", 4096)
    period = Period.last(3, dataset.last_day)
    fill(store, dataset, LABS, period.each_day(), datetime(2026, 11, 20, tzinfo=UTC))
    snap = snapshot_from_store(store, LABS, period.start, period.end)
    rows = snap.user_rows
    for user in build_view(snap).users[::37]:
        assert snap.user_days(user.user_id) == user_days(rows, user.user_id, period)
        read = sum(
            len(b)
            for _, blocks in store.read_user_blocks(LABS, "users-1-day", period.each_day(), user.user_id)
            for b in blocks
        )
        assert 0 < read <= 2 * 4096 * 2 * user.days_active + 8192
    whole = b"".join(b for _, chunks in store.read_parts(LABS, "users-1-day", period.each_day()) for b in chunks)
    assert [orjson.loads(x) for x in whole.splitlines()] == [
        r for d in period.each_day() for r in dataset.report_lines("org", LABS.name, "users-1-day", d) or []
    ]


def test_a_part_stored_before_the_index_is_read_whole(store: Store, dataset: DemoDataset) -> None:
    day = dataset.last_day
    fill(store, dataset, LABS, [day], datetime(2026, 11, 20, tzinfo=UTC))
    db = store._db(LABS)
    with db._guard() as conn:
        conn.execute("DELETE FROM part_index")
    snap = snapshot_from_store(store, LABS, day, day)
    user = build_view(snap).users[0]
    assert snap.user_days(user.user_id) == user_days(snap.user_rows, user.user_id)
