"""Each fault the fake can throw is either recovered from or reported as the right typed error, within bounds."""

from __future__ import annotations

import time

import orjson
import pytest
from github_helpers import FakeTime, MakeClient

from copilot_tui.fakehub import FakeGitHub
from copilot_tui.github.client import report_path
from copilot_tui.github.errors import (
    DownloadError,
    LinkExpiredError,
    NetworkError,
    RateLimitError,
    ServerError,
)
from copilot_tui.metrics.parse import parse_users_report
from copilot_tui.scope import Scope

ACME = Scope("org", "acme")
USERS_28 = report_path(ACME, "users-28-day")


def link_requests(hub: FakeGitHub) -> list[int | None]:
    return [r.status for r in hub.requests_to("api") if r.path == USERS_28]


async def expected_lines(hub: FakeGitHub) -> list[bytes]:
    return [orjson.dumps(line) for line in hub.dataset.report_lines("org", "acme", "users-28-day") or []]


def joined(report: object) -> list[bytes]:
    assert report is not None
    return [line for _, data in report.parts for line in data.splitlines() if line]  # type: ignore[attr-defined]


# ---- 5xx, dropped connections, slow answers -------------------------------------------------------------------


async def test_server_errors_are_retried_with_growing_jittered_backoff(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    hub.faults.server_errors(3, status=502)
    report = await make_client(backoff_base=1.0).fetch_report(ACME, "users-28-day")
    assert joined(report) == await expected_lines(hub)
    assert link_requests(hub) == [502, 502, 502, 200]
    assert len(fake_time.sleeps) == 3
    for n, wait in enumerate(fake_time.sleeps):
        assert 2**n / 2 <= wait <= 2**n
    assert all("retrying" in reason for _, reason in fake_time.notices)


async def test_server_errors_past_the_retry_count_are_a_server_error(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    hub.faults.server_errors(50, status=503)
    with pytest.raises(ServerError) as err:
        await make_client(max_retries=2).fetch_report(ACME, "users-28-day")
    assert err.value.status == 503
    assert "try again later" in str(err.value)
    assert link_requests(hub) == [503, 503, 503]
    assert len(fake_time.sleeps) == 2


async def test_retries_stop_at_the_total_time_bound(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    hub.faults.server_errors(50, status=500)
    with pytest.raises(ServerError):
        await make_client(max_retries=10, backoff_base=8.0, backoff_cap=8.0, max_retry_time=20.0).fetch_report(
            ACME, "users-28-day"
        )
    assert sum(fake_time.sleeps) <= 20.0
    assert 2 <= len(link_requests(hub)) <= 5


async def test_a_dropped_connection_is_retried(make_client: MakeClient, hub: FakeGitHub) -> None:
    hub.faults.drop_connections(1)
    report = await make_client().fetch_report(ACME, "users-28-day")
    assert joined(report) == await expected_lines(hub)
    assert link_requests(hub) == [None, 200]


async def test_connections_that_keep_dropping_are_a_network_error(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    hub.faults.drop_connections(50)
    with pytest.raises(NetworkError) as err:
        await make_client(max_retries=3).get_user()
    assert "check the network" in str(err.value)
    assert len(hub.requests_to("api")) == 4
    assert len(fake_time.sleeps) == 3


async def test_a_slow_answer_times_out_and_is_retried(make_client: MakeClient, hub: FakeGitHub) -> None:
    hub.faults.slow_responses(1, seconds=4.0)
    user = await make_client(timeout=1.0).get_user()
    assert user.login == "octocat"
    first, second = hub.requests_to("api")
    assert first.path == second.path == "/user"


async def test_a_download_that_fails_with_5xx_is_retried(make_client: MakeClient, hub: FakeGitHub) -> None:
    hub.faults.server_errors(2, status=500, target="download")
    report = await make_client().fetch_report(ACME, "users-28-day")
    assert joined(report) == await expected_lines(hub)
    assert sorted(r.status or 0 for r in hub.requests_to("download")).count(500) == 2


# ---- rate limits ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [403, 429])
async def test_primary_rate_limit_waits_until_the_reset(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime, status: int
) -> None:
    hub.faults.primary_rate_limit(1, reset_in=40, status=status)
    report = await make_client().fetch_report(ACME, "users-28-day")
    assert joined(report) == await expected_lines(hub)
    assert link_requests(hub) == [status, 200]
    (wait,) = fake_time.sleeps
    assert 38 <= wait <= 42
    ((announced, reason),) = fake_time.notices
    assert announced == wait and "rate limit" in reason


async def test_a_primary_rate_limit_resetting_too_late_is_an_error_at_once(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    hub.faults.primary_rate_limit(1, reset_in=3600)
    with pytest.raises(RateLimitError) as err:
        await make_client(max_rate_limit_wait=120).fetch_report(ACME, "users-28-day")
    assert not err.value.secondary
    assert err.value.reset_at is not None and err.value.reset_at > time.time() + 3000
    assert "resets at" in str(err.value)
    assert fake_time.sleeps == []
    assert link_requests(hub) == [403]


async def test_secondary_rate_limit_honours_retry_after(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    hub.faults.secondary_rate_limit(2, retry_after=7)
    user = await make_client().get_user()
    assert user.login == "octocat"
    assert fake_time.sleeps == [7.0, 7.0]
    assert all("secondary rate limit" in reason for _, reason in fake_time.notices)


async def test_secondary_rate_limit_without_retry_after_waits_a_minute_then_longer(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    hub.faults.secondary_rate_limit(2, retry_after=None)
    assert (await make_client().get_user()).login == "octocat"
    assert fake_time.sleeps == [60.0, 120.0]


async def test_a_secondary_rate_limit_that_keeps_coming_is_an_error_after_bounded_waits(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    hub.faults.secondary_rate_limit(50, retry_after=5)
    with pytest.raises(RateLimitError) as err:
        await make_client(max_rate_limit_retries=3).get_user()
    assert err.value.secondary
    assert "secondary rate limit" in str(err.value)
    assert fake_time.sleeps == [5.0, 5.0, 5.0]
    assert len(hub.requests_to("api")) == 4


async def test_a_spent_limit_is_waited_out_before_the_next_request(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    hub.faults.exhaust_rate_limit(1, reset_in=25)
    client = make_client()
    await client.get_user()
    assert fake_time.sleeps == []
    assert client.rate_limit.remaining == 0
    await client.get_user()
    (wait,) = fake_time.sleeps
    assert 23 <= wait <= 27
    assert [r.status for r in hub.requests_to("api")] == [200, 200]


# ---- downloads: truncation, malformed lines, expired links ----------------------------------------------------


async def test_a_truncated_download_is_fetched_again(make_client: MakeClient, hub: FakeGitHub) -> None:
    hub.faults.truncate_downloads(1)
    report = await make_client().fetch_report(ACME, "users-28-day")
    assert joined(report) == await expected_lines(hub)
    assert len(hub.requests_to("download")) == hub.parts_per_report + 1


async def test_downloads_that_keep_breaking_are_a_download_error(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    hub.faults.truncate_downloads(50)
    with pytest.raises(DownloadError) as err:
        await make_client(max_retries=2).fetch_report(ACME, "users-28-day")
    assert "sig=" not in str(err.value) and "se=" not in str(err.value)


async def test_malformed_lines_reach_the_parser_which_names_them(make_client: MakeClient, hub: FakeGitHub) -> None:
    hub.faults.malformed_lines(3)
    report = await make_client().fetch_report(ACME, "users-28-day")
    assert report is not None
    parsed = parse_users_report(report.parts)
    total = len(await expected_lines(hub))
    assert len(parsed.rows) == total - 3
    names = [name for name, _ in report.parts]
    assert sorted((p.source, p.line_no) for p in parsed.problems) == sorted(
        (names[part - 1], line) for part, line in hub.corrupted
    )
    assert len(hub.corrupted) == 3


async def test_an_expired_link_gets_one_fresh_request_for_links(make_client: MakeClient, hub: FakeGitHub) -> None:
    hub.faults.expire_links(1)
    report = await make_client().fetch_report(ACME, "users-28-day")
    assert joined(report) == await expected_lines(hub)
    assert link_requests(hub) == [200, 200]
    refused = [r for r in hub.requests_to("download") if r.status == 403]
    assert 1 <= len(refused) <= hub.parts_per_report


async def test_links_expired_twice_are_an_error_not_a_loop(make_client: MakeClient, hub: FakeGitHub) -> None:
    hub.faults.expire_links(5)
    with pytest.raises(LinkExpiredError) as err:
        await make_client().fetch_report(ACME, "users-28-day")
    assert "clock" in str(err.value)
    assert link_requests(hub) == [200, 200]
