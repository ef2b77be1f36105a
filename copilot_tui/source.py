"""Where the app's data comes from: the live API through the local store, the store alone, report files opened
from disk, or the demo dataset.

Every source answers the same three questions, so the UI never knows which one it has:
``await scopes()`` (what can be opened), ``await cached(scope)`` (what is at hand right now, no network) and
``await load(scope)`` (fetch what is missing, then answer). All three parse through ``copilot_tui.metrics.parse``,
the demo included (its lines are serialized to NDJSON first), so the demo exercises the path real data takes.

Fetch policy (``LiveSource``): 1-day reports only (users, organization/enterprise, user-teams), one request per kind
and day. A day is asked for when the store does not hold it, or when the copy held was fetched while GitHub could
still revise it (the last ``REVISION_DAYS`` days): such a copy is asked again once the day has settled, and, while it
is still recent, when it is older than ``RECHECK_AFTER``. A day that answered "no data" is remembered the same way.

A day without a report never stops a load: whichever way GitHub says it (``copilot_tui.github.client.NoReport``),
the day is remembered as having none. Until that answer was given after the day settled, the report is *pending*:
asked again on a later run, and named ("GitHub has no users report yet for 2026-12-01"). A report still being
generated (502/503 after the retries) is not stored at all: it stays pending, and this source does not ask for it
again before ``RECHECK_AFTER``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import re
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import orjson

from copilot_tui.facts import (
    USERS_KIND,
    ingest_stored,
    stored_aggregate,
    stored_facts,
    stored_history,
    warm_up,
)
from copilot_tui.files import private_temp_dir, remove_stale_temp_dirs
from copilot_tui.github.errors import FIRST_REPORT_DAY, DayOutOfRangeError
from copilot_tui.licenses import SeatReport, SeatsUnavailableError, demo_seats, live_seats
from copilot_tui.metrics import linerule
from copilot_tui.metrics.adoption import UserHistory
from copilot_tui.metrics.aggregate import AGGREGATE_FORMAT, UsersAggregate, aggregate_users
from copilot_tui.metrics.derive import Period
from copilot_tui.metrics.linerule import LineError
from copilot_tui.metrics.model import DayTotals, LineProblem, UserDay, UserTeam
from copilot_tui.metrics.parse import (
    ReportPart,
    parse_org_report,
    parse_user_day,
    parse_user_teams_report,
    parse_users_report,
)
from copilot_tui.metrics.saved import decode_aggregate, encode_aggregate
from copilot_tui.metrics.userline import check_users_report
from copilot_tui.scope import Scope
from copilot_tui.scope_lock import ScopeLock
from copilot_tui.settings import Mode
from copilot_tui.store import HeldReport, Store, StoreDamagedError, StoreError

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, str], None]
WaitCallback = Callable[[float, str], Any]

#: GitHub may revise a report for this many days after the day itself (shared/README.md: "the last 1 to 3 days").
REVISION_DAYS = 3
#: How old a copy of a still-revisable day may be before a load asks for it again.
RECHECK_AFTER = timedelta(minutes=30)
LOCK_POLL_SECONDS = 0.25
"""How often a fetch waiting for another process's fetch of the same scope looks again."""
#: From this report size on, a load fetches one report at a time (about 30k active users' worth of user rows).
LARGE_REPORT_BYTES = 64 * 1024 * 1024
#: Below this much raw users (or user-teams) data in a period, a snapshot also keeps the parsed rows (parsed in the
#: loading thread), so ``user_rows``/``team_rows`` cost nothing to read: about 360 users x 28 days. Above it rows
#: are never held (gigabytes at 200k users); reading ``user_rows`` then parses the whole report each time.
KEEP_ROWS_BYTES = 32 * 1024 * 1024
#: Reports are kept this far back by GitHub.
HISTORY_DAYS = 365
TEAMS_KIND = "user-teams-1-day"
SEATS_KIND = "seats"
"""What the demo keeps its seats under, beside its report files (an org's seats API answer)."""


class SourceError(Exception):
    """A source cannot answer; the message says why and what to do."""


class NotHeldError(SourceError):
    """Offline and the store holds nothing for the scope."""


PartsReader = Callable[[], Iterable[ReportPart]]
"""Reads a report's parts afresh at each call (from the store, or from memory for the demo)."""


class AggregateCache(Protocol):
    """Where a computed users aggregate is kept between runs (the store), keyed by period and data version."""

    def load(self, key: str, version: str) -> bytes | None: ...

    def save(self, key: str, version: str, data: bytes) -> None: ...


def _no_parts() -> Iterable[ReportPart]:
    return ()


@dataclass(frozen=True, slots=True, eq=False)
class Snapshot:
    """Everything the screens draw for one scope and period.

    ``first_day``/``last_day`` bound the period asked for; ``missing_days`` are the days in it the source holds no
    answer for (neither data nor "no data"); ``fetched_at`` is when the newest report in it was downloaded (None
    for the demo); ``notices`` are sentences for the user (a damaged store moved aside).

    The users and user-teams reports are not held as rows: at 200,000 users a period is millions of lines, several
    GB as records. They stay raw (compressed in the store, or in memory for the demo) and are read when asked:
    :meth:`users_aggregate` folds them into per-user summaries once (and keeps that, or takes it from
    ``aggregate_cache`` when the data has not changed since it was saved), :meth:`user_days` picks one user's lines
    before decoding anything. ``user_rows`` and ``team_rows`` parse everything on each read: for tests and small
    orgs.
    """

    scope: Scope
    day_totals: list[DayTotals]
    first_day: date
    last_day: date
    fetched_at: datetime | None
    users_parts: PartsReader = _no_parts
    teams_parts: PartsReader = _no_parts
    totals_problems: list[LineProblem] = field(default_factory=list)
    missing_days: tuple[date, ...] = ()
    notices: tuple[str, ...] = ()
    pending: tuple[tuple[date, str], ...] = ()
    """``(day, kind)`` of the reports in the period that GitHub has not delivered yet (see ``pending_reports``)."""
    user_parts: Callable[[int], Iterable[ReportPart]] | None = None
    """Parser input holding a given user's lines of the users report and few others (the store's index)."""
    data_version: str | None = None
    """Identifies the users data of the period (None: not known, so never taken from or saved to the cache)."""
    aggregate_cache: AggregateCache | None = None
    users_from: Callable[[], UsersAggregate] | None = None
    """Computes the users aggregate of the period from the reports' facts (:mod:`copilot_tui.facts`)."""
    history_from: Callable[[int], UserHistory] | None = None
    """Computes the period's users against the days held before it, for a number of engaged days (the facts')."""
    facts_from: Callable[[], Mapping[date, Path]] | None = None
    """The facts file of each day of the period with users data, made first where missing (the users-days
    export)."""
    _memo: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def period(self) -> Period:
        return Period(self.first_day, self.last_day)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def is_empty(self) -> bool:
        return not self.day_totals and not self.users_aggregate().users

    @property
    def user_rows(self) -> list[UserDay]:
        kept: list[UserDay] | None = self._memo.get("user_rows")
        if kept is not None:
            return kept
        report = parse_users_report(self.users_parts())
        rows = [r for r in report.rows if self.first_day <= r.day <= self.last_day]
        if "user_rows" in self._memo.get("keep", ()):
            self._memo["user_rows"] = rows
        return rows

    @property
    def team_rows(self) -> list[UserTeam]:
        kept: list[UserTeam] | None = self._memo.get("team_rows")
        if kept is not None:
            return kept
        report = parse_user_teams_report(self.teams_parts())
        rows = [t for t in report.rows if self.first_day <= t.day <= self.last_day]
        self._memo["teams_problems"] = list(report.problems)
        if "team_rows" in self._memo.get("keep", ()):
            self._memo["team_rows"] = rows
        return rows

    def keep_rows(self, users_bytes: int, teams_bytes: int, limit: int = KEEP_ROWS_BYTES) -> None:
        """Keep the rows of the reports smaller than ``limit`` once they are first read.

        Parsed on first read, not here: the dashboard's first paint needs only the totals and the users aggregate,
        and parsing the rows beforehand would hold the demo's start back. A race of two
        first reads parses twice and keeps one: the same rows."""
        self._memo["keep"] = frozenset(
            name for name, size in (("user_rows", users_bytes), ("team_rows", teams_bytes)) if size < limit
        )

    @property
    def problems(self) -> list[LineProblem]:
        """Lines of the totals and users reports that could not be read (computes the users aggregate if needed),
        and of the user-teams report once ``team_rows`` has read it (a reader that never needs teams does not
        parse them just to count)."""
        return [*self.totals_problems, *self.users_aggregate().problems, *self._memo.get("teams_problems", ())]

    def users_aggregate(self) -> UsersAggregate:
        """Per-user summaries, feature series and breakdowns of the period: computed once, blocking."""
        with self._lock:
            agg: UsersAggregate | None = self._memo.get("users")
            if agg is None:
                agg = self._cached_aggregate()
                if agg is None:
                    if self.users_from is not None:
                        agg = self.users_from()
                    else:
                        agg = aggregate_users(self.users_parts(), self.period)
                    self._save_aggregate(agg)
                self._memo["users"] = agg
            return agg

    def user_history(self, engaged_days: int) -> UserHistory | None:
        """The period's users against every day held before it (None when the source keeps no facts): blocking,
        computed once per ``engaged_days``."""
        if self.history_from is None:
            return None
        key = f"history:{engaged_days}"
        with self._lock:
            found: UserHistory | None = self._memo.get(key)
        if found is None:
            found = self.history_from(engaged_days)
            with self._lock:
                self._memo[key] = found
        return found

    def _cache_key(self) -> str:
        return f"users-aggregate:{self.first_day.isoformat()}:{self.last_day.isoformat()}"

    def _cached_aggregate(self) -> UsersAggregate | None:
        if self.aggregate_cache is None or self.data_version is None:
            return None
        try:
            data = self.aggregate_cache.load(self._cache_key(), self.data_version)
            if data is None:
                return None
            agg = decode_aggregate(data)
        except StoreDamagedError:
            raise  # the file was moved aside: what is left to compute from is not the period's data
        except (StoreError, ValueError, KeyError, TypeError) as exc:
            log.warning("saved aggregate of %s unusable, computing it again: %s", self.scope, exc)
            return None
        return agg if agg.period == self.period else None

    def _save_aggregate(self, agg: UsersAggregate) -> None:
        if self.aggregate_cache is None or self.data_version is None:
            return
        try:
            self.aggregate_cache.save(self._cache_key(), self.data_version, encode_aggregate(agg))
        except StoreError as exc:  # the numbers are on screen; only the next start is slower
            log.warning("could not save the aggregate of %s: %s", self.scope, exc)

    def user_days(self, user_id: int, period: Period | None = None) -> list[UserDay]:
        """One user's rows in ``period`` (default: the snapshot's), by day: only their lines are decoded."""
        period = period or self.period
        picked: dict[date, UserDay] = {}
        parts = self.user_parts(user_id) if self.user_parts is not None else self.users_parts()
        for line in lines_of_user(parts, user_id):
            try:
                obj = linerule.loads(line)
                if obj is None:
                    continue
                row = parse_user_day(obj)
            except (LineError, KeyError, TypeError, ValueError) as exc:  # counted in the aggregate's problems
                log.debug("skipping a line of user %s: %s", user_id, exc)
                continue
            if row.user_id == user_id and row.day in period:
                picked.setdefault(row.day, row)  # the first line of a day counts, as everywhere
        return [picked[d] for d in sorted(picked)]


def check_user_teams_report(parts: Iterable[ReportPart]) -> list[LineProblem]:
    """The lines of a user-teams report the line rule skips (the report is small: parsed whole)."""
    return list(parse_user_teams_report(parts).problems)


def lines_of_user(parts: Iterable[ReportPart], user_id: int) -> Iterator[bytes]:
    """The lines of ``parts`` that name ``user_id``, found in the raw bytes, so other users' lines are never decoded.

    A match may be a false positive (the number inside another field's text); callers decode and check.
    """
    needle = linerule.user_id_needle(user_id)
    for _source, data in parts:
        if isinstance(data, str):
            data = data.encode()
        chunks: Iterable[bytes] = (data,) if isinstance(data, bytes | bytearray) else data
        pending = b""
        try:
            for chunk in linerule.plain_chunks(chunks):
                block = pending + chunk if pending else bytes(chunk)
                cut = block.rfind(b"\n") + 1
                pending = block[cut:]
                yield from _matching_lines(needle, block, cut)
        except LineError:  # a damaged gzip part: the lines before the damage stand (the aggregate names it)
            pass
        if pending:
            yield from _matching_lines(needle, pending, len(pending))


def _matching_lines(needle: re.Pattern[bytes], block: bytes, end: int) -> Iterator[bytes]:
    for m in needle.finditer(block, 0, end):
        start = block.rfind(b"\n", 0, m.start()) + 1
        stop = block.find(b"\n", m.end(), end)
        yield block[start : stop if stop >= 0 else end]


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a load or backfill asked GitHub for; ``pending`` are the ``(day, kind)`` GitHub has not delivered yet
    in the range, newest first."""

    planned: int
    fetched: int
    no_data: int
    pending: tuple[tuple[date, str], ...] = ()


class DataSource(Protocol):
    """The one contract between the data and its front ends (the app, ``export``, ``sync``): what can be opened,
    what is at hand now, what a load brings, the seats. Opened by :func:`open_source` from the settings; a front end
    never asks which implementation it holds."""

    mode: Mode

    async def scopes(self) -> list[Scope]:
        """What can be opened: the orgs the token lists and what the store holds (live), the store's (offline),
        the demo's."""
        ...

    async def held_range(self, scope: Scope) -> tuple[date, date] | None:
        """The first and last day with data at hand without a request."""
        ...

    async def newest_day(self, scope: Scope) -> date | None:
        """The day a period without an explicit end ends on (live: yesterday, the newest a report can cover)."""
        ...

    async def cached(self, scope: Scope, *, days: int = 28, until: date | None = None) -> Snapshot | None:
        """The period from what is at hand, no network; None when nothing is."""
        ...

    async def load(
        self,
        scope: Scope,
        *,
        days: int = 28,
        until: date | None = None,
        on_progress: ProgressCallback | None = None,
        on_wait: WaitCallback | None = None,
    ) -> Snapshot:
        """The period, after fetching what it lacks (live); raises ``SourceError`` or the client's errors."""
        ...

    async def seats(self, scope: Scope) -> SeatReport:
        """Every seat of the scope; raises ``SeatsUnavailableError`` where there are none to be had (offline)."""
        ...

    async def aclose(self) -> None:
        """Let go of the client and the store."""
        ...


class ReportClient(Protocol):
    """The part of ``copilot_tui.github.GitHubClient`` the sources use."""

    async def fetch_report(self, scope: Scope, kind: str, day: date | None = None, on_progress: Any = None) -> Any: ...

    async def list_user_orgs(self) -> list[str]: ...

    async def report_links(self, scope: Scope, kind: str, day: date | None = None) -> Any: ...


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


def is_settled(held: HeldReport) -> bool:
    """Whether a held answer was given after GitHub could still deliver or revise the day: then it is final."""
    return held.fetched_at.astimezone(UTC).date() >= held.day + timedelta(days=REVISION_DAYS + 1)


def pending_reports(held: Iterable[HeldReport]) -> list[tuple[date, str]]:
    """The ``(day, kind)`` held as "no report" whose answer is not final yet: GitHub may still deliver them."""
    return _newest_first((h.day, h.kind) for h in held if not h.has_data and not is_settled(h))


KIND_NAMES = {
    USERS_KIND: "users",
    TEAMS_KIND: "user-teams",
    "organization-1-day": "organization",
    "enterprise-1-day": "enterprise",
}


def _newest_first(pending: Iterable[tuple[date, str]]) -> list[tuple[date, str]]:
    return sorted(set(pending), key=lambda p: (p[0], -report_order(p[1])), reverse=True)


def report_order(kind: str) -> int:
    return {"organization-1-day": 0, "enterprise-1-day": 0, USERS_KIND: 1, TEAMS_KIND: 2}.get(kind, 3)


def describe_pending(pending: Iterable[tuple[date, str]]) -> list[str]:
    """One sentence per set of missing report kinds: "GitHub has no users report yet for 2026-12-01"."""
    kinds_of: dict[date, set[str]] = {}
    for day, kind in pending:
        kinds_of.setdefault(day, set()).add(kind)
    days_of: dict[tuple[str, ...], list[date]] = {}
    for day, kinds in sorted(kinds_of.items()):
        days_of.setdefault(tuple(sorted(kinds, key=report_order)), []).append(day)
    sentences = []
    for kind_set, days in days_of.items():
        names = [KIND_NAMES.get(k, k) for k in kind_set]
        what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        report = "report" if len(names) == 1 else "reports"
        sentences.append(f"GitHub has no {what} {report} yet for {_and_list([d.isoformat() for d in days])}.")
    return sentences


def _and_list(items: list[str]) -> str:
    if len(items) > 4:
        return f"{len(items)} days from {items[0]} to {items[-1]}"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


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
    pending: Sequence[tuple[date, str]] = (),
    data_version: str | None = None,
    aggregate_cache: AggregateCache | None = None,
    user_parts: Callable[[int], Iterable[ReportPart]] | None = None,
    users_from: Callable[[], UsersAggregate] | None = None,
    history_from: Callable[[int], UserHistory] | None = None,
    facts_from: Callable[[], Mapping[date, Path]] | None = None,
) -> Snapshot:
    """A Snapshot of a period: the totals report parsed now (one small line a day), the users and user-teams
    reports read through ``parts_of(kind)`` when asked (each call must give the parts afresh); the users
    aggregate from ``users_from`` when given (the facts), else folded from the users report's lines."""
    org = parse_org_report(parts_of(f"{scope.totals_kind}-1-day"))
    return Snapshot(
        scope=scope,
        day_totals=[d for d in org.days if first_day <= d.day <= last_day],
        first_day=first_day,
        last_day=last_day,
        fetched_at=fetched_at,
        users_parts=lambda: parts_of(USERS_KIND),
        teams_parts=lambda: parts_of(TEAMS_KIND),
        totals_problems=list(org.problems),
        missing_days=tuple(missing_days),
        notices=tuple(notices),
        pending=tuple(pending),
        data_version=data_version,
        aggregate_cache=aggregate_cache,
        user_parts=user_parts,
        users_from=users_from,
        history_from=history_from,
        facts_from=facts_from,
    )


def data_version(held: Iterable[HeldReport], kind: str = USERS_KIND) -> str:
    """A fingerprint of what the store holds of ``kind``: it changes whenever a day of it is stored again."""
    digest = hashlib.sha1(f"format {AGGREGATE_FORMAT}".encode(), usedforsecurity=False)
    for h in sorted((h for h in held if h.kind == kind), key=lambda h: h.day):
        digest.update(f"|{h.day} {h.has_data} {h.fetched_at.isoformat()} {h.part_count} {h.raw_bytes}".encode())
    return digest.hexdigest()


class StoreAggregateCache:
    """The store's table of computed aggregates for one scope."""

    def __init__(self, store: Store, scope: Scope) -> None:
        self.store = store
        self.scope = scope

    def load(self, key: str, version: str) -> bytes | None:
        return self.store.get_computed(self.scope, key, version)

    def save(self, key: str, version: str, data: bytes) -> None:
        self.store.put_computed(self.scope, key, version, data)


def snapshot_from_store(
    store: Store,
    scope: Scope,
    first_day: date,
    last_day: date,
    *,
    recent: dict[Any, Snapshot] | None = None,
    extra_pending: Iterable[tuple[date, str]] = (),
) -> Snapshot:
    """Read what the store holds for the period (the totals now, the users report when asked): blocking.

    With ``recent``, a snapshot made from exactly the same stored data is handed back again (with its users
    aggregate already computed) instead of a new one: a load that fetched nothing costs nothing.
    """
    try:
        held = store.held(scope, start=first_day, end=last_day)
        extra_pending = tuple(extra_pending)
        key = (scope, first_day, last_day, tuple(held), extra_pending)
        if recent is not None and key in recent and not store.notices:
            return recent[key]
        days = _days(first_day, last_day)
        held_users = {h.day for h in held if h.kind == USERS_KIND}
        with_data: dict[str, list[date]] = {}
        for h in held:
            if h.has_data:
                with_data.setdefault(h.kind, []).append(h.day)
        snap = snapshot_from_parts(
            scope,
            first_day,
            last_day,
            lambda kind: store.read_parts(scope, kind, with_data.get(kind, [])),
            fetched_at=max((h.fetched_at for h in held), default=None),
            missing_days=[d for d in days if d not in held_users],
            notices=store.take_notices(),
            pending=_newest_first(
                [*pending_reports(held), *(p for p in extra_pending if first_day <= p[0] <= last_day)]
            ),
            data_version=data_version(held),
            aggregate_cache=StoreAggregateCache(store, scope),
            user_parts=lambda user_id: store.read_user_blocks(
                scope, USERS_KIND, with_data.get(USERS_KIND, []), user_id
            ),
            users_from=lambda: stored_aggregate(store, scope, Period(first_day, last_day), held),
            history_from=lambda n: stored_history(store, scope, Period(first_day, last_day), n),
            facts_from=lambda: stored_facts(store, scope, Period(first_day, last_day), held),
        )
        snap.keep_rows(_held_bytes(held, USERS_KIND), _held_bytes(held, TEAMS_KIND))
        if recent is not None:
            while len(recent) >= 2:
                recent.pop(next(iter(recent)))
            recent[key] = snap
        return snap
    except StoreDamagedError:
        days = _days(first_day, last_day)
        return Snapshot(
            scope, [], first_day, last_day, None, missing_days=tuple(days), notices=tuple(store.take_notices())
        )


def _held_bytes(held: Iterable[HeldReport], kind: str) -> int:
    return sum(h.raw_bytes for h in held if h.kind == kind)


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

    mode: Mode = "offline"

    def __init__(self, store: Store, *, clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self._clock: Callable[[], datetime] = clock or (lambda: _utc_now())
        self._recent: dict[Any, Snapshot] = {}
        warm_up()

    async def newest_day(self, scope: Scope) -> date | None:
        newest = await asyncio.to_thread(last_held_day, self.store, scope)
        return None if newest is None else min(newest, latest_day(self._clock()))

    async def seats(self, scope: Scope) -> SeatReport:
        raise SeatsUnavailableError("Seats come from GitHub's seats API, which offline mode does not reach.")

    async def aclose(self) -> None:
        await asyncio.to_thread(self.store.close)

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
            snap = self._snapshot(scope, start, end)
            return None if snap.fetched_at is None and not snap.notices else snap

        return await asyncio.to_thread(work)

    async def _stored_scopes(self) -> list[Scope]:
        return await asyncio.to_thread(self.store.scopes)

    def _snapshot(self, scope: Scope, start: date, end: date) -> Snapshot:
        return snapshot_from_store(
            self.store, scope, start, end, recent=self._recent, extra_pending=self._still_generating(scope)
        )

    def _still_generating(self, scope: Scope) -> list[tuple[date, str]]:
        return []


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
        start, end = _period(days, end)
        await self.fetch_missing(scope, start, end, on_progress=on_progress, on_wait=on_wait)
        if until is None:
            # GitHub's newest days can come late: the period ends on the newest day that has data, as the cached
            # view does, so a fresh load and a start from the store show the same days
            newest = await asyncio.to_thread(last_held_day, self.store, scope)
            if newest is not None and newest < end:
                start, end = _period(days, newest)
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
        return _newest_first([*pending_reports(held), *generating])

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
            return await self._fetch_missing(scope, start, end, on_progress=on_progress, on_wait=on_wait)
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


#: Snapshots the demo and report files keep, the least recently used dropped first: a period and its comparison
#: for each of a few scopes and periods a user goes back and forth between (each is its aggregates, a few MB).
AT_HAND_SNAPSHOTS = 16


class _AtHand:
    """What the demo and report files share: every day they hold is at hand, and each period's snapshot is built
    once (the last few used are kept)."""

    _serves = "data"

    def __init__(self) -> None:
        self._cache: dict[tuple[Scope, date, date], Snapshot] = {}

    async def held_range(self, scope: Scope) -> tuple[date, date] | None:
        raise NotImplementedError

    def _build(self, scope: Scope, start: date, end: date) -> Snapshot:
        raise NotImplementedError

    async def cached(self, scope: Scope, *, days: int = 28, until: date | None = None) -> Snapshot | None:
        """Every day held is at hand: the period, or None for one entirely outside them."""
        held = await self.held_range(scope)
        if held is None:
            return None
        start, end = _period(days, until or held[1])
        if end < held[0] or start > held[1]:
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
        held = await self.held_range(scope)
        if held is None:
            raise SourceError(f"no day of {scope} is held.")
        start, end = _period(days, until or held[1])
        key = (scope, start, end)
        snap = self._cache.pop(key, None)
        if snap is None:
            snap = await asyncio.to_thread(self._build, scope, start, end)
            while len(self._cache) >= AT_HAND_SNAPSHOTS:
                self._cache.pop(next(iter(self._cache)))  # the one used longest ago
        self._cache[key] = snap
        if on_progress is not None:
            on_progress(1, 1, f"{self._serves} of {scope}")
        return snap


class DemoSource(_AtHand):
    """The built-in demo dataset, served through the same parser as real reports: no token, no network."""

    mode: Mode = "demo"
    _serves = "demo data"

    def __init__(self, dataset: Any = None, *, keep_in: Path | None = None) -> None:
        """``keep_in``: a file where the generated report files are kept between runs (``demo_cache``), so the
        next start reads them instead of making them again."""
        super().__init__()
        if dataset is None:
            from copilot_tui.metrics.demo import DemoDataset

            dataset = DemoDataset()
        self.dataset = dataset
        self._files: dict[tuple[Scope, str, date], bytes | memoryview] = {}
        self._sizes: dict[tuple[Scope, str, date], int] = {}
        self._files_lock = threading.Lock()
        self._writing = threading.Lock()
        self._keep_in = keep_in
        self._kept_stamp: str | None = None
        """The kept files' fingerprint (``demo_cache.fingerprint``), taken once when they are read."""
        self._kept_read = False
        self._made = 0
        """Files generated since the kept ones were read or written."""
        self._facts_dir: Path | None = None
        self._facts_temp: Any = None
        warm_up()

    def _scope_list(self) -> list[Scope]:
        orgs = [Scope("org", org.login) for org in self.dataset.orgs]
        return [*orgs, Scope("enterprise", self.dataset.enterprise)]

    async def scopes(self) -> list[Scope]:
        return self._scope_list()

    async def held_range(self, scope: Scope) -> tuple[date, date] | None:
        self._check(scope)
        return self.dataset.first_day, self.dataset.last_day

    async def newest_day(self, scope: Scope) -> date | None:
        self._check(scope)
        return self.dataset.last_day  # type: ignore[no-any-return]

    async def seats(self, scope: Scope) -> SeatReport:
        self._check(scope)
        return await asyncio.to_thread(self._seats, scope)

    def _seats(self, scope: Scope) -> SeatReport:
        """The seats from the kept files: making an org's seats means making every day's plan of each of its users
        (about 1 s for the enterprise), so they are kept as the report files are."""
        self._read_kept()
        last_day = self.dataset.last_day

        def seats_of(org: Any) -> Any:
            return orjson.loads(self._file(Scope("org", org.login), SEATS_KIND, last_day))

        report = demo_seats(self.dataset, scope, seats_of)
        self._write_kept()
        return report

    async def aclose(self) -> None:
        """Remove the facts made in a temporary directory (none when they are kept beside the kept files)."""
        temp, self._facts_temp = self._facts_temp, None
        if temp is not None:
            self._facts_dir = None
            await asyncio.to_thread(temp.cleanup)

    def _check(self, scope: Scope) -> None:
        if scope not in self._scope_list():
            names = ", ".join(str(s) for s in self._scope_list())
            raise SourceError(f"{scope} is not in the demo dataset; it has {names}.")

    def _build(self, scope: Scope, start: date, end: date) -> Snapshot:
        self._read_kept()
        snap = self._snapshot(scope, start, end)
        self._write_kept()
        return snap

    def _read_kept(self) -> None:
        if self._keep_in is None or self._kept_read:
            return
        from copilot_tui import demo_cache

        try:
            self._kept_stamp = demo_cache.fingerprint(self.dataset)
            kept = demo_cache.read(self._keep_in, self._kept_stamp)
        except Exception as exc:  # keeping is a bonus: the demo makes its files as it would without
            log.warning("demo files kept in %s not used: %s", self._keep_in, exc)
            kept = {}
        with self._files_lock:
            self._kept_read = True
            for key, (packed, size) in kept.items():
                self._files.setdefault(key, packed)
                self._sizes.setdefault(key, size)

    def _write_kept(self) -> None:
        if self._keep_in is None or self._kept_stamp is None or not self._made:
            return
        from copilot_tui import demo_cache

        with self._writing:  # one writer at a time, so the file written last holds every file made before it
            with self._files_lock:
                if not self._made:
                    return
                files, sizes, self._made = dict(self._files), dict(self._sizes), 0
            try:
                demo_cache.write(self._keep_in, self._kept_stamp, files, sizes)
            except Exception as exc:
                log.warning("could not keep the demo files in %s: %s", self._keep_in, exc)

    def _snapshot(self, scope: Scope, start: date, end: date) -> Snapshot:
        days = [d for d in _days(start, end) if self.dataset.first_day <= d <= self.dataset.last_day]

        def parts_of(kind: str) -> Iterator[tuple[str, Iterator[bytes]]]:
            for day in days:
                yield f"{kind} {day.isoformat()} (demo)", iter((self._file(scope, kind, day),))

        missing = [d for d in _days(start, end) if d not in set(days)]
        snap = snapshot_from_parts(
            scope,
            start,
            end,
            parts_of,
            missing_days=missing,
            users_from=lambda: self._users(scope, start, end, days),
            history_from=lambda n: self._history(scope, start, end, n),
            facts_from=lambda: self._facts_files(scope, days),
        )
        snap.users_aggregate()
        for day in days:  # made now (a few ms), so they are kept with the rest and their sizes are known
            if (scope, TEAMS_KIND, day) not in self._files:
                self._file(scope, TEAMS_KIND, day)
        snap.keep_rows(*(sum(self._sizes.get((scope, kind, d), 0) for d in days) for kind in (USERS_KIND, TEAMS_KIND)))
        return snap

    def _users(self, scope: Scope, start: date, end: date, days: list[date]) -> UsersAggregate:
        """The users aggregate from the demo's facts, the days without any decoded from their report first (kept
        beside the kept report files, so a later start, or a period seen before, is a query)."""
        from copilot_tui.facts import connect

        facts, wanted = self._facts(scope, days)
        con = connect()
        try:
            self._ingest_missing(facts, scope, wanted, con)
            return facts.aggregate(Period(start, end), wanted, con)
        finally:
            con.close()

    def _history(self, scope: Scope, start: date, end: date, engaged_days: int) -> UserHistory:
        """The period's users against every demo day before it, from the facts as :meth:`_users` reads them: the
        period's and the previous period's days; the days before those only say who was seen, which the dataset
        knows without building their reports."""
        from copilot_tui.facts import connect

        period = Period(start, end)
        facts, held = self._facts(scope, _days(self.dataset.first_day, min(end, self.dataset.last_day)))
        earlier = period.previous().start
        seen = self.dataset.users_seen_before(scope.kind, scope.name, earlier)
        con = connect()
        try:
            self._ingest_missing(facts, scope, {d: t for d, t in held.items() if d >= earlier}, con)
            return facts.history(period, held, engaged_days, con, seen_earlier=seen)
        finally:
            con.close()

    def _facts_files(self, scope: Scope, days: list[date]) -> dict[date, Path]:
        """The demo's facts file of each of ``days``, made first where missing."""
        from copilot_tui.facts import connect

        facts, wanted = self._facts(scope, days)
        con = connect()
        try:
            self._ingest_missing(facts, scope, wanted, con)
        finally:
            con.close()
        return facts.files(wanted)  # type: ignore[no-any-return]

    def _facts(self, scope: Scope, days: Iterable[date]) -> tuple[Any, dict[date, str]]:
        """The facts of ``scope`` and the wanted ``days`` (day -> the kept files' token)."""
        from copilot_tui.facts import Facts

        if self._facts_dir is None:
            if self._keep_in is not None:
                self._facts_dir = self._keep_in.with_name(self._keep_in.name + ".facts")
            else:
                self._facts_temp = private_temp_dir(TEMP_FACTS[1])
                self._facts_dir = Path(self._facts_temp.name)
        facts = Facts(self._facts_dir / f"{scope.kind}--{scope.name.lower()}")
        return facts, dict.fromkeys(days, (self._kept_stamp or "demo")[:16])

    def _ingest_missing(self, facts: Any, scope: Scope, wanted: dict[date, str], con: Any) -> None:
        for day in facts.missing(wanted):
            part = (f"{USERS_KIND} {day.isoformat()} (demo)", self._file(scope, USERS_KIND, day))
            facts.ingest(day, wanted[day], [part], con)

    def _file(self, scope: Scope, kind: str, day: date) -> bytes:
        """One demo report file (or an org's seats, ``SEATS_KIND``), generated once and kept compressed."""
        key = (scope, kind, day)
        with self._files_lock:
            packed = self._files.get(key)
        if packed is not None:
            try:
                return zlib.decompress(packed)
            except zlib.error:  # a kept file damaged inside: made again below, and the kept files written anew
                log.warning("a kept demo file (%s %s %s) is damaged; making it again", scope, kind, day)
        if kind == SEATS_KIND:
            data = orjson.dumps(self.dataset.seats(self.dataset.org(scope.name)))
        else:
            data = b"".join(self.dataset.iter_ndjson(scope.kind, scope.name, kind, day))
        packed = zlib.compress(data, 6)
        with self._files_lock:
            self._files[key] = packed
            self._sizes[key] = len(data)
            self._made += 1
        return data


class FileSource(_AtHand):
    """Report files as GitHub serves them, opened from disk (``copilot-tui open``, ``export --from``): no token, no
    network, the demo's road from there on. What each file holds is read from its content
    (:mod:`copilot_tui.report_files`); the users lines are decoded into facts kept in a private temporary
    directory, apart from the synced store, and removed when the source is closed.

    The files name a scope by its id only: that is its name here, unless ``name`` (``--org``/``--enterprise``)
    names it, the files' only scope of that kind or the one with that id."""

    mode: Mode = "files"
    _serves = "report files"

    def __init__(self, paths: Sequence[Path], *, name: Scope | None = None) -> None:
        super().__init__()
        self.paths = tuple(paths)
        self.name = name
        self._opened: Any = None
        self._names: dict[Scope, Any] = {}
        self._open_lock = threading.Lock()
        self._facts_lock = threading.Lock()
        self._facts_temp: Any = private_temp_dir(TEMP_FACTS[0])
        warm_up()

    def _files(self) -> Any:
        """The files read (once, blocking): ``SourceError`` when none holds a report or a name fits none."""
        from copilot_tui import report_files

        with self._open_lock:
            if self._opened is None:
                try:
                    opened = report_files.open_report_files(self.paths)
                except report_files.ReportFilesError as exc:
                    raise SourceError(str(exc)) from None
                self._names = self._name_scopes(opened.refs())
                self._opened = opened
            return self._opened

    def _name_scopes(self, refs: list[Any]) -> dict[Scope, Any]:
        names = {Scope(ref.kind, ref.id): ref for ref in refs}
        if self.name is None:
            return names
        same_kind = [ref for ref in refs if ref.kind == self.name.kind]
        if any(ref.id == self.name.name for ref in same_kind):
            return names
        if len(same_kind) == 1:
            del names[Scope(same_kind[0].kind, same_kind[0].id)]
            return {self.name: same_kind[0], **names}
        what = "organization" if self.name.kind == "org" else "enterprise"
        held = ", ".join(str(ref) for ref in refs)
        raise SourceError(
            f"the files hold no {what} to call {self.name.name!r}: they hold {held}. With one {what} in the files, "
            f"--{'org' if self.name.kind == 'org' else 'enterprise'} NAME names it; with several, give its id."
        )

    def _ref(self, scope: Scope) -> Any:
        self._files()
        ref = self._names.get(scope)
        if ref is None:
            held = ", ".join(str(s) for s in self._names) or "nothing"
            raise SourceError(f"the report files hold no data of {scope}; they hold {held}.")
        return ref

    async def scopes(self) -> list[Scope]:
        await asyncio.to_thread(self._files)
        return list(self._names)

    async def held_range(self, scope: Scope) -> tuple[date, date] | None:
        days = await asyncio.to_thread(lambda: self._files().days(self._ref(scope)))
        return (days[0], days[-1]) if days else None

    async def newest_day(self, scope: Scope) -> date | None:
        held = await self.held_range(scope)
        return held[1] if held else None

    async def seats(self, scope: Scope) -> SeatReport:
        raise SeatsUnavailableError("Seats come from GitHub's seats API: report files do not hold them.")

    async def aclose(self) -> None:
        temp, self._facts_temp = self._facts_temp, None
        if temp is not None:
            await asyncio.to_thread(temp.cleanup)

    def _build(self, scope: Scope, start: date, end: date) -> Snapshot:
        return self._snapshot(scope, self._ref(scope), start, end)

    def _snapshot(self, scope: Scope, ref: Any, start: date, end: date) -> Snapshot:
        from copilot_tui.report_files import TEAMS, TOTALS, USERS

        opened = self._files()
        period = Period(start, end)
        in_period = [d for d in _days(start, end)]
        totals = opened.chosen(ref, TOTALS)
        day_totals = [f[0].totals[(ref, d)] for d, f in totals.items() if d in period]
        users_days = [d for d in opened.chosen(ref, USERS) if d in period]
        teams_days = [d for d in opened.chosen(ref, TEAMS) if d in period]
        notices = [
            *(f"{n} It is left out." for n in opened.not_reports),
            *opened.left_out(ref),
        ]
        problems = [*opened.problems(ref)]
        for f in {id(f): f for fs in totals.values() for f in fs}.values():
            problems += f.totals_problems
        problems = list(dict.fromkeys(problems))
        snap = Snapshot(
            scope=scope,
            day_totals=day_totals,
            first_day=start,
            last_day=end,
            fetched_at=None,
            users_parts=lambda: opened.parts(ref, USERS, users_days),
            teams_parts=lambda: opened.parts(ref, TEAMS, teams_days),
            totals_problems=problems,
            missing_days=tuple(d for d in in_period if d not in set(users_days)),
            notices=tuple(notices),
            users_from=lambda: self._users(ref, period, users_days),
            history_from=lambda n: self._history(ref, period, n),
            facts_from=lambda: self._query(ref, users_days, lambda facts, wanted, _con: facts.files(wanted)),
        )
        snap.users_aggregate()
        size = sum(f.stamp[0] for fs in opened.chosen(ref, USERS).values() for f in fs)
        snap.keep_rows(size, sum(f.stamp[0] for fs in opened.chosen(ref, TEAMS).values() for f in fs))
        return snap

    def _users(self, ref: Any, period: Period, days: list[date]) -> UsersAggregate:
        """The users aggregate of the period from the files' facts, the days without any decoded first."""
        return self._query(ref, days, lambda facts, wanted, con: facts.aggregate(period, wanted, con))  # type: ignore[no-any-return]

    def _history(self, ref: Any, period: Period, engaged_days: int) -> UserHistory:
        """The period's users against every day the files hold before it."""
        from copilot_tui.report_files import USERS

        days = [d for d in self._files().chosen(ref, USERS) if d <= period.end]
        return self._query(ref, days, lambda facts, wanted, con: facts.history(period, wanted, engaged_days, con))  # type: ignore[no-any-return]

    def _query(self, ref: Any, days: list[date], query: Callable[[Any, dict[date, str], Any], Any]) -> Any:
        """``query(facts, wanted, con)`` over the facts of ``days``, those not made yet decoded from the files."""
        from copilot_tui.facts import Facts, connect, report_token
        from copilot_tui.report_files import USERS

        if self._facts_temp is None:
            raise SourceError("the report files were closed.")
        opened = self._files()
        chosen = opened.chosen(ref, USERS)
        wanted = {d: report_token(d, *(f.name for f in chosen[d])) for d in days}
        facts = Facts(Path(self._facts_temp.name) / f"{ref.kind}--{ref.id}")
        con = connect()
        try:
            with self._facts_lock:
                missing = facts.missing(wanted)
                for day, parts in opened.day_parts(ref, USERS, missing):
                    facts.ingest(day, wanted[day], parts, con)
            return query(facts, wanted, con)
        finally:
            con.close()


Source = DemoSource | LiveSource | OfflineSource | FileSource

TEMP_FACTS = ("files", "demo-facts")
"""The kinds of temporary facts directories sources make (``files.private_temp_dir``)."""


def remove_stale_temp_facts() -> None:
    """Remove the temporary facts of earlier runs that were killed (a source made now removes those of its own
    kind; the app calls this at start whatever it opens)."""
    for kind in TEMP_FACTS:
        remove_stale_temp_dirs(kind)


def open_source(
    settings: Any,
    *,
    token: str | None = None,
    client: ReportClient | None = None,
    clock: Callable[[], datetime] | None = None,
    concurrency: int | None = None,
) -> DataSource:
    """The source the settings ask for (``copilot_tui.settings.Settings``): the demo, report files, the store alone, or GitHub
    (``client``, or one made for ``token`` and the settings' API URL) through the store of the settings' host."""
    from copilot_tui import locations

    if settings.mode == "demo":
        return DemoSource(keep_in=locations.demo_cache_file())
    if settings.mode == "files":
        return FileSource(settings.files, name=settings.scope)
    store = Store(settings.store_key)
    clocked: dict[str, Any] = {"clock": clock} if clock is not None else {}
    if settings.mode == "offline":
        return OfflineSource(store, **clocked)
    if client is None:
        if token is None:
            raise SourceError("a live source needs a token or a client")
        from copilot_tui.github.client import GitHubClient

        client = GitHubClient(token, api_url=settings.resolved_api_url)
    if concurrency is not None:
        clocked["concurrency"] = concurrency
    return LiveSource(client, store, **clocked)
