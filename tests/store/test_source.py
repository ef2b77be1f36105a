from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from copilot_tui.github.errors import FIRST_REPORT_DAY, DayOutOfRangeError
from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.scope import Scope
from copilot_tui.sources.contract import NotHeldError, SourceError
from copilot_tui.sources.demo import DemoSource
from copilot_tui.sources.live import LiveSource
from copilot_tui.sources.offline import OfflineSource
from copilot_tui.sources.planning import (
    RECHECK_AFTER,
    REVISION_DAYS,
    earliest_day,
    latest_day,
    needs_fetch,
    plan_fetches,
    report_kinds,
)
from copilot_tui.store import HeldReport, Store
from tests.store.conftest import SMALL_ORG, Interrupted, NoNetwork, StubClient, noon_after

KINDS = report_kinds(SMALL_ORG)


def held(day: date, fetched_at: datetime, kind: str = "users-1-day", has_data: bool = True) -> HeldReport:
    return HeldReport(kind, day, has_data, fetched_at, 1, 10, 5)


def day_counts(rows: list[Any]) -> Counter[date]:
    return Counter(r.day for r in rows)


# ------------------------------------------------------------------------------------------------------- policy


def test_a_day_not_held_is_fetched() -> None:
    now = noon_after(date(2026, 3, 10))
    assert needs_fetch(None, date(2026, 1, 1), now)


def test_a_day_fetched_after_it_settled_is_never_fetched_again() -> None:
    day = date(2026, 3, 1)
    fetched = noon_after(day, REVISION_DAYS + 1)
    assert not needs_fetch(held(day, fetched), day, fetched + timedelta(days=200))


def test_a_day_fetched_while_revisable_is_fetched_once_more_after_it_settles() -> None:
    day = date(2026, 3, 1)
    fetched = noon_after(day, 1)
    settled = noon_after(day, REVISION_DAYS + 1)
    assert needs_fetch(held(day, fetched), day, settled)
    assert needs_fetch(held(day, fetched, has_data=False), day, settled)


def test_a_recent_day_is_asked_again_only_when_its_copy_is_old() -> None:
    day = date(2026, 3, 1)
    fetched = noon_after(day, 1)
    assert not needs_fetch(held(day, fetched), day, fetched + RECHECK_AFTER - timedelta(seconds=1))
    assert needs_fetch(held(day, fetched), day, fetched + RECHECK_AFTER)


def test_the_plan_walks_back_from_yesterday_and_stays_in_range() -> None:
    now = noon_after(FIRST_REPORT_DAY, 5)
    plan = plan_fetches(SMALL_ORG, [], date(2025, 1, 1), date(2030, 1, 1), now)
    days = [d for d, _ in plan]
    assert days[0] == latest_day(now) == now.date() - timedelta(days=1)
    assert days[-1] == earliest_day(now) == FIRST_REPORT_DAY
    assert days == sorted(days, reverse=True)
    assert [k for d, k in plan if d == days[0]] == list(KINDS)


def test_history_stops_a_year_back() -> None:
    now = datetime(2027, 6, 1, 12, tzinfo=UTC)
    assert earliest_day(now) == date(2026, 6, 1)


def test_report_kinds_follow_the_scope() -> None:
    assert report_kinds(Scope("enterprise", "e"))[0] == "enterprise-1-day"
    assert report_kinds(Scope("org", "o"))[0] == "organization-1-day"


# ------------------------------------------------------------------------------------------------------- live


def live(client: Any, store: Store, demo: DemoDataset, **kw: Any) -> LiveSource:
    now = kw.pop("now", noon_after(demo.last_day))
    return LiveSource(client, store, clock=lambda: now, **kw)


async def test_first_load_fetches_the_period_and_a_second_fetches_nothing(store: Store, demo: DemoDataset) -> None:
    client = StubClient(demo)
    progress: list[tuple[int, int, str]] = []
    snap = await live(client, store, demo).load(SMALL_ORG, days=28, on_progress=lambda *a: progress.append(a))
    assert len(client.calls) == 28 * len(KINDS)
    assert len(set(client.calls)) == len(client.calls)
    assert progress[0][:2] == (0, len(client.calls))
    assert progress[-1][:2] == (len(client.calls), len(client.calls))
    assert (snap.first_day, snap.last_day) == (demo.last_day - timedelta(days=27), demo.last_day)
    assert snap.missing_days == ()
    assert snap.problems == []

    client.calls.clear()
    again = await live(client, store, demo).load(SMALL_ORG, days=28)
    assert client.calls == []
    assert day_counts(again.user_rows) == day_counts(snap.user_rows)
    assert len(again.team_rows) == len(snap.team_rows)


async def test_recent_days_are_asked_again_once_their_copy_is_old(store: Store, demo: DemoDataset) -> None:
    now = noon_after(demo.last_day)
    client = StubClient(demo)
    await live(client, store, demo, now=now).load(SMALL_ORG, days=28)
    client.calls.clear()
    await live(client, store, demo, now=now + RECHECK_AFTER).load(SMALL_ORG, days=28)
    recent = {demo.last_day - timedelta(days=i) for i in range(REVISION_DAYS)}
    assert {day for _, day in client.calls} == recent
    assert len(client.calls) == REVISION_DAYS * len(KINDS)


async def test_a_load_matches_what_the_demo_source_shows(store: Store, demo: DemoDataset) -> None:
    snap = await live(StubClient(demo), store, demo).load(SMALL_ORG, days=14)
    expected = await DemoSource(demo).load(SMALL_ORG, days=14)
    assert snap.user_rows == expected.user_rows
    assert snap.day_totals == expected.day_totals
    assert snap.team_rows == expected.team_rows


async def test_a_backfill_interrupted_at_day_40_of_90_resumes_at_day_40(store: Store, demo: DemoDataset) -> None:
    since = demo.last_day - timedelta(days=89)
    day_40 = demo.last_day - timedelta(days=39)
    client = StubClient(demo, fail_when=lambda kind, day: day == day_40)
    source = live(client, store, demo, concurrency=1)
    with pytest.raises(Interrupted):
        await source.backfill(SMALL_ORG, since)
    assert min(day for _, day in client.calls if day) == day_40 + timedelta(days=1)
    assert len(client.calls) == 39 * len(KINDS)

    client.calls.clear()
    client.fail_when = None
    result = await source.backfill(SMALL_ORG, since)
    assert client.calls[0] == (KINDS[0], day_40)
    assert max(day for _, day in client.calls if day) == day_40
    assert len(client.calls) == result.planned == 51 * len(KINDS)


async def test_ninety_stored_days_paint_with_no_network(store: Store, demo: DemoDataset) -> None:
    await live(StubClient(demo), store, demo).backfill(SMALL_ORG, demo.last_day - timedelta(days=89))
    for source in (live(NoNetwork(), store, demo), OfflineSource(store)):
        snap = await source.cached(SMALL_ORG, days=90)
        assert snap is not None
        assert snap.missing_days == ()
        assert (snap.first_day, snap.last_day) == (demo.last_day - timedelta(days=89), demo.last_day)
        assert {t.day for t in snap.day_totals} == {snap.first_day + timedelta(days=i) for i in range(90)}
        assert snap.fetched_at is not None
    expected = await DemoSource(demo).load(SMALL_ORG, days=90)
    assert day_counts(snap.user_rows) == day_counts(expected.user_rows)


async def test_cached_shows_the_newest_days_held_even_when_old(store: Store, demo: DemoDataset) -> None:
    until = demo.last_day - timedelta(days=30)
    await live(StubClient(demo), store, demo).load(SMALL_ORG, days=7, until=until)
    later = noon_after(demo.last_day, 60)
    snap = await OfflineSource(store, clock=lambda: later).cached(SMALL_ORG, days=7)
    assert snap is not None and snap.last_day == until
    assert await OfflineSource(store).cached(SMALL_ORG, days=7, until=demo.last_day) is None
    assert await OfflineSource(store).held_range(SMALL_ORG) == (until - timedelta(days=6), until)


async def test_a_day_without_data_is_remembered(store: Store, demo: DemoDataset) -> None:
    quiet = demo.last_day - timedelta(days=10)
    client = StubClient(demo, no_data={quiet})
    snap = await live(client, store, demo).load(SMALL_ORG, days=14)
    assert quiet not in {r.day for r in snap.user_rows}
    assert quiet not in snap.missing_days
    client.calls.clear()
    await live(client, store, demo).load(SMALL_ORG, days=14)
    assert client.calls == []


async def test_a_day_out_of_range_counts_as_no_data(store: Store, demo: DemoDataset) -> None:
    odd = demo.last_day - timedelta(days=2)
    client = StubClient(demo, raise_for={(k, odd): DayOutOfRangeError("out of range", day=odd) for k in KINDS})
    snap = await live(client, store, demo).load(SMALL_ORG, days=7)
    assert odd not in {t.day for t in snap.day_totals}
    assert len(snap.day_totals) == 6


async def test_an_error_stops_the_load_and_keeps_what_arrived(store: Store, demo: DemoDataset) -> None:
    bad = demo.last_day - timedelta(days=3)
    client = StubClient(demo, fail_when=lambda kind, day: day == bad)
    with pytest.raises(Interrupted):
        await live(client, store, demo, concurrency=1).load(SMALL_ORG, days=7)
    kept = {h.day for h in store.held(SMALL_ORG)}
    assert kept == {demo.last_day - timedelta(days=i) for i in range(3)}


async def test_rate_limit_waits_reach_the_loads_callback(store: Store, demo: DemoDataset) -> None:
    client = StubClient(demo)
    before = client.on_wait
    heard: list[tuple[float, str]] = []
    original = client.fetch_report

    async def waiting_fetch(*args: Any, **kw: Any) -> Any:
        if client.on_wait is not None and not heard:
            client.on_wait(42.0, "rate limited")
        return await original(*args, **kw)

    client.fetch_report = waiting_fetch  # type: ignore[method-assign]
    await live(client, store, demo).load(SMALL_ORG, days=2, on_wait=lambda s, r: heard.append((s, r)))
    assert heard == [(42.0, "rate limited")]
    assert client.on_wait is before


async def test_requests_overlap_up_to_the_concurrency(store: Store, demo: DemoDataset) -> None:
    client = StubClient(demo)
    await live(client, store, demo, concurrency=3).load(SMALL_ORG, days=7)
    assert max(n for _, n in client.starts) == 3


async def test_large_reports_are_fetched_one_at_a_time(store: Store, demo: DemoDataset) -> None:
    client = StubClient(demo)
    await live(client, store, demo, concurrency=3, large_report_bytes=1).load(SMALL_ORG, days=7)
    assert max(n for _, n in client.starts) == 3  # the first three were under way before any size was known
    later = [n for completed, n in client.starts if completed >= 3]
    assert later and set(later) == {1}


async def test_scopes_join_the_tokens_orgs_with_stored_ones(store: Store, demo: DemoDataset) -> None:
    store.put_no_data(Scope("enterprise", "octo-enterprise"), "enterprise-1-day", demo.last_day)
    store.put_no_data(Scope("org", "OCTO-garage"), "users-1-day", demo.last_day)
    client = StubClient(demo, orgs=["octo-garage", "octo-labs"])
    scopes = await live(client, store, demo).scopes()
    assert scopes == [Scope("enterprise", "octo-enterprise"), Scope("org", "octo-garage"), Scope("org", "octo-labs")]


# ------------------------------------------------------------------------------------------------------- offline


async def test_offline_with_nothing_stored_says_what_to_do(store: Store) -> None:
    source = OfflineSource(store)
    assert await source.scopes() == []
    assert await source.cached(SMALL_ORG) is None
    with pytest.raises(NotHeldError, match="without --offline"):
        await source.load(SMALL_ORG)


async def test_offline_reports_a_damaged_store(store: Store, demo: DemoDataset) -> None:
    await live(StubClient(demo), store, demo).load(SMALL_ORG, days=3)
    path = store.path_for(SMALL_ORG)
    store.close()
    for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        side.unlink(missing_ok=True)
    path.write_bytes(b"\x00garbage" * 1000)
    source = OfflineSource(store)
    with pytest.raises(NotHeldError, match="damaged.*moved to"):
        await source.load(SMALL_ORG)


# ------------------------------------------------------------------------------------------------------- demo


async def test_demo_serves_every_scope_through_the_parser(demo: DemoDataset) -> None:
    source = DemoSource(demo)
    scopes = await source.scopes()
    assert Scope("enterprise", demo.enterprise) in scopes
    assert [s.name for s in scopes if s.kind == "org"] == [o.login for o in demo.orgs]
    snap = await source.load(SMALL_ORG, days=7)
    assert snap.last_day == demo.last_day
    assert {t.day for t in snap.day_totals} == {demo.last_day - timedelta(days=i) for i in range(7)}
    assert snap.user_rows and snap.team_rows and snap.problems == []
    assert snap.fetched_at is None
    assert await source.held_range(SMALL_ORG) == (demo.first_day, demo.last_day)


async def test_demo_periods_outside_the_data(demo: DemoDataset) -> None:
    source = DemoSource(demo)
    assert await source.cached(SMALL_ORG, days=7, until=demo.first_day - timedelta(days=1)) is None
    snap = await source.load(SMALL_ORG, days=7, until=demo.first_day + timedelta(days=2))
    assert len(snap.missing_days) == 4
    with pytest.raises(SourceError, match="not in the demo"):
        await source.load(Scope("org", "nobody"))
