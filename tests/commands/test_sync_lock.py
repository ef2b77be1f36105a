"""One fetch per scope at a time: a second ``sync`` of a scope being synced (or the app's refresh) waits for the
first, says so, and then downloads nothing the first one stored."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from copilot_tui.github.client import GitHubClient
from copilot_tui.scope import Scope
from copilot_tui.scope_lock import ScopeLock
from copilot_tui.sources.live import LiveSource
from copilot_tui.store import Store, host_key

ROOT = Path(__file__).resolve().parents[2]
GARAGE = Scope("org", "octo-garage")
WAITING = "Another copilot-tui is fetching octo-garage: waiting for it to finish"


def store_file(data: Path, fakehub: FakeGitHub) -> Path:
    return Store(host_key(None, fakehub.api_url), root=data / "store").path_for(GARAGE)


def sync(fakehub: FakeGitHub, tmp_path: Path, since: str, until: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN") and not k.startswith("COPILOT_TUI_")}
    env.update(
        GH_ENTERPRISE_TOKEN=OWNER_TOKEN,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        COPILOT_TUI_CONFIG_DIR=str(tmp_path / "config"),
        COPILOT_TUI_DATA_DIR=str(tmp_path / "data"),
        COPILOT_TUI_LOG_DIR=str(tmp_path / "log"),
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
    )
    argv = ["--api-url", fakehub.api_url, "sync", "--org", GARAGE.name, "--since", since, "--until", until]
    return subprocess.Popen(
        [sys.executable, "-m", "copilot_tui", *argv],
        env=env,
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_until_held(lock_of: Path, first: subprocess.Popen[str], deadline: float) -> None:
    """Until the first sync holds the scope's lock (it is then busy with the slowed downloads)."""
    probe = ScopeLock(lock_of)
    while time.monotonic() < deadline:
        assert first.poll() is None, first.communicate()
        if not probe.try_acquire():
            return
        probe.release()
        time.sleep(0.05)
    pytest.fail("the first sync never took the scope's lock")


def test_a_second_sync_of_a_scope_waits_and_downloads_nothing_twice(fakehub: FakeGitHub, tmp_path: Path) -> None:
    fakehub.faults.slow_responses(1000, seconds=0.3, target="download")
    last = fakehub.today - timedelta(days=6)
    since, until = (last - timedelta(days=4)).isoformat(), last.isoformat()
    first = sync(fakehub, tmp_path, since, until)
    wait_until_held(store_file(tmp_path / "data", fakehub), first, time.monotonic() + 120)
    second = sync(fakehub, tmp_path, since, until)
    out2, err2 = second.communicate(timeout=300)
    out1, err1 = first.communicate(timeout=300)
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2
    assert WAITING in err2
    assert "fetched" in out1 and "already up to date" in out2
    downloads = Counter(r.path for r in fakehub.requests_to("download"))
    assert downloads and max(downloads.values()) == 1, downloads
    reports = Counter(
        (r.path, str(r.query.get("day"))) for r in fakehub.requests_to("api") if "/copilot/metrics/reports/" in r.path
    )
    assert reports and max(reports.values()) == 1, reports


async def test_the_apps_refresh_waits_for_a_sync_of_the_scope_and_says_so(fakehub: FakeGitHub, tmp_path: Path) -> None:
    store = Store(host_key(None, fakehub.api_url), root=tmp_path / "store")
    held = ScopeLock(store.path_for(GARAGE))
    assert held.try_acquire()
    waits: list[tuple[float, str]] = []
    told = asyncio.Event()

    def on_wait(seconds: float, reason: str) -> None:
        waits.append((seconds, reason))
        told.set()

    day = fakehub.today - timedelta(days=8)
    async with GitHubClient(OWNER_TOKEN, api_url=fakehub.api_url) as client:
        source = LiveSource(client, store)
        fetching = asyncio.create_task(source.fetch_missing(GARAGE, day, day, on_wait=on_wait))
        await asyncio.wait_for(told.wait(), 60)
        assert waits == [(float("inf"), WAITING)]
        assert fakehub.requests == [] and not fetching.done()
        held.release()
        result = await asyncio.wait_for(fetching, 120)
    store.close()
    assert result.planned > 0 and fakehub.requests_to("download")


async def test_a_cancelled_wait_leaves_the_lock_to_others(fakehub: FakeGitHub, tmp_path: Path) -> None:
    store = Store(host_key(None, fakehub.api_url), root=tmp_path / "store")
    held = ScopeLock(store.path_for(GARAGE))
    assert held.try_acquire()
    day = fakehub.today - timedelta(days=8)
    async with GitHubClient(OWNER_TOKEN, api_url=fakehub.api_url) as client:
        fetching = asyncio.create_task(LiveSource(client, store).fetch_missing(GARAGE, day, day))
        await asyncio.sleep(0)
        fetching.cancel()
        with pytest.raises(asyncio.CancelledError):
            await fetching
    held.release()
    again = ScopeLock(store.path_for(GARAGE))
    assert again.try_acquire()
    again.release()
    store.close()
    assert oct(again.path.stat().st_mode & 0o777) == oct(0o600)


def test_a_lock_file_removed_while_being_taken_is_not_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``cache clear`` removes the lock file holding it; one who opened the file just before takes the lock of a
    removed file after it, which guards nothing: that one is refused, and its next try takes a new file."""
    from copilot_tui import scope_lock

    lock = ScopeLock(tmp_path / "org--x.sqlite3")
    flock = scope_lock.fcntl.flock

    def removed_meanwhile(fd: int, operation: int) -> None:
        lock.path.unlink()  # cache clear, between the open and the flock
        flock(fd, operation)

    monkeypatch.setattr(scope_lock.fcntl, "flock", removed_meanwhile)
    assert not lock.try_acquire() and not lock.held
    monkeypatch.undo()
    assert lock.try_acquire() and lock.path.exists()
    lock.remove()
    assert not lock.path.exists() and not lock.held
