"""Fixtures for the app's Pilot tests: private config/data/log dirs, demo and fake-GitHub apps, and a wait helper."""

from __future__ import annotations

import io
import time as clock_time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import keyring.core
import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget

from copilot_tui.app import CopilotApp, LaunchOptions
from copilot_tui.ui.screens.dashboard import DashboardScreen
from copilot_tui.ui.widgets.teams import TeamChip
from tests.auth.auth_test_backends import MemoryKeyring

TOKEN_VARS = ("GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN")


@pytest.fixture(autouse=True)
def app_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Every test gets its own config, data and log dirs: the real home is never read or written."""
    dirs = {}
    for name in ("CONFIG", "DATA", "LOG"):
        path = tmp_path / name.lower()
        monkeypatch.setenv(f"COPILOT_TUI_{name}_DIR", str(path))
        dirs[name.lower()] = path
    monkeypatch.delenv("COPILOT_TUI_API_URL", raising=False)
    return dirs


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    backend = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    for name in TOKEN_VARS:
        monkeypatch.delenv(name, raising=False)
    return backend


def demo_app(**options: Any) -> CopilotApp:
    return CopilotApp(LaunchOptions(demo=True, **options))


def fake_clock(fakehub: Any) -> Callable[[], datetime]:
    """Noon of the fake GitHub's today, so "yesterday" is the demo's last day."""
    now = datetime.combine(fakehub.today, time(12), tzinfo=UTC)
    return lambda: now


def live_app(fakehub: Any, sleep: Any = None, **options: Any) -> CopilotApp:
    from copilot_tui.github.client import GitHubClient

    async def no_sleep(seconds: float) -> None:
        return None

    def client(token: Any) -> GitHubClient:
        return GitHubClient(token, api_url=fakehub.api_url, sleep=sleep or no_sleep)

    return CopilotApp(
        LaunchOptions(api_url=fakehub.api_url, **options), client_factory=client, clock=fake_clock(fakehub)
    )


def dashboard(app: CopilotApp) -> DashboardScreen:
    found = app._dashboard()
    assert found is not None, f"no dashboard on the screen stack: {app.screen_stack}"
    return found


async def settle(pilot: Pilot[Any], *, view: bool = True, timeout: float = 120.0) -> None:
    """Wait until no worker runs (and, with ``view``, a dashboard shows data), and it stays so once the app has
    handled what the last worker posted: the app is at rest.

    The timeout is generous on purpose: it is a hang detector for slow shared machines, not a speed check.
    """
    app = pilot.app

    def at_rest() -> bool:
        if any(w.is_running for w in app.workers):
            return False
        found = app._dashboard()  # type: ignore[attr-defined]
        return not view or (found is not None and found.view is not None)

    deadline = clock_time.monotonic() + timeout
    while True:
        await until(pilot, at_rest, "the app to settle", timeout=max(deadline - clock_time.monotonic(), 0.0))
        await pilot.pause()
        if at_rest():
            return


async def compared_view(pilot: Pilot[Any]) -> Any:
    """The dashboard's view once it holds the comparison with the previous period."""
    await settle(pilot)
    dash = dashboard(pilot.app)  # type: ignore[arg-type]
    await until(pilot, lambda: dash.view is not None and dash.view.previous_totals is not None, "the comparison")
    return dash.view


async def until(pilot: Pilot[Any], condition: Callable[[], object], what: str, *, timeout: float = 120.0) -> None:
    """Let the app run until ``condition()`` holds. The timeout is a hang detector, not a speed check."""
    deadline = clock_time.monotonic() + timeout
    while not condition():
        if clock_time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s in vain for {what}")
        await pilot.pause(0.01)


def palette_offers(app: Any, text: str) -> bool:
    """The command palette is done searching and offers ``text``."""
    from textual.command import CommandList, CommandPalette

    screen = app.screen
    if not isinstance(screen, CommandPalette) or any(w.is_running for w in app.workers):
        return False
    options = screen.query_one(CommandList)
    return any(text in str(options.get_option_at_index(i).prompt) for i in range(options.option_count))


def rendered(widget: Widget) -> str:
    """What ``widget`` draws, as plain text."""
    console = Console(width=widget.size.width or 160, file=io.StringIO(), record=True)
    console.print(widget.render())
    return console.export_text()


def notifications(app: CopilotApp) -> list[str]:
    """Every notification the app has shown, including those whose time is up (a loaded machine can take longer
    than a toast's timeout between the notice and the test's look)."""
    said: list[str] = getattr(app, "said_in_tests", [])
    return said


@pytest.fixture(autouse=True)
def _record_notifications(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = App.notify

    def notify(self: App[Any], message: str, *args: Any, **kwargs: Any) -> None:
        self.__dict__.setdefault("said_in_tests", []).append(message)
        shown(self, message, *args, **kwargs)

    monkeypatch.setattr(App, "notify", notify)


@pytest.fixture
def no_tokens(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in TOKEN_VARS:
        monkeypatch.delenv(name, raising=False)
    yield


__all__ = [
    "compared_view",
    "dashboard",
    "demo_app",
    "live_app",
    "notifications",
    "palette_offers",
    "rendered",
    "settle",
    "timedelta",
    "until",
]


async def first_team_opened(app: CopilotApp, pilot: Pilot[Any]) -> TeamChip:
    """Enter on the Teams tab's first row: the chip of that team's filter."""
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    chip = dashboard(app).query_one(TeamChip)
    assert chip.active
    return chip
