"""What the demo and report-files sources share: every day they hold is at hand, and each period's snapshot is
built once; and the temporary facts directories they make."""

from __future__ import annotations

import asyncio
from datetime import date

from copilot_tui.files import remove_stale_temp_dirs
from copilot_tui.scope import Scope
from copilot_tui.sources.contract import ProgressCallback, SourceError, WaitCallback
from copilot_tui.sources.planning import period_ending
from copilot_tui.sources.snapshot import Snapshot

#: Snapshots the demo and report files keep, the least recently used dropped first: a period and its comparison
#: for each of a few scopes and periods a user goes back and forth between (each is its aggregates, a few MB).
AT_HAND_SNAPSHOTS = 16


class AtHand:
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
        start, end = period_ending(days, until or held[1])
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
        start, end = period_ending(days, until or held[1])
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


TEMP_FACTS = ("files", "demo-facts")
"""The kinds of temporary facts directories sources make (``files.private_temp_dir``)."""


def remove_stale_temp_facts() -> None:
    """Remove the temporary facts of earlier runs that were killed (a source made now removes those of its own
    kind; the app calls this at start whatever it opens)."""
    for kind in TEMP_FACTS:
        remove_stale_temp_dirs(kind)
