"""``python -m copilot_tui.fakehub`` prints its URLs and serves until interrupted."""

from __future__ import annotations

import signal
import subprocess
import sys

import httpx


def test_run_by_hand_prints_urls_and_serves_until_ctrl_c() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "copilot_tui.fakehub", "--parts", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        second = proc.stdout.readline()
        assert first.startswith("fake GitHub API:") and second.startswith("fake download host:")
        api_url = first.split()[-1]
        answer = httpx.get(f"{api_url}/user", headers={"Authorization": "Bearer ghp_fake_owner"}, timeout=10)
        assert answer.status_code == 200 and answer.json()["login"] == "octocat"
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=20)
    assert code == 0


def test_the_realistic_preset_is_served_by_hand() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "copilot_tui.fakehub", "--preset", "realistic", "--parts", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(6)]
        api_url = lines[0].split()[-1]
        today = next(line for line in lines if line.startswith("today")).split()[-1]
        assert any(line.startswith("preset realistic:") for line in lines)
        from datetime import date, timedelta

        yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
        answer = httpx.get(
            f"{api_url}/orgs/octo-garage/copilot/metrics/reports/users-1-day",
            params={"day": yesterday},
            headers={"Authorization": "Bearer ghp_fake_owner", "User-Agent": "test"},
            timeout=10,
        )
        assert answer.status_code == 204
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=20)
    assert code == 0


def test_a_fixed_port_keeps_the_api_url_across_runs() -> None:
    """A token belongs to its host and port: a fixed port lets a keyring sign-in serve the next run too."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for _ in range(2):
        proc = subprocess.Popen(
            [sys.executable, "-m", "copilot_tui.fakehub", "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline().split()[-1] == f"http://127.0.0.1:{port}"
            for line in proc.stdout:  # then it waits for Ctrl-C
                if "Ctrl-C stops it" in line:
                    break
            else:  # its output ended: it stopped before waiting (a hang, were the end not checked)
                raise AssertionError(f"the fake ended early: {proc.stderr.read() if proc.stderr else ''}")
        finally:
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=20) == 0
