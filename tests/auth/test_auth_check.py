"""``check_token`` against the fake GitHub over real sockets: who the token is, its scopes, what is missing, and
whether Copilot metrics are readable somewhere."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from copilot_tui import auth
from copilot_tui.fakehub import (
    FINE_GRAINED_TOKEN,
    MEMBER_TOKEN,
    NO_PERMISSION_TOKEN,
    NO_SCOPE_TOKEN,
    OWNER_TOKEN,
    FakeGitHub,
)
from copilot_tui.github.client import GitHubClient
from copilot_tui.github.errors import BadCredentialsError


def client_for(hub: FakeGitHub, token: str) -> GitHubClient:
    return GitHubClient(token, api_url=hub.api_url, max_retries=0, max_retry_time=5)


@pytest.fixture
async def owner(fakehub: FakeGitHub) -> AsyncIterator[GitHubClient]:
    async with client_for(fakehub, OWNER_TOKEN) as client:
        yield client


def report_requests(hub: FakeGitHub) -> list[str]:
    return [r.path for r in hub.requests_to("api") if "/copilot/metrics/reports/" in r.path]


async def test_owner_token_reads_metrics(fakehub: FakeGitHub, owner: GitHubClient) -> None:
    check = await auth.check_token(owner)
    assert check.login == "octocat"
    assert check.scopes == ("manage_billing:copilot", "read:org", "read:enterprise")
    assert check.missing == ()
    assert check.orgs == tuple(o.login for o in fakehub.dataset.orgs)
    assert check.metrics_readable and check.readable == (check.orgs[0],)
    assert check.problems == ()
    assert report_requests(fakehub) == [f"/orgs/{check.orgs[0]}/copilot/metrics/reports/organization-28-day/latest"]
    assert fakehub.requests_to("download") == []  # the probe asks for links only
    lines = "\n".join(check.lines())
    assert "Logged in as: octocat" in lines and "Missing scopes: none" in lines
    assert f"readable for {check.orgs[0]}" in check.sentence


async def test_enterprise_is_probed_first_when_named(fakehub: FakeGitHub, owner: GitHubClient) -> None:
    enterprise = fakehub.dataset.enterprise
    check = await auth.check_token(owner, enterprise=enterprise)
    assert check.readable == (f"{enterprise} (enterprise)",)
    assert report_requests(fakehub) == [f"/enterprises/{enterprise}/copilot/metrics/reports/enterprise-28-day/latest"]


async def test_fine_grained_token_has_no_scopes_and_names_the_permission(fakehub: FakeGitHub) -> None:
    async with client_for(fakehub, FINE_GRAINED_TOKEN) as client:
        check = await auth.check_token(client)
    assert check.login == "fine-grained-fan"
    assert check.scopes is None and check.fine_grained
    assert check.missing == ()
    assert check.metrics_readable
    lines = "\n".join(check.lines())
    assert "Token type: fine-grained" in lines
    assert '"Organization Copilot metrics" (read)' in check.needs
    assert '"Enterprise Copilot metrics" (read)' in check.needs
    assert "Needed:" not in lines  # it can read them: nothing to ask for


async def test_fine_grained_token_without_the_permission_is_not_readable(fakehub: FakeGitHub) -> None:
    async with client_for(fakehub, NO_PERMISSION_TOKEN) as client:
        check = await auth.check_token(client, max_probes=2)
    assert check.scopes is None
    assert not check.metrics_readable
    assert len(check.problems) == 2 == len(report_requests(fakehub))
    assert check.refused == check.orgs[:2]
    lines = check.lines()
    assert "Copilot metrics: not readable" in lines
    assert f"  Also refused: {check.orgs[1]}" in lines
    assert sum(1 for line in lines if "403" in line) == 1  # the reason once, not once per org
    assert f"Needed: {check.needs}" in lines
    assert '"Organization Copilot metrics" (read)' in check.needs


async def test_classic_token_without_the_scope_says_which_is_missing(fakehub: FakeGitHub) -> None:
    enterprise = fakehub.dataset.enterprise
    async with client_for(fakehub, NO_SCOPE_TOKEN) as client:
        check = await auth.check_token(client, enterprise=enterprise, max_probes=3)
    assert check.scopes == ("repo",)
    assert check.missing == ("manage_billing:copilot or read:org", "manage_billing:copilot or read:enterprise")
    assert not check.metrics_readable
    assert len(check.problems) == 3
    assert all("403" in p or "scope" in p for p in check.problems)
    assert "lacks the scope manage_billing:copilot or read:org" in check.sentence


async def test_a_member_has_the_scopes_but_not_the_role(fakehub: FakeGitHub) -> None:
    async with client_for(fakehub, MEMBER_TOKEN) as client:
        check = await auth.check_token(client, max_probes=2)
    assert check.missing == ()
    assert not check.metrics_readable
    assert check.problems and check.problems[0].startswith(check.orgs[0])
    assert len(report_requests(fakehub)) == 2


async def test_a_named_org_is_probed_before_the_listed_ones(fakehub: FakeGitHub, owner: GitHubClient) -> None:
    last = fakehub.dataset.orgs[-1].login
    check = await auth.check_token(owner, orgs=[last])
    assert check.readable == (last,)


async def test_policy_off_everywhere_is_reported(fakehub: FakeGitHub, owner: GitHubClient) -> None:
    for org in fakehub.dataset.orgs:
        fakehub.set_policy(org.login, False)
    check = await auth.check_token(owner)
    assert not check.metrics_readable
    assert len(check.problems) == len(fakehub.dataset.orgs)
    assert "policy" in check.problems[0]


async def test_a_bad_token_raises_the_clients_error(fakehub: FakeGitHub) -> None:
    async with client_for(fakehub, "ghp_" + "0" * 36) as client:
        with pytest.raises(BadCredentialsError) as caught:
            await auth.check_token(client)
    assert "0" * 36 not in str(caught.value)


@pytest.mark.parametrize(
    ("scopes", "enterprise", "missing"),
    [
        (("read:org",), False, ()),
        (("admin:org",), False, ()),
        (("write:org",), False, ()),
        (("manage_billing:copilot",), True, ()),
        (("read:org",), True, ("manage_billing:copilot or read:enterprise",)),
        (("read:org", "admin:enterprise"), True, ()),
        (("repo", "gist"), False, ("manage_billing:copilot or read:org",)),
        ((), False, ("manage_billing:copilot or read:org",)),
        (None, True, ()),
    ],
)
def test_missing_scopes_knows_which_scopes_contain_which(
    scopes: tuple[str, ...] | None, enterprise: bool, missing: tuple[str, ...]
) -> None:
    assert auth.missing_scopes(scopes, enterprise=enterprise) == missing


async def test_a_rate_limit_ends_the_probe_instead_of_trying_every_org(fakehub: FakeGitHub) -> None:
    fakehub.faults.primary_rate_limit(10, reset_in=3600, path_contains="/copilot/metrics/")
    client = GitHubClient(OWNER_TOKEN, api_url=fakehub.api_url, max_retries=0, max_rate_limit_wait=1)
    async with client:
        check = await auth.check_token(client)
    assert check.login == "octocat"
    assert not check.metrics_readable
    assert check.refused == check.orgs[:1]
    assert len(report_requests(fakehub)) == 1
    assert "rate limit" in check.problems[0].lower()
