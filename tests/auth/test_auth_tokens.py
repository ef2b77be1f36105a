"""Where a token comes from (environment before keyring, gh's variable names per host) and how it is shown."""

from __future__ import annotations

import pytest
from auth_helpers import fake_token
from auth_test_backends import MemoryKeyring

from copilot_tui import auth


@pytest.mark.parametrize(
    ("token", "shown"),
    [
        ("ghp_" + "x" * 32 + "abcd", "ghp_****abcd"),
        ("github_pat_" + "y" * 70 + "wxyz", "github_pat_****wxyz"),
        ("gho_" + "z" * 32 + "9876", "gho_****9876"),
        ("0123456789abcdef0123456789abcdef01234567", "****4567"),
        ("ghp_short", "ghp_****"),
        ("s3cret", "****"),
        ("", "(none)"),
        (None, "(none)"),
    ],
)
def test_mask_token_keeps_prefix_and_last_four_only_when_enough_stays_hidden(token: str | None, shown: str) -> None:
    assert auth.mask_token(token) == shown


def test_masked_form_never_holds_the_secret_part() -> None:
    token = fake_token()
    masked = auth.mask_token(token)
    assert token[4:-4] not in masked
    assert len(masked) < len(token) / 3


@pytest.mark.parametrize(
    ("given", "host"),
    [
        (None, "github.com"),
        ("", "github.com"),
        ("GitHub.com", "github.com"),
        ("https://github.com/", "github.com"),
        ("api.github.com", "github.com"),
        ("octo.ghe.com", "octo.ghe.com"),
        ("api.octo.ghe.com", "octo.ghe.com"),
        ("https://GHE.example.com/api/v3", "ghe.example.com"),
    ],
)
def test_hostnames_are_normalized_like_gh(given: str | None, host: str) -> None:
    assert auth.normalize_hostname(given) == host


@pytest.mark.parametrize(
    ("host", "names"),
    [
        ("github.com", ("GH_TOKEN", "GITHUB_TOKEN")),
        ("octo.ghe.com", ("GH_TOKEN", "GITHUB_TOKEN")),
        ("ghe.example.com", ("GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN")),
    ],
)
def test_environment_variables_per_host_follow_gh(host: str, names: tuple[str, ...]) -> None:
    assert auth.env_vars_for_host(host) == names


def test_gh_token_wins_over_github_token_and_keyring(
    home: object, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored, gh, github = fake_token(), fake_token(), fake_token()
    auth.store_token("github.com", stored)
    monkeypatch.setenv("GITHUB_TOKEN", github)
    monkeypatch.setenv("GH_TOKEN", gh)
    found = auth.resolve_token("github.com")
    assert found is not None and (found.token, found.source) == (gh, "GH_TOKEN")

    monkeypatch.delenv("GH_TOKEN")
    found = auth.resolve_token("github.com")
    assert found is not None and (found.token, found.source) == (github, "GITHUB_TOKEN")

    monkeypatch.setenv("GITHUB_TOKEN", "  ")  # empty, as gh sees it: ignored
    found = auth.resolve_token("github.com")
    assert found is not None and (found.token, found.source) == (stored, "keyring")


def test_enterprise_server_hosts_read_the_enterprise_variables_only(
    home: object, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored, plain, enterprise = fake_token(), fake_token(), fake_token()
    auth.store_token("ghe.example.com", stored)
    monkeypatch.setenv("GH_TOKEN", plain)
    found = auth.resolve_token("ghe.example.com")
    assert found is not None and found.source == "keyring" and found.token == stored

    monkeypatch.setenv("GITHUB_ENTERPRISE_TOKEN", enterprise)
    found = auth.resolve_token("ghe.example.com")
    assert found is not None and (found.token, found.source) == (enterprise, "GITHUB_ENTERPRISE_TOKEN")


def test_environment_token_needs_no_keyring(home: object, hanging_keyring: object, monkeypatch: pytest.MonkeyPatch):
    token = fake_token()
    monkeypatch.setenv("GH_TOKEN", token)
    found = auth.resolve_token(None, timeout=0.1)
    assert found is not None and found.token == token and found.from_environment


def test_no_token_anywhere_is_none(home: object, memory_keyring: MemoryKeyring) -> None:
    assert auth.resolve_token("github.com") is None


def test_resolved_token_repr_and_str_are_masked() -> None:
    token = fake_token()
    found = auth.ResolvedToken(token, "keyring", "github.com")
    assert token not in repr(found)
    assert token not in str(found)
    assert found.masked in str(found)
    assert found.describe_source().startswith("OS keyring")
    assert auth.ResolvedToken(token, "GH_TOKEN", "github.com").describe_source() == "environment (GH_TOKEN)"


@pytest.mark.parametrize("bad", ["", "   \n", "ghp_abc def", "ghp_abc\x00def", "ghp_a\tb"])
def test_pasted_text_that_cannot_be_a_token_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        auth.normalize_token(bad)


def test_a_paste_keeps_the_token_without_its_newline() -> None:
    token = fake_token()
    assert auth.normalize_token(f"  {token}\r\n") == token


def test_token_help_names_the_scopes_and_permissions() -> None:
    text = auth.token_help("octo.ghe.com")
    assert "https://octo.ghe.com/settings/tokens" in text
    for need in ("manage_billing:copilot", "read:org", "read:enterprise", "Organization Copilot metrics"):
        assert need in text
