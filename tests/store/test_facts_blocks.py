"""The period blocks are made when the data arrives (a sync, a fetch), so that opening a period only reads: a
refresh makes again only the blocks holding its days, a killed block write leaves nothing half-made, and a reader
sees whole days while a refresh writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from copilot_tui import facts as facts_module
from copilot_tui.facts import Facts, facts_for, ingest_stored, make_stored_blocks, pieces, stored_aggregate
from copilot_tui.metrics.aggregate import aggregate_users
from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.metrics.derive import Period
from copilot_tui.sources.live import LiveSource
from copilot_tui.sources.offline import OfflineSource
from copilot_tui.store import Store
from tests.store.conftest import SMALL_ORG, StubClient, noon_after
from tests.store.test_facts import assert_same

USERS = "users-1-day"


def no_block_made(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> bool:
        raise AssertionError(f"a block was made by a read: {args[-1]}")

    monkeypatch.setattr(Facts, "_make_block", refuse)


def block_span(name: str) -> tuple[date, date]:
    first, level = name.split(".")[:2]
    start = date.fromisoformat(first)
    return start, start + timedelta(days=(1 << int(level)) - 1)


def fold(store: Store, period: Period) -> Any:
    days = [h.day for h in store.held(SMALL_ORG, USERS, period.start, period.end) if h.has_data]
    return aggregate_users(store.read_parts(SMALL_ORG, USERS, days), period)


def store_day(store: Store, day: date, data: bytes, at: datetime) -> None:
    """What a fetch does with a users report: stored, then its facts made."""
    store.put_report(SMALL_ORG, USERS, day, [(f"users {day}", data)], at)
    assert ingest_stored(store, SMALL_ORG, day, [(f"users {day}", data)]) is not None


def demo_day(demo: DemoDataset, day: date) -> bytes:
    return b"".join(demo.iter_ndjson(SMALL_ORG.kind, SMALL_ORG.name, USERS, day))


def revised(data: bytes) -> bytes:
    """A report revised by GitHub: the counts of a recent day grow."""
    return data.replace(b'"code_generation_activity_count":', b'"code_generation_activity_count":1')


async def test_a_sync_makes_the_periods_blocks_and_a_read_makes_none(
    store: Store, demo: DemoDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    last = demo.last_day
    live = LiveSource(StubClient(demo), store, clock=lambda: noon_after(last))
    await live.backfill(SMALL_ORG, last - timedelta(days=39), last)
    blocks = facts_for(store, SMALL_ORG).blocks
    names = os.listdir(blocks)
    assert names and all(block_span(n)[1] <= last for n in names)
    no_block_made(monkeypatch)
    for days in (7, 14, 28, 40):
        period = Period.last(days, last)
        assert any(level > 0 for _first, level in pieces(period))
        snap = await OfflineSource(store).load(SMALL_ORG, days=days)
        assert_same(snap.users_aggregate(), fold(store, period))
    kept_periods = [n for n in os.listdir(blocks) if n.startswith("p.")]  # a read keeps its period, no block
    assert sorted(n for n in os.listdir(blocks) if n not in kept_periods) == sorted(names)


def test_a_refresh_makes_again_only_the_blocks_holding_its_days(
    store: Store, demo: DemoDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    last = demo.last_day
    days = Period.last(40, last - timedelta(days=1)).each_day()
    for day in days:
        store_day(store, day, demo_day(demo, day), datetime(2026, 12, 1, tzinfo=UTC))
    assert make_stored_blocks(store, SMALL_ORG) > 0
    blocks = facts_for(store, SMALL_ORG).blocks
    assert make_stored_blocks(store, SMALL_ORG) == 0  # nothing missing: nothing made

    def refresh(changed: list[date], at: datetime) -> tuple[set[str], set[str]]:
        before = set(os.listdir(blocks))
        for day in changed:
            store_day(store, day, revised(demo_day(demo, day)) if day in days else demo_day(demo, day), at)
        made = make_stored_blocks(store, SMALL_ORG, min(changed), max(changed))
        after = set(os.listdir(blocks))
        assert made == len(after - before)
        return after - before, before - after

    # the last day arrives: made are the blocks it completes (each ends on it), nothing else is touched
    made, gone = refresh([last], datetime(2026, 12, 2, tzinfo=UTC))
    assert made and not gone and all(block_span(n)[1] == last for n in made)
    # the last three days revised: every block holding one is made again, in place of its older copy
    three = [last - timedelta(days=2), last - timedelta(days=1), last]
    made, gone = refresh(three, datetime(2026, 12, 3, tzinfo=UTC))
    holding = {n for n in made if any(block_span(n)[0] <= d <= block_span(n)[1] for d in three)}
    assert made == holding and len(made) <= 2 * facts_module.BLOCK_LEVELS
    assert {n.rsplit(".", 2)[0] for n in gone} == {n.rsplit(".", 2)[0] for n in made}
    no_block_made(monkeypatch)
    for period in (Period.last(28, last), Period.last(41, last), Period.last(9, last - timedelta(days=3))):
        held = store.held(SMALL_ORG, start=period.start, end=period.end)
        assert_same(stored_aggregate(store, SMALL_ORG, period, held), fold(store, period))


KILLED_WRITE = """
import os, signal, sys
from datetime import date
from copilot_tui import facts
from copilot_tui.facts import Facts

real = os.link
placed = []

def link(src, dst):
    if str(dst).endswith('.parquet') and '/blocks-' in str(dst):
        placed.append(dst)
        if len(placed) == 3:
            os.kill(os.getpid(), signal.SIGKILL)  # the block's file written whole, not yet put in place
    real(src, dst)

os.link = link
days = {date.fromisoformat(d): 'tok' for d in sys.argv[2].split(',')}
Facts(__import__('pathlib').Path(sys.argv[1])).make_blocks(days)
"""


@pytest.mark.skipif(os.name == "nt", reason="no SIGKILL")
def test_a_killed_block_write_leaves_nothing_half_made(tmp_path: Path, demo: DemoDataset) -> None:
    facts = Facts(tmp_path / "facts")
    days = Period.last(12, demo.last_day).each_day()
    for day in days:
        facts.ingest(day, "tok", [(f"users {day}", demo_day(demo, day))])
    wanted = dict.fromkeys(days, "tok")
    child = subprocess.run(
        [sys.executable, "-c", KILLED_WRITE, str(facts.root), ",".join(d.isoformat() for d in days)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    names = os.listdir(facts.blocks)
    kept = [n for n in names if not n.startswith(".")]
    assert len(kept) == 2 and len(names) == 3  # two blocks put in place, the third's file a temporary
    made = Facts(facts.root)
    facts_module._TEMPS_SWEPT.discard(made.dir)  # as a process started after the killed one
    assert made.make_blocks(wanted) > 0
    assert not [n for n in os.listdir(facts.blocks) if n.startswith(".")]
    period = Period(days[0], days[-1])
    expected = aggregate_users([(f"users {d}", demo_day(demo, d)) for d in days], period)
    assert_same(made.aggregate(period, wanted), expected)


def test_a_reader_sees_whole_days_while_a_refresh_writes(tmp_path: Path, demo: DemoDataset) -> None:
    """The app reading while `sync` writes the same scope: two stores on one directory, as two processes; every
    read is the period as one of the refresh's states, never a mix."""
    last = demo.last_day
    period = Period.last(8, last)
    days = period.each_day()
    first = {d: demo_day(demo, d) for d in days}
    second = {d: revised(data) for d, data in first.items()}
    with Store("github.com", tmp_path / "store") as writer, Store("github.com", tmp_path / "store") as reader:
        for day in days:
            store_day(writer, day, first[day], datetime(2026, 12, 1, tzinfo=UTC))
        make_stored_blocks(writer, SMALL_ORG)
        states = [fold(writer, period)]
        changed = days[-1:]  # one day: a listing of the store sees it one copy or the other
        for day in changed:
            store_day(writer, day, second[day], datetime(2026, 12, 2, tzinfo=UTC))
        states.append(fold(writer, period))
        for day in changed:
            store_day(writer, day, first[day], datetime(2026, 12, 3, tzinfo=UTC))
        make_stored_blocks(writer, SMALL_ORG)
        stop = threading.Event()
        go = threading.Semaphore(0)  # one refresh a read, started with it: a read meets at most one refresh
        refreshes = [0]

        def refresh() -> None:
            n = 0
            while not stop.is_set():
                if not go.acquire(timeout=0.05):
                    continue
                n += 1
                data = second if n % 2 else first
                for day in changed:
                    store_day(writer, day, data[day], datetime(2026, 12, 3, tzinfo=UTC) + timedelta(hours=n))
                make_stored_blocks(writer, SMALL_ORG, changed[0], changed[-1])
                refreshes[0] = n

        thread = threading.Thread(target=refresh)
        thread.start()
        try:
            for _ in range(12):
                go.release()
                got = stored_aggregate(reader, SMALL_ORG, period, reader.held(SMALL_ORG, start=period.start))
                same = [i for i, state in enumerate(states) if got.users == state.users and got.series == state.series]
                assert same, "a read mixed two states of the refresh"
        finally:
            stop.set()
            thread.join()
    assert refreshes[0] > 0
