"""What a source hands the screens for one scope and period: the :class:`Snapshot`, and how one is made from
a period's report parts.

The users and user-teams reports are not held as rows: they stay raw (compressed in the store, or in memory for the
demo) and are read when asked; the users aggregate comes from the facts (:mod:`copilot_tui.facts`).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from copilot_tui.facts import USERS_KIND
from copilot_tui.metrics import linerule
from copilot_tui.metrics.adoption import UserHistory
from copilot_tui.metrics.aggregate import UsersAggregate, aggregate_users
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
from copilot_tui.scope import Scope

log = logging.getLogger(__name__)


#: Below this much raw users (or user-teams) data in a period, a snapshot also keeps the parsed rows (parsed in the
#: loading thread), so ``user_rows``/``team_rows`` cost nothing to read: about 360 users x 28 days. Above it rows
#: are never held (gigabytes at 200k users); reading ``user_rows`` then parses the whole report each time.
KEEP_ROWS_BYTES = 32 * 1024 * 1024


TEAMS_KIND = "user-teams-1-day"


PartsReader = Callable[[], Iterable[ReportPart]]
"""Reads a report's parts afresh at each call (from the store, or from memory for the demo)."""


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
    :meth:`users_aggregate` asks their facts (``users_from``: a query, the period's rollup kept on disk between
    runs) once and keeps the answer, :meth:`user_days` picks one user's lines before decoding anything. ``user_rows`` and ``team_rows`` parse everything on each read: for tests and small
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
    undelivered: tuple[date, ...] = ()
    """Days of the period whose users report GitHub never sent, though their totals count active users (see
    ``undelivered_users_days``): the users figures leave them out."""
    user_parts: Callable[[int], Iterable[ReportPart]] | None = None
    """Parser input holding a given user's lines of the users report and few others (the store's index)."""
    data_version: str | None = None
    """Identifies the users data of the period (None: not known, so a view of it is never taken as current)."""
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
                if self.users_from is not None:
                    agg = self.users_from()
                else:
                    agg = aggregate_users(self.users_parts(), self.period)
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
        user_parts=user_parts,
        users_from=users_from,
        history_from=history_from,
        facts_from=facts_from,
    )
