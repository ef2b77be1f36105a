"""The one contract between the data and its front ends (the app, ``export``, ``sync``): :class:`DataSource`,
what a fetch brought, the errors a source raises, and the part of the GitHub client the sources use.

Every source answers the same questions, so the UI never knows which one it has: ``await scopes()`` (what can be
opened), ``await cached(scope)`` (what is at hand right now, no network) and ``await load(scope)`` (fetch what is
missing, then answer).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from copilot_tui.licenses import SeatReport
from copilot_tui.scope import Scope
from copilot_tui.settings import Mode
from copilot_tui.sources.snapshot import Snapshot

ProgressCallback = Callable[[int, int, str], None]


WaitCallback = Callable[[float, str], Any]


class SourceError(Exception):
    """A source cannot answer; the message says why and what to do."""


class NotHeldError(SourceError):
    """Offline and the store holds nothing for the scope."""


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
