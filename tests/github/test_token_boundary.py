"""The token's boundary where the fake cannot push it: pages pointing elsewhere, and URLs given by hand."""

from __future__ import annotations

import httpx
import pytest

from copilot_tui.github.client import GitHubClient
from copilot_tui.github.errors import ResponseFormatError
from copilot_tui.github.refusals import RequestContext


async def test_a_next_page_on_another_host_is_not_followed_with_the_token() -> None:
    """A ``Link: rel="next"`` to another origin would carry the token there: the client stops instead."""
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json=[{"login": "octo"}], headers={"Link": '<https://evil.example/user/orgs?page=2>; rel="next"'}
        )

    client = GitHubClient("ghp_fake_owner", api_url="https://api.github.com", max_retries=0)
    await client._api.aclose()
    client._api = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    try:
        with pytest.raises(ResponseFormatError) as err:
            await client.list_user_orgs()
    finally:
        await client.aclose()
    assert "evil.example" in str(err.value)
    assert [r.url.host for r in seen] == ["api.github.com"]


async def test_the_api_client_refuses_a_url_off_its_origin() -> None:
    async with GitHubClient("ghp_fake_owner", api_url="http://127.0.0.1:9") as client:
        with pytest.raises(ValueError, match="refusing to send the token"):
            await client._get_json("http://127.0.0.1:10/user", ctx=RequestContext(what="who"))
