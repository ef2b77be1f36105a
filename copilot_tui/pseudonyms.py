"""Stable pseudonyms for logins and team names, so a screen can be shared (or a file handed on) without naming people.

A login becomes ``user-`` and a team's slug ``team-`` followed by nine letters and digits: five bits of each byte of
a keyed BLAKE2b hash of the lowercased name, under a random key made once per install and kept in the config
directory (``pseudonym.key``, 0600). The same name gets the same pseudonym in every run and in the app and ``export``
alike, while someone without the key cannot get back from a pseudonym to the name by hashing guesses. Nine base-32
characters are 45 bits: two of 200,000 logins share one with a chance of about 1 in 1,700. Organization names are
kept: they are no person's, and comparing the orgs of an enterprise is what a shared Orgs tab is for.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path
from typing import Any

KEY_FILE = "pseudonym.key"
KEY_BYTES = 32
CODE_LENGTH = 9
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
"""Crockford's base 32 in lowercase: no i, l, o or u, so a pseudonym read aloud is not misheard."""
_LETTER_OF_BYTE = bytes(ord(ALPHABET[b & 31]) for b in range(256))
"""A hash byte's letter: its low five bits."""
NAME_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""What a login or a team slug looks like inside a text (a notice, a reason, a traceback)."""


class PseudonymKeyError(Exception):
    """The key file cannot be read or written; the message says which file and why."""


class Pseudonyms:
    """Pseudonyms under one key. Each name is hashed once and kept, so a table of 200,000 logins costs one pass."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("a pseudonym key needs at least 16 bytes")
        self._user_hash = hashlib.blake2b(key=key, digest_size=CODE_LENGTH, person=b"user")
        self._team_hash = hashlib.blake2b(key=key, digest_size=CODE_LENGTH, person=b"team")
        self._users: dict[str, str] = {}
        self._teams: dict[str, str] = {}

    def _code(self, base: Any, name: str) -> str:
        hashed = base.copy()
        hashed.update(name.encode())
        return hashed.digest().translate(_LETTER_OF_BYTE).decode()

    def user(self, login: str) -> str:
        """The pseudonym of a login (case does not matter: GitHub's logins are case-insensitive)."""
        key = login.lower()
        found = self._users.get(key)
        if found is None:
            found = self._users[key] = "user-" + self._code(self._user_hash, key)
        return found

    def team(self, slug: str) -> str:
        """The pseudonym of a team's slug; ``(no team)`` stays as it is (it names nobody)."""
        if slug.startswith("("):
            return slug
        key = slug.lower()
        found = self._teams.get(key)
        if found is None:
            found = self._teams[key] = "team-" + self._code(self._team_hash, key)
        return found

    def users(self, logins: list[str]) -> list[str]:
        """The pseudonyms of many logins, in order (the users table's column)."""
        known = self._users
        out = []
        for login in logins:
            key = login.lower()
            found = known.get(key)
            if found is None:
                found = known[key] = "user-" + self._code(self._user_hash, key)
            out.append(found)
        return out

    def redact(self, text: str) -> str:
        """``text`` with every login and slug given a pseudonym so far replaced by it: for the free text of a
        notice, a reason or a traceback, which names people only by the names the tables hold."""
        known = {**self._teams, **self._users}
        if not known:
            return text
        return NAME_TOKEN.sub(lambda m: known.get(m.group().lower(), m.group()), text)


def key_path(directory: Path | None = None) -> Path:
    from copilot_tui import locations

    return (directory or locations.config_dir()) / KEY_FILE


def load_key(path: Path | None = None) -> bytes:
    """The install's key: read from ``path`` (the config directory's ``pseudonym.key``), or made and written there
    (0600) the first time. Raises ``PseudonymKeyError`` when neither works: pseudonyms of a key not kept would differ
    at the next run."""
    from copilot_tui.files import private_dir, write_private

    path = path or key_path()
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = b""
    except OSError as exc:
        raise PseudonymKeyError(f"{path} cannot be read: {exc.strerror or exc}") from None
    if len(key) == KEY_BYTES:
        return key
    if key:
        raise PseudonymKeyError(
            f"{path} is not a pseudonym key ({len(key)} bytes, not {KEY_BYTES}): move it away and a new key is made "
            "(every pseudonym changes)."
        )
    key = os.urandom(KEY_BYTES)
    try:
        private_dir(path.parent)
        write_private(path, key)
    except OSError as exc:
        raise PseudonymKeyError(f"{path} cannot be written: {exc.strerror or exc}") from None
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
    return key


def install_pseudonyms(path: Path | None = None) -> Pseudonyms:
    """The pseudonyms of this install (``load_key``); raises ``PseudonymKeyError``."""
    return Pseudonyms(load_key(path))


__all__ = ["PseudonymKeyError", "Pseudonyms", "install_pseudonyms", "key_path", "load_key"]
