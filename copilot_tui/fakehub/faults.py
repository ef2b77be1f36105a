"""Faults a test switches on in the fake GitHub: each applies to the next N matching requests, then is spent.

``target`` picks the server a fault hits: ``"api"`` (the REST API port) or ``"download"`` (the report file port);
``path_contains`` narrows it further (e.g. ``"/seats"``). Faults are taken in the order they were switched on.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal

Target = Literal["api", "download"]
FaultKind = Literal["status", "drop", "slow", "primary_rate_limit", "secondary_rate_limit", "exhaust", "truncate"]


@dataclass(slots=True)
class Fault:
    kind: FaultKind
    target: Target
    remaining: int
    status: int = 502
    seconds: float = 0.0
    retry_after: float | None = None
    path_contains: str | None = None

    def matches(self, target: str, path: str) -> bool:
        return (
            self.remaining > 0 and self.target == target and (self.path_contains is None or self.path_contains in path)
        )


class Faults:
    """Thread-safe switches; the server threads ``take`` from them, tests switch them on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._expired_links = 0
        self._malformed: list[int] = []

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._expired_links = 0
            self._malformed.clear()

    def _add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def server_errors(
        self, n: int = 1, *, status: int = 502, target: Target = "api", path_contains: str | None = None
    ) -> Fault:
        """Answer the next ``n`` requests with ``status`` (a 5xx, or any code a test wants)."""
        return self._add(Fault("status", target, n, status=status, path_contains=path_contains))

    def drop_connections(self, n: int = 1, *, target: Target = "api", path_contains: str | None = None) -> Fault:
        """Close the connection without answering the next ``n`` requests."""
        return self._add(Fault("drop", target, n, path_contains=path_contains))

    def slow_responses(
        self, n: int = 1, *, seconds: float = 1.0, target: Target = "api", path_contains: str | None = None
    ) -> Fault:
        """Wait ``seconds`` before answering the next ``n`` requests (a client timeout shorter than that fires)."""
        return self._add(Fault("slow", target, n, seconds=seconds, path_contains=path_contains))

    def primary_rate_limit(
        self, n: int = 1, *, reset_in: float = 60.0, status: int = 403, path_contains: str | None = None
    ) -> Fault:
        """Refuse the next ``n`` API requests with ``x-ratelimit-remaining: 0`` and a reset ``reset_in`` seconds on."""
        return self._add(
            Fault("primary_rate_limit", "api", n, status=status, seconds=reset_in, path_contains=path_contains)
        )

    def secondary_rate_limit(
        self, n: int = 1, *, retry_after: float | None = 30.0, status: int = 403, path_contains: str | None = None
    ) -> Fault:
        """Refuse the next ``n`` API requests as a secondary rate limit, with ``retry-after`` unless it is None."""
        return self._add(
            Fault("secondary_rate_limit", "api", n, status=status, retry_after=retry_after, path_contains=path_contains)
        )

    def exhaust_rate_limit(self, n: int = 1, *, reset_in: float = 60.0, path_contains: str | None = None) -> Fault:
        """Answer the next ``n`` API requests normally, but with ``x-ratelimit-remaining: 0`` (the last request of
        the window): a careful client waits for the reset before its next request."""
        return self._add(Fault("exhaust", "api", n, seconds=reset_in, path_contains=path_contains))

    def truncate_downloads(self, n: int = 1, *, path_contains: str | None = None) -> Fault:
        """Send the full ``Content-Length`` but only half the body of the next ``n`` downloads, then hang up."""
        return self._add(Fault("truncate", "download", n, path_contains=path_contains))

    def expire_links(self, n: int = 1) -> None:
        """The next ``n`` report answers carry links that have already expired (the download port refuses them)."""
        with self._lock:
            self._expired_links += n

    def malformed_lines(self, count: int = 3, *, reports: int = 1) -> None:
        """The next ``reports`` reports served have ``count`` of their lines replaced by broken JSON; the fake's
        ``corrupted`` list tells which part and line numbers."""
        with self._lock:
            self._malformed.extend([count] * reports)

    def take(self, target: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(target, path):
                    fault.remaining -= 1
                    return fault
        return None

    def take_expired_link(self) -> bool:
        with self._lock:
            if self._expired_links > 0:
                self._expired_links -= 1
                return True
        return False

    def take_malformed(self) -> int:
        with self._lock:
            return self._malformed.pop(0) if self._malformed else 0
