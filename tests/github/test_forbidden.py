"""Each 403 and 401 says which cause it is, from GitHub's message and headers, with the one thing that fixes it."""

from __future__ import annotations

import pytest
from github_helpers import FakeTime, MakeClient

from copilot_tui.fakehub import FakeGitHub
from copilot_tui.fakehub.faults import FORBIDDEN_CAUSES, ForbiddenCause
from copilot_tui.github.errors import BadCredentialsError, ForbiddenError, RateLimitError
from copilot_tui.scope import Scope

ACME = Scope("org", "acme")
ENT = Scope("enterprise", "acme-ent")


async def refusal(make_client: MakeClient, hub: FakeGitHub, scope: Scope = ACME, **kw: object) -> ForbiddenError:
    with pytest.raises(ForbiddenError) as err:
        await make_client(**kw).fetch_report(scope, "users-1-day", hub.dataset.last_day)
    return err.value


@pytest.mark.parametrize("scope", [ACME, ENT], ids=str)
async def test_the_policy_off_names_the_policy_and_where_it_is_enabled_and_nothing_else(
    make_client: MakeClient, hub: FakeGitHub, scope: Scope
) -> None:
    hub.set_policy(scope.name, False)
    err = await refusal(make_client, hub, scope)
    assert err.cause == "policy"
    assert "'Copilot usage metrics' policy is off" in str(err) and "Enabled everywhere" in str(err)
    assert "role" not in str(err).lower().replace("policy", "")


async def test_a_missing_role_names_the_role_and_not_the_policy(make_client: MakeClient, hub: FakeGitHub) -> None:
    hub.faults.forbidden("role")
    err = await refusal(make_client, hub)
    assert err.cause == "role"
    assert "organization owner" in str(err) and "View Organization Copilot Metrics" in str(err)
    assert "policy" not in str(err)


async def test_an_app_installed_elsewhere_says_install_it_on_the_org(make_client: MakeClient, hub: FakeGitHub) -> None:
    hub.faults.forbidden("integration")
    err = await refusal(make_client, hub)
    assert err.cause == "integration"
    assert "GitHub App" in str(err) and "not installed on the organization acme" in str(err)


async def test_a_fine_grained_token_without_the_permission_names_the_permission(
    make_client: MakeClient, hub: FakeGitHub
) -> None:
    hub.faults.forbidden("fine-grained")
    err = await refusal(make_client, hub)
    assert err.cause == "fine-grained"
    assert "'Organization Copilot metrics' permission" in str(err) and "resource owner" in str(err)


async def test_saml_sso_names_the_url_that_authorizes_the_token(make_client: MakeClient, hub: FakeGitHub) -> None:
    hub.faults.forbidden("saml")
    err = await refusal(make_client, hub)
    url = "https://github.com/orgs/acme/sso?authorization_request=AFAKEREQUEST"
    assert err.cause == "saml" and err.sso_url == url
    assert "SAML single sign-on" in str(err) and f"authorize it at {url}" in str(err)


async def test_a_bare_forbidden_names_both_role_and_policy(make_client: MakeClient, hub: FakeGitHub) -> None:
    hub.faults.forbidden("unknown")
    err = await refusal(make_client, hub)
    assert err.cause == "role-or-policy"
    assert "organization owner" in str(err) and "'Copilot usage metrics' policy is off" in str(err)


async def test_a_request_without_user_agent_gets_the_plain_text_refusal_explained(
    make_client: MakeClient, hub: FakeGitHub
) -> None:
    client = make_client()
    del client._api.headers["User-Agent"]
    with pytest.raises(ForbiddenError) as err:
        await client.fetch_report(ACME, "users-1-day", hub.dataset.last_day)
    assert err.value.cause == "user-agent"
    assert "User-Agent" in str(err.value) and "Request forbidden by administrative rules" in str(err.value)


def test_every_cause_the_fake_can_give_has_a_test() -> None:
    tested: set[ForbiddenCause] = {"policy", "role", "integration", "fine-grained", "saml", "unknown"}
    assert tested == set(FORBIDDEN_CAUSES)


async def test_a_primary_rate_limit_says_when_it_resets(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime
) -> None:
    hub.faults.primary_rate_limit(1, reset_in=3600)
    with pytest.raises(RateLimitError) as err:
        await make_client(max_rate_limit_wait=60).fetch_report(ACME, "users-1-day", hub.dataset.last_day)
    assert not err.value.secondary
    assert "its API rate limit" in str(err.value) and "resets at" in str(err.value)


@pytest.mark.parametrize("http_date", [False, True], ids=["seconds", "http-date"])
async def test_a_secondary_rate_limit_waits_as_long_as_retry_after_says(
    make_client: MakeClient, hub: FakeGitHub, fake_time: FakeTime, http_date: bool
) -> None:
    import time

    fake_time.now = time.time()
    hub.faults.secondary_rate_limit(1, retry_after=90, http_date=http_date)
    report = await make_client().fetch_report(ACME, "users-1-day", hub.dataset.last_day)
    assert report
    assert len(fake_time.sleeps) == 1 and 85 <= fake_time.sleeps[0] <= 91
    assert "secondary rate limit" in fake_time.notices[0][1]

    hub.faults.secondary_rate_limit(1, retry_after=3600, http_date=http_date)
    with pytest.raises(RateLimitError) as err:
        await make_client(max_rate_limit_wait=60).fetch_report(ACME, "users-1-day", hub.dataset.last_day)
    assert err.value.secondary and "a secondary rate limit" in str(err.value)


async def test_a_bad_or_expired_token_says_sign_in_again(make_client: MakeClient, hub: FakeGitHub) -> None:
    with pytest.raises(BadCredentialsError) as err:
        await make_client("ghs_expired_installation_token").fetch_report(ACME, "users-1-day", hub.dataset.last_day)
    assert "wrong, expired or revoked" in str(err.value) and "auth login" in str(err.value)


async def test_each_cause_has_its_own_sentence(make_client: MakeClient, hub: FakeGitHub) -> None:
    sentences = set()
    for cause in FORBIDDEN_CAUSES:
        hub.faults.forbidden(cause)
        sentences.add(str(await refusal(make_client, hub)).split("(403", 1)[-1])
    assert len(sentences) == len(FORBIDDEN_CAUSES)


async def test_every_403_and_401_variant_has_a_sentence_of_its_own(make_client: MakeClient, hub: FakeGitHub) -> None:
    """The six causes above, a missing User-Agent, both rate limits and a bad token: ten different sentences."""
    from copilot_tui.github.errors import GitHubError

    day = hub.dataset.last_day

    async def said(**kw: object) -> str:
        with pytest.raises(GitHubError) as err:
            await make_client(**kw).fetch_report(ACME, "users-1-day", day)
        return str(err.value)

    sentences: dict[str, str] = {}
    for cause in FORBIDDEN_CAUSES:
        hub.faults.forbidden(cause)
        sentences[cause] = await said()
    client = make_client()
    del client._api.headers["User-Agent"]
    with pytest.raises(ForbiddenError) as refused:
        await client.fetch_report(ACME, "users-1-day", day)
    sentences["user-agent"] = str(refused.value)
    hub.faults.primary_rate_limit(1, reset_in=3600)
    sentences["primary rate limit"] = await said(max_rate_limit_wait=60)
    hub.faults.secondary_rate_limit(1, retry_after=3600)
    sentences["secondary rate limit"] = await said(max_rate_limit_wait=60)
    sentences["401"] = await said(token="ghs_expired_installation_token")
    assert len(set(sentences.values())) == len(sentences) == len(FORBIDDEN_CAUSES) + 4, sentences
