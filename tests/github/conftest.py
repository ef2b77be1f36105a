"""Client fixtures: a GitHub client aimed at the fake GitHub, with a clock that only moves when the client sleeps.

Waits (backoff, rate limits) are recorded and skipped rather than slept, so the tests can check the client waits as
long as GitHub asks without spending that time.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from github_helpers import FakeTime, MakeClient

from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from copilot_tui.github.client import GitHubClient
from copilot_tui.metrics.demo import DemoDataset, DemoOrg


@pytest.fixture(scope="session")
def _small_hub_session() -> Iterator[FakeGitHub]:
    """A small world (two orgs of 12 and 30 users, one enterprise, 60 days) so enterprise-wide and 28-day reports
    stay quick; reports come in 3 parts."""
    hub = FakeGitHub(small_dataset(), parts_per_report=3).start()
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture
def hub(_small_hub_session: FakeGitHub) -> Iterator[FakeGitHub]:
    _small_hub_session.reset()
    try:
        yield _small_hub_session
    finally:
        _small_hub_session.reset()


def small_dataset() -> DemoDataset:
    return DemoDataset(
        orgs=(DemoOrg("acme", "2001", 12, 2), DemoOrg("widgets", "2002", 30, 3)), days=60, enterprise="acme-ent"
    )


@pytest.fixture
def fake_time() -> FakeTime:
    import time

    return FakeTime(now=time.time())


@pytest.fixture
async def make_client(hub: FakeGitHub, fake_time: FakeTime) -> AsyncIterator[MakeClient]:
    """``make_client(token=OWNER_TOKEN, **settings)``: a client on the small fake with recorded waits, closed after."""
    clients: list[GitHubClient] = []

    def make(token: str | None = OWNER_TOKEN, **kw: Any) -> GitHubClient:
        settings: dict[str, Any] = {
            "api_url": hub.api_url,
            "sleep": fake_time.sleep,
            "clock": fake_time.clock,
            "on_wait": fake_time.on_wait,
            "rng": random.Random(1),
            "timeout": 5.0,
            "download_timeout": 5.0,
        }
        settings.update(kw)
        client = GitHubClient(token, **settings)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()
