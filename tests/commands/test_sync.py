"""``copilot-tui sync`` against the fake GitHub: stores history, resumes, asks nothing it already has."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from copilot_tui import cli
from copilot_tui.fakehub import FakeGitHub
from copilot_tui.scope import Scope
from copilot_tui.store import Store, host_key, store_root

ORG = Scope("org", "octo-garage")


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COPILOT_TUI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def last_day(hub: FakeGitHub) -> date:
    return hub.today - timedelta(days=1)


def report_days(hub: FakeGitHub) -> set[date]:
    return {
        date.fromisoformat(r.query["day"][0])
        for r in hub.requests_to("api")
        if "/copilot/metrics/reports/" in r.path and "day" in r.query
    }


def held_days(hub: FakeGitHub) -> set[date]:
    with Store(host_key(None, hub.api_url), store_root()) as store:
        return {h.day for h in store.held(ORG, "users-1-day")}


def run_sync(*extra: str) -> int:
    return cli.main(["sync", "--org", ORG.name, *extra])


def test_sync_stores_the_days_and_a_second_run_asks_for_nothing(
    fakehub_env: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    end = last_day(fakehub_env)
    since = end - timedelta(days=9)
    assert run_sync("--since", since.isoformat(), "--until", end.isoformat()) == 0
    out = capsys.readouterr().out
    assert "fetched 30 reports" in out and ORG.name in out
    assert held_days(fakehub_env) == {since + timedelta(days=i) for i in range(10)}
    assert report_days(fakehub_env) == held_days(fakehub_env)

    fakehub_env.reset()
    assert run_sync("--since", since.isoformat(), "--until", end.isoformat()) == 0
    assert "already up to date" in capsys.readouterr().out
    assert report_days(fakehub_env) == set()


def test_a_longer_sync_asks_only_for_the_older_days(fakehub_env: FakeGitHub) -> None:
    end = last_day(fakehub_env)
    assert run_sync("--since", (end - timedelta(days=4)).isoformat(), "--until", end.isoformat(), "--jobs", "3") == 0
    fakehub_env.reset()
    assert run_sync("--since", (end - timedelta(days=9)).isoformat(), "--until", end.isoformat()) == 0
    assert report_days(fakehub_env) == {end - timedelta(days=i) for i in range(5, 10)}


INTERRUPTED_RUN = """
import sys
from copilot_tui import cli
from copilot_tui.commands import sync

real_progress = sync.ProgressBar.progress

def interrupt_at_12(self, done, total, what):
    real_progress(self, done, total, what)
    if done == 12:
        raise KeyboardInterrupt

sync.ProgressBar.progress = interrupt_at_12
sys.exit(cli.main(sys.argv[1:]))
"""


def test_ctrl_c_keeps_what_was_fetched_and_the_next_run_resumes(fakehub_env: FakeGitHub) -> None:
    end = last_day(fakehub_env)
    since = end - timedelta(days=9)
    argv = ["sync", "--org", ORG.name, "--since", since.isoformat(), "--until", end.isoformat()]
    # Its own interpreter: a KeyboardInterrupt is not something to raise inside the test process.
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_RUN, *argv], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 130, done.stderr
    assert "interrupted after 12 of 30" in done.stderr
    assert "Run the same command again to resume" in done.stderr
    assert held_days(fakehub_env) == {end - timedelta(days=i) for i in range(4)}

    fakehub_env.reset()
    assert run_sync("--since", since.isoformat(), "--until", end.isoformat()) == 0
    assert report_days(fakehub_env) == {since + timedelta(days=i) for i in range(6)}
    assert held_days(fakehub_env) == {since + timedelta(days=i) for i in range(10)}


def test_an_api_error_is_one_sentence_and_says_the_work_is_kept(
    fakehub_env: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    end = last_day(fakehub_env)
    fakehub_env.faults.server_errors(1, status=401, path_contains="users-1-day")
    assert run_sync("--since", (end - timedelta(days=3)).isoformat(), "--until", end.isoformat()) == 1
    err = capsys.readouterr().err
    last = err.splitlines()[-1]
    assert last.startswith("copilot-tui sync: GitHub refused the token")
    assert "1 of 12 reports were fetched and kept" in last
    assert "Traceback" not in err


def test_an_unknown_org_is_named_when_the_org_itself_answers_404(
    fakehub_env: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    end = last_day(fakehub_env)
    assert cli.main(["sync", "--org", "no-such-org", "--since", end.isoformat(), "--until", end.isoformat()]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("copilot-tui sync: GitHub found no organization 'no-such-org'")


def test_a_404_on_one_day_of_a_known_org_does_not_stop_the_sync(
    fakehub_env: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    end = last_day(fakehub_env)
    fakehub_env.faults.server_errors(1, status=404, path_contains="users-1-day")
    assert run_sync("--since", (end - timedelta(days=3)).isoformat(), "--until", end.isoformat()) == 0
    assert "fetched 12 reports (1 had no data)" in capsys.readouterr().out


def test_policy_off_names_the_fix(fakehub_env: FakeGitHub, capsys: pytest.CaptureFixture[str]) -> None:
    fakehub_env.set_policy(ORG.name, False)
    end = last_day(fakehub_env)
    assert run_sync("--since", end.isoformat(), "--until", end.isoformat()) == 1
    assert "Copilot usage metrics" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sync"], "--org ORG or --enterprise ENT"),
        (["--demo", "sync", "--org", "x"], "cannot run with --demo"),
        (["sync", "--org", "x", "--since", "2026-05-02", "--until", "2026-05-01"], "--since is after --until"),
    ],
)
def test_usage_mistakes(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err


def test_no_token_says_how_to_get_one(
    fakehub: FakeGitHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    assert cli.main(["sync", "--org", ORG.name, "--api-url", fakehub.api_url]) == 1
    err = capsys.readouterr().err
    assert "127.0.0.1" in err and "GH_ENTERPRISE_TOKEN" in err  # the host asked for, and its variable
    assert fakehub.requests == []


def test_a_bad_date_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["sync", "--org", "x", "--since", "last week"])
    assert "YYYY-MM-DD" in capsys.readouterr().err
