"""Snapshots read from the local store, and what the live and offline sources share: painting from it."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from copilot_tui.facts import USERS_KIND, stored_aggregate, stored_facts, stored_history, warm_up
from copilot_tui.licenses import SeatReport, SeatsUnavailableError
from copilot_tui.metrics.derive import Period
from copilot_tui.scope import Scope
from copilot_tui.settings import Mode
from copilot_tui.sources.planning import (
    days_in,
    latest_day,
    newest_first,
    pending_reports,
    period_ending,
    undelivered_users_days,
    utc_now,
)
from copilot_tui.sources.snapshot import TEAMS_KIND, Snapshot, snapshot_from_parts
from copilot_tui.store import HeldReport, Store, StoreDamagedError


def data_version(held: Iterable[HeldReport], kind: str = USERS_KIND) -> str:
    """A fingerprint of what the store holds of ``kind``: it changes whenever a day of it is stored again."""
    digest = hashlib.sha1(b"users", usedforsecurity=False)
    for h in sorted((h for h in held if h.kind == kind), key=lambda h: h.day):
        digest.update(f"|{h.day} {h.has_data} {h.fetched_at.isoformat()} {h.part_count} {h.raw_bytes}".encode())
    return digest.hexdigest()


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
        days = days_in(first_day, last_day)
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
            pending=newest_first(
                [*pending_reports(held), *(p for p in extra_pending if first_day <= p[0] <= last_day)]
            ),
            data_version=data_version(held),
            user_parts=lambda user_id: store.read_user_blocks(
                scope, USERS_KIND, with_data.get(USERS_KIND, []), user_id
            ),
            users_from=lambda: stored_aggregate(store, scope, Period(first_day, last_day), held),
            history_from=lambda n: stored_history(store, scope, Period(first_day, last_day), n),
            facts_from=lambda: stored_facts(store, scope, Period(first_day, last_day), held),
        )
        undelivered = undelivered_users_days(held, snap.day_totals)
        if undelivered:
            snap = replace(snap, undelivered=tuple(undelivered))
        snap.keep_rows(_held_bytes(held, USERS_KIND), _held_bytes(held, TEAMS_KIND))
        if recent is not None:
            while len(recent) >= 2:
                recent.pop(next(iter(recent)))
            recent[key] = snap
        return snap
    except StoreDamagedError:
        days = days_in(first_day, last_day)
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


class StoreBacked:
    """What the live and offline sources share: painting from the store."""

    mode: Mode = "offline"

    def __init__(self, store: Store, *, clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self._clock: Callable[[], datetime] = clock or (lambda: utc_now())
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
            start, end = period_ending(days, end)
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
