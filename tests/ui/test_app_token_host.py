"""The app asks for the token of the host its API URL names, and starts nothing with a bad API URL."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from copilot_tui import auth
from copilot_tui.app import CopilotApp, LaunchOptions
from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from copilot_tui.github.hosts import token_host
from copilot_tui.ui.screens.sign_in import SignInScreen
from tests.ui.conftest import MemoryKeyring, live_app, settle


async def test_github_coms_token_is_not_sent_to_the_fake_the_sign_in_names_its_host(
    fakehub: FakeGitHub, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory_keyring.set_password(auth.SERVICE, "github.com", OWNER_TOKEN)
    monkeypatch.setenv("GH_TOKEN", OWNER_TOKEN)
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, view=False)
        assert isinstance(app.screen, SignInScreen)
        why = str(app.screen.query_one("#sign-in-why", Static).render())
    host = token_host(fakehub.api_url)
    assert why == (
        f"No GitHub token for {host}: sign in with 'copilot-tui auth login --api-url {fakehub.api_url}', or set "
        "GH_ENTERPRISE_TOKEN."
    )
    assert fakehub.requests == []


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999", "http://example.com", "gopher://127.0.0.1"])
async def test_a_bad_api_url_ends_the_app_with_one_sentence_before_anything_starts(
    url: str, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    app = CopilotApp(LaunchOptions(api_url=url))
    said: list[str] = []
    monkeypatch.setattr(app, "_print_error_renderables", lambda: said.extend(map(str, app._exit_renderables)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert app.return_code == 2
    assert len(said) == 1 and said[0].startswith("copilot-tui: The API URL")
