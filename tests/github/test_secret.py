"""The token as a ``Secret``: masked in every printable form, unwrapped only inside httpx, bound to its host."""

from __future__ import annotations

import copy
import pickle

import httpx
import pytest
from rich.console import Console
from rich.pretty import Pretty

from copilot_tui.github.client import BearerAuth, GitHubClient
from copilot_tui.github.errors import DownloadError
from copilot_tui.github.hosts import ApiUrlError
from copilot_tui.github.secret import Secret

TOKEN = "ghp_" + "s" * 32 + "wxyz"


def rendered(value: object) -> str:
    console = Console(record=True, width=200)
    console.print(Pretty(value))
    return console.export_text()


def test_every_printable_form_is_masked() -> None:
    secret = Secret(TOKEN, "github.com")
    shown = [repr(secret), str(secret), f"{secret}", f"{secret!r}", f"{secret:>60}", rendered(secret)]
    shown.append(rendered({"token": secret, "list": [secret]}))
    assert all(TOKEN not in text and "ghp_****wxyz" in text for text in shown)
    assert secret.reveal() == TOKEN


def test_it_is_never_pickled_or_copied() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(Secret(TOKEN))
    with pytest.raises(TypeError):
        copy.deepcopy(Secret(TOKEN))


def test_equality_is_by_value_and_empty_is_false() -> None:
    assert Secret(TOKEN) == Secret(TOKEN) == TOKEN
    assert Secret(TOKEN) != Secret(TOKEN + "x")
    assert not Secret("")
    assert Secret.wrap("") is None and Secret.wrap(None) is None


def test_bearer_auth_adds_the_header_as_the_request_goes_and_shows_it_masked() -> None:
    auth = BearerAuth(Secret(TOKEN))
    request = httpx.Request("GET", "https://api.github.com/user")
    flow = auth.sync_auth_flow(request)
    sent = next(flow)
    assert sent.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in repr(auth) and TOKEN not in repr(sent.headers)


async def test_the_client_holds_no_plain_token_and_refuses_one_of_another_host() -> None:
    async with GitHubClient(TOKEN, api_url="https://api.github.com") as client:
        assert isinstance(client.token, Secret)
        assert TOKEN not in repr(client) and TOKEN not in rendered(client)
    async with GitHubClient(Secret(TOKEN, "octo.ghe.com"), api_url="https://api.octo.ghe.com"):
        pass
    with pytest.raises(ValueError, match="token of github.com to 127.0.0.1:9"):
        GitHubClient(Secret(TOKEN, "github.com"), api_url="http://127.0.0.1:9")


@pytest.mark.parametrize(
    "url", ["http://api.example.com", "ftp://127.0.0.1", "https://", "http://127.0.0.1:99999", "https://u:p@h.com"]
)
def test_the_client_refuses_an_api_url_that_may_not_have_the_token(url: str) -> None:
    with pytest.raises(ApiUrlError):
        GitHubClient(TOKEN, api_url=url)


async def test_download_links_are_fetched_over_https_or_on_this_machine_only() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=b"{}\n")

    async with GitHubClient(None, api_url="https://api.github.com", max_retries=0) as client:
        await client._downloads.aclose()
        client._downloads = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        with pytest.raises(DownloadError, match="not https"):
            await client._download("http://reports.example.com/r.json?sig=1", "r", [0])
        assert await client._download("https://reports.example.com/r.json?sig=1", "r", [0]) == b"{}\n"
        assert await client._download("http://127.0.0.1:9/r.json", "r", [0]) == b"{}\n"
    assert seen == ["https://reports.example.com/r.json?sig=1", "http://127.0.0.1:9/r.json"]


async def test_a_redirect_to_plain_http_elsewhere_is_not_followed() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://reports.example.com/r.json"})

    async with GitHubClient(None, api_url="https://api.github.com", max_retries=0) as client:
        hooks = client._downloads.event_hooks
        await client._downloads.aclose()
        client._downloads = httpx.AsyncClient(
            transport=httpx.MockTransport(answer), follow_redirects=True, event_hooks=hooks
        )
        with pytest.raises(DownloadError, match="redirect"):
            await client._download("https://reports.example.com/r.json?sig=1", "r", [0])
    assert seen == ["https://reports.example.com/r.json?sig=1"]
