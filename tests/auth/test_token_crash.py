"""The token is never shown, even by a crash: each command that uses it (``sync``, ``export``, ``auth status``,
``auth login``) is made to crash deep inside, with a token of its own, and the token is looked for in the traceback
with every frame's locals (as Textual's crash screen shows it), the output, the log records and every file."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from auth_helpers import fake_token, files_containing
from auth_test_backends import MemoryKeyring

from copilot_tui import auth, cli
from copilot_tui.fakehub import FakeGitHub, TokenSpec
from copilot_tui.github.hosts import token_host
from copilot_tui.store import Store
from tests.crash_view import crash_text


class ForcedCrash(RuntimeError):
    """The bug this test plants."""


@pytest.fixture
def secret(fakehub: FakeGitHub) -> Iterator[str]:
    token = fake_token()
    fakehub.tokens[token] = TokenSpec()
    yield token
    fakehub.tokens.pop(token, None)


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
    secret: str,
    home: Path,
    fakehub: FakeGitHub,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    if command[:2] == ["auth", "login"]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(secret + "\n"))
    elif from_keyring:
        auth.store_token(token_host(fakehub.api_url), secret)
    else:
        monkeypatch.setenv("GH_ENTERPRISE_TOKEN", secret)
    where(monkeypatch)  # type: ignore[operator]
    day = fakehub.today.replace(day=1).isoformat()
    with pytest.raises(ForcedCrash) as crashed:
        cli.main(["--api-url", fakehub.api_url, *(a.format(day=day) for a in command)])
    shown = crash_text(crashed.value)
    assert "planted" in shown and "GitHubClient" in shown, "the crash did not come from inside the client"
    out, err = capsys.readouterr()
    assert secret not in shown
    assert secret not in out + err
    assert secret not in caplog.text
    assert files_containing(home, secret) == []
    if where is crash_in_the_store:
        assert f"Bearer {secret}" in {r.headers.get("authorization") for r in fakehub.requests_to("api")}
