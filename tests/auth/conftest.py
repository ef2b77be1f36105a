"""Fixtures for the sign-in tests: a home of their own and keyrings the test controls."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring.core
import pytest
from auth_helpers import TOKEN_VARS, isolated_env
from auth_test_backends import HangingKeyring, MemoryKeyring


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This process's environment pointed at a fresh home with no token variables."""
    path = tmp_path / "home"
    for name, value in isolated_env(path).items():
        if name in ("HOME",) or name.startswith(("XDG_", "COPILOT_TUI_")):
            monkeypatch.setenv(name, value)
    for name in TOKEN_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("COPILOT_TUI_API_URL", raising=False)
    return path


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    backend = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    return backend


@pytest.fixture
def hanging_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[HangingKeyring]:
    HangingKeyring.release.clear()
    backend = HangingKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    yield backend
    HangingKeyring.release.set()


@pytest.fixture
def host() -> Iterator[str]:
    """A host name of its own for each test, so entries in a shared keyring never meet."""
    yield f"t{uuid.uuid4().hex[:12]}.ghe.com"
