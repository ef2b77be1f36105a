"""Every directory the app creates is 0700 and every file 0600, whatever the umask: under umask 022 the demo app
(its kept report files, state, an export), the live app and ``sync`` against the fake (the store), and the log."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from copilot_tui import cli
from copilot_tui.app import setup_logging
from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from tests.ui.conftest import MemoryKeyring, demo_app, live_app, settle
from tests.ui.test_export_app import export


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def not_private(roots: dict[str, Path]) -> list[str]:
    """Every path under the roots (the roots too) whose mode lets anyone but the owner in."""
    wrong = []
    for root in roots.values():
        if not root.exists():
            continue
        for path in [root, *root.rglob("*")]:
            mode = stat.S_IMODE(path.lstat().st_mode)
            want = 0o700 if path.is_dir() else 0o600
            if mode != want:
                wrong.append(f"{path.relative_to(root.parent)} {mode:o}")
    return wrong


@pytest.mark.usefixtures("umask_022")
async def test_the_demo_apps_files_are_private(app_dirs: dict[str, Path]) -> None:
    app = demo_app(org="octo-garage")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await export(pilot)
        app.theme = "nord"  # remembered in state.json
        await settle(pilot)
    files = {p.name for p in app_dirs["data"].rglob("*") if p.is_file()}
    assert {"demo-reports.bin", "state.json"} <= files and any(f.endswith(".csv") for f in files)
    assert not_private(app_dirs) == []


@pytest.mark.usefixtures("umask_022")
async def test_the_live_apps_store_files_are_private(
    app_dirs: dict[str, Path], fakehub: FakeGitHub, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    stored = [p.name for p in (app_dirs["data"] / "store").rglob("*") if p.is_file()]
    assert any(name.startswith("org--octo-garage") for name in stored)
    assert not_private(app_dirs) == []


@pytest.mark.usefixtures("umask_022")
def test_syncs_store_files_are_private(
    app_dirs: dict[str, Path],
    fakehub: FakeGitHub,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    day = (fakehub.today - timedelta(days=40)).isoformat()
    code = cli.main(["--api-url", fakehub.api_url, "sync", "--org", "octo-labs", "--since", day])
    assert code == 0, capsys.readouterr()
    stored = [p.name for p in (app_dirs["data"] / "store").rglob("*") if p.is_file()]
    assert any(name.startswith("org--octo-labs") for name in stored)
    assert not_private(app_dirs) == []


@pytest.mark.usefixtures("umask_022")
def test_the_log_file_is_private(app_dirs: dict[str, Path]) -> None:
    handler = setup_logging()
    try:
        logging.getLogger("copilot_tui.test").warning("a line for the log")
        handler.flush()
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    assert "a line for the log" in (app_dirs["log"] / "copilot-tui.log").read_text()
    assert not_private({"log": app_dirs["log"]}) == []


@pytest.mark.usefixtures("umask_022")
def test_older_loose_modes_of_the_apps_own_directories_are_tightened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from copilot_tui import locations

    home = tmp_path / "home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))
    monkeypatch.delenv("COPILOT_TUI_DATA_DIR")
    old = home / "share" / "copilot-tui"
    old.mkdir(parents=True, mode=0o755)
    os.chmod(old, 0o755)
    assert locations.data_dir() == old
    assert stat.S_IMODE(old.stat().st_mode) == 0o700
