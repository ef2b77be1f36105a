"""The GitHub side: an async REST client (``client``), the sentences of its refusals (``refusals``), its typed
errors (``errors``) and host rules (``hosts``).

Nothing here knows Textual or what the numbers mean; see STYLE.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from copilot_tui.github.client import GitHubClient, GitHubUser, NoReport, ReportDownload, ReportLinks
    from copilot_tui.github.errors import (
        BadCredentialsError,
        DayOutOfRangeError,
        DownloadError,
        ForbiddenError,
        GitHubError,
        LinkExpiredError,
        NetworkError,
        NotFoundError,
        RateLimitError,
        ReportTooLargeError,
        ResponseFormatError,
        ServerError,
    )
    from copilot_tui.github.hosts import api_url_for_host, resolve_api_url

#: Where each name lives. The package imports nothing until a name is asked for: the client pulls in httpx
#: (about 0.1 s), and the app's first paint only needs the errors.
_HOMES = {
    "GitHubClient": "client",
    "GitHubUser": "client",
    "NoReport": "client",
    "ReportDownload": "client",
    "ReportLinks": "client",
    "BadCredentialsError": "errors",
    "DayOutOfRangeError": "errors",
    "DownloadError": "errors",
    "ForbiddenError": "errors",
    "GitHubError": "errors",
    "LinkExpiredError": "errors",
    "NetworkError": "errors",
    "NotFoundError": "errors",
    "RateLimitError": "errors",
    "ReportTooLargeError": "errors",
    "ResponseFormatError": "errors",
    "ServerError": "errors",
    "api_url_for_host": "hosts",
    "resolve_api_url": "hosts",
}

__all__ = [
    "BadCredentialsError",
    "DayOutOfRangeError",
    "DownloadError",
    "ForbiddenError",
    "GitHubClient",
    "GitHubError",
    "GitHubUser",
    "LinkExpiredError",
    "NetworkError",
    "NoReport",
    "NotFoundError",
    "RateLimitError",
    "ReportDownload",
    "ReportLinks",
    "ReportTooLargeError",
    "ResponseFormatError",
    "ServerError",
    "api_url_for_host",
    "resolve_api_url",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
