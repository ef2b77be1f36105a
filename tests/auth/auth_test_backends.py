"""Keyring backends for the tests: importable in-process and, by ``PYTHON_KEYRING_BACKEND``, in a CLI subprocess
(with this directory on ``PYTHONPATH``).

``keyring`` considers every loaded backend class when it picks one by itself, so these have a negative priority:
never picked, never chained, only used where a test names them.
"""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """A keyring in memory, for tests that are about something else than the OS keyring."""

    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("No such password!")


class HangingKeyring(KeyringBackend):
    """A keyring whose every call waits, like a Secret Service that never answers over D-Bus.

    The wait ends when ``release`` is set (the in-process tests set it on teardown, so no thread outlives them) or
    after an hour (a subprocess is over long before).
    """

    priority = -1  # type: ignore[assignment]
    release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(3600)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(3600)

    def delete_password(self, service: str, username: str) -> None:
        self.release.wait(3600)


class PlaintextKeyring(MemoryKeyring):
    """Stands for keyrings.alt's file backend, which must be refused: its name is what gives it away."""

    __module__ = "keyrings.alt.file"


class ForgetfulKeyring(MemoryKeyring):
    """Accepts a password and keeps nothing, so the read-back after storing notices."""

    def set_password(self, service: str, username: str, password: str) -> None:
        return None


class BrokenKeyring(MemoryKeyring):
    """Fails the way a locked collection does, with the token in its message (which must not reach the user)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        from keyring.errors import KeyringLocked

        raise KeyringLocked(f"Failed to unlock the collection while storing {password}!")
