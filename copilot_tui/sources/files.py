"""The report-files source: report files as GitHub serves them, opened from disk (``copilot-tui open``,
``export --from``)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from copilot_tui.facts import warm_up
from copilot_tui.files import private_temp_dir
from copilot_tui.licenses import SeatReport, SeatsUnavailableError
from copilot_tui.metrics.adoption import UserHistory
from copilot_tui.metrics.aggregate import UsersAggregate
from copilot_tui.metrics.derive import Period
from copilot_tui.scope import Scope
from copilot_tui.settings import Mode
from copilot_tui.sources.at_hand import TEMP_FACTS, AtHand
from copilot_tui.sources.contract import SourceError
from copilot_tui.sources.planning import days_in
from copilot_tui.sources.snapshot import Snapshot


class FileSource(AtHand):
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
        in_period = [d for d in days_in(start, end)]
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
