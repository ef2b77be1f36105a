"""A fake GitHub for tests and demos: a real HTTP server on 127.0.0.1 that answers like the REST API.

See ``server.py`` for what it follows, ``faults.py`` for what can go wrong on purpose, and ``__main__.py`` to run it
by hand (``python -m copilot_tui.fakehub``).
"""

from copilot_tui.fakehub.data import StaticDataset, StaticOrg
from copilot_tui.fakehub.faults import Fault, Faults
from copilot_tui.fakehub.server import (
    DEFAULT_TOKENS,
    FINE_GRAINED_TOKEN,
    MEMBER_TOKEN,
    NO_PERMISSION_TOKEN,
    NO_SCOPE_TOKEN,
    OWNER_TOKEN,
    FakeGitHub,
    RecordedRequest,
    TokenSpec,
)

__all__ = [
    "DEFAULT_TOKENS",
    "FINE_GRAINED_TOKEN",
    "MEMBER_TOKEN",
    "NO_PERMISSION_TOKEN",
    "NO_SCOPE_TOKEN",
    "OWNER_TOKEN",
    "Fault",
    "FakeGitHub",
    "Faults",
    "RecordedRequest",
    "StaticDataset",
    "StaticOrg",
    "TokenSpec",
]
