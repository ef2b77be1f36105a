"""The token as a value that cannot be shown: ``Secret``.

A token read from the environment, the keyring, a prompt or the sign-in screen is wrapped at once and travels as a
``Secret`` through auth, the app and the client. Its ``repr``, ``str`` and ``format`` give the masked form
(``ghp_****abcd``), so a traceback with locals (Textual's crash screen), a log line or an f-string shows no more than
that; the plain text is taken out with :meth:`Secret.reveal` only where it must leave the process (the
``Authorization`` header, built inside httpx by ``github.client.BearerAuth``, and the keyring call).
"""

from __future__ import annotations

import hmac
from typing import Any, NoReturn

_PREFIXES = ("github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_")


def mask(token: str | Secret | None) -> str:
    """The token as it may be shown: its kind prefix and last four characters, ``ghp_****abcd``.

    The tail is only shown when at least 16 secret characters stay hidden, so a short or odd token shows as
    ``****`` alone.
    """
    if isinstance(token, Secret):
        return token.masked
    if not token:
        return "(none)"
    token = token.strip()
    prefix = next((p for p in _PREFIXES if token.startswith(p)), "")
    secret = token[len(prefix) :]
    tail = secret[-4:] if len(secret) >= 20 else ""
    return f"{prefix}****{tail}"


class Secret:
    """A token whose every printable form is masked. ``host`` is the host it belongs to, when known: a client
    for another host refuses it."""

    __slots__ = ("_masked", "_value", "host")

    def __init__(self, value: str | Secret, host: str | None = None) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError(f"a token is text, not {type(value).__name__}")
        self._value = value
        self._masked = mask(value)
        self.host = host

    @classmethod
    def wrap(cls, value: str | Secret | None, host: str | None = None) -> Secret | None:
        """``value`` as a Secret (``None`` and ``""`` stay ``None``); a Secret is kept as it is, or re-bound to
        ``host`` when one is given."""
        if value is None or value == "":
            return None
        if isinstance(value, Secret):
            return value if host is None or value.host == host else Secret(value.reveal(), host)
        return cls(value, host)

    def reveal(self) -> str:
        """The plain token. Call it only in the expression that hands it out of the process."""
        return self._value

    def bound_to(self, host: str) -> Secret:
        return Secret(self._value, host)

    @property
    def masked(self) -> str:
        return self._masked

    def __repr__(self) -> str:
        return f"Secret({self._masked!r})"

    def __str__(self) -> str:
        return self._masked

    def __format__(self, spec: str) -> str:
        return format(self._masked, spec)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        """Equal to a Secret or a text holding the same token, compared in constant time."""
        if isinstance(other, Secret):
            other = other._value
        if not isinstance(other, str):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret is not pickled or copied: it would leave the process in plain text")

    def __rich_repr__(self) -> Any:
        yield self._masked
