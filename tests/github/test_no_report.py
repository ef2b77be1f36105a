"""A day without a report, in every way GitHub answers one, is a ``NoReport`` and never an error; a 404 is about the
organization or enterprise only when the scope itself answers 404."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from github_helpers import FakeTime, MakeClient

from copilot_tui.fakehub import FakeGitHub
from copilot_tui.fakehub.faults import NO_REPORT_ANSWERS, NoReportHow
from copilot_tui.github.client import NoReport, report_path
from copilot_tui.github.errors import NotFoundError, ServerError
from copilot_tui.scope import Scope
from copilot_tui.sources.live import LiveSource
from copilot_tui.store import Store

ACME = Scope("org", "acme")
ENT = Scope("enterprise", "acme-ent")

REASONS: dict[NoReportHow, str] = {
    "204": "not ready",
    "empty-string": "empty",
    "sentence": "empty",
    "null": "empty",
    "empty-body": "empty",
    "empty-links": "no links",
    "404": "none for that day",
    "502": "being generated",
    "503": "being generated",
}


def a_day(hub: FakeGitHub) -> date:
    return hub.dataset.last_day - timedelta(days=3)


@pytest.mark.parametrize("scope", [ACME, ENT], ids=str)
@pytest.mark.parametrize("how", NO_REPORT_ANSWERS)
async def test_each_way_of_saying_no_report_is_a_no_report(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime, how: NoReportHow, scope: Scope
) -> None:
    day = a_day(hub)
    hub.faults.no_report(how, kinds=["users-1-day"], days=[day])
    report = await make_client().fetch_report(scope, "users-1-day", day)
    assert isinstance(report, NoReport) and not report
    assert (report.kind, report.day, report.reason) == ("users-1-day", day, REASONS[how])
    if how == "sentence":
        assert report.said == "No report available"
    assert hub.requests_to("download") == []
    # only a generating day is retried, a bounded number of times; nothing else is asked twice
    asked = [r.status for r in hub.requests_to("api")]
    assert asked == ([int(how)] * 5 if how in ("502", "503") else [asked[0]])
    # the other kinds of the same day still arrive
    assert await make_client().fetch_report(scope, f"{scope.totals_kind}-1-day", day)


async def test_a_day_that_502s_once_then_arrives_is_a_report(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    day = a_day(hub)
    hub.faults.no_report("502", kinds=["users-1-day"], days=[day], times=1)
    report = await make_client().fetch_report(ACME, "users-1-day", day)
    assert report and report.parts
    assert [r.status for r in hub.requests_to("api")] == [502, 200]


async def test_a_bare_404_on_one_day_of_a_known_org_is_no_report_after_asking_the_org(
    make_client: MakeClient, hub: FakeGitHub
) -> None:
    day = a_day(hub)
    hub.faults.server_errors(1, status=404, path_contains="users-1-day")
    client = make_client()
    report = await client.fetch_report(ACME, "users-1-day", day)
    assert isinstance(report, NoReport) and report.reason == "none for that day"
    assert [r.path for r in hub.requests_to("api")] == [
        report_path(ACME, "users-1-day"),
        report_path(ACME, "organization-28-day"),
    ]
    # the org is known now: another bare 404 costs no second look
    hub.faults.server_errors(1, status=404, path_contains="users-1-day")
    assert not await client.fetch_report(ACME, "users-1-day", day - timedelta(days=1))
    assert len(hub.requests_to("api")) == 3


@pytest.mark.parametrize("scope", [Scope("org", "no-such-org"), Scope("enterprise", "no-such-ent")], ids=str)
async def test_a_day_of_an_unknown_scope_is_the_scope_not_found(make_client: MakeClient, scope: Scope) -> None:
    with pytest.raises(NotFoundError) as err:
        await make_client().fetch_report(scope, "users-1-day", date(2026, 1, 5))
    assert scope.name in str(err.value) and ("--org" if scope.kind == "org" else "--enterprise") in str(err.value)


async def test_a_500_is_still_an_error(make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime) -> None:
    hub.faults.server_errors(50, status=500)
    with pytest.raises(ServerError):
        await make_client().fetch_report(ACME, "users-1-day", a_day(hub))


async def test_a_gzip_part_is_the_ndjson_inside(make_client: MakeClient, hub: FakeGitHub) -> None:
    plain = await make_client().fetch_report(ACME, "users-28-day")
    hub.faults.drift("gzip-part", "json-names")
    zipped = await make_client().fetch_report(ACME, "users-28-day")
    assert plain and zipped
    assert [data for _, data in zipped.parts] == [data for _, data in plain.parts]
    assert all(r.path.endswith(".json") for r in hub.requests_to("download")[len(plain.parts) :])


async def test_many_days_answering_502_in_a_row_is_github_in_trouble_not_days_being_generated(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    hub.faults.no_report("502")
    client = make_client()
    last = hub.dataset.last_day
    for n in range(3):
        report = await client.fetch_report(ACME, "users-1-day", last - timedelta(days=n))
        assert isinstance(report, NoReport) and report.reason == "being generated"
    with pytest.raises(ServerError) as err:
        await client.fetch_report(ACME, "users-1-day", last - timedelta(days=3))
    assert "githubstatus.com" in str(err.value)


async def test_a_report_being_generated_is_pending_not_stored_and_not_asked_again_at_once(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime, tmp_path: Path
) -> None:
    last = hub.dataset.last_day
    now = datetime.combine(hub.today, time(6), UTC)
    clock = [now]
    hub.faults.no_report("503", kinds=["users-1-day"], days=[last - timedelta(days=10)])
    with Store("fake", tmp_path) as store:
        source = LiveSource(make_client(), store, concurrency=1, clock=lambda: clock[0])
        since = last - timedelta(days=11)
        result = await source.fetch_missing(ACME, since, last)
        assert (last - timedelta(days=10), "users-1-day") in result.pending
        assert (last - timedelta(days=10), "users-1-day") not in {(h.day, h.kind) for h in store.held(ACME)}
        hub.requests.clear()
        again = await source.fetch_missing(ACME, since, last)
        assert again.planned == 0 and (last - timedelta(days=10), "users-1-day") in again.pending
        assert hub.requests_to("api") == []
        # half an hour later it is asked again, and arrives
        hub.faults.clear()
        clock[0] = now + timedelta(minutes=31)
        later = await source.fetch_missing(ACME, since, last)
        assert (last - timedelta(days=10), "users-1-day") not in later.pending
        assert {(h.day, h.kind): h.has_data for h in store.held(ACME)}[(last - timedelta(days=10), "users-1-day")]
