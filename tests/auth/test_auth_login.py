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
from copilot_tui.github.hosts import token_host


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
    own_token: str,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    github_com = fake_token()
    auth.store_token("github.com", github_com)
    code, out, err = login_in_process(
        ["--api-url", fakehub.api_url, "auth", "login", "--with-token"], own_token, monkeypatch, capsys
    )
    assert code == 0, err
    # kept under the host the API URL names, port included; github.com's own token is left as it was
    assert memory_keyring.entries == {
        ("copilot-tui", "github.com"): github_com,
        ("copilot-tui", token_host(fakehub.api_url)): own_token,
    }
    assert token_host(fakehub.api_url) == fakehub.api_url.removeprefix("http://")
    assert "Logged in as: octocat" in out
    assert "Token scopes: manage_billing:copilot, read:org, read:enterprise" in out
    assert "Missing scopes: none" in out
    assert "Copilot metrics: readable for" in out
    assert f"Token {auth.mask_token(own_token)} stored in the OS keyring" in out
    assert caplog.records, "nothing was logged: the check below would prove nothing"
    assert any(r.name == "copilot_tui.auth" for r in caplog.records)
    assert own_token not in caplog.text
    assert own_token not in out + err
    authorized = [r for r in fakehub.requests_to("api") if r.headers.get("authorization")]
    assert authorized and all(r.headers["authorization"].endswith(own_token) for r in authorized)
    assert files_containing(home, own_token) == []


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
    assert f"{token_host(fakehub.api_url)} refused the token" in err
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
    # --api-url wins over --hostname: the token went to the fake, so it is the fake's
    assert memory_keyring.entries == {("copilot-tui", token_host(fakehub.api_url)): NO_SCOPE_TOKEN}


def test_login_notes_an_environment_token_that_would_win(
    home: Path,
    fakehub: FakeGitHub,
    own_token: str,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", FINE_GRAINED_TOKEN)  # github.com's: not in the way of the fake's
    monkeypatch.setenv("GITHUB_ENTERPRISE_TOKEN", FINE_GRAINED_TOKEN)
    code, out, _ = login_in_process(
        ["--api-url", fakehub.api_url, "auth", "login", "--with-token"], own_token, monkeypatch, capsys
    )
    assert code == 0
    assert "GITHUB_ENTERPRISE_TOKEN is set in this environment and is used before the stored token" in out


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


def test_the_prompt_hides_what_is_typed(tmp_path: Path, fakehub: FakeGitHub, own_token: str) -> None:
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
        assert f"Paste the token for {token_host(fakehub.api_url)}" in prompt
        os.write(fd, own_token.encode() + b"\r")
        rest = read_pty(fd, "stored in the OS keyring", deadline)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, prompt + rest
    assert "Logged in as: octocat" in rest
    assert own_token not in prompt + rest
    assert auth.mask_token(own_token) in rest


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
def second_hub() -> Iterator[FakeGitHub]:
    from copilot_tui.metrics.demo import DemoDataset

    hub = FakeGitHub(DemoDataset(), parts_per_report=1).start()
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture
def real_hosts(fakehub: FakeGitHub, second_hub: FakeGitHub) -> Iterator[list[str]]:
    """Two fakes on this machine, two hosts: their ports tell them apart."""
    names = [token_host(fakehub.api_url), token_host(second_hub.api_url)]
    yield names
    for name in names:
        subprocess.run(
            ["secret-tool", "clear", "service", auth.SERVICE, "username", name], timeout=30, stdin=subprocess.DEVNULL
        )


@needs_real_keyring
@pytest.mark.keyring
def test_full_session_login_status_logout_in_real_processes(
    tmp_path: Path, fakehub: FakeGitHub, second_hub: FakeGitHub, own_token: str, real_hosts: list[str]
) -> None:
    env = isolated_env(tmp_path / "home")
    first, second = real_hosts
    urls = {first: fakehub.api_url, second: second_hub.api_url}
    other = fake_token("github_pat_")
    second_hub.tokens[other] = TokenSpec(login="hubot", id=9, scopes=None)
    fakehub.tokens[other] = TokenSpec(login="hubot", id=9, scopes=None)

    def on(host: str, *args: str) -> list[str]:
        return ["auth", *args, "--api-url", urls[host]]

    try:
        done = run_cli(on(first, "login", "--with-token"), env, stdin=own_token + "\n")
        assert done.returncode == 0, done.stderr
        assert lookup(first) == own_token

        done = run_cli(on(second, "login", "--with-token"), env, stdin=other + "\n")
        assert done.returncode == 0, done.stderr
        assert lookup(second) == other
        assert lookup(first) == own_token

        status = run_cli(on(first, "status"), env)
        assert status.returncode == 0, status.stderr
        assert status.stdout.startswith(first)
        assert "Token source: OS keyring" in status.stdout
        assert f"Token: {auth.mask_token(own_token)}" in status.stdout
        assert "Logged in as: octocat" in status.stdout
        assert "Token scopes: manage_billing:copilot, read:org, read:enterprise" in status.stdout

        status = run_cli(on(second, "status"), env)
        assert "Logged in as: hubot" in status.stdout and "fine-grained" in status.stdout

        assert "Token source: OS keyring" in run_cli(on(first, "status"), dict(env, GH_TOKEN=other)).stdout
        shadowed = run_cli(on(first, "status"), dict(env, GH_ENTERPRISE_TOKEN=other))
        assert "Token source: environment (GH_ENTERPRISE_TOKEN)" in shadowed.stdout
        assert "Logged in as: hubot" in shadowed.stdout
        assert f"also holds a token ({auth.mask_token(own_token)})" in shadowed.stdout

        done = run_cli(on(first, "logout"), env)
        assert done.returncode == 0, done.stderr
        assert lookup(first) == ""
        assert lookup(second) == other
        gone = run_cli(on(first, "status"), env)
        assert gone.returncode == 1
        assert f"not signed in to {first}" in gone.stderr
        assert f"auth login --api-url {fakehub.api_url}" in gone.stderr

        outputs = [done.stdout, done.stderr, status.stdout, status.stderr, shadowed.stdout, gone.stderr]
        assert not any(own_token in text or other in text for text in outputs)
        assert files_containing(tmp_path, own_token) == []
        assert files_containing(tmp_path, other) == []
    finally:
        fakehub.tokens.pop(other, None)
        second_hub.tokens.pop(other, None)
