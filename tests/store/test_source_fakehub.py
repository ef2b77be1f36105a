"""The live source against the fake GitHub over real sockets: the request log shows what was (not) fetched."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from copilot_tui.github.client import GitHubClient
from copilot_tui.github.errors import ForbiddenError, GitHubError
from copilot_tui.sources.demo import DemoSource
from copilot_tui.sources.live import LiveSource
from copilot_tui.sources.offline import OfflineSource
from copilot_tui.sources.planning import report_kinds
from copilot_tui.store import Store
from tests.store.conftest import SMALL_ORG, noon_after


@pytest.fixture
async def client(fakehub: FakeGitHub) -> AsyncIterator[GitHubClient]:
    waits: list[float] = []

    async def no_sleep(seconds: float) -> None:
        waits.append(seconds)

    async with GitHubClient(OWNER_TOKEN, api_url=fakehub.api_url, sleep=no_sleep) as gh:
        yield gh


def source(client: Any, store: Store, fakehub: FakeGitHub, **kw: Any) -> LiveSource:
    now = noon_after(fakehub.today, 0)
    return LiveSource(client, store, clock=lambda: now, **kw)


def report_requests(fakehub: FakeGitHub) -> list[Any]:
    return [r for r in fakehub.requests_to("api") if "/copilot/metrics/reports/" in r.path]


async def test_a_second_load_asks_github_for_nothing(fakehub: FakeGitHub, client: GitHubClient, store: Store) -> None:
    first = await source(client, store, fakehub).load(SMALL_ORG, days=14)
    asked = report_requests(fakehub)
    assert len(asked) == 14 * len(report_kinds(SMALL_ORG))
    assert fakehub.requests_to("download")
    fakehub.reset()
    again = await source(client, store, fakehub).load(SMALL_ORG, days=14)
    assert fakehub.requests == []
    assert again.user_rows == first.user_rows
    assert again.day_totals == first.day_totals


async def test_the_store_holds_what_the_demo_shows(fakehub: FakeGitHub, client: GitHubClient, store: Store) -> None:
    snap = await source(client, store, fakehub).load(SMALL_ORG, days=7)
    expected = await DemoSource(fakehub.dataset).load(SMALL_ORG, days=7)
    assert snap.user_rows == expected.user_rows
    assert snap.team_rows == expected.team_rows
    assert snap.day_totals == expected.day_totals


async def test_ninety_stored_days_open_without_a_request(
    fakehub: FakeGitHub, client: GitHubClient, store: Store
) -> None:
    live = source(client, store, fakehub, concurrency=4)
    last = fakehub.today - timedelta(days=1)
    await live.backfill(SMALL_ORG, last - timedelta(days=89))
    fakehub.reset()
    snap = await live.cached(SMALL_ORG, days=90)
    offline = await OfflineSource(store).load(SMALL_ORG, days=90)
    assert fakehub.requests == []
    assert snap is not None
    assert snap.missing_days == () == offline.missing_days
    assert len(snap.day_totals) == 90
    assert snap.user_rows == offline.user_rows


async def test_a_refusal_is_the_clients_typed_error_and_nothing_is_stored(
    fakehub: FakeGitHub, client: GitHubClient, store: Store
) -> None:
    fakehub.set_policy(SMALL_ORG.name, False)
    with pytest.raises(ForbiddenError) as caught:
        await source(client, store, fakehub).load(SMALL_ORG, days=7)
    assert "policy" in str(caught.value)
    assert store.held(SMALL_ORG) == []


async def test_a_refused_token_is_one_request_and_the_same_error_each_time(fakehub: FakeGitHub, store: Store) -> None:
    """The first request goes alone: the error names that request, not whichever of parallel ones failed first."""
    errors = []
    async with GitHubClient("ghp_not_a_real_token", api_url=fakehub.api_url) as bad:
        for _ in range(3):
            fakehub.reset()
            with pytest.raises(GitHubError) as caught:
                await source(bad, store, fakehub, concurrency=3).load(SMALL_ORG, days=7)
            assert len(report_requests(fakehub)) == 1
            errors.append(str(caught.value))
    assert errors[0] == errors[1] == errors[2]
    assert "401" in errors[0]


async def test_a_rate_limit_wait_is_announced_to_the_load(
    fakehub: FakeGitHub, client: GitHubClient, store: Store
) -> None:
    heard: list[tuple[float, str]] = []
    fakehub.faults.secondary_rate_limit(1, retry_after=5, path_contains="/copilot/metrics/reports/")
    snap = await source(client, store, fakehub, concurrency=1).load(
        SMALL_ORG, days=2, on_wait=lambda seconds, reason: heard.append((seconds, reason))
    )
    assert len(heard) == 1 and heard[0][0] >= 5
    assert len(snap.day_totals) == 2
    assert client.on_wait is None


async def test_a_period_ends_on_the_newest_day_with_data(
    fakehub: FakeGitHub, client: GitHubClient, store: Store
) -> None:
    """GitHub's newest day may have no report yet: the period then ends on the day before, as the cached view does."""
    now = noon_after(fakehub.today, 1)  # yesterday is the fake's today: no report for it yet
    live = LiveSource(client, store, clock=lambda: now)
    snap = await live.load(SMALL_ORG, days=7)
    assert snap.last_day == fakehub.dataset.last_day
    assert (snap.last_day - snap.first_day).days == 6
    assert {d.day for d in snap.day_totals} == {snap.first_day + timedelta(days=i) for i in range(7)}
    cached = await live.cached(SMALL_ORG, days=7)
    assert cached is not None and (cached.first_day, cached.last_day) == (snap.first_day, snap.last_day)
