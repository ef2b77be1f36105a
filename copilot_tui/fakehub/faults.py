"""Faults a test switches on in the fake GitHub: each applies to the next N matching requests, then is spent.

``target`` picks the server a fault hits: ``"api"`` (the REST API port) or ``"download"`` (the report file port);
``path_contains`` narrows it further (e.g. ``"/seats"``). Faults are taken in the order they were switched on.

Besides faults, two kinds of standing rules shape what GitHub answers, as production clients of the API have seen it:
``no_report`` (the many ways a day without a report is answered) and ``drift`` (report content that wanders from
the documented shape). They hold until cleared, or for ``times`` answers.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Target = Literal["api", "download"]
FaultKind = Literal[
    "status",
    "drop",
    "slow",
    "primary_rate_limit",
    "secondary_rate_limit",
    "exhaust",
    "truncate",
    "forbidden",
    "trickle",
]
NoReportHow = Literal["204", "empty-string", "sentence", "null", "empty-body", "empty-links", "404", "502", "503"]
"""How a day without a report is answered: ``204`` no body; 200 with the JSON string ``""``, a sentence, ``null``
or no body at all; 200 with ``download_links: []``; 404 saying no report is available for that day (enterprise
scope); 502 or 503 while the day is being generated."""
NO_REPORT_ANSWERS: tuple[NoReportHow, ...] = (
    "204",
    "empty-string",
    "sentence",
    "null",
    "empty-body",
    "empty-links",
    "404",
    "502",
    "503",
)
ForbiddenCause = Literal["policy", "role", "integration", "fine-grained", "saml", "unknown"]
FORBIDDEN_CAUSES: tuple[ForbiddenCause, ...] = ("policy", "role", "integration", "fine-grained", "saml", "unknown")
DriftKind = Literal["string-ids", "renamed-agent-field", "nulls", "gzip-part", "json-names"]
DRIFTS: tuple[DriftKind, ...] = ("string-ids", "renamed-agent-field", "nulls", "gzip-part", "json-names")
"""``string-ids``: the org/enterprise ids as numbers where the docs show strings (and back); ``renamed-agent-field``:
``used_copilot_coding_agent`` beside ``used_copilot_cloud_agent``; ``nulls``: nullable counters sent as null;
``gzip-part``: the first part of each report compressed with gzip; ``json-names``: file names ending in ``.json``
(still NDJSON inside)."""


@dataclass(slots=True)
class NoReportRule:
    """Answer a daily report request that matches with ``how`` instead of the report (``times`` None: for ever)."""

    how: NoReportHow
    kinds: frozenset[str] | None = None
    days: frozenset[date] | None = None
    before: date | None = None
    since: date | None = None
    scope: str | None = None
    times: int | None = None
    answered: list[date] = field(default_factory=list)

    def matches(self, scope: str, kind: str, day: date) -> bool:
        return (
            (self.times is None or self.times > 0)
            and (self.scope is None or self.scope == scope)
            and (self.kinds is None or kind in self.kinds)
            and (self.days is None or day in self.days)
            and (self.before is None or day < self.before)
            and (self.since is None or day >= self.since)
        )


@dataclass(slots=True)
class HostileRule:
    """End the reports of ``kind`` that match with ``lines`` (raw, as given) in their last part, and with
    ``repeat_first`` also an exact repeat of the report's first line; ``reports`` None: every matching report."""

    kind: str
    lines: list[bytes]
    reports: int | None = 1
    days: frozenset[date] | None = None
    repeat_first: bool = False

    def matches(self, kind: str, day: date | None) -> bool:
        return (
            self.kind == kind and (self.reports is None or self.reports > 0) and (self.days is None or day in self.days)
        )


@dataclass(slots=True)
class Fault:
    kind: FaultKind
    target: Target
    remaining: int
    status: int = 502
    seconds: float = 0.0
    retry_after: float | None = None
    path_contains: str | None = None
    cause: str | None = None
    http_date: bool = False

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
        self._hostile: list[HostileRule] = []
        self._no_report: list[NoReportRule] = []
        self.drifts: set[DriftKind] = set()

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._expired_links = 0
            self._malformed.clear()
            self._hostile.clear()
            self._no_report.clear()
            self.drifts.clear()

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
        self,
        n: int = 1,
        *,
        retry_after: float | None = 30.0,
        status: int = 403,
        path_contains: str | None = None,
        http_date: bool = False,
    ) -> Fault:
        """Refuse the next ``n`` API requests as a secondary rate limit, with ``retry-after`` unless it is None
        (in seconds, or as an HTTP date that far ahead with ``http_date``)."""
        return self._add(
            Fault(
                "secondary_rate_limit",
                "api",
                n,
                status=status,
                retry_after=retry_after,
                path_contains=path_contains,
                http_date=http_date,
            )
        )

    def forbidden(self, cause: ForbiddenCause, n: int = 1, *, path_contains: str | None = None) -> Fault:
        """Refuse the next ``n`` API requests with the 403 GitHub gives for ``cause``: the metrics policy off, the
        role missing, a GitHub App installed elsewhere, a fine-grained token without the permission, SAML SSO
        (with its ``X-GitHub-SSO`` header), or a bare "Forbidden" (``unknown``)."""
        return self._add(Fault("forbidden", "api", n, status=403, cause=cause, path_contains=path_contains))

    def trickle_downloads(self, n: int = 1, *, seconds: float = 2.0, path_contains: str | None = None) -> Fault:
        """Send the next ``n`` downloads one byte every ``seconds``: every read gets data, so only an overall
        deadline ends it."""
        return self._add(Fault("trickle", "download", n, seconds=seconds, path_contains=path_contains))

    def no_report(
        self,
        how: NoReportHow = "204",
        *,
        kinds: Iterable[str] | None = None,
        days: Iterable[date] | None = None,
        before: date | None = None,
        since: date | None = None,
        scope: str | None = None,
        times: int | None = None,
    ) -> NoReportRule:
        """Answer the daily reports that match (every kind, day and scope unless narrowed) as a day without a
        report, ``how`` GitHub does it; ``times`` bounds how many answers (a 502 that then gives way)."""
        rule = NoReportRule(
            how,
            frozenset(kinds) if kinds is not None else None,
            frozenset(days) if days is not None else None,
            before,
            since,
            scope,
            times,
        )
        with self._lock:
            self._no_report.append(rule)
        return rule

    def clear_no_report(self) -> None:
        with self._lock:
            self._no_report.clear()

    def take_no_report(self, scope: str, kind: str, day: date) -> NoReportHow | None:
        with self._lock:
            for rule in self._no_report:
                if rule.matches(scope, kind, day):
                    if rule.times is not None:
                        rule.times -= 1
                    rule.answered.append(day)
                    return rule.how
        return None

    def drift(self, *kinds: DriftKind) -> None:
        """Switch content drift on (every kind when none is named)."""
        with self._lock:
            self.drifts.update(kinds or DRIFTS)

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

    def hostile_lines(
        self,
        lines: Iterable[bytes],
        *,
        kind: str = "users-1-day",
        reports: int | None = 1,
        days: Iterable[date] | None = None,
        repeat_first: bool = False,
    ) -> HostileRule:
        """The next ``reports`` reports of ``kind`` served (every one when None; of ``days`` only, when given) end
        with ``lines`` (raw, as given) in their last part, and with ``repeat_first`` an exact repeat of their first
        line too."""
        rule = HostileRule(kind, list(lines), reports, frozenset(days) if days is not None else None, repeat_first)
        with self._lock:
            self._hostile.append(rule)
        return rule

    def clear_hostile(self) -> None:
        with self._lock:
            self._hostile.clear()

    def take_hostile(self, kind: str, day: date | None = None) -> HostileRule | None:
        with self._lock:
            for rule in self._hostile:
                if rule.matches(kind, day):
                    if rule.reports is not None:
                        rule.reports -= 1
                    return rule
        return None

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
