"""Against the real Secret Service that scripts/test starts (gnome-keyring, unlocked, on a private D-Bus session):
what copilot-tui stores is what ``secret-tool`` sees, per host, and removing it removes it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from auth_helpers import fake_token, files_containing, isolated_env, needs_real_keyring, run_cli

from copilot_tui import auth

pytestmark = [needs_real_keyring, pytest.mark.keyring]


def secret_tool(*args: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("secret-tool")
    assert tool, "secret-tool is missing: scripts/test installs libsecret-tools"
    return subprocess.run([tool, *args], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)


def lookup(host: str) -> str:
    """What the Secret Service holds for a host, as libsecret reads it (not through Python's keyring)."""
    return secret_tool("lookup", "service", auth.SERVICE, "username", host).stdout


@pytest.fixture
def hosts(host: str) -> Iterator[list[str]]:
    """Hosts a test may write; whatever it left is removed afterwards."""
    names = [host, "second-" + host]
    yield names
    for name in names:
        secret_tool("clear", "service", auth.SERVICE, "username", name)


def test_the_session_keyring_is_the_secret_service() -> None:
    backend = keyring.get_keyring()
    assert type(backend).__module__ == "keyring.backends.SecretService", backend
    assert auth.keyring_backend_name() == "keyring.backends.SecretService.Keyring"
    assert os.environ.get("DBUS_SESSION_BUS_ADDRESS")


def test_store_is_seen_by_secret_tool_and_two_hosts_keep_two_tokens(hosts: list[str]) -> None:
    first, second = fake_token(), fake_token("github_pat_")
    auth.store_token(hosts[0], first)
    auth.store_token(hosts[1], second)
    assert lookup(hosts[0]) == first
    assert lookup(hosts[1]) == second
    found = secret_tool("search", "--all", "service", auth.SERVICE)
    listed = found.stdout + found.stderr
    assert f"attribute.username = {hosts[0]}" in listed
    assert f"attribute.username = {hosts[1]}" in listed

    assert auth.read_keyring_token(hosts[0]) == first
    assert auth.delete_token(hosts[0]) is True
    assert lookup(hosts[0]) == ""
    assert auth.read_keyring_token(hosts[0]) is None
    assert auth.read_keyring_token(hosts[1]) == second


def test_a_token_stored_by_another_program_is_read(hosts: list[str]) -> None:
    token = fake_token()
    stored = subprocess.run(
        ["secret-tool", "store", "--label", "test", "service", auth.SERVICE, "username", hosts[0]],
        input=token,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert stored.returncode == 0, stored.stderr
    found = auth.resolve_token(hosts[0])
    assert found is not None and (found.token, found.source) == (token, "keyring")


def test_cli_logout_removes_only_that_host(tmp_path: Path, hosts: list[str]) -> None:
    keep, drop = fake_token(), fake_token()
    auth.store_token(hosts[0], drop)
    auth.store_token(hosts[1], keep)
    env = isolated_env(tmp_path / "home")

    done = run_cli(["auth", "logout", "--hostname", hosts[0]], env)
    assert done.returncode == 0, done.stderr
    assert f"Removed the token for {hosts[0]}" in done.stdout
    assert lookup(hosts[0]) == ""
    assert lookup(hosts[1]) == keep

    again = run_cli(["auth", "logout", "--hostname", hosts[0]], env)
    assert again.returncode == 1
    assert "no token" in again.stderr
    assert files_containing(tmp_path, keep) == [] and files_containing(tmp_path, drop) == []


def test_environment_token_wins_over_the_real_keyring(hosts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    stored, env_token = fake_token(), fake_token()
    auth.store_token(hosts[0], stored)
    monkeypatch.setenv("GH_TOKEN", env_token)
    found = auth.resolve_token(hosts[0])
    assert found is not None and (found.token, found.source) == (env_token, "GH_TOKEN")
    monkeypatch.delenv("GH_TOKEN")
    found = auth.resolve_token(hosts[0])
    assert found is not None and (found.token, found.source) == (stored, "keyring")


def test_a_locked_keyring_is_a_clear_error(tmp_path: Path) -> None:
    """A collection locked with no way to prompt for its password (a headless session), in a D-Bus session and
    gnome-keyring of its own, so the shared one stays unlocked for the other tests."""
    root = Path(__file__).resolve().parents[2]
    env = isolated_env(tmp_path / "home")
    env["COPILOT_TUI_KEYRING_HOME"] = str(tmp_path / "keyring")
    env["COPILOT_TUI_PYTHON"] = sys.executable
    env[auth.TIMEOUT_ENV] = "20"
    os.makedirs(env["COPILOT_TUI_KEYRING_HOME"])
    lock = "import secretstorage as s; c = s.get_default_collection(s.dbus_init()); c.lock(); assert c.is_locked()"
    script = f'"$COPILOT_TUI_PYTHON" -c "{lock}" && exec "$COPILOT_TUI_PYTHON" -m copilot_tui auth logout'
    done = subprocess.run(
        ["dbus-run-session", "--", "bash", str(root / "scripts/_with_keyring.sh"), "bash", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1, done.stderr
    assert "The OS keyring is not available: the keyring is locked" in done.stderr
    assert "start a Secret Service such as gnome-keyring, and unlock it" in done.stderr
    assert "Traceback" not in done.stderr
