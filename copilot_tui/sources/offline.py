"""The offline source: the local store and nothing else (``--offline``)."""

from __future__ import annotations

from datetime import date

from copilot_tui.scope import Scope
from copilot_tui.sources.contract import NotHeldError, ProgressCallback, WaitCallback
from copilot_tui.sources.snapshot import Snapshot
from copilot_tui.sources.stored import StoreBacked


class OfflineSource(StoreBacked):
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
