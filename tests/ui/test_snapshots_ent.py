"""Pictures of the Teams, Seats and Versions tabs, a team- or version-filtered users table and the export picker, on
demo data at 80x24 and 160x48 (pytest-textual-snapshot). Update the baselines with ``--snapshot-update`` only after looking at them."""

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


@pytest.mark.parametrize("size", SIZES)
def test_versions_tab(snap_compare: Any, size: tuple[int, int]) -> None:
    """Per IDE its versions and its plugin's, newest first and marked."""
    assert snap_compare(demo(), terminal_size=size, run_before=after("V"))


@pytest.mark.parametrize("size", SIZES)
def test_version_users(snap_compare: Any, size: tuple[int, int]) -> None:
    """Enter on an older plugin version: the users table lists its users under a chip."""
    assert snap_compare(demo(), terminal_size=size, run_before=after("V", "down", "down", "down", "down", "enter"))


def demo_enterprise() -> Any:
    from copilot_tui.app import CopilotApp, LaunchOptions

    return CopilotApp(LaunchOptions(demo=True, enterprise="octo-enterprise"))


@pytest.mark.parametrize("size", SIZES)
def test_orgs_tab(snap_compare: Any, size: tuple[int, int]) -> None:
    """The demo enterprise's three orgs side by side."""
    assert snap_compare(demo_enterprise(), terminal_size=size, run_before=after("O"))


@pytest.mark.parametrize("size", SIZES)
def test_enterprise_users(snap_compare: Any, size: tuple[int, int]) -> None:
    """An enterprise's users table with the Org column (each seat's org)."""
    assert snap_compare(demo_enterprise(), terminal_size=size, run_before=after())


@pytest.mark.parametrize("size", SIZES)
def test_enterprise_teams(snap_compare: Any, size: tuple[int, int]) -> None:
    """An enterprise's teams named org/slug: a slug of each org stays apart."""
    assert snap_compare(demo_enterprise(), terminal_size=size, run_before=after("t"))


def fixed_pseudonym_key() -> None:
    """Pseudonyms come from a key made at random per install: the pictures' own key keeps them the same."""
    from copilot_tui.pseudonyms import key_path

    key_path().write_bytes(b"copilot-tui snapshot pseudonyms!")


@pytest.mark.parametrize("size", SIZES)
def test_names_hidden(snap_compare: Any, size: tuple[int, int]) -> None:
    """n: pseudonyms for the logins, the status bar says names are hidden."""
    fixed_pseudonym_key()
    assert snap_compare(demo_enterprise(), terminal_size=size, run_before=after("n"))


@pytest.mark.parametrize("size", SIZES)
def test_names_hidden_teams(snap_compare: Any, size: tuple[int, int]) -> None:
    """n on the teams tab: each team's name a pseudonym after its org."""
    fixed_pseudonym_key()
    assert snap_compare(demo_enterprise(), terminal_size=size, run_before=after("n", "t"))
