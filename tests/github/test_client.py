"""The real client against the fake GitHub over real sockets: endpoints, parts, pages, errors, token handling."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import orjson
import pytest
from github_helpers import FakeTime, MakeClient

from copilot_tui import __version__
from copilot_tui.fakehub import (
    FINE_GRAINED_TOKEN,
    MEMBER_TOKEN,
    NO_PERMISSION_TOKEN,
    NO_SCOPE_TOKEN,
    OWNER_TOKEN,
    FakeGitHub,
)
from copilot_tui.github.client import (
    API_VERSION,
    ENTERPRISE_REPORT_KINDS,
    ORG_REPORT_KINDS,
    NoReport,
    ReportDownload,
    report_path,
)
from copilot_tui.github.errors import (
    BadCredentialsError,
    DayOutOfRangeError,
    ForbiddenError,
    NotFoundError,
    ReportTooLargeError,
)
from copilot_tui.github.refusals import earliest_report_day
from copilot_tui.metrics.demo import DemoDataset, DemoOrg
from copilot_tui.scope import Scope

ACME = Scope("org", "acme")
ENT = Scope("enterprise", "acme-ent")


def lines_of(report: ReportDownload) -> list[dict[str, Any]]:
    return [orjson.loads(line) for _, data in report.parts for line in data.splitlines() if line.strip()]


def day_for(kind: str, hub: FakeGitHub) -> date | None:
    return hub.dataset.last_day - timedelta(days=2) if kind.endswith("-1-day") else None


# ---- identity -------------------------------------------------------------------------------------------------


async def test_get_user_reads_classic_scopes_and_sends_the_documented_headers(
    make_client: MakeClient, hub: FakeGitHub
) -> None:
    user = await make_client(OWNER_TOKEN).get_user()
    assert (user.login, user.id) == ("octocat", 1)
    assert user.scopes == ("manage_billing:copilot", "read:org", "read:enterprise")
    (request,) = hub.requests_to("api")
    assert request.path == "/user"
    assert request.headers["accept"] == "application/vnd.github+json"
    assert request.headers["x-github-api-version"] == API_VERSION == "2026-03-10"
    assert request.headers["user-agent"] == f"copilot-tui/{__version__}"
    assert request.headers["authorization"] == f"Bearer {OWNER_TOKEN}"


async def test_fine_grained_token_has_no_scope_list(make_client: MakeClient) -> None:
    user = await make_client(FINE_GRAINED_TOKEN).get_user()
    assert user.login == "fine-grained-fan"
    assert user.scopes is None


@pytest.mark.parametrize("token", ["ghp_not_a_real_one", None])
async def test_bad_or_missing_token_is_a_bad_credentials_error(make_client: MakeClient, token: str | None) -> None:
    with pytest.raises(BadCredentialsError) as err:
        await make_client(token).get_user()
    assert err.value.status == 401
    assert "auth login" in str(err.value)
    if token:
        assert token not in str(err.value)


async def test_user_orgs_follow_every_page(make_client: MakeClient, hub: FakeGitHub) -> None:
    orgs = await make_client(per_page=1).list_user_orgs()
    assert orgs == [o.login for o in hub.dataset.orgs]
    pages = [r for r in hub.requests_to("api") if r.path == "/user/orgs"]
    assert len(pages) == len(hub.dataset.orgs) >= 2


# ---- reports --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "kind"),
    [(ACME, k) for k in ORG_REPORT_KINDS] + [(ENT, k) for k in ENTERPRISE_REPORT_KINDS],
    ids=lambda v: str(v),
)
async def test_every_report_endpoint_downloads_every_part(
    make_client: MakeClient, hub: FakeGitHub, scope: Scope, kind: str
) -> None:
    day = day_for(kind, hub)
    report = await make_client().fetch_report(scope, kind, day)
    expected = hub.dataset.report_lines(scope.kind, scope.name, kind, day)
    assert report is not None and expected
    assert lines_of(report) == expected
    assert (report.kind, report.scope) == (kind, scope)
    if day is not None:
        assert report.report_day == day
    else:
        assert report.report_end_day == hub.dataset.last_day
        assert report.report_start_day == hub.dataset.last_day - timedelta(days=27)
    link_requests = [r for r in hub.requests_to("api") if r.path == report_path(scope, kind)]
    assert len(link_requests) == 1
    assert link_requests[0].query.get("day") == ([day.isoformat()] if day else None)
    assert len(hub.requests_to("download")) == len(report.parts)


async def test_a_report_in_three_parts_is_one_report_in_order(make_client: MakeClient, hub: FakeGitHub) -> None:
    day = hub.dataset.last_day
    progress: list[tuple[int, int]] = []
    report = await make_client().fetch_report(
        ACME, "users-1-day", day, on_progress=lambda done, total, what: progress.append((done, total))
    )
    assert report is not None
    assert len(report.parts) == 3
    assert len({name for name, _ in report.parts}) == 3
    assert lines_of(report) == hub.dataset.report_lines("org", "acme", "users-1-day", day)
    assert sorted(progress) == [(1, 3), (2, 3), (3, 3)]


async def test_the_token_never_reaches_the_download_port(make_client: MakeClient, hub: FakeGitHub) -> None:
    client = make_client()
    parts = 0
    for kind in ORG_REPORT_KINDS:
        report = await client.fetch_report(ACME, kind, day_for(kind, hub))
        assert report is not None
        parts += len(report.parts)
    downloads = hub.requests_to("download")
    api = hub.requests_to("api")
    assert len(downloads) == parts > len(ORG_REPORT_KINDS)
    assert {r.port for r in downloads}.isdisjoint({r.port for r in api})
    assert all("authorization" not in r.headers for r in downloads)
    assert all(OWNER_TOKEN not in str(r.headers) + str(r.query) for r in downloads)
    assert all(r.headers.get("authorization") == f"Bearer {OWNER_TOKEN}" for r in api)


async def test_no_data_for_a_day_is_no_report_not_an_error(make_client: MakeClient, hub: FakeGitHub) -> None:
    client = make_client()
    report = await client.fetch_report(ACME, "users-1-day", hub.today)
    assert not report and isinstance(report, NoReport) and report.reason == "not ready"
    before_data = hub.dataset.first_day - timedelta(days=1)
    assert before_data >= earliest_report_day(hub.today)
    assert not await client.fetch_report(ACME, "organization-1-day", before_data)
    assert [r.status for r in hub.requests_to("api")] == [204, 204]
    assert hub.requests_to("download") == []


@pytest.mark.parametrize("day", [date(2025, 10, 9), "year-ago", "future"])
async def test_days_out_of_range_name_the_range(make_client: MakeClient, hub: FakeGitHub, day: Any) -> None:
    if day == "year-ago":
        day = hub.today - timedelta(days=366)
    elif day == "future":
        day = hub.today + timedelta(days=2)
    with pytest.raises(DayOutOfRangeError) as err:
        await make_client().fetch_report(ACME, "users-1-day", day)
    assert err.value.status == 422
    assert err.value.day == day
    message = str(err.value)
    assert day.isoformat() in message and "2025-10-10" in message and "one year" in message


@pytest.mark.parametrize("scope", [Scope("org", "no-such-org"), Scope("enterprise", "no-such-ent")], ids=str)
async def test_unknown_org_or_enterprise_is_not_found(make_client: MakeClient, scope: Scope) -> None:
    kind = "users-28-day"
    with pytest.raises(NotFoundError) as err:
        await make_client().fetch_report(scope, kind)
    assert err.value.status == 404
    assert scope.name in str(err.value)
    assert ("--org" if scope.kind == "org" else "--enterprise") in str(err.value)


async def test_an_org_the_account_is_not_in_is_not_found(make_client: MakeClient, hub: FakeGitHub) -> None:
    from dataclasses import replace

    hub.tokens["ghp_fake_outsider"] = replace(hub.tokens[OWNER_TOKEN], login="outsider", orgs={"widgets": "owner"})
    try:
        with pytest.raises(NotFoundError):
            await make_client("ghp_fake_outsider").fetch_report(ACME, "users-28-day")
        assert await make_client("ghp_fake_outsider").list_user_orgs() == ["widgets"]
    finally:
        del hub.tokens["ghp_fake_outsider"]


async def test_size_bound_refuses_a_report_too_large(make_client: MakeClient, hub: FakeGitHub) -> None:
    with pytest.raises(ReportTooLargeError) as err:
        await make_client(max_report_bytes=2000).fetch_report(ACME, "users-28-day")
    assert "MiB" in str(err.value)


async def test_downloads_are_bounded_in_number_at_once(make_client: MakeClient) -> None:
    # a fake of its own: the shared one may still be taking the downloads an earlier test cancelled
    with FakeGitHub(DemoDataset(orgs=(DemoOrg("acme", "2001", 12, 2),), days=60), parts_per_report=6) as own:
        own.faults.slow_responses(6, seconds=0.2, target="download")
        report = await make_client(api_url=own.api_url, max_concurrent_downloads=2).fetch_report(ACME, "users-28-day")
        assert report is not None and len(report.parts) == 6
        assert own.max_in_flight["download"] <= 2


# ---- 403: scope, role, policy ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("scope", "needed"), [(ACME, "read:org"), (ENT, "read:enterprise")], ids=str)
async def test_classic_token_without_the_scope_is_told_which_scopes(
    make_client: MakeClient, scope: Scope, needed: str
) -> None:
    kind = "users-28-day"
    with pytest.raises(ForbiddenError) as err:
        await make_client(NO_SCOPE_TOKEN).fetch_report(scope, kind)
    assert err.value.cause == "scope"
    assert set(err.value.missing_scopes) == {"manage_billing:copilot", needed}
    message = str(err.value)
    assert "'manage_billing:copilot'" in message and f"'{needed}'" in message and "repo" in message


async def test_member_without_role_is_told_the_role_and_not_the_policy(make_client: MakeClient) -> None:
    with pytest.raises(ForbiddenError) as err:
        await make_client(MEMBER_TOKEN).fetch_report(ACME, "users-28-day")
    assert err.value.cause == "role"
    message = str(err.value)
    assert "organization owner" in message and "View Organization Copilot Metrics" in message
    assert "policy" not in message


async def test_a_bare_forbidden_for_a_member_names_role_and_policy(make_client: MakeClient, hub: FakeGitHub) -> None:
    hub.role_messages = False
    try:
        with pytest.raises(ForbiddenError) as err:
            await make_client(MEMBER_TOKEN).fetch_report(ACME, "users-28-day")
    finally:
        hub.role_messages = True
    assert err.value.cause == "role-or-policy"
    message = str(err.value)
    assert "organization owner" in message and "View Organization Copilot Metrics" in message
    assert "'Copilot usage metrics' policy" in message and "Enabled everywhere" in message


@pytest.mark.parametrize(("token", "cause"), [(FINE_GRAINED_TOKEN, "policy"), (NO_PERMISSION_TOKEN, "fine-grained")])
async def test_policy_off_or_permission_missing_for_fine_grained_tokens_name_the_one_cause(
    make_client: MakeClient, hub: FakeGitHub, token: str, cause: str
) -> None:
    hub.set_policy("acme", enabled=False)
    with pytest.raises(ForbiddenError) as err:
        await make_client(token).fetch_report(ACME, "organization-1-day", hub.dataset.last_day)
    assert err.value.cause == cause
    message = str(err.value)
    if cause == "policy":
        assert "'Copilot usage metrics' policy is off" in message
        assert "Organization settings > Copilot > Policies" in message
        assert "permission" not in message
    else:
        assert "'Organization Copilot metrics' permission" in message and "policy" not in message


async def test_policy_off_for_an_enterprise_says_where_an_owner_enables_it(
    make_client: MakeClient, hub: FakeGitHub
) -> None:
    hub.set_policy("acme-ent", enabled=False)
    with pytest.raises(ForbiddenError) as err:
        await make_client(OWNER_TOKEN).fetch_report(ENT, "enterprise-28-day")
    assert err.value.cause == "policy"
    message = str(err.value)
    assert "enterprise owner" in message and "Enabled everywhere" in message and "read:enterprise" not in message


async def test_policy_off_does_not_hide_seats(make_client: MakeClient, hub: FakeGitHub) -> None:
    hub.set_policy("acme", enabled=False)
    assert await make_client().copilot_seats("acme")


# ---- seats ----------------------------------------------------------------------------------------------------


async def test_seats_follow_link_pages(make_client: MakeClient, hub: FakeGitHub) -> None:
    seats = await make_client(per_page=7).copilot_seats("widgets")
    expected = hub.dataset.seats(hub.dataset.org("widgets"))  # type: ignore[attr-defined]
    assert seats == expected
    pages = [r for r in hub.requests_to("api") if r.path.endswith("/copilot/billing/seats")]
    assert len(pages) == -(-len(expected) // 7) >= 3
    assert [r.query.get("page", ["1"])[0] for r in pages] == [str(n) for n in range(1, len(pages) + 1)]


async def test_enterprise_seats_list_every_org(make_client: MakeClient, hub: FakeGitHub) -> None:
    seats = await make_client(per_page=10).copilot_seats(ENT)
    assert {s["organization"]["login"] for s in seats} == {"acme", "widgets"}
    assert len(seats) == 12 + 30


async def test_billing_breakdown_counts_the_seats(make_client: MakeClient) -> None:
    client = make_client()
    billing = await client.copilot_billing("widgets")
    seats = await client.copilot_seats("widgets")
    breakdown = billing["seat_breakdown"]
    assert breakdown["total"] == len(seats)
    assert breakdown["active_this_cycle"] + breakdown["inactive_this_cycle"] == len(seats)


async def test_seats_need_the_owner_role(make_client: MakeClient) -> None:
    with pytest.raises(ForbiddenError) as err:
        await make_client(MEMBER_TOKEN).copilot_seats("acme")
    assert "organization owner" in str(err.value)
    assert "policy" not in str(err.value)


# ---- small pure helpers ---------------------------------------------------------------------------------------


def test_report_paths_follow_the_docs() -> None:
    assert report_path(ACME, "users-1-day") == "/orgs/acme/copilot/metrics/reports/users-1-day"
    assert report_path(ACME, "organization-28-day") == "/orgs/acme/copilot/metrics/reports/organization-28-day/latest"
    assert report_path(ENT, "enterprise-1-day") == "/enterprises/acme-ent/copilot/metrics/reports/enterprise-1-day"
    with pytest.raises(ValueError):
        report_path(ACME, "enterprise-1-day")
    with pytest.raises(ValueError):
        report_path(ENT, "organization-28-day")


def test_earliest_report_day() -> None:
    assert earliest_report_day(date(2026, 3, 1)) == date(2025, 10, 10)
    assert earliest_report_day(date(2027, 3, 1)) == date(2026, 3, 1)


async def test_wait_recorder_is_untouched_without_faults(make_client: MakeClient, fake_time: FakeTime) -> None:
    await make_client().fetch_report(ACME, "users-28-day")
    assert fake_time.sleeps == [] and fake_time.notices == []


async def test_a_refused_token_names_the_variable_of_its_own_host(make_client: MakeClient, hub: FakeGitHub) -> None:
    """The fake is on this machine, so an Enterprise Server host: its environment token is GH_ENTERPRISE_TOKEN, and
    the sign-in command names the API URL in use."""
    with pytest.raises(BadCredentialsError) as err:
        await make_client("ghp_not_a_real_one").get_user()
    said = str(err.value)
    assert said.startswith("GitHub refused the token for the signed-in account (/user) (401")
    assert f"'copilot-tui auth login --api-url {hub.api_url}'" in said
    assert said.endswith("or set GH_ENTERPRISE_TOKEN.")
    assert "GH_TOKEN" not in said
