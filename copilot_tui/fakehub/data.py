"""What the fake GitHub serves: the demo dataset, or report lines a test hands it.

Both speak one small protocol, the one ``copilot_tui.metrics.demo.DemoDataset`` has: ``report_lines(scope, entity,
kind, day)`` giving a report's line objects (None for no data), ``orgs`` (objects with ``login`` and ``org_id``),
``enterprise`` (a slug, or None), ``first_day`` / ``last_day``, and optionally ``seats(org)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol


class OrgLike(Protocol):
    @property
    def login(self) -> str: ...

    @property
    def org_id(self) -> str: ...


class Dataset(Protocol):
    @property
    def orgs(self) -> Sequence[Any]: ...

    @property
    def enterprise(self) -> str | None: ...

    @property
    def first_day(self) -> date: ...

    @property
    def last_day(self) -> date: ...

    def report_lines(
        self, scope: str, entity: str, kind: str, day: date | None = None
    ) -> list[dict[str, Any]] | None: ...


@dataclass(frozen=True, slots=True)
class StaticOrg:
    login: str
    org_id: str


@dataclass
class StaticDataset:
    """Report lines a test gives, keyed by entity and day; the 28-day reports are built from the 1-day lines the
    way GitHub builds them (users rows gain ``report_start_day`` / ``report_end_day``; the org/enterprise report is
    one line holding ``day_totals``).

    ``users[(scope, entity)]`` and ``totals[(scope, entity)]`` are lists of line objects carrying a ``day``;
    ``teams`` likewise for the user-teams report; ``seats[org]`` the seat objects of the seats API.
    """

    orgs: list[StaticOrg] = field(default_factory=list)
    enterprise: str | None = None
    enterprise_id: str = "1"
    users: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    totals: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    teams: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    seat_lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def first_day(self) -> date:
        days = list(self._all_days())
        return min(days) if days else date(2025, 10, 10)

    @property
    def last_day(self) -> date:
        days = list(self._all_days())
        return max(days) if days else date(2025, 10, 10)

    def _all_days(self) -> Iterable[date]:
        for table in (self.users, self.totals):
            for lines in table.values():
                for line in lines:
                    yield date.fromisoformat(line["day"])

    def _known(self, scope: str, entity: str) -> bool:
        if scope == "org":
            return any(o.login == entity for o in self.orgs)
        return scope == "enterprise" and entity == self.enterprise

    def seats(self, org: Any) -> list[dict[str, Any]]:
        login = org if isinstance(org, str) else org.login
        return list(self.seat_lists.get(login, []))

    def report_lines(self, scope: str, entity: str, kind: str, day: date | None = None) -> list[dict[str, Any]] | None:
        if not self._known(scope, entity):
            return None
        key = (scope, entity)
        if kind.endswith("-28-day"):
            end = self.last_day
            start = end - timedelta(days=27)
            bounds = {"report_start_day": start.isoformat(), "report_end_day": end.isoformat()}
            if kind == "users-28-day":
                rows = [r for r in self.users.get(key, []) if start.isoformat() <= r["day"] <= end.isoformat()]
                return [{**bounds, **r} for r in rows] or None
            day_totals = [r for r in self.totals.get(key, []) if start.isoformat() <= r["day"] <= end.isoformat()]
            if not day_totals:
                return None
            ident = (
                {"organization_id": self._org_id(entity)} if scope == "org" else {"enterprise_id": self.enterprise_id}
            )
            return [{**bounds, **ident, "created_at": f"{end.isoformat()}T06:00:00Z", "day_totals": day_totals}]
        if day is None:
            return None
        table = {"users-1-day": self.users, "user-teams-1-day": self.teams}.get(kind, self.totals)
        lines = [r for r in table.get(key, []) if r.get("day") == day.isoformat()]
        return lines or None

    def _org_id(self, login: str) -> str:
        return next(o.org_id for o in self.orgs if o.login == login)
