"""Typed errors of the GitHub client, each carrying one sentence a person can act on.

The UI and the headless commands show ``str(error)`` as it is, so every message says what went wrong and what to do
about it, names the place where it is fixed, and never contains the token.
"""

from __future__ import annotations

from datetime import date

POLICY_WHERE_ENTERPRISE = (
    "an enterprise owner sets the 'Copilot usage metrics' policy to 'Enabled everywhere' in the enterprise's "
    "Copilot policies (Enterprise settings > AI controls > Copilot)"
)
POLICY_WHERE_ORG = (
    POLICY_WHERE_ENTERPRISE + ", or, for an organization outside an enterprise, an organization owner enables it in "
    "Organization settings > Copilot > Policies"
)
FIRST_REPORT_DAY = date(2025, 10, 10)
"""Copilot usage metrics reports exist from this day on (GitHub REST docs, "REST API endpoints for Copilot usage
metrics": "Reports are available starting from October 10, 2025, and historical data can be accessed for up to 1
year from the current date")."""


class GitHubError(Exception):
    """Anything the GitHub client could not do; ``str()`` is the sentence to show."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        url: str | None = None,
        api_message: str | None = None,
        documentation_url: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.url = url
        self.api_message = api_message
        self.documentation_url = documentation_url
        self.request_id = request_id

    def __str__(self) -> str:
        return self.message


class BadCredentialsError(GitHubError):
    """401: the token is wrong, expired or revoked."""


class ForbiddenError(GitHubError):
    """403 that is not a rate limit, told apart by GitHub's message and headers.

    ``cause``: ``"saml"`` (SAML SSO enforced and the token not authorized: ``sso_url`` is where to authorize it),
    ``"integration"`` (a GitHub App not installed on the target), ``"fine-grained"`` (a fine-grained token without the
    permission), ``"policy"`` (the "Copilot usage metrics" policy off), ``"role"`` (the account lacks the role),
    ``"user-agent"`` (a plain-text refusal of a request without User-Agent), ``"scope"`` (a classic token's scopes
    lack what the endpoint accepts), ``"role-or-policy"`` (the scopes are fine, GitHub does not say which of the two)
    and ``"unknown"`` (nothing says: the message names every possible cause).
    """

    def __init__(
        self,
        message: str,
        *,
        cause: str = "unknown",
        missing_scopes: tuple[str, ...] = (),
        sso_url: str | None = None,
        **kw: object,
    ):
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.cause = cause
        self.missing_scopes = missing_scopes
        self.sso_url = sso_url


class NotFoundError(GitHubError):
    """404: the organization or enterprise does not exist, or the token cannot see it."""


class DayOutOfRangeError(GitHubError):
    """400/422 on a report for a day: the day is before the first report, more than a year back, or in the future."""

    def __init__(self, message: str, *, day: date | None = None, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.day = day


class RateLimitError(GitHubError):
    """A rate limit whose wait is longer than the client may wait, or that kept coming back.

    ``reset_at`` is the epoch second after which a retry may succeed (None when GitHub gave no time).
    """

    def __init__(self, message: str, *, reset_at: float | None = None, secondary: bool = False, **kw: object):
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.reset_at = reset_at
        self.secondary = secondary


class ServerError(GitHubError):
    """5xx that outlasted the retries."""


class NetworkError(GitHubError):
    """No answer: connection refused or dropped, DNS, TLS or a timeout, after the retries."""


class DownloadError(GitHubError):
    """A report file could not be downloaded from its signed link."""


class LinkExpiredError(DownloadError):
    """The download host refused a signed link (403/404) even after one fresh request for links."""


class ReportTooLargeError(DownloadError):
    """A report file is larger than the client's size bound."""


class ResponseFormatError(GitHubError):
    """The API answered with something that is not the documented JSON."""
