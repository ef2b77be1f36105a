"""Fixtures for the store and source tests: a private data dir, a store, and a stub client over the demo data."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.scope import Scope
from copilot_tui.store import Store

SMALL_ORG = Scope("org", "octo-garage")


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("COPILOT_TUI_DATA_DIR", str(data))
    return data


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with Store("github.com", tmp_path / "store") as s:
        yield s


@pytest.fixture(scope="session")
def demo() -> DemoDataset:
    return DemoDataset()


def noon_after(day: date, days: int = 1) -> datetime:
    """Midday UTC ``days`` after ``day``: a fixed 'now' for the fetch policy."""
    return datetime.combine(day + timedelta(days=days), time(12), tzinfo=UTC)


class Interrupted(Exception):
    """What the stub raises to cut a fetch short, like a lost connection or Ctrl-C."""


@dataclass
class Download:
    parts: list[tuple[str, bytes]]


@dataclass
class StubClient:
    """Answers ``fetch_report`` from the demo dataset and logs every call; no sockets.

    ``fail_when(kind, day)`` returning True raises ``Interrupted`` for that call; ``no_data`` days answer None (204).
    """

    dataset: DemoDataset
    calls: list[tuple[str, date | None]] = field(default_factory=list)
    fail_when: Callable[[str, date | None], bool] | None = None
    no_data: set[date] = field(default_factory=set)
    raise_for: dict[tuple[str, date], Exception] = field(default_factory=dict)
    on_wait: Any = None
    orgs: list[str] = field(default_factory=lambda: ["octo-garage"])

    in_flight: int = 0
    completed: int = 0
    starts: list[tuple[int, int]] = field(default_factory=list)
    """(reports completed, requests in flight including this one) as each request starts."""

    async def fetch_report(self, scope: Scope, kind: str, day: date | None = None, on_progress: Any = None) -> Any:
        self.in_flight += 1
        self.starts.append((self.completed, self.in_flight))
        try:
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            return self._answer(scope, kind, day)
        finally:
            self.in_flight -= 1
            self.completed += 1

    def _answer(self, scope: Scope, kind: str, day: date | None) -> Any:
        if self.fail_when is not None and self.fail_when(kind, day):
            raise Interrupted(f"cut at {kind} {day}")
        self.calls.append((kind, day))
        if day is not None and (kind, day) in self.raise_for:
            raise self.raise_for[(kind, day)]
        if day in self.no_data:
            return None
        lines = list(self.dataset.iter_ndjson(scope.kind, scope.name, kind, day))
        if not lines:
            return None
        half = len(lines) // 2 or 1
        return Download(
            [(f"{kind}-{day}-1.ndjson", b"".join(lines[:half])), (f"{kind}-{day}-2.ndjson", b"".join(lines[half:]))]
        )

    async def list_user_orgs(self) -> list[str]:
        self.calls.append(("list_user_orgs", None))
        return list(self.orgs)


class NoNetwork:
    """A client that fails the test if anything asks it for anything."""

    on_wait: Any = None

    async def fetch_report(self, *args: Any, **kw: Any) -> Any:
        raise AssertionError(f"network request made: fetch_report{args}")

    async def list_user_orgs(self) -> list[str]:
        raise AssertionError("network request made: list_user_orgs")
