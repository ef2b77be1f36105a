"""What the screens share: the data source and the scopes to choose from, handed down by the app."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol

from copilot_tui.scope import Scope

Mode = Literal["demo", "live", "offline"]
ProgressCallback = Callable[[int, int, str], None]
WaitCallback = Callable[[float, str], None]


class SourceLike(Protocol):
    """The contract of ``copilot_tui.source`` (DemoSource, LiveSource, OfflineSource) as the UI uses it."""

    async def scopes(self) -> list[Scope]: ...

    async def held_range(self, scope: Scope) -> tuple[date, date] | None: ...

    async def cached(self, scope: Scope, *, days: int = 28, until: date | None = None) -> Any: ...

    async def load(
        self,
        scope: Scope,
        *,
        days: int = 28,
        until: date | None = None,
        on_progress: ProgressCallback | None = None,
        on_wait: WaitCallback | None = None,
    ) -> Any: ...


@dataclass(slots=True)
class Session:
    source: SourceLike
    mode: Mode
    scopes: list[Scope] = field(default_factory=list)
    remember_scope: Callable[[Scope], None] = lambda scope: None

    def add_scopes(self, more: Sequence[Scope]) -> None:
        for scope in more:
            if scope not in self.scopes:
                self.scopes.append(scope)
