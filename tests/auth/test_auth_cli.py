"""The ``auth`` commands as a person runs them, in real processes: no keyring, help text, where tokens may come from."""

from __future__ import annotations

from pathlib import Path

import pytest
from auth_helpers import fake_token, files_containing, isolated_env, run_cli

from copilot_tui import auth


@pytest.fixture
def no_keyring_env(tmp_path: Path) -> dict[str, str]:
    env = isolated_env(tmp_path / "home")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return env


def test_login_without_a_keyring_fails_clearly_and_writes_nothing(tmp_path: Path, no_keyring_env: dict[str, str]):
    token = fake_token()
    done = run_cli(["auth", "login", "--with-token"], no_keyring_env, stdin=token + "\n")
    assert done.returncode == 1
    for option in ("gnome-keyring", "keyring backend", "GH_TOKEN", "never stores the token in a plain file"):
        assert option in done.stderr
    assert "Traceback" not in done.stderr
    assert token not in done.stdout + done.stderr
    assert files_containing(tmp_path, token) == []


@pytest.mark.parametrize("action", ["status", "logout"])
def test_status_and_logout_without_a_keyring_fail_clearly(no_keyring_env: dict[str, str], action: str) -> None:
    done = run_cli(["auth", action], no_keyring_env)
    assert done.returncode == 1
    assert "OS keyring is not available" in done.stderr
    assert "GH_TOKEN" in done.stderr


def test_no_token_anywhere_says_so_first(no_keyring_env: dict[str, str]) -> None:
    done = run_cli(["export", "--org", "octo-labs"], no_keyring_env)
    assert done.returncode != 0
    assert done.stderr.startswith(
        "copilot-tui export: No GitHub token for github.com: GH_TOKEN is not set and the OS keyring"
    )


def test_status_without_a_keyring_still_shows_an_environment_token_masked(no_keyring_env: dict[str, str]) -> None:
    token = fake_token()
    env = dict(no_keyring_env, GH_ENTERPRISE_TOKEN=token, COPILOT_TUI_API_URL="http://127.0.0.1:1")
    done = run_cli(["auth", "status", "--hostname", "github.com"], env, timeout=200)
    assert done.stdout.startswith("127.0.0.1:1\n")
    assert "Token source: environment (GH_ENTERPRISE_TOKEN)" in done.stdout
    assert auth.mask_token(token) in done.stdout
    assert "Keyring: not available" in done.stdout
    assert token not in done.stdout + done.stderr


def test_help_never_shows_a_token(tmp_path: Path) -> None:
    token = fake_token()
    env = isolated_env(tmp_path / "home")
    env.update(GH_TOKEN=token, GITHUB_TOKEN=token, GH_ENTERPRISE_TOKEN=token)
    for args in (["--help"], ["auth", "--help"], ["auth", "login", "--help"], ["auth", "status", "--help"]):
        done = run_cli(args, env)
        assert done.returncode == 0, done.stderr
        assert "usage:" in done.stdout
        assert token not in done.stdout + done.stderr
        assert auth.mask_token(token) not in done.stdout


def test_the_token_is_never_an_argument(tmp_path: Path) -> None:
    env = isolated_env(tmp_path / "home")
    for args in (["auth", "login", "--token", fake_token()], ["auth", "login", fake_token()]):
        done = run_cli(args, env)
        assert done.returncode == 2
        assert "unrecognized arguments" in done.stderr


def test_login_without_a_terminal_asks_for_with_token(tmp_path: Path) -> None:
    env = isolated_env(tmp_path / "home")
    env["PYTHON_KEYRING_BACKEND"] = "auth_test_backends.MemoryKeyring"
    done = run_cli(["auth", "login"], env, stdin=fake_token() + "\n")
    assert done.returncode == 1
    assert "--with-token" in done.stderr


def test_from_gh_without_gh_says_so(tmp_path: Path) -> None:
    env = isolated_env(tmp_path / "home")
    env["PYTHON_KEYRING_BACKEND"] = "auth_test_backends.MemoryKeyring"
    env["PATH"] = str(tmp_path / "empty-bin")
    done = run_cli(["auth", "login", "--from-gh"], env)
    assert done.returncode == 1
    assert "gh" in done.stderr and "not installed" in done.stderr


def test_from_gh_takes_the_token_gh_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = fake_token("gho_")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(
        f'#!/bin/sh\n[ "$1 $2 $3 $4" = "auth token --hostname octo.ghe.com" ] && echo {token} && exit 0\nexit 1\n'
    )
    gh.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    assert auth.token_from_gh("api.octo.ghe.com") == token
    with pytest.raises(auth.GhImportError, match="no token for github.com"):
        auth.token_from_gh("github.com")


@pytest.mark.parametrize(
    ("argv", "host"),
    [
        (["--hostname", "a.ghe.com", "auth", "status"], "a.ghe.com"),
        (["auth", "status", "--hostname", "b.ghe.com"], "b.ghe.com"),
        (["--hostname", "a.ghe.com", "auth", "logout", "--hostname", "b.ghe.com"], "b.ghe.com"),
        (["auth", "login"], None),
    ],
)
def test_hostname_may_stand_before_or_after_auth(argv: list[str], host: str | None) -> None:
    from copilot_tui import cli

    assert cli.build_parser().parse_args(argv).hostname == host
