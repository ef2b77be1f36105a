"""A token belongs to one host: the one its API URL names. Every entry point asks for that host's token only, says
which host has none and how to sign in to it, and then sends nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from auth_helpers import fake_token
from auth_test_backends import MemoryKeyring

from copilot_tui import auth, cli
from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from copilot_tui.github.hosts import token_host


@pytest.mark.parametrize(
    ("api_url", "host"),
    [
        ("https://api.github.com", "github.com"),
        ("https://api.github.com:443/", "github.com"),
        ("https://api.octo.ghe.com", "octo.ghe.com"),
        ("https://ghes.example.com/api/v3", "ghes.example.com"),
        ("https://ghes.example.com:8443/api/v3", "ghes.example.com:8443"),
        ("http://127.0.0.1:8080", "127.0.0.1:8080"),
        ("http://127.0.0.1:8081", "127.0.0.1:8081"),
        ("http://localhost:8080", "localhost:8080"),
        ("http://[::1]:8080", "[::1]:8080"),
    ],
)
def test_the_host_of_a_token_is_the_one_its_api_url_names_port_included(api_url: str, host: str) -> None:
    assert token_host(api_url) == host


@pytest.mark.parametrize(
    ("host", "names"),
    [
        ("github.com", ("GH_TOKEN", "GITHUB_TOKEN")),
        ("octo.ghe.com", ("GH_TOKEN", "GITHUB_TOKEN")),
        ("ghes.example.com", ("GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN")),
        ("127.0.0.1:8080", ("GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN")),
        ("localhost:8080", ("GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN")),
    ],
)
def test_gh_token_is_github_coms_and_ghe_coms_only(host: str, names: tuple[str, ...]) -> None:
    assert auth.env_vars_for_host(host) == names


def test_keyring_entries_of_two_fakes_do_not_meet(home: Path, memory_keyring: MemoryKeyring) -> None:
    a, b = fake_token(), fake_token()
    auth.store_token("127.0.0.1:8080", a)
    auth.store_token(auth.host_for(None, "http://127.0.0.1:8081"), b)
    assert auth.read_keyring_token(auth.host_for(None, "http://127.0.0.1:8080")) == a
    assert auth.read_keyring_token("127.0.0.1:8081") == b
    assert auth.read_keyring_token("github.com") is None


def no_token_said(err: str, fakehub: FakeGitHub) -> bool:
    host = token_host(fakehub.api_url)
    return (
        f"No GitHub token for {host}: sign in with 'copilot-tui auth login --api-url {fakehub.api_url}', or set "
        "GH_ENTERPRISE_TOKEN." in err
    )


@pytest.mark.parametrize(
    "command",
    [
        ["sync", "--org", "octo-garage"],
        ["export", "--org", "octo-garage"],
    ],
)
def test_github_coms_tokens_never_go_to_another_host(
    command: list[str],
    home: Path,
    fakehub: FakeGitHub,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """GH_TOKEN, GITHUB_TOKEN and github.com's keyring entry are all set: the fake has none of its own."""
    auth.store_token("github.com", OWNER_TOKEN)
    monkeypatch.setenv("GH_TOKEN", OWNER_TOKEN)
    monkeypatch.setenv("GITHUB_TOKEN", OWNER_TOKEN)
    assert cli.main(["--api-url", fakehub.api_url, *command]) == 1
    err = capsys.readouterr().err
    assert no_token_said(err, fakehub), err
    assert fakehub.requests == []


def test_auth_status_names_the_host_without_a_token(
    home: Path,
    fakehub: FakeGitHub,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GH_TOKEN", OWNER_TOKEN)
    assert cli.main(["auth", "status", "--api-url", fakehub.api_url]) == 1
    err = capsys.readouterr().err
    host = token_host(fakehub.api_url)
    assert f"not signed in to {host}: sign in with 'copilot-tui auth login --api-url {fakehub.api_url}'" in err
    assert fakehub.requests == []


def test_the_hosts_own_keyring_entry_is_used_and_only_it(
    home: Path,
    fakehub: FakeGitHub,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    other = fake_token()
    auth.store_token("github.com", other)
    auth.store_token(token_host(fakehub.api_url), OWNER_TOKEN)
    day = (fakehub.today - timedelta(days=1)).isoformat()
    sync = ["--api-url", fakehub.api_url, "sync", "--org", "octo-garage", "--since", day, "--until", day]
    assert cli.main(sync) == 0
    assert "octo-garage: fetched" in capsys.readouterr().out
    assert cli.main(["--api-url", fakehub.api_url, "auth", "status"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(token_host(fakehub.api_url))
    assert "Token source: OS keyring" in out
    sent = {r.headers.get("authorization") for r in fakehub.requests_to("api")}
    assert sent == {f"Bearer {OWNER_TOKEN}"}


def test_logout_takes_the_api_url_and_removes_that_hosts_entry_only(
    home: Path, fakehub: FakeGitHub, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    keep = fake_token()
    auth.store_token("github.com", keep)
    auth.store_token(token_host(fakehub.api_url), OWNER_TOKEN)
    assert cli.main(["auth", "logout", "--api-url", fakehub.api_url]) == 0
    assert f"Removed the token for {token_host(fakehub.api_url)}" in capsys.readouterr().out
    assert memory_keyring.entries == {("copilot-tui", "github.com"): keep}


@pytest.mark.parametrize(
    ("api_url", "hint"),
    [
        ("https://api.github.com", "sign in with 'copilot-tui auth login', or set GH_TOKEN"),
        ("https://api.octo.ghe.com", "sign in with 'copilot-tui auth login --hostname octo.ghe.com', or set GH_TOKEN"),
        (
            "https://ghes.example.com/api/v3",
            "sign in with 'copilot-tui auth login --hostname ghes.example.com', or set GH_ENTERPRISE_TOKEN",
        ),
        (
            "http://127.0.0.1:8080",
            "sign in with 'copilot-tui auth login --api-url http://127.0.0.1:8080', or set GH_ENTERPRISE_TOKEN",
        ),
    ],
)
def test_the_sign_in_hint_names_the_variable_of_the_host(api_url: str, hint: str) -> None:
    assert auth.sign_in_hint(token_host(api_url), api_url) == hint
