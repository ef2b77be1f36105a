"""What the app looks at: one organization or one enterprise on one GitHub host."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ScopeKind = Literal["org", "enterprise"]


@dataclass(frozen=True, slots=True, order=True)
class Scope:
    kind: ScopeKind
    name: str

    @property
    def api_prefix(self) -> str:
        """Path prefix of the scope's REST endpoints (``/orgs/octo`` or ``/enterprises/octo-ent``)."""
        return f"/orgs/{self.name}" if self.kind == "org" else f"/enterprises/{self.name}"

    @property
    def totals_kind(self) -> str:
        """The scope-level report name: ``organization`` for an org, ``enterprise`` for an enterprise."""
        return "organization" if self.kind == "org" else "enterprise"

    def __str__(self) -> str:
        return self.name if self.kind == "org" else f"{self.name} (enterprise)"
