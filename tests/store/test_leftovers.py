"""Nothing the app writes is left behind: facts of an older version once this version's are made, and temporary
facts of processes that were killed (removed at the next start; tests/ui/test_open_app.py: when the app ends)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from copilot_tui import facts as facts_module
from copilot_tui.facts import FACTS_VERSION, Facts
from copilot_tui.files import private_temp_dir, remove_stale_temp_dirs

LINE = b'{"day":"2026-01-05","user_id":7,"user_login":"ada","code_generation_activity_count":3}\n'


def test_older_facts_versions_are_removed_once_this_versions_hold_a_day(tmp_path: Path) -> None:
    root = tmp_path / "org--octo.facts"
    for version in (1, FACTS_VERSION - 1, FACTS_VERSION + 1):
        (root / f"v{version}").mkdir(parents=True, exist_ok=True)
        (root / f"v{version}" / "2026-01-01.abc.parquet").write_bytes(b"old")
    (root / "notes").mkdir()
    facts = Facts(root)
    assert facts_module.old_versions(root) == sorted({root / "v1", root / f"v{FACTS_VERSION - 1}"})
    facts.ingest(date(2026, 1, 5), "tok", [("users", LINE)])
    names = sorted(p.name for p in root.iterdir())
    assert names == sorted(["notes", f"v{FACTS_VERSION}", f"v{FACTS_VERSION + 1}"])  # a newer app's kept
    assert facts.held() == {date(2026, 1, 5): "tok"}


def dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


def test_temp_dirs_of_processes_gone_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    gone = tmp_path / f"copilot-tui-files-{dead_pid()}-x1"
    mine = tmp_path / f"copilot-tui-files-{os.getpid()}-x2"
    parent = tmp_path / f"copilot-tui-files-{os.getppid()}-x3"
    other_kind = tmp_path / f"copilot-tui-demo-facts-{dead_pid()}-x4"
    not_ours = tmp_path / "copilot-tui-files-x5"
    for d in (gone, mine, parent, other_kind, not_ours):
        (d / "file--1").mkdir(parents=True)
    assert remove_stale_temp_dirs("files", tmp_path) == [gone]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (mine, parent, other_kind, not_ours))


def test_a_temp_dir_names_its_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    stale = tmp_path / f"copilot-tui-files-{dead_pid()}-old"
    stale.mkdir()
    temp = private_temp_dir("files")
    made = Path(temp.name)
    assert made.name.startswith(f"copilot-tui-files-{os.getpid()}-")
    assert oct(made.stat().st_mode & 0o777) == oct(0o700)
    assert not stale.exists()
    temp.cleanup()
