"""The demo source: the built-in demo dataset served through the same parser as real reports (its lines are
serialized to NDJSON first), so the demo exercises the path real data takes."""

from __future__ import annotations

import asyncio
import logging
import threading
import zlib
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from copilot_tui.facts import USERS_KIND, warm_up
from copilot_tui.files import private_temp_dir
from copilot_tui.licenses import SeatReport, demo_seats
from copilot_tui.metrics.adoption import UserHistory
from copilot_tui.metrics.aggregate import UsersAggregate
from copilot_tui.metrics.derive import Period
from copilot_tui.scope import Scope
from copilot_tui.settings import Mode
from copilot_tui.sources.at_hand import TEMP_FACTS, AtHand
from copilot_tui.sources.contract import SourceError
from copilot_tui.sources.planning import days_in
from copilot_tui.sources.snapshot import TEAMS_KIND, Snapshot, snapshot_from_parts

log = logging.getLogger(__name__)


SEATS_KIND = "seats"
"""What the demo keeps its seats under, beside its report files (an org's seats API answer)."""


class DemoSource(AtHand):
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
        self._files: dict[tuple[Scope, str, date], bytes] = {}
        """The files made or read from the kept file so far, packed."""
        self._sizes: dict[tuple[Scope, str, date], int] = {}
        self._files_lock = threading.Lock()
        self._writing = threading.Lock()
        self._keep_in = keep_in
        self._kept_stamp: str | None = None
        """The kept files' fingerprint (``demo_cache.fingerprint``), taken once when they are read."""
        self._kept_read = False
        self._kept: Any = None
        """The kept file's index (``demo_cache.Kept``): its files are read from it when first wanted."""
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
            kept = demo_cache.Kept.open(self._keep_in, self._kept_stamp)
        except Exception as exc:  # keeping is a bonus: the demo makes its files as it would without
            log.warning("demo files kept in %s not used: %s", self._keep_in, exc)
            kept = None
        with self._files_lock:
            self._kept_read = True
            self._kept = kept
            if kept is not None:
                for key, size in kept.sizes().items():
                    self._sizes.setdefault(key, size)

    def _write_kept(self) -> None:
        if self._keep_in is None or self._kept_stamp is None or not self._made:
            return
        from copilot_tui import demo_cache

        with self._writing:  # one writer at a time, so the file written last holds every file made before it
            with self._files_lock:
                if not self._made:
                    return
                kept, self._made = self._kept, 0
                made, sizes = dict(self._files), dict(self._sizes)
            try:
                files = {key: packed for key, (packed, _size) in (kept.every_file() if kept else {}).items()}
                files.update(made)
                demo_cache.write(self._keep_in, self._kept_stamp, files, sizes)
                kept = demo_cache.Kept.open(self._keep_in, self._kept_stamp)
            except Exception as exc:
                log.warning("could not keep the demo files in %s: %s", self._keep_in, exc)
                return
            with self._files_lock:
                self._kept = kept

    def _snapshot(self, scope: Scope, start: date, end: date) -> Snapshot:
        days = [d for d in days_in(start, end) if self.dataset.first_day <= d <= self.dataset.last_day]

        def parts_of(kind: str) -> Iterator[tuple[str, Iterator[bytes]]]:
            for day in days:
                yield f"{kind} {day.isoformat()} (demo)", iter((self._file(scope, kind, day),))

        missing = [d for d in days_in(start, end) if d not in set(days)]
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
            if (scope, TEAMS_KIND, day) not in self._sizes:
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
        facts, held = self._facts(scope, days_in(self.dataset.first_day, min(end, self.dataset.last_day)))
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
            packed, kept = self._files.get(key), self._kept
        if packed is None and kept is not None:
            packed = kept.packed(key)
            if packed is not None:
                with self._files_lock:
                    self._files.setdefault(key, packed)
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
