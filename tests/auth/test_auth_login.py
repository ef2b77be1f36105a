"""``auth login`` / ``status`` / ``logout`` end to end: the fake GitHub checks the token, a keyring keeps it, and
the token shows up nowhere it should not (output, logs, files)."""

from __future__ import annotations

import io
import logging
import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from auth_helpers import ROOT, fake_token, files_containing, isolated_env, needs_real_keyring, run_cli
from auth_test_backends import MemoryKeyring

from copilot_tui import auth, cli
from copilot_tui.fakehub import FINE_GRAINED_TOKEN, NO_SCOPE_TOKEN, FakeGitHub, TokenSpec


@pytest.fixture
def owner_token(fakehub: FakeGitHub) -> Iterator[str]:
    """A token of the fake's owner account that no other test uses, so finding it anywhere means it leaked here."""
    token = fake_token()
    fakehub.tokens[token] = TokenSpec()
    yield token
    fakehub.tokens.pop(token, None)


def login_in_process(
    args: list[str], token: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(token + "\n"))
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_login_checks_stores_and_never_logs_the_token(
    home: Path,
    fakehub: FakeGitHub,
    owner_token: str,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    code, out, err = login_in_process(
        ["--api-url", fakehub.api_url, "auth", "login", "--with-token"], owner_token, monkeypatch, capsys
    )
    assert code == 0, err
    assert memory_keyring.entries == {("copilot-tui", "github.com"): owner_token}
    assert "Logged in as: octocat" in out
    assert "Token scopes: manage_billing:copilot, read:org, read:enterprise" in out
    assert "Missing scopes: none" in out
    assert "Copilot metrics: readable for" in out
    assert f"Token {auth.mask_token(owner_token)} stored in the OS keyring" in out
    assert caplog.records, "nothing was logged: the check below would prove nothing"
    assert any(r.name == "copilot_tui.auth" for r in caplog.records)
    assert owner_token not in caplog.text
    assert owner_token not in out + err
    authorized = [r for r in fakehub.requests_to("api") if r.headers.get("authorization")]
    assert authorized and all(r.headers["authorization"].endswith(owner_token) for r in authorized)
    assert files_containing(home, owner_token) == []


def test_a_refused_token_is_not_stored_and_the_reason_is_shown(
    home: Path,
    fakehub: FakeGitHub,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = fake_token()
    code, out, err = login_in_process(
        ["auth", "login", "--with-token", "--api-url", fakehub.api_url], token, monkeypatch, capsys
    )
    assert code == 1
    assert "github.com refused the token" in err
    assert "Bad credentials" in err or "401" in err
    assert memory_keyring.entries == {}
    assert token not in out + err


def test_a_token_without_the_scope_is_stored_with_a_warning(
    home: Path,
    fakehub: FakeGitHub,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = login_in_process(
        ["--api-url", fakehub.api_url, "auth", "login", "--with-token", "--hostname", "octo.ghe.com"],
        NO_SCOPE_TOKEN,
        monkeypatch,
        capsys,
    )
    assert code == 0, err
    assert "Missing scopes: manage_billing:copilot or read:org" in out
    assert "Copilot metrics: not readable" in out
    assert memory_keyring.entries == {("copilot-tui", "octo.ghe.com"): NO_SCOPE_TOKEN}


def test_login_notes_an_environment_token_that_would_win(
    home: Path,
    fakehub: FakeGitHub,
    owner_token: str,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", FINE_GRAINED_TOKEN)
    code, out, _ = login_in_process(
        ["--api-url", fakehub.api_url, "auth", "login", "--with-token"], owner_token, monkeypatch, capsys
    )
    assert code == 0
    assert "GITHUB_TOKEN is set in this environment and is used before the stored token" in out


def read_pty(fd: int, until: str, deadline: float) -> str:
    seen = b""
    while until.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen.decode(errors="replace")


def test_the_prompt_hides_what_is_typed(tmp_path: Path, fakehub: FakeGitHub, owner_token: str) -> None:
    """In a real terminal (a pty that is the process's controlling terminal, as in an SSH session)."""
    env = isolated_env(tmp_path / "home")
    env["PYTHON_KEYRING_BACKEND"] = "auth_test_backends.MemoryKeyring"
    argv = [sys.executable, "-m", "copilot_tui", "--api-url", fakehub.api_url, "auth", "login"]
    pid, fd = pty.fork()
    if pid == 0:  # the child: its stdin, stdout and controlling terminal are the pty
        os.chdir(ROOT)
        os.execve(sys.executable, argv, env)
    deadline = time.monotonic() + 60
    try:
        prompt = read_pty(fd, "input is hidden", deadline)
        assert "Create a token at https://github.com/settings/tokens" in prompt
        os.write(fd, owner_token.encode() + b"\r")
        rest = read_pty(fd, "stored in the OS keyring", deadline)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, prompt + rest
    assert "Logged in as: octocat" in rest
    assert owner_token not in prompt + rest
    assert auth.mask_token(owner_token) in rest


# --- with the real Secret Service -------------------------------------------------------------------------------


def lookup(host: str) -> str:
    return subprocess.run(
        ["secret-tool", "lookup", "service", auth.SERVICE, "username", host],
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    ).stdout


@pytest.fixture
def real_hosts(host: str) -> Iterator[list[str]]:
    names = [host, "second-" + host]
    yield names
    for name in names:
        subprocess.run(
            ["secret-tool", "clear", "service", auth.SERVICE, "username", name], timeout=30, stdin=subprocess.DEVNULL
        )


@needs_real_keyring
@pytest.mark.keyring
def test_full_session_login_status_logout_in_real_processes(
    tmp_path: Path, fakehub: FakeGitHub, owner_token: str, real_hosts: list[str]
) -> None:
    env = isolated_env(tmp_path / "home")
    env["COPILOT_TUI_API_URL"] = fakehub.api_url
    first, second = real_hosts
    other = fake_token("github_pat_")
    fakehub.tokens[other] = TokenSpec(login="hubot", id=9, scopes=None)
    try:
        done = run_cli(["auth", "login", "--with-token", "--hostname", first], env, stdin=owner_token + "\n")
        assert done.returncode == 0, done.stderr
        assert lookup(first) == owner_token

        done = run_cli(["auth", "login", "--with-token", "--hostname", second], env, stdin=other + "\n")
        assert done.returncode == 0, done.stderr
        assert lookup(second) == other
        assert lookup(first) == owner_token

        status = run_cli(["auth", "status", "--hostname", first], env)
        assert status.returncode == 0, status.stderr
        assert status.stdout.startswith(first)
        assert "Token source: OS keyring" in status.stdout
        assert f"Token: {auth.mask_token(owner_token)}" in status.stdout
        assert "Logged in as: octocat" in status.stdout
        assert "Token scopes: manage_billing:copilot, read:org, read:enterprise" in status.stdout

        status = run_cli(["auth", "status", "--hostname", second], env)
        assert "Logged in as: hubot" in status.stdout and "fine-grained" in status.stdout

        shadowed = run_cli(["auth", "status", "--hostname", first], dict(env, GH_TOKEN=other))
        assert "Token source: environment (GH_TOKEN)" in shadowed.stdout
        assert "Logged in as: hubot" in shadowed.stdout
        assert f"also holds a token ({auth.mask_token(owner_token)})" in shadowed.stdout

        done = run_cli(["auth", "logout", "--hostname", first], env)
        assert done.returncode == 0, done.stderr
        assert lookup(first) == ""
        assert lookup(second) == other
        gone = run_cli(["auth", "status", "--hostname", first], env)
        assert gone.returncode == 1
        assert "not signed in" in gone.stderr

        outputs = [done.stdout, done.stderr, status.stdout, status.stderr, shadowed.stdout, gone.stderr]
        assert not any(owner_token in text or other in text for text in outputs)
        assert files_containing(tmp_path, owner_token) == []
        assert files_containing(tmp_path, other) == []
    finally:
        fakehub.tokens.pop(other, None)
