"""The live source: GitHub's API through the local store, fetching only what a period lacks.

What it asks for is :mod:`copilot_tui.sources.planning`'s policy. A report still being generated (502/503 after the
retries) is not stored at all: it stays pending, and this source does not ask for it again before ``RECHECK_AFTER``.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from copilot_tui.facts import USERS_KIND, ingest_stored, make_stored_blocks
from copilot_tui.github.errors import DayOutOfRangeError
from copilot_tui.licenses import SeatReport, live_seats
from copilot_tui.metrics.model import LineProblem
from copilot_tui.metrics.parse import (
    ReportPart,
    parse_user_teams_report,
)
from copilot_tui.metrics.userline import check_users_report
from copilot_tui.scope import Scope
from copilot_tui.scope_lock import ScopeLock
from copilot_tui.settings import Mode
from copilot_tui.sources.contract import FetchResult, ProgressCallback, ReportClient, WaitCallback
from copilot_tui.sources.planning import (
    RECHECK_AFTER,
    earliest_day,
    latest_day,
    newest_first,
    pending_reports,
    period_ending,
    plan_fetches,
)
from copilot_tui.sources.snapshot import TEAMS_KIND, Snapshot
from copilot_tui.sources.stored import StoreBacked, last_held_day
from copilot_tui.store import Store, StoreDamagedError

log = logging.getLogger(__name__)


LOCK_POLL_SECONDS = 0.25
"""How often a fetch waiting for another process's fetch of the same scope looks again."""


#: From this report size on, a load fetches one report at a time (about 30k active users' worth of user rows).
LARGE_REPORT_BYTES = 64 * 1024 * 1024


def check_user_teams_report(parts: Iterable[ReportPart]) -> list[LineProblem]:
    """The lines of a user-teams report the line rule skips (the report is small: parsed whole)."""
    return list(parse_user_teams_report(parts).problems)


class LiveSource(StoreBacked):
    """GitHub's API through the store: paint from disk, ask only for what is missing, keep what was downloaded.

    ``concurrency`` requests run at once (GitHub asks integrators to keep it low; `sync` uses 1); once a report
    of ``large_report_bytes`` or more arrives (a big enterprise), the rest come one at a time, since each report
    is held whole in memory until it is stored.
    """

    mode: Mode = "live"

    def __init__(
        self,
        client: ReportClient,
        store: Store,
        *,
        concurrency: int = 3,
        clock: Callable[[], datetime] | None = None,
        recheck_after: timedelta = RECHECK_AFTER,
        large_report_bytes: int = LARGE_REPORT_BYTES,
        check_lines: bool = False,
    ) -> None:
        super().__init__(store, clock=clock)
        self.client = client
        self.check_lines = check_lines
        """Read each users report as it arrives and collect the lines the rule skips in ``line_problems`` (for
        `sync`, which never reads what it stores; a load names them from its aggregate)."""
        self.line_problems: list[LineProblem] = []
        self.concurrency = max(1, concurrency)
        self.large_report_bytes = large_report_bytes
        self.recheck_after = recheck_after
        self._wait_lock = threading.Lock()
        self._generating: dict[tuple[Scope, date, str], datetime] = {}
        """Reports GitHub was still generating (502/503) when asked, and when: not asked again before
        ``recheck_after``."""

    async def newest_day(self, scope: Scope) -> date | None:
        """The last day of GitHub's latest 28-day users report (one small request, no download): GitHub's newest
        days come late, and a period ending on a day it has not written yet would hold nothing."""
        newest = latest_day(self._clock())
        window = await self.client.report_links(scope, "users-28-day")
        end = getattr(window, "report_end_day", None)
        return min(end, newest) if end is not None else newest

    async def seats(self, scope: Scope) -> SeatReport:
        return await live_seats(self.client, scope)

    async def aclose(self) -> None:
        close = getattr(self.client, "aclose", None)
        if close is not None:
            await close()
        await super().aclose()

    async def scopes(self) -> list[Scope]:
        """The organizations the token can see, plus every scope already in the store (enterprises included)."""
        orgs = await self.client.list_user_orgs()
        found = {Scope("org", name) for name in orgs}
        known = {(s.kind, s.name.lower()) for s in found}
        for scope in await self._stored_scopes():
            if (scope.kind, scope.name.lower()) not in known:
                found.add(scope)
        return sorted(found)

    async def load(
        self,
        scope: Scope,
        *,
        days: int = 28,
        until: date | None = None,
        on_progress: ProgressCallback | None = None,
        on_wait: WaitCallback | None = None,
    ) -> Snapshot:
        """Fetch what the period lacks, then answer from the store. Raises the client's ``GitHubError``s."""
        end = until or latest_day(self._clock())
        start, end = period_ending(days, end)
        await self.fetch_missing(scope, start, end, on_progress=on_progress, on_wait=on_wait)
        if until is None:
            # GitHub's newest days can come late: the period ends on the newest day that has data, as the cached
            # view does, so a fresh load and a start from the store show the same days
            newest = await asyncio.to_thread(last_held_day, self.store, scope)
            if newest is not None and newest < end:
                start, end = period_ending(days, newest)
                await self.fetch_missing(scope, start, end, on_progress=on_progress, on_wait=on_wait)
        return await asyncio.to_thread(self._snapshot, scope, start, end)

    def _still_generating(self, scope: Scope) -> list[tuple[date, str]]:
        """The reports of ``scope`` last answered "being generated" that the store still holds nothing for."""
        wanted = [(day, kind) for (s, day, kind) in self._generating if s == scope]
        if not wanted:
            return []
        try:
            held = {(h.day, h.kind) for h in self.store.held(scope, start=min(d for d, _ in wanted))}
        except StoreDamagedError:
            held = set()
        return [p for p in wanted if p not in held]

    async def backfill(
        self,
        scope: Scope,
        since: date | None = None,
        until: date | None = None,
        *,
        on_progress: ProgressCallback | None = None,
        on_wait: WaitCallback | None = None,
    ) -> FetchResult:
        """Walk back from ``until`` (default: yesterday) to ``since``, one day at a time, storing as it goes.

        Each report is committed as soon as it arrives, so an interrupted backfill resumes where it stopped.
        Without ``since`` it goes as far back as GitHub keeps reports.
        """
        now = self._clock()
        end = until or latest_day(now)
        start = since or earliest_day(now)
        return await self.fetch_missing(scope, start, end, on_progress=on_progress, on_wait=on_wait)

    def plan(self, scope: Scope, start: date, end: date) -> list[tuple[date, str]]:
        """The requests a load of ``start..end`` would make now (blocking: reads the store)."""
        try:
            held = self.store.held(scope, start=start, end=end)
        except StoreDamagedError:
            held = []
        now = self._clock()
        plan = plan_fetches(scope, held, start, end, now, recheck_after=self.recheck_after)
        return [
            (day, kind)
            for day, kind in plan
            if now - self._generating.get((scope, day, kind), now - self.recheck_after) >= self.recheck_after
        ]

    def pending(self, scope: Scope, start: date, end: date) -> list[tuple[date, str]]:
        """The reports of ``start..end`` GitHub has not delivered yet, newest first (blocking: reads the store)."""
        try:
            held = self.store.held(scope, start=start, end=end)
        except StoreDamagedError:
            held = []
        generating = [p for p in self._still_generating(scope) if start <= p[0] <= end]
        return newest_first([*pending_reports(held), *generating])

    async def fetch_missing(
        self,
        scope: Scope,
        start: date,
        end: date,
        *,
        on_progress: ProgressCallback | None = None,
        on_wait: WaitCallback | None = None,
    ) -> FetchResult:
        """Fetch what ``start..end`` lacks, holding the scope's lock (``copilot_tui.scope_lock``): another process
        fetching the same scope is waited for (``on_wait(inf, reason)`` says so), and the plan is made after it is
        done, from what it stored, so nothing is downloaded twice."""
        lock = ScopeLock(self.store.path_for(scope))
        if not lock.try_acquire():
            log.info("another copilot-tui is fetching %s: waiting for it", scope)
            if on_wait is not None:
                on_wait(math.inf, f"Another copilot-tui is fetching {scope}: waiting for it to finish")
            while not lock.try_acquire():
                await asyncio.sleep(LOCK_POLL_SECONDS)
        try:
            result = await self._fetch_missing(scope, start, end, on_progress=on_progress, on_wait=on_wait)
            if on_progress is not None and result.planned:
                on_progress(result.fetched, result.planned, "making the period blocks")
            await asyncio.to_thread(make_stored_blocks, self.store, scope, start, end)  # a period is then a read
            return result
        finally:
            lock.release()

    async def _fetch_missing(
        self,
        scope: Scope,
        start: date,
        end: date,
        *,
        on_progress: ProgressCallback | None,
        on_wait: WaitCallback | None,
    ) -> FetchResult:
        plan = await asyncio.to_thread(self.plan, scope, start, end)
        total = len(plan)
        done = 0
        no_data = 0
        if on_progress is not None:
            on_progress(0, total, f"{total} report files to fetch" if total else "up to date")
        if not plan:
            return FetchResult(0, 0, 0, tuple(await asyncio.to_thread(self.pending, scope, start, end)))
        queue: Iterator[tuple[date, str]] = iter(plan)

        large = False

        async def fetch(day: date, kind: str) -> None:
            nonlocal done, no_data, large
            size = await self._fetch_one(scope, kind, day)
            if size is None:
                no_data += 1
            elif size >= self.large_report_bytes:
                large = True
            done += 1
            if on_progress is not None:
                on_progress(done, total, f"{kind} {day.isoformat()}")

        async def worker(index: int) -> None:
            for day, kind in queue:
                await fetch(day, kind)
                if large and index > 0:
                    return  # reports this big are held whole in memory: one at a time from here on

        with self._waits_to(on_wait):
            # The first request goes alone, as the token's check: a refused token is one error, the same each time,
            # not whichever of the parallel requests failed first.
            await fetch(*next(queue))
            try:
                async with asyncio.TaskGroup() as group:
                    for index in range(min(self.concurrency, total - 1)):
                        group.create_task(worker(index))
            except BaseExceptionGroup as failed:
                # Callers handle the client's typed errors, not a group: hand on the first.
                raise _first_error(failed) from None
        return FetchResult(total, done, no_data, tuple(await asyncio.to_thread(self.pending, scope, start, end)))

    async def _fetch_one(self, scope: Scope, kind: str, day: date) -> int | None:
        """Download one report and store it; its size, or None when GitHub has none for that day."""
        fetched_at = self._clock()
        try:
            download = await self.client.fetch_report(scope, kind, day)
        except DayOutOfRangeError:
            download = None
        if not download:
            if getattr(download, "reason", None) == "being generated":
                self._generating[(scope, day, kind)] = fetched_at
                return None
            self._generating.pop((scope, day, kind), None)
            await asyncio.to_thread(self.store.put_no_data, scope, kind, day, fetched_at)
            return None
        self._generating.pop((scope, day, kind), None)
        parts = [(str(name), bytes(data)) for name, data in download.parts]
        del download
        await asyncio.to_thread(self.store.put_report, scope, kind, day, parts, fetched_at)
        problems: list[LineProblem] | None = None
        if kind == USERS_KIND:  # decoded once, now: every period showing this day is then a query
            made = await asyncio.to_thread(ingest_stored, self.store, scope, day, parts)
            problems = None if made is None else list(made.problems)  # the skipped lines, by the same rule
        if self.check_lines and kind in (USERS_KIND, TEAMS_KIND):
            if problems is None:
                check = check_users_report if kind == USERS_KIND else check_user_teams_report
                problems = await asyncio.to_thread(check, parts)
            with self._wait_lock:
                self.line_problems += problems
        return sum(len(data) for _, data in parts)

    def _waits_to(self, on_wait: WaitCallback | None) -> _WaitRelay:
        return _WaitRelay(self.client, on_wait, self._wait_lock)


def _first_error(group: BaseExceptionGroup[Any]) -> BaseException:
    first = group.exceptions[0]
    return _first_error(first) if isinstance(first, BaseExceptionGroup) else first


class _WaitRelay:
    """Point the client's ``on_wait`` at this call's callback for the duration of a fetch, then restore it.

    The client takes ``on_wait`` when it is built, while each load brings its own countdown display.
    """

    def __init__(self, client: Any, on_wait: WaitCallback | None, lock: threading.Lock) -> None:
        self.client = client
        self.on_wait = on_wait
        self.lock = lock
        self.saved: Any = None
        self.active = False

    def __enter__(self) -> _WaitRelay:
        if self.on_wait is not None and hasattr(self.client, "on_wait"):
            with self.lock:
                self.saved = self.client.on_wait
                self.client.on_wait = self.on_wait
                self.active = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self.active:
            with self.lock:
                self.client.on_wait = self.saved
