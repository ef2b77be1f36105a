"""The token is never shown by the app, even when it crashes: a crash as a live source opens (the frame that holds
the token), a failure deep inside a request, and a crash right after a pasted token was checked. The crash screen
(Textual's traceback with every frame's locals), the screen, the notifications, the log and every file under the
app's directories are searched for the token."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from copilot_tui import auth
from copilot_tui.app import setup_logging
from copilot_tui.fakehub import FakeGitHub
from copilot_tui.github.hosts import token_host
from copilot_tui.ui.screens.sign_in import SignInScreen
from tests.auth.auth_helpers import files_containing
from tests.crash_view import ForcedCrash, rendered
from tests.ui.conftest import MemoryKeyring, live_app, notifications, settle


@pytest.fixture
def log_file(app_dirs: dict[str, Path]) -> Iterator[Path]:
    handler = setup_logging()
    try:
        yield app_dirs["log"] / "copilot-tui.log"
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def capture_crash_screen(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the app prints as it ends after a crash: the crash screen, as text."""
    shown: list[str] = []
    monkeypatch.setattr(app, "_print_error_renderables", lambda: shown.extend(map(rendered, app._exit_renderables)))
    return shown


def nowhere(secret: str, app_dirs: dict[str, Path], *texts: str) -> None:
    assert all(secret not in text for text in texts)
    assert [p for d in app_dirs.values() if d.exists() for p in files_containing(d, secret)] == []


async def test_a_crash_as_the_live_source_opens_shows_no_token(
    own_token: str,
    fakehub: FakeGitHub,
    memory_keyring: MemoryKeyring,
    app_dirs: dict[str, Path],
    log_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The crash screen lists the locals of ``_open_live``, the token among them: a masked ``Secret``, never its text."""
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", own_token)

    def crash(*args: object, **kwargs: object) -> None:
        raise ForcedCrash("planted as the live source opens")

    monkeypatch.setattr("copilot_tui.sources.live.LiveSource.__init__", crash)
    app = live_app(fakehub, org="octo-garage")
    crash_screen = capture_crash_screen(app, monkeypatch)
    with pytest.raises(ForcedCrash):
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
    assert len(crash_screen) == 1 and "_open_live" in crash_screen[0] and "token = Secret(" in crash_screen[0]
    nowhere(own_token, app_dirs, *crash_screen, log_file.read_text())


async def test_a_failure_deep_inside_a_request_shows_no_token(
    own_token: str,
    fakehub: FakeGitHub,
    memory_keyring: MemoryKeyring,
    app_dirs: dict[str, Path],
    log_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug under the client (the transport raising as the request goes, its header on) is caught at the edge:
    a sentence on screen, the traceback in the log, the token in neither."""
    memory_keyring.set_password(auth.SERVICE, token_host(fakehub.api_url), own_token)

    async def crash(self: object, request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == f"Bearer {own_token}"
        raise ForcedCrash(f"planted while sending {request.url.path}")

    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", crash)
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, view=False)
        screen = app.export_screenshot()
        said = notifications(app)
    log = log_file.read_text()
    assert "ForcedCrash" in log and "planted" in log
    nowhere(own_token, app_dirs, screen, *said, log)


async def test_a_crash_after_a_pasted_token_was_checked_shows_no_token(
    own_token: str,
    fakehub: FakeGitHub,
    memory_keyring: MemoryKeyring,
    app_dirs: dict[str, Path],
    log_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise ForcedCrash("planted while keeping the token")

    monkeypatch.setattr(auth, "store_token", crash)
    app = live_app(fakehub, org="octo-garage")
    crash_screen = capture_crash_screen(app, monkeypatch)
    with pytest.raises(ForcedCrash):
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, view=False)
            assert isinstance(app.screen, SignInScreen)
            await pilot.press(*own_token, "enter")
            await settle(pilot, view=False)
            screen = app.export_screenshot()
    assert len(crash_screen) == 1 and "_signed_in" in crash_screen[0]
    assert f"Bearer {own_token}" in {r.headers.get("authorization") for r in fakehub.requests_to("api")}
    nowhere(own_token, app_dirs, *crash_screen, screen, log_file.read_text())
