"""Helpers of the client tests (a module of its own so test files can import them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from copilot_tui.github.client import GitHubClient

MakeClient = Callable[..., GitHubClient]


@dataclass
class FakeTime:
    """A clock starting at the real time that advances by exactly what the client sleeps."""

    now: float
    sleeps: list[float] = field(default_factory=list)
    notices: list[tuple[float, str]] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def on_wait(self, seconds: float, reason: str) -> None:
        self.notices.append((seconds, reason))
