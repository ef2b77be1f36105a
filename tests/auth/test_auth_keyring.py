"""The keyring layer on test backends: storing, reading, removing, the refusals, the deadline, the clear error."""

from __future__ import annotations

from pathlib import Path

import keyring.core
import pytest
from auth_helpers import fake_token, files_containing, isolated_env, run_cli
from auth_test_backends import BrokenKeyring, ForgetfulKeyring, HangingKeyring, MemoryKeyring, PlaintextKeyring
from keyring.backends import fail, null

from copilot_tui import auth


def test_store_read_delete_one_entry_per_host(home: object, memory_keyring: MemoryKeyring) -> None:
    a, b = fake_token(), fake_token()
    auth.store_token("github.com", a)
    auth.store_token("https://Octo.ghe.com/", b)
    assert memory_keyring.entries == {("copilot-tui", "github.com"): a, ("copilot-tui", "octo.ghe.com"): b}
    assert auth.read_keyring_token(None) == a
    assert auth.read_keyring_token("api.octo.ghe.com") == b

    assert auth.delete_token("octo.ghe.com") is True
    assert auth.delete_token("octo.ghe.com") is False
    assert auth.read_keyring_token("octo.ghe.com") is None
    assert auth.read_keyring_token("github.com") == a


def test_storing_again_replaces_the_token(home: object, memory_keyring: MemoryKeyring) -> None:
    auth.store_token("github.com", fake_token())
    newer = fake_token()
    auth.store_token("github.com", newer)
    assert auth.read_keyring_token("github.com") == newer


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), PlaintextKeyring()])
def test_no_usable_keyring_is_a_clear_error_naming_the_options(
    home: Path, monkeypatch: pytest.MonkeyPatch, backend: object
) -> None:
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    token = fake_token()
    for call in (
        lambda: auth.store_token("github.com", token),
        lambda: auth.read_keyring_token("github.com"),
        lambda: auth.resolve_token("github.com"),
        lambda: auth.delete_token("github.com"),
    ):
        with pytest.raises(auth.KeyringUnavailableError) as caught:
            call()
        message = str(caught.value)
        assert "gnome-keyring" in message
        assert "keyring backend" in message
        assert "GH_TOKEN" in message
        assert "plain file" in message
        assert token not in message
    assert files_containing(home, token) == []
    if isinstance(backend, PlaintextKeyring):
        assert backend.entries == {}


def test_the_error_names_the_enterprise_variable_for_an_enterprise_server(
    home: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
    with pytest.raises(auth.KeyringUnavailableError) as caught:
        auth.read_keyring_token("ghe.example.com")
    assert "GH_ENTERPRISE_TOKEN" in str(caught.value)


def test_a_backend_that_keeps_nothing_is_noticed(home: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring.core, "_keyring_backend", ForgetfulKeyring())
    with pytest.raises(auth.KeyringUnavailableError, match="read back"):
        auth.store_token("github.com", fake_token())


def test_a_backend_error_never_carries_the_token(home: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring.core, "_keyring_backend", BrokenKeyring())
    token = fake_token()
    with pytest.raises(auth.KeyringUnavailableError) as caught:
        auth.store_token("github.com", token)
    assert "KeyringLocked" in caught.value.reason
    assert token not in str(caught.value)
    assert auth.mask_token(token) in caught.value.reason
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_a_hanging_keyring_times_out(home: object, hanging_keyring: HangingKeyring) -> None:
    for call in (
        lambda: auth.read_keyring_token("github.com", timeout=0.2),
        lambda: auth.store_token("github.com", fake_token(), timeout=0.2),
        lambda: auth.delete_token("github.com", timeout=0.2),
        lambda: auth.resolve_token("github.com", timeout=0.2),
    ):
        with pytest.raises(auth.KeyringTimeoutError) as caught:
            call()
        assert "did not answer within 0.2 seconds" in str(caught.value)
        assert isinstance(caught.value, auth.KeyringUnavailableError)


def test_the_deadline_comes_from_the_environment(home: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(auth.TIMEOUT_ENV, "0.25")
    assert auth.keyring_timeout() == 0.25
    monkeypatch.setenv(auth.TIMEOUT_ENV, "soon")
    assert auth.keyring_timeout() == auth.DEFAULT_TIMEOUT


def test_a_hanging_keyring_does_not_hang_the_cli(tmp_path: Path) -> None:
    """The real process: its keyring never answers; the CLI says so, exits 1, and the process ends (the backend
    would wait an hour: run_cli's timeout would fail the test long before)."""
    env = isolated_env(tmp_path / "home")
    env["PYTHON_KEYRING_BACKEND"] = "auth_test_backends.HangingKeyring"
    env[auth.TIMEOUT_ENV] = "0.5"
    for args in (["auth", "status"], ["auth", "logout"], ["auth", "login", "--with-token"]):
        done = run_cli(args, env, stdin=fake_token() + "\n", timeout=60)
        assert done.returncode == 1, done.stderr
        assert "did not answer within 0.5 seconds" in done.stderr
        assert "Traceback" not in done.stderr
