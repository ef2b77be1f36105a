"""The GitHub side: an async REST client (``client``), its typed errors (``errors``) and host rules (``hosts``).

Nothing here knows Textual or what the numbers mean; see STYLE.md.
"""

from copilot_tui.github.client import GitHubClient, GitHubUser, ReportDownload, ReportLinks
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
