"""``export --offline``: the numbers come from the local store the app filled, with no token and no request."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from copilot_tui.github.client import GitHubClient
from copilot_tui.scope import Scope
from copilot_tui.sources.live import LiveSource
from copilot_tui.store import Store, host_key
from tests.commands.test_export import export


async def test_offline_export_reads_the_store_and_matches_the_online_one(
    fakehub: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = fakehub.dataset.orgs[0].login
    monkeypatch.setenv("COPILOT_TUI_DATA_DIR", str(tmp_path / "data"))
    now = datetime.combine(fakehub.today, time(12), tzinfo=UTC)
    async with GitHubClient(OWNER_TOKEN, api_url=fakehub.api_url) as client:
        source = LiveSource(client, Store(host_key(None, fakehub.api_url)), clock=lambda: now)
        await source.load(Scope("org", org), days=28)
    online = export("--api-url", fakehub.api_url, "--org", org, tmp=tmp_path)
    assert online.returncode == 0, online.stderr
    fakehub.reset()
    offline = export("--offline", "--api-url", fakehub.api_url, "--org", org, token=None, tmp=tmp_path)
    assert offline.returncode == 0, offline.stderr
    assert fakehub.requests == []
    got, want = json.loads(offline.stdout), json.loads(online.stdout)
    assert got["users"] and got == want


def test_offline_export_of_an_org_never_stored_says_so(fakehub: FakeGitHub, tmp_path: Path) -> None:
    result = export("--offline", "--org", "never-fetched", token=None, tmp=tmp_path)
    assert result.returncode != 0
    assert "holds no data for" in result.stderr and "never-fetched" in result.stderr
    assert "use --demo" not in result.stderr
    assert fakehub.requests == []
