"""Pictures of the Teams and Seats tabs, a team-filtered users table and the export picker, on demo data at 80x24
and 160x48 (pytest-textual-snapshot). Update the baselines with ``--snapshot-update`` only after looking at them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from copilot_tui import locations
from tests.ui.test_snapshots import SIZES, after, demo


@pytest.mark.parametrize("size", SIZES)
def test_teams_tab(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo(), terminal_size=size, run_before=after("t"))


@pytest.mark.parametrize("size", SIZES)
def test_team_filter_chip(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo(), terminal_size=size, run_before=after("t", "down", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_seats_tab(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo(), terminal_size=size, run_before=after("l"))


@pytest.mark.parametrize("size", SIZES)
def test_seats_never_in_reports(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo(), terminal_size=size, run_before=after("l", "v"))


@pytest.mark.parametrize("size", SIZES)
def test_export_picker(snap_compare: Any, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """The path it proposes names a folder of the picture's own, not the test's temporary one."""
    monkeypatch.setattr(locations, "export_dir", lambda: Path("/home/octo/.local/share/copilot-tui/exports"))
    assert snap_compare(demo(), terminal_size=size, run_before=after("t", "e"))
