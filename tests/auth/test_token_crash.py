"""The token is never shown, even by a crash: each command that uses it (``sync``, ``export``, ``auth status``,
``auth login``) is made to crash deep inside, with a token of its own, and the token is looked for in the traceback
with every frame's locals (as Textual's crash screen shows it), the output, the log records and every file."""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import httpx
import pytest
from auth_helpers import files_containing
from auth_test_backends import MemoryKeyring

from copilot_tui import auth, cli
from copilot_tui.fakehub import FakeGitHub
from copilot_tui.github.hosts import token_host
from copilot_tui.store import Store
from tests.crash_view import ForcedCrash, crash_text


def crash_in_the_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    """The crash comes as the request is sent: the Authorization header is on it, the client's frames are live."""

    async def crash(self: object, request: httpx.Request) -> httpx.Response:
        raise ForcedCrash(f"planted while sending {request.method} {request.url.path}")

    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", crash)


def crash_in_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """The crash comes after a report was downloaded with the token, as it is stored."""

    def crash(self: object, *args: object, **kwargs: object) -> None:
        raise ForcedCrash("planted while storing a report")

    monkeypatch.setattr(Store, "put_report", crash)


@pytest.mark.parametrize(
    ("command", "where", "from_keyring"),
    [
        (["sync", "--org", "octo-garage", "--since", "{day}"], crash_in_the_transport, True),
        (["sync", "--org", "octo-garage", "--since", "{day}"], crash_in_the_store, False),
        (["export", "--org", "octo-garage"], crash_in_the_transport, False),
        (["auth", "status"], crash_in_the_transport, True),
        (["auth", "login", "--with-token"], crash_in_the_transport, False),
    ],
    ids=["sync-request", "sync-store", "export", "auth-status", "auth-login"],
)
def test_a_crash_deep_inside_shows_no_token(
    command: list[str],
    where: object,
    from_keyring: bool,
    own_token: str,
    home: Path,
    fakehub: FakeGitHub,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    if command[:2] == ["auth", "login"]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(own_token + "\n"))
    elif from_keyring:
        auth.store_token(token_host(fakehub.api_url), own_token)
    else:
        monkeypatch.setenv("GH_ENTERPRISE_TOKEN", own_token)
    where(monkeypatch)  # type: ignore[operator]
    day = fakehub.today.replace(day=1).isoformat()
    with pytest.raises(ForcedCrash) as crashed:
        cli.main(["--api-url", fakehub.api_url, *(a.format(day=day) for a in command)])
    shown = crash_text(crashed.value)
    assert "planted" in shown and "GitHubClient" in shown, "the crash did not come from inside the client"
    out, err = capsys.readouterr()
    assert own_token not in shown
    assert own_token not in out + err
    assert own_token not in caplog.text
    assert files_containing(home, own_token) == []
    if where is crash_in_the_store:
        assert f"Bearer {own_token}" in {r.headers.get("authorization") for r in fakehub.requests_to("api")}
