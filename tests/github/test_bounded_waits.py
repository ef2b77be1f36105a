"""Every wait is bounded: a download that trickles stops at its deadline naming the file, and failures no retry can
heal (DNS, TLS, a 4xx other than a rate limit) are reported at once instead of retried."""

from __future__ import annotations

import re
import socket
import time
from datetime import UTC, datetime, timedelta
from datetime import time as day_time
from pathlib import Path

import pytest
from github_helpers import FakeTime, MakeClient

from copilot_tui.fakehub import FakeGitHub
from copilot_tui.github.errors import DownloadError, GitHubError, NetworkError
from copilot_tui.scope import Scope
from copilot_tui.sources.live import LiveSource
from copilot_tui.store import Store

ACME = Scope("org", "acme")


async def test_a_trickling_download_stops_at_its_deadline_and_names_the_file(
    make_client: MakeClient, hub: FakeGitHub
) -> None:
    # every part trickles: the parts are asked for at once, and a request left over from another test may take one
    hub.faults.trickle_downloads(10, seconds=0.05)
    started = time.monotonic()
    with pytest.raises(DownloadError) as err:
        await make_client(download_deadline=0.5, download_min_rate=1e9).fetch_report(
            ACME, "users-1-day", hub.dataset.last_day
        )
    assert time.monotonic() - started < 5
    message = str(err.value)
    assert re.search(r"acme/users-1-day/\S+/part-\d-of-3\.ndjson", message)
    assert "took longer than 0.5 s" in message and "bytes had arrived" in message
    assert "sig=" not in message


async def test_what_was_fetched_before_a_trickle_stays_in_the_store(
    make_client: MakeClient, hub: FakeGitHub, tmp_path: Path
) -> None:
    last = hub.dataset.last_day
    now = datetime.combine(hub.today, day_time(6), UTC)
    client = make_client(download_deadline=0.5, download_min_rate=1e9)
    with Store("fake", tmp_path) as store:
        source = LiveSource(client, store, concurrency=1, clock=lambda: now)
        await source.fetch_missing(ACME, last - timedelta(days=1), last - timedelta(days=1))
        kept = {(h.day, h.kind) for h in store.held(ACME)}
        assert len(kept) == 3
        # the newest day's first report trickles: the fetch stops there, in bounded time...
        hub.faults.trickle_downloads(10, seconds=0.05)
        with pytest.raises(DownloadError):
            await source.fetch_missing(ACME, last, last)
        # ... and what was stored before is still there
        assert {(h.day, h.kind) for h in store.held(ACME)} == kept


async def test_a_host_that_does_not_resolve_is_reported_at_once(
    make_client: MakeClient, fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_such_host(*args: object, **kw: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(NetworkError) as err:
        await make_client(api_url="https://api.no-such-host.invalid").get_user()
    assert "api.no-such-host.invalid could not be found" in str(err.value)
    assert fake_time.sleeps == []


async def test_tls_to_a_plain_http_port_is_reported_at_once(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    with pytest.raises(NetworkError) as err:
        await make_client(api_url=hub.api_url.replace("http://", "https://")).get_user()
    assert "No secure connection" in str(err.value) and "scheme and port" in str(err.value)
    assert fake_time.sleeps == []
    assert len(hub.requests_to("api")) <= 1


@pytest.mark.parametrize("status", [400, 409, 418])
async def test_a_4xx_from_the_api_is_not_retried(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime, status: int
) -> None:
    hub.faults.server_errors(5, status=status)
    with pytest.raises(GitHubError):
        await make_client().copilot_seats("acme")
    assert fake_time.sleeps == [] and len(hub.requests_to("api")) == 1


async def test_a_4xx_from_the_download_host_is_not_retried(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    hub.faults.server_errors(5, status=400, target="download")
    with pytest.raises(DownloadError) as err:
        await make_client().fetch_report(ACME, "users-1-day", hub.dataset.last_day)
    assert "400" in str(err.value)
    assert fake_time.sleeps == []


async def test_a_big_file_gets_time_for_its_size(make_client: MakeClient, hub: FakeGitHub) -> None:
    # 0.2 s a byte would stop a 0.3 s deadline at once; a declared size at 4000 bytes/s buys the first bytes more time
    hub.faults.trickle_downloads(10, seconds=0.2)
    started = time.monotonic()
    with pytest.raises(DownloadError) as err:
        await make_client(download_deadline=0.3, download_min_rate=4000.0).fetch_report(
            ACME, "users-1-day", hub.dataset.last_day
        )
    waited = time.monotonic() - started
    allowed = float(str(err.value).split("took longer than ", 1)[1].split(" s", 1)[0])
    assert allowed > 0.3 and allowed - 0.3 <= waited < allowed + 3
