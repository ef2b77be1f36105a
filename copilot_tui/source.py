"""Where the app's data comes from: the live API through the local store, the store alone, or the demo dataset.

Every source answers the same three questions, so the UI never knows which one it has:
``await scopes()`` (what can be opened), ``await cached(scope)`` (what is at hand right now, no network) and
``await load(scope)`` (fetch what is missing, then answer). All three parse through ``copilot_tui.metrics.parse``,
the demo included (its lines are serialized to NDJSON first), so the demo exercises the path real data takes.

Fetch policy (``LiveSource``): 1-day reports only (users, organization/enterprise, user-teams), one request per kind
and day. A day is asked for when the store does not hold it, or when the copy held was fetched while GitHub could
still revise it (the last ``REVISION_DAYS`` days): such a copy is asked again once the day has settled, and, while it
is still recent, when it is older than ``RECHECK_AFTER``. A day that answered "no data" is remembered the same way.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from copilot_tui.github.errors import FIRST_REPORT_DAY, DayOutOfRangeError
from copilot_tui.metrics.model import DayTotals, LineProblem, UserDay, UserTeam
from copilot_tui.metrics.parse import parse_org_report, parse_user_teams_report, parse_users_report
from copilot_tui.scope import Scope
from copilot_tui.store import HeldReport, Store, StoreDamagedError

ProgressCallback = Callable[[int, int, str], None]
WaitCallback = Callable[[float, str], Any]

#: GitHub may revise a report for this many days after the day itself (shared/README.md: "the last 1 to 3 days").
REVISION_DAYS = 3
#: How old a copy of a still-revisable day may be before a load asks for it again.
RECHECK_AFTER = timedelta(minutes=30)
#: From this report size on, a load fetches one report at a time (about 30k active users' worth of user rows).
LARGE_REPORT_BYTES = 64 * 1024 * 1024
#: Reports are kept this far back by GitHub.
HISTORY_DAYS = 365
USERS_KIND = "users-1-day"
TEAMS_KIND = "user-teams-1-day"


class SourceError(Exception):
    """A source cannot answer; the message says why and what to do."""


class NotHeldError(SourceError):
    """Offline and the store holds nothing for the scope."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the screens draw for one scope and period, parsed into the model's records.

    ``first_day``/``last_day`` bound the period asked for; ``missing_days`` are the days in it the source holds no
    answer for (neither data nor "no data"); ``fetched_at`` is when the newest report in it was downloaded (None
    for the demo); ``notices`` are sentences for the user (a damaged store moved aside).
    """

    scope: Scope
    user_rows: list[UserDay]
    day_totals: list[DayTotals]
    team_rows: list[UserTeam]
    first_day: date
    last_day: date
    fetched_at: datetime | None
    problems: list[LineProblem]
    missing_days: tuple[date, ...] = ()
    notices: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def is_empty(self) -> bool:
        return not self.user_rows and not self.day_totals


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a load or backfill asked GitHub for."""

    planned: int
    fetched: int
    no_data: int


class ReportClient(Protocol):
    """The part of ``copilot_tui.github.GitHubClient`` the sources use."""

    async def fetch_report(self, scope: Scope, kind: str, day: date | None = None, on_progress: Any = None) -> Any: ...

    async def list_user_orgs(self) -> list[str]: ...


# ------------------------------------------------------------------------------------------------------- policy


def report_kinds(scope: Scope) -> tuple[str, ...]:
    """The 1-day reports asked for each day, totals first (the dashboard's top pane)."""
    return (f"{scope.totals_kind}-1-day", USERS_KIND, TEAMS_KIND)


def latest_day(now: datetime) -> date:
    """The newest day a report can exist for: yesterday in UTC."""
    return now.astimezone(UTC).date() - timedelta(days=1)


def earliest_day(now: datetime) -> date:
    """The oldest day GitHub still serves: a year back, and never before the first report day."""
    return max(FIRST_REPORT_DAY, now.astimezone(UTC).date() - timedelta(days=HISTORY_DAYS))


def needs_fetch(held: HeldReport | None, day: date, now: datetime, *, recheck_after: timedelta = RECHECK_AFTER) -> bool:
    """Whether to ask GitHub for a report of ``day`` that the store holds as ``held`` (None: not held)."""
    if held is None:
        return True
    settled_on = day + timedelta(days=REVISION_DAYS + 1)
    if held.fetched_at.astimezone(UTC).date() >= settled_on:
        return False
    if now.astimezone(UTC).date() >= settled_on:
        return True
    return now - held.fetched_at >= recheck_after


def plan_fetches(
    scope: Scope,
    held: Iterable[HeldReport],
    start: date,
    end: date,
    now: datetime,
    *,
    recheck_after: timedelta = RECHECK_AFTER,
) -> list[tuple[date, str]]:
    """The ``(day, kind)`` requests needed for ``start..end``, newest day first (a backfill walks back in time)."""
    by_key = {(h.kind, h.day): h for h in held}
    start = max(start, earliest_day(now))
    end = min(end, latest_day(now))
    plan: list[tuple[date, str]] = []
    day = end
    while day >= start:
        for kind in report_kinds(scope):
            if needs_fetch(by_key.get((kind, day)), day, now, recheck_after=recheck_after):
                plan.append((day, kind))
        day -= timedelta(days=1)
    return plan


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _period(days: int, until: date) -> tuple[date, date]:
    if days < 1:
        raise ValueError("a period has at least one day")
    return until - timedelta(days=days - 1), until


def _utc_now() -> datetime:
    return datetime.now(UTC)


# ------------------------------------------------------------------------------------------------------- snapshots


def snapshot_from_parts(
    scope: Scope,
    first_day: date,
    last_day: date,
    parts_of: Callable[[str], Iterable[tuple[str, Any]]],
    *,
    fetched_at: datetime | None = None,
    missing_days: Sequence[date] = (),
    notices: Sequence[str] = (),
) -> Snapshot:
    """Parse the three reports of a period (``parts_of(kind)`` gives parser input) into a Snapshot."""
    users = parse_users_report(parts_of(USERS_KIND))
    org = parse_org_report(parts_of(f"{scope.totals_kind}-1-day"))
    teams = parse_user_teams_report(parts_of(TEAMS_KIND))
    return Snapshot(
        scope=scope,
        user_rows=[r for r in users.rows if first_day <= r.day <= last_day],
        day_totals=[d for d in org.days if first_day <= d.day <= last_day],
        team_rows=[t for t in teams.rows if first_day <= t.day <= last_day],
        first_day=first_day,
        last_day=last_day,
        fetched_at=fetched_at,
        problems=[*org.problems, *users.problems, *teams.problems],
        missing_days=tuple(missing_days),
        notices=tuple(notices),
    )


def snapshot_from_store(store: Store, scope: Scope, first_day: date, last_day: date) -> Snapshot:
    """Read and parse what the store holds for the period: blocking, run it in a worker thread."""
    try:
        held = store.held(scope, start=first_day, end=last_day)
        days = _days(first_day, last_day)
        held_users = {h.day for h in held if h.kind == USERS_KIND}
        with_data: dict[str, list[date]] = {}
        for h in held:
            if h.has_data:
                with_data.setdefault(h.kind, []).append(h.day)
        return snapshot_from_parts(
            scope,
            first_day,
            last_day,
            lambda kind: store.read_parts(scope, kind, with_data.get(kind, [])),
            fetched_at=max((h.fetched_at for h in held), default=None),
            missing_days=[d for d in days if d not in held_users],
            notices=store.take_notices(),
        )
    except StoreDamagedError:
        days = _days(first_day, last_day)
        return Snapshot(scope, [], [], [], first_day, last_day, None, [], tuple(days), tuple(store.take_notices()))


def last_held_day(store: Store, scope: Scope) -> date | None:
    """The newest day the store holds data for (any report kind)."""
    try:
        held = store.held(scope)
    except StoreDamagedError:
        return None
    return max((h.day for h in held if h.has_data), default=None)


# ------------------------------------------------------------------------------------------------------- sources


class _StoreBacked:
    """What the live and offline sources share: painting from the store."""

    def __init__(self, store: Store, *, clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self._clock: Callable[[], datetime] = clock or (lambda: _utc_now())

    async def held_range(self, scope: Scope) -> tuple[date, date] | None:
        """The first and last day with data in the store: the periods the app can offer without fetching."""

        def work() -> tuple[date, date] | None:
            try:
                days = [h.day for h in self.store.held(scope) if h.has_data]
            except StoreDamagedError:
                return None
            return (min(days), max(days)) if days else None

        return await asyncio.to_thread(work)

    async def cached(self, scope: Scope, *, days: int = 28, until: date | None = None) -> Snapshot | None:
        """The period from the store alone, or None when it holds nothing for ``scope``.

        Without ``until`` the period ends on the newest day held (never after yesterday), so an old store still
        shows its last weeks, with ``fetched_at`` telling how old they are.
        """

        def work() -> Snapshot | None:
            end = until
            if end is None:
                newest = last_held_day(self.store, scope)
                if newest is None:
                    return None
                end = min(newest, latest_day(self._clock()))
            start, end = _period(days, end)
            snap = snapshot_from_store(self.store, scope, start, end)
            return None if snap.fetched_at is None and not snap.notices else snap

        return await asyncio.to_thread(work)

    async def _stored_scopes(self) -> list[Scope]:
        return await asyncio.to_thread(self.store.scopes)


class OfflineSource(_StoreBacked):
    """The local store and nothing else (``--offline``): no request ever leaves the machine."""

    async def scopes(self) -> list[Scope]:
        return await self._stored_scopes()

    async def load(
        self,
        scope: Scope,
        *,
        days: int = 28,
        until: date | None = None,
        on_progress: ProgressCallback | None = None,
        on_wait: WaitCallback | None = None,
    ) -> Snapshot:
        snap = await self.cached(scope, days=days, until=until)
        if snap is None:
            notices = " ".join(self.store.take_notices())
            raise NotHeldError(
                f"The local store holds no data for {scope}; run without --offline (or 'copilot-tui sync') to "
                f"download it first.{' ' + notices if notices else ''}"
            )
        return snap


class LiveSource(_StoreBacked):
    """GitHub's API through the store: paint from disk, ask only for what is missing, keep what was downloaded.

    ``concurrency`` requests run at once (GitHub asks integrators to keep it low; `sync` uses 1); once a report
    of ``large_report_bytes`` or more arrives (a big enterprise), the rest come one at a time, since each report
    is held whole in memory until it is stored.
    """

    def __init__(
        self,
        client: ReportClient,
        store: Store,
        *,
        concurrency: int = 3,
        clock: Callable[[], datetime] | None = None,
        recheck_after: timedelta = RECHECK_AFTER,
        large_report_bytes: int = LARGE_REPORT_BYTES,
    ) -> None:
        super().__init__(store, clock=clock)
        self.client = client
        self.concurrency = max(1, concurrency)
        self.large_report_bytes = large_report_bytes
        self.recheck_after = recheck_after
        self._wait_lock = threading.Lock()

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
        start, end = _period(days, end)
        await self.fetch_missing(scope, start, end, on_progress=on_progress, on_wait=on_wait)
        return await asyncio.to_thread(snapshot_from_store, self.store, scope, start, end)

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
        return plan_fetches(scope, held, start, end, self._clock(), recheck_after=self.recheck_after)

    async def fetch_missing(
        self,
        scope: Scope,
        start: date,
        end: date,
        *,
        on_progress: ProgressCallback | None = None,
        on_wait: WaitCallback | None = None,
    ) -> FetchResult:
        plan = await asyncio.to_thread(self.plan, scope, start, end)
        total = len(plan)
        done = 0
        no_data = 0
        if on_progress is not None:
            on_progress(0, total, f"{total} report files to fetch" if total else "up to date")
        if not plan:
            return FetchResult(0, 0, 0)
        queue: Iterator[tuple[date, str]] = iter(plan)

        large = False

        async def worker(index: int) -> None:
            nonlocal done, no_data, large
            for day, kind in queue:
                size = await self._fetch_one(scope, kind, day)
                if size is None:
                    no_data += 1
                elif size >= self.large_report_bytes:
                    large = True
                done += 1
                if on_progress is not None:
                    on_progress(done, total, f"{kind} {day.isoformat()}")
                if large and index > 0:
                    return  # reports this big are held whole in memory: one at a time from here on

        with self._waits_to(on_wait):
            try:
                async with asyncio.TaskGroup() as group:
                    for index in range(min(self.concurrency, total)):
                        group.create_task(worker(index))
            except BaseExceptionGroup as failed:
                # Callers handle the client's typed errors, not a group: hand on the first.
                raise _first_error(failed) from None
        return FetchResult(total, done, no_data)

    async def _fetch_one(self, scope: Scope, kind: str, day: date) -> int | None:
        """Download one report and store it; its size, or None when GitHub has none for that day."""
        fetched_at = self._clock()
        try:
            download = await self.client.fetch_report(scope, kind, day)
        except DayOutOfRangeError:
            download = None
        if download is None:
            await asyncio.to_thread(self.store.put_no_data, scope, kind, day, fetched_at)
            return None
        parts = [(str(name), bytes(data)) for name, data in download.parts]
        del download
        await asyncio.to_thread(self.store.put_report, scope, kind, day, parts, fetched_at)
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


class DemoSource:
    """The built-in demo dataset, served through the same parser as real reports: no token, no network."""

    def __init__(self, dataset: Any = None) -> None:
        if dataset is None:
            from copilot_tui.metrics.demo import DemoDataset

            dataset = DemoDataset()
        self.dataset = dataset
        self._cache: dict[tuple[Scope, date, date], Snapshot] = {}

    def _scope_list(self) -> list[Scope]:
        orgs = [Scope("org", org.login) for org in self.dataset.orgs]
        return [*orgs, Scope("enterprise", self.dataset.enterprise)]

    async def scopes(self) -> list[Scope]:
        return self._scope_list()

    async def held_range(self, scope: Scope) -> tuple[date, date] | None:
        self._check(scope)
        return self.dataset.first_day, self.dataset.last_day

    async def cached(self, scope: Scope, *, days: int = 28, until: date | None = None) -> Snapshot | None:
        """The demo holds every day it has; None for a period entirely outside them."""
        start, end = _period(days, until or self.dataset.last_day)
        if end < self.dataset.first_day or start > self.dataset.last_day:
            self._check(scope)
            return None
        return await self.load(scope, days=days, until=until)

    async def load(
        self,
        scope: Scope,
        *,
        days: int = 28,
        until: date | None = None,
        on_progress: ProgressCallback | None = None,
        on_wait: WaitCallback | None = None,
    ) -> Snapshot:
        self._check(scope)
        start, end = _period(days, until or self.dataset.last_day)
        key = (scope, start, end)
        snap = self._cache.get(key)
        if snap is None:
            snap = await asyncio.to_thread(self._build, scope, start, end)
            if len(self._cache) >= 4:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = snap
        if on_progress is not None:
            on_progress(1, 1, f"demo data for {scope}")
        return snap

    def _check(self, scope: Scope) -> None:
        if scope not in self._scope_list():
            names = ", ".join(str(s) for s in self._scope_list())
            raise SourceError(f"{scope} is not in the demo dataset; it has {names}.")

    def _build(self, scope: Scope, start: date, end: date) -> Snapshot:
        days = [d for d in _days(start, end) if self.dataset.first_day <= d <= self.dataset.last_day]

        def parts_of(kind: str) -> Iterator[tuple[str, Iterator[bytes]]]:
            for day in days:
                yield f"{kind} {day.isoformat()} (demo)", self.dataset.iter_ndjson(scope.kind, scope.name, kind, day)

        missing = [d for d in _days(start, end) if d not in set(days)]
        return snapshot_from_parts(scope, start, end, parts_of, missing_days=missing)


Source = DemoSource | LiveSource | OfflineSource
