"""Shared fixtures: the fake GitHub, started once per test session on free ports of 127.0.0.1.

``fakehub`` is a started ``copilot_tui.fakehub.FakeGitHub`` serving the demo dataset (the same orgs as ``--demo``:
``octo-garage`` ~40 users, ``octo-labs`` ~400, ``octo-corp`` ~4000, in the enterprise ``octo-enterprise``), its
``today`` the day after the demo's last day, each report split into 2 files. Each test gets it with no faults, an
empty request log and the default settings; a test may change settings (``parts_per_report``, ``set_policy``, ...)
and switch faults on (``fakehub.faults.server_errors(2)``, ...): they are reset after it.

Point a client at ``fakehub.api_url`` (the CLI: ``--api-url`` or ``COPILOT_TUI_API_URL``). Downloads are served on
another port, ``fakehub.download_url``; ``fakehub.requests`` logs every request (server, method, path, query,
headers, status).

Test tokens (``copilot_tui.fakehub``; fakes, safe to write anywhere):

==========================  =======================  ====================================================
token                       account                  what it can do
==========================  =======================  ====================================================
``ghp_fake_owner``          octocat (id 1)           classic; scopes manage_billing:copilot, read:org,
                                                     read:enterprise; owner of every org and the enterprise:
                                                     reads everything
``github_pat_fake_fine``    fine-grained-fan (2)     fine-grained (no X-OAuth-Scopes): Copilot metrics and
                                                     Copilot Business read permissions, owner everywhere
``ghp_fake_noscope``        repo-only (3)            classic with only ``repo``: 403 (missing scope)
``ghp_fake_member``         plain-member (4)         classic, read:org / read:enterprise, but a plain member:
                                                     403 (role) on reports and seats
``github_pat_fake_noperm``  no-permission (5)        fine-grained without the permissions: 403
anything else               --                       401 Bad credentials
==========================  =======================  ====================================================
"""

from __future__ import annotations

import gzip
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub, TokenSpec

REFERENCE = Path(__file__).parent / "data" / "reference"
"""GitHub's documented examples and the line shapes of the live API: a copy of ``shared/reference`` kept here so the
tests run in any clone (``test_reference_data.py`` compares the two when ``shared/`` sits beside the checkout)."""


@pytest.fixture(scope="session")
def reference() -> Callable[[str], Path]:
    """The path of a file of ``tests/data/reference``."""

    def path(name: str) -> Path:
        return REFERENCE / name

    return path


@pytest.fixture(scope="session")
def line_shapes() -> dict[str, Any]:
    """``report-line-shapes.json``: what each kind of report line looks like on the live API."""
    shapes: dict[str, Any] = json.loads((REFERENCE / "report-line-shapes.json").read_text())
    return shapes


@pytest.fixture(scope="session")
def _fakehub_session() -> Iterator[FakeGitHub]:
    from copilot_tui.metrics.demo import DemoDataset

    hub = FakeGitHub(DemoDataset(), parts_per_report=2).start()
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture
def fakehub(_fakehub_session: FakeGitHub) -> Iterator[FakeGitHub]:
    _fakehub_session.reset()
    try:
        yield _fakehub_session
    finally:
        _fakehub_session.reset()


@pytest.fixture
def own_token(fakehub: FakeGitHub) -> Iterator[str]:
    """A token of the fake's owner account that no other test uses, so finding it anywhere means it leaked here."""
    token = "ghp_" + uuid.uuid4().hex + uuid.uuid4().hex[:4]
    fakehub.tokens[token] = TokenSpec()
    yield token
    fakehub.tokens.pop(token, None)


@pytest.fixture
def fakehub_env(fakehub: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    """The fake GitHub, with the environment pointing the app at it: ``COPILOT_TUI_API_URL`` and the owner's token
    in ``GH_ENTERPRISE_TOKEN``, the variable of every host but github.com and ``*.ghe.com`` (other token variables
    cleared: ``GH_TOKEN`` is github.com's and never goes to the fake)."""
    for name in ("GH_TOKEN", "GITHUB_TOKEN", "GITHUB_ENTERPRISE_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COPILOT_TUI_API_URL", fakehub.api_url)
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    return fakehub


HOSTILE_LINES = Path(__file__).parent / "data" / "users-report-lines.jsonl"
"""Users-report lines, each with the verdict the line rule (``copilot_tui.metrics.linerule``) must give it: one JSON
object a line with ``case``, ``verdict`` (``accepted`` / ``skipped``), the ``reason`` a skipped line is given (a
fragment of it), the raw ``line``, and for an accepted line what it must be read as (``expect``)."""


@dataclass(frozen=True)
class HostileReport:
    """The hostile lines as one users report of two parts, the way GitHub might send it: the first starts with a
    byte order mark, the second is gzip-compressed and repeats a line of the first.

    ``skipped``: ``(part, line number, reason fragment)`` of every line the rule skips, in order; ``accepted``: the
    ``expect`` of every line it keeps."""

    cases: list[dict[str, Any]]
    parts: list[tuple[str, bytes]]
    skipped: list[tuple[str, int, str]]
    accepted: list[dict[str, Any]]

    @property
    def day(self) -> date:
        return date.fromisoformat(self.accepted[0]["day"])

    def plain_parts(self) -> list[tuple[str, bytes]]:
        """The same lines with neither the byte order mark nor gzip (for roads that take plain NDJSON only)."""
        half = len(self.cases) // 2
        return [
            (name, b"\n".join(c["line"].encode() for c in chunk) + b"\n")
            for name, chunk in zip(("part-1", "part-2"), (self.cases[:half], self.cases[half:]), strict=True)
        ]


@pytest.fixture(scope="session")
def hostile_report() -> HostileReport:
    cases = [json.loads(line) for line in HOSTILE_LINES.read_text(encoding="utf-8").splitlines()]
    half = len(cases) // 2
    first, second = cases[:half], cases[half:]
    part_1 = b"\xef\xbb\xbf" + b"\n".join(c["line"].encode() for c in first) + b"\n"
    part_2 = gzip.compress(b"\n".join(c["line"].encode() for c in second) + b"\n")
    skipped = [
        (name, n, c["reason"])
        for name, chunk in (("part-1", first), ("part-2", second))
        for n, c in enumerate(chunk, start=1)
        if c["verdict"] == "skipped"
    ]
    accepted = [c["expect"] for c in cases if c["verdict"] == "accepted"]
    return HostileReport(cases, [("part-1", part_1), ("part-2", part_2)], skipped, accepted)
