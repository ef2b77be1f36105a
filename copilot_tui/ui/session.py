"""What the screens share: the data source and the scopes to choose from, handed down by the app."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from copilot_tui.scope import Scope

if TYPE_CHECKING:
    from copilot_tui.settings import Mode
    from copilot_tui.sources.contract import DataSource


@dataclass(slots=True)
class Session:
    source: DataSource
    mode: Mode
    scopes: list[Scope] = field(default_factory=list)
    remember_scope: Callable[[Scope], None] = lambda scope: None

    def add_scopes(self, more: Sequence[Scope]) -> None:
        for scope in more:
            if scope not in self.scopes:
                self.scopes.append(scope)
