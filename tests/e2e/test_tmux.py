"""The app in a real terminal: tmux runs ``copilot-tui --demo``, keys go in with send-keys, the screen comes back
with capture-pane, and the checks read it as a person would."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (Debian: apt install tmux)"),
]

ROOT = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 100, 30


class Terminal:
    def __init__(self, name: str) -> None:
        self.name = name

    def keys(self, *keys: str) -> None:
        """Type ``keys`` in one go; the caller then waits for what they should show."""
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def screen(self) -> str:
        done = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], check=True, capture_output=True)
        return done.stdout.decode()

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if check(text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"waited {timeout:.0f} s for {what}; the screen shows:\n{text}")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    name = f"copilot-tui-e2e-{uuid.uuid4().hex[:8]}"
    env = {
        "COPILOT_TUI_CONFIG_DIR": str(tmp_path / "config"),
        "COPILOT_TUI_DATA_DIR": str(tmp_path / "data"),
        "COPILOT_TUI_LOG_DIR": str(tmp_path / "log"),
        "PYTHONPATH": str(ROOT),
        "TERM": "xterm-256color",
    }
    exe = shutil.which("copilot-tui")
    command = [exe] if exe else [sys.executable, "-m", "copilot_tui"]
    shell = " ".join([*(f"{k}={v}" for k, v in env.items()), *command, "--demo"])
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", str(WIDTH), "-y", str(HEIGHT), "env " + shell],
        check=True,
        env={**os.environ, "TMUX": ""},
    )
    try:
        yield Terminal(name)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def table_lines(screen: str) -> tuple[str, list[str]]:
    """The users table's header line and its rows (the lines under it up to the footer)."""
    lines = screen.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("Login"))
    rows = [line for line in lines[start + 1 : -1] if line.strip()]
    return lines[start], rows


def sorted_column(header: str) -> str:
    """The header label carrying the sort arrow."""
    match = re.search(r"(\S*[▲▼]\S*)", header)
    assert match, f"no sort arrow in {header!r}"
    return match.group(1).strip("▲▼")


def logins(rows: list[str]) -> list[str]:
    return [row.split()[0] for row in rows]


def test_a_typed_range_shows_its_dates_in_the_header(terminal: Terminal) -> None:
    terminal.wait_for(lambda s: "demo data" in s and "Login" in s, "the dashboard")
    terminal.keys("p")
    terminal.wait_for(lambda s: "October 2026" in s, "the period picker")
    terminal.keys("/")
    terminal.keys("-l", "2026-10-03..2026-10-20")
    terminal.wait_for(lambda s: "│ 2026-10-03..2026-10-20" in s, "the typed range in its field")
    terminal.keys("Enter")
    terminal.wait_for(
        lambda s: "2026-10-03 → 2026-10-20" in s.splitlines()[0] and "demo data" in s, "the typed range, loaded"
    )
    terminal.keys("h")
    chart = terminal.wait_for(
        lambda s: (
            "Trends · 2026-10-03 → 2026-10-20" in s.splitlines()[0]
            and re.search(r"Oct 03 +Oct \d\d +Oct \d\d", s) is not None
        ),
        "the dates under the trend chart, from the range's first day",
    )
    ticks = [float(t.replace(",", "")) for t in re.findall(r"(\d[\d,]*(?:\.\d+)?) ┫", chart)]  # y, top down
    assert len(ticks) >= 3 and ticks == sorted(ticks, reverse=True), ticks
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "Login" in s, "the dashboard again")
    terminal.keys("p")
    terminal.wait_for(lambda s: "October 2026" in s, "the period picker again")
    terminal.keys("/")
    terminal.keys("-l", "2025-01")
    terminal.wait_for(lambda s: "│ 2025-01 " in s, "the typed month in its field")
    terminal.keys("Enter")
    said = terminal.wait_for(lambda s: "starts on 2026-07-27" in s, "where the demo data starts")
    assert "nothing before it" in said and "copilot-tui sync" not in said  # the demo cannot sync


def test_sort_open_a_user_and_switch_org_in_a_real_terminal(terminal: Terminal) -> None:
    screen = terminal.wait_for(lambda s: "demo data" in s and "Login" in s, "the dashboard")
    assert "octo-garage" in screen.splitlines()[0]
    header, rows = table_lines(screen)
    before_column, before_order = sorted_column(header), logins(rows)

    terminal.keys("s")
    screen = terminal.wait_for(lambda s: sorted_column(table_lines(s)[0]) != before_column, "the sort to change")
    header, rows = table_lines(screen)
    assert logins(rows) != before_order

    terminal.keys("S")
    flipped = terminal.wait_for(lambda s: table_lines(s)[1] != rows, "the order to flip")
    assert sorted_column(table_lines(flipped)[0]) == sorted_column(header)

    first = logins(table_lines(flipped)[1])[0]
    terminal.keys("Enter")
    detail = terminal.wait_for(lambda s: f"› {first}" in s, f"the detail of {first}")
    assert "Days active" in detail

    terminal.keys("Escape")
    back = terminal.wait_for(lambda s: "Login" in s and "demo data" in s, "the dashboard again")
    assert logins(table_lines(back)[1])[0] == first

    terminal.keys("o")
    terminal.wait_for(lambda s: "Switch organization" in s, "the org picker")
    terminal.keys("l", "a", "b", "s", "Enter")
    switched = terminal.wait_for(
        lambda s: s.splitlines()[0].lstrip().startswith("octo-labs") and "demo data" in s, "octo-labs"
    )
    assert "octo-garage" not in switched.splitlines()[0]

    terminal.keys("[")
    terminal.wait_for(lambda s: s.splitlines()[0].lstrip().startswith("octo-garage"), "the previous org")

    terminal.keys("q")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        alive = subprocess.run(["tmux", "has-session", "-t", terminal.name], capture_output=True).returncode == 0
        if not alive:
            break
        time.sleep(0.2)
    assert not alive, "q did not quit"
