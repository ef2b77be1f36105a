"""Async client for the GitHub REST API: Copilot usage metrics reports, Copilot seats, and who the token is.

It tries to be a careful API citizen (GitHub REST docs, "Rate limits for the REST API" and "Best practices for using
the REST API"): every request has a timeout; connection errors and 5xx are retried with exponential backoff and
jitter, bounded in count and in total time; primary rate limits (``x-ratelimit-remaining: 0`` until
``x-ratelimit-reset``) and secondary ones (``retry-after``, else at least a minute, growing) are waited out when the
wait is short enough, and the wait is announced through ``on_wait`` so a UI can count down; a known exhausted limit
is waited out before the next request rather than spent on a refusal.

The token goes to the API origin only, and only if it belongs to that host; it is added to each request by
:class:`BearerAuth` inside httpx, so no frame of ours holds it in plain text. The API URL must be https, or plain http
to this machine. Report files come from signed links on another host (blob storage): they are fetched by a second
HTTP client that has no token at all, over https only (plain http to this machine only), streamed, with a size bound
and an overall deadline per file (a download that trickles a byte at a time never trips a read timeout), a few at a
time. A link that the download host refuses (403/404: expired) triggers one fresh request for links, not a loop. What
no retry can heal is reported at once: a host name that does not resolve, a TLS failure, a 4xx other than a rate
limit.

A day without a report is not an error: GitHub answers it in several ways (204; 200 with a JSON string, ``null``,
no body or no links; a 404 saying no report is available for that day; 502/503 while the day is generated), and
each comes back as a falsy ``NoReport`` saying which. A 404 on one day means "no such org/enterprise" only when a
request for the scope itself (its latest 28-day report) says so too.

What a refusal means to a person (the typed error and its sentence) is :mod:`copilot_tui.github.refusals`.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import socket
import ssl
import time
import zlib
from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine, Generator, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, NoReturn, TypeVar
from urllib.parse import urlsplit

import httpx

from copilot_tui import __version__
from copilot_tui.github import hosts
from copilot_tui.github.errors import (
    DownloadError,
    GitHubError,
    LinkExpiredError,
    NetworkError,
    NotFoundError,
    RateLimitError,
    ReportTooLargeError,
    ResponseFormatError,
    ServerError,
)
from copilot_tui.github.refusals import (
    RequestContext,
    answer_message,
    is_daily_report,
    json_body,
    rate_limit_error,
    redact,
    refusal,
    report_context,
    scopes_header,
    seats_context,
    unhealable_sentence,
)
from copilot_tui.github.secret import Secret
from copilot_tui.scope import Scope

API_VERSION = "2026-03-10"
"""The REST API version the Copilot usage metrics reports are documented under."""
USER_AGENT = f"copilot-tui/{__version__}"

ORG_REPORT_KINDS = ("organization-1-day", "organization-28-day", "users-1-day", "users-28-day", "user-teams-1-day")
ENTERPRISE_REPORT_KINDS = ("enterprise-1-day", "enterprise-28-day", "users-1-day", "users-28-day", "user-teams-1-day")

OnWait = Callable[[float, str], None]
OnProgress = Callable[[int, int, str], None]
Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")

_RETRYABLE_STATUS = frozenset({500, 502, 503, 504})
_GENERATING_STATUS = frozenset({502, 503})
"""What GitHub answers for a day's report while it is being generated: after the retries, the day is pending."""
_NO_REPORT_WORDS = ("no report", "not available", "no data", "not yet available")
_GENERATING_IN_A_ROW = 3
"""More days than this answering 502/503 one after the other is GitHub in trouble, not days being generated."""


class BearerAuth(httpx.Auth):
    """Adds ``Authorization: Bearer TOKEN`` to a request as httpx sends it: the plain token lives only in the
    request's headers (whose ``repr`` httpx masks); httpx drops it on a redirect to another origin."""

    def __init__(self, token: Secret) -> None:
        self.token = token

    def __repr__(self) -> str:
        return f"BearerAuth({self.token!r})"

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = "Bearer " + self.token.reveal()
        yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        request.headers["Authorization"] = "Bearer " + self.token.reveal()
        yield request


@dataclass(frozen=True, slots=True)
class GitHubUser:
    login: str
    id: int
    name: str | None
    scopes: tuple[str, ...] | None
    """The classic token's scopes from ``X-OAuth-Scopes``; None when GitHub sends no such header (fine-grained
    personal access tokens, GitHub App tokens), whose permissions cannot be listed."""


@dataclass(frozen=True, slots=True)
class ReportLinks:
    download_links: tuple[str, ...]
    report_day: date | None = None
    report_start_day: date | None = None
    report_end_day: date | None = None


NoReportReason = Literal["not ready", "empty", "no links", "none for that day", "being generated"]


@dataclass(frozen=True, slots=True)
class NoReport:
    """GitHub has no report here (yet): a day not ready or before the data begins, or still being generated.

    Falsy, so ``if report:`` reads as "got one". ``reason`` says which answer it was; ``said`` is GitHub's own
    sentence when it sent one ("No report available").
    """

    kind: str
    day: date | None
    reason: NoReportReason
    said: str | None = None

    def __bool__(self) -> Literal[False]:
        return False


@dataclass(frozen=True, slots=True)
class ReportDownload:
    """One report, every part downloaded: ``parts`` are ``(name, ndjson_bytes)`` in link order, ready for
    ``copilot_tui.metrics.parse``."""

    kind: str
    scope: Scope
    report_day: date | None
    report_start_day: date | None
    report_end_day: date | None
    parts: list[tuple[str, bytes]]

    @property
    def size(self) -> int:
        return sum(len(data) for _, data in self.parts)


@dataclass(slots=True)
class RateLimitStatus:
    """The primary rate limit as the last API response told it (None until a response carried the headers)."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: float | None = None
    resource: str | None = None


@dataclass(slots=True)
class _Budget:
    """Retries left for one logical request: transient failures and rate-limit waits are counted apart."""

    started: float
    failures: int = 0
    rate_waits: int = 0
    secondary_waits: int = 0


class _Retry(Exception):
    """Raised by one attempt to ask for another; ``error`` is what the caller gets when the budget is spent."""

    def __init__(self, error: GitHubError, *, wait: float | None = None, rate_limit: bool = False) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait
        self.rate_limit = rate_limit


class _LinkRefused(Exception):
    """The download host refused a signed link (expired or unknown)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def report_path(scope: Scope, kind: str) -> str:
    """The REST path of a report: ``/orgs/octo/copilot/metrics/reports/users-28-day/latest`` and the like."""
    kinds = ORG_REPORT_KINDS if scope.kind == "org" else ENTERPRISE_REPORT_KINDS
    if kind not in kinds:
        raise ValueError(f"{kind!r} is not a report of an {scope.kind}: expected one of {', '.join(kinds)}")
    suffix = "/latest" if kind.endswith("-28-day") else ""
    return f"{scope.api_prefix}/copilot/metrics/reports/{kind}{suffix}"


def _encrypted_or_local(url: str | httpx.URL) -> bool:
    """https anywhere, plain http to this machine only."""
    parts = urlsplit(str(url))
    scheme = parts.scheme.lower()
    return scheme == "https" or (scheme == "http" and hosts.is_loopback(parts.hostname))


async def _refuse_plain_http(request: httpx.Request) -> None:
    """Every request, redirects included: a redirect to plain http elsewhere stops here, before it is sent."""
    if not _encrypted_or_local(request.url):
        raise DownloadError(
            f"Refusing to follow a redirect to {redact(str(request.url))}: not https, and not this machine.",
            url=redact(str(request.url)),
        )


def _parse_day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _parse_retry_after(value: str, now: float) -> float | None:
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _unhealable(exc: BaseException) -> str | None:
    """What kind of transport failure no retry can heal: "DNS" (the host name does not resolve) or "TLS" (the
    secure connection cannot be set up: certificates, a proxy, a plain-HTTP port); None for the rest."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror):
            return "DNS"
        if isinstance(current, ssl.SSLError | ssl.CertificateError):
            return "TLS"
        current = current.__cause__ or current.__context__
    text = str(exc)
    if any(s in text for s in ("Name or service not known", "nodename nor servname", "getaddrinfo failed")):
        return "DNS"
    if "SSL" in text or "CERTIFICATE_VERIFY_FAILED" in text:
        return "TLS"
    return None


async def gather_or_cancel(coros: Iterable[Coroutine[Any, Any, T]]) -> list[T]:
    """Like ``gather``, but the first failure cancels the rest instead of leaving them running."""
    tasks = [asyncio.ensure_future(c) for c in coros]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


@dataclass
class GitHubClient:
    """One token, one API base URL. Use as ``async with GitHubClient(token, api_url=...) as gh:``.

    ``token`` is wrapped in a :class:`Secret`; one bound to a host (``Secret(..., host)``) is refused for an API URL
    of another host, and a bad API URL (see ``hosts.check_api_url``) raises ``hosts.ApiUrlError`` before anything
    is sent.

    The waits and bounds are parameters so tests (and impatient scripts) can shrink them; ``sleep`` and ``clock``
    are injectable for the same reason.
    """

    token: Secret | str | None = field(repr=False)
    api_url: str = hosts.DEFAULT_API_URL
    on_wait: OnWait | None = None
    timeout: float = 30.0
    download_timeout: float = 120.0
    download_deadline: float = 120.0
    """The most one report file may take, plus its declared size at ``download_min_rate``: a download that trickles
    (every read gets a little, so no read times out) fails in bounded time with a message naming the file."""
    download_min_rate: float = 64 * 1024
    """Bytes per second a download host is expected to keep up at the least (sets the deadline of big files)."""
    max_retries: int = 4
    backoff_base: float = 1.0
    backoff_cap: float = 30.0
    max_retry_time: float = 120.0
    max_rate_limit_wait: float = 900.0
    max_rate_limit_retries: int = 4
    secondary_min_wait: float = 60.0
    max_report_bytes: int = 2 * 1024**3
    max_concurrent_downloads: int = 4
    max_concurrent_requests: int = 8
    per_page: int = 100
    sleep: Sleep = asyncio.sleep
    clock: Callable[[], float] = time.time
    rng: random.Random = field(default_factory=random.Random)
    rate_limit: RateLimitStatus = field(default_factory=RateLimitStatus)

    def __post_init__(self) -> None:
        self.api_url = hosts.check_api_url(self.api_url)
        self.hostname = urlsplit(self.api_url).netloc or self.api_url
        self.token = Secret.wrap(self.token)
        owner = hosts.token_host(self.api_url)
        if self.token is not None and self.token.host is not None and self.token.host != owner:
            raise ValueError(f"refusing to send the token of {self.token.host} to {owner}: each host has its own")
        self._auth = BearerAuth(self.token) if self.token else None
        self._blocked_until: float | None = None
        self._api = httpx.AsyncClient(
            headers={
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": USER_AGENT,
            },
            timeout=httpx.Timeout(self.timeout, connect=min(10.0, self.timeout)),
            follow_redirects=True,
            event_hooks={"request": [_refuse_plain_http]},
        )
        # No token on this one, ever: it only talks to download hosts.
        self._downloads = httpx.AsyncClient(
            headers={"User-Agent": USER_AGENT, "Accept": "*/*"},
            timeout=httpx.Timeout(self.download_timeout, connect=min(10.0, self.download_timeout)),
            follow_redirects=True,
            event_hooks={"request": [_refuse_plain_http]},
        )
        self._request_slots = asyncio.Semaphore(self.max_concurrent_requests)
        self._download_slots = asyncio.Semaphore(self.max_concurrent_downloads)
        self._scopes_seen: set[Scope] = set()
        self._generating_in_a_row = 0
        """Scopes GitHub answered a report request for: a 404 on one of their days is about that day."""

    @classmethod
    def for_host(
        cls, token: Secret | str | None, hostname: str | None = None, api_url: str | None = None, **kw: Any
    ) -> GitHubClient:
        return cls(token, api_url=hosts.resolve_api_url(hostname, api_url), **kw)

    async def __aenter__(self) -> GitHubClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._api.aclose()
        await self._downloads.aclose()

    # ---- identity --------------------------------------------------------------------------------------------

    async def get_user(self) -> GitHubUser:
        resp, data = await self._get_json("/user", ctx=RequestContext(what="the signed-in account (/user)"))
        if not isinstance(data, dict) or "login" not in data:
            raise ResponseFormatError(f"GitHub answered GET /user on {self.hostname} without a login.", url="/user")
        return GitHubUser(
            login=str(data["login"]),
            id=int(data.get("id") or 0),
            name=data.get("name"),
            scopes=scopes_header(resp, "x-oauth-scopes"),
        )

    async def list_user_orgs(self) -> list[str]:
        """The logins of the organizations the token's account belongs to (that the token may list)."""
        orgs = await self._paginate("/user/orgs", ctx=RequestContext(what="your organizations"))
        return [str(o["login"]) for o in orgs if isinstance(o, dict) and "login" in o]

    # ---- seats -----------------------------------------------------------------------------------------------

    async def copilot_billing(self, org: str) -> dict[str, Any]:
        """Seat breakdown and settings of an organization's Copilot subscription."""
        scope = Scope("org", org)
        _, data = await self._get_json(f"{scope.api_prefix}/copilot/billing", ctx=seats_context(scope))
        if not isinstance(data, dict):
            raise ResponseFormatError(f"GitHub answered the Copilot billing of {org} with no JSON object.")
        return data

    async def copilot_seats(self, org: str | Scope) -> list[dict[str, Any]]:
        """Every Copilot seat (assignee, ``last_activity_at``, ``last_activity_editor``, ``plan_type``, ...),
        all pages followed. An enterprise ``Scope`` lists the enterprise's seats."""
        scope = org if isinstance(org, Scope) else Scope("org", org)
        seats = await self._paginate(
            f"{scope.api_prefix}/copilot/billing/seats", ctx=seats_context(scope), item_key="seats"
        )
        return [s for s in seats if isinstance(s, dict)]

    # ---- reports ---------------------------------------------------------------------------------------------

    async def report_links(self, scope: Scope, kind: str, day: date | None = None) -> ReportLinks | None:
        """The signed links of one report, or None when GitHub has none for it (see ``links_or_none``)."""
        found = await self.links_or_none(scope, kind, day)
        return found if isinstance(found, ReportLinks) and found.download_links else None

    async def links_or_none(self, scope: Scope, kind: str, day: date | None = None) -> ReportLinks | NoReport:
        """The signed links of one report, or a ``NoReport`` saying how GitHub answered that it has none."""
        path = report_path(scope, kind)
        daily = is_daily_report(kind)
        if daily and day is None:
            raise ValueError(f"the {kind} report needs a day")
        params = {"day": day.isoformat()} if daily and day else None
        ctx = report_context(scope, kind, day)
        try:
            resp = await self._api_request(path, params=params, ctx=ctx)
        except NotFoundError as exc:
            if not daily:
                raise
            said = exc.api_message or ""
            if not any(word in said.lower() for word in _NO_REPORT_WORDS):
                await self._check_scope(scope)  # raises the scope's own 404 when it is the scope that is unknown
            return NoReport(kind, day, "none for that day", said or None)
        except ServerError as exc:
            self._generating_in_a_row += 1
            if daily and exc.status in _GENERATING_STATUS and self._generating_in_a_row <= _GENERATING_IN_A_ROW:
                return NoReport(kind, day, "being generated", exc.api_message)
            raise
        self._generating_in_a_row = 0
        self._scopes_seen.add(scope)
        if resp.status_code == 204:
            return NoReport(kind, day, "not ready")
        if not resp.content.strip():
            return NoReport(kind, day, "empty")
        data = json_body(resp, ctx)
        if data is None or isinstance(data, str):
            return NoReport(kind, day, "empty", data.strip() or None if isinstance(data, str) else None)
        links = data.get("download_links") if isinstance(data, dict) else None
        if not isinstance(links, list) or not all(isinstance(u, str) for u in links):
            raise ResponseFormatError(f"GitHub answered {ctx.what} without a list of download_links.", url=path)
        if not links:
            return NoReport(kind, day, "no links")
        return ReportLinks(
            download_links=tuple(links),
            report_day=_parse_day(data.get("report_day")),
            report_start_day=_parse_day(data.get("report_start_day")),
            report_end_day=_parse_day(data.get("report_end_day")),
        )

    async def _check_scope(self, scope: Scope) -> None:
        """Ask for the scope's latest 28-day totals report: its 404 is the scope's, named as such."""
        if scope in self._scopes_seen:
            return
        await self.links_or_none(scope, f"{scope.totals_kind}-28-day")

    async def fetch_report(
        self,
        scope: Scope,
        kind: str,
        day: date | None = None,
        on_progress: OnProgress | None = None,
        *,
        links: ReportLinks | None = None,
    ) -> ReportDownload | NoReport:
        """Ask for a report's links and download every part; a falsy ``NoReport`` when GitHub has none (see
        ``links_or_none``; also when every file is empty). A refused link gets one fresh request for links; a second
        refusal is a ``LinkExpiredError``. ``links`` just got from ``report_links`` are used instead of asking
        again."""
        found: ReportLinks | NoReport = links if links is not None else await self.links_or_none(scope, kind, day)
        if not isinstance(found, ReportLinks):
            return found
        if not found.download_links:
            return NoReport(kind, day, "no links")
        label = self._report_label(scope, kind, day, found)
        try:
            parts = await self._download_parts(found, label, on_progress)
        except _LinkRefused:
            found = await self.links_or_none(scope, kind, day)
            if not isinstance(found, ReportLinks):
                return found
            try:
                parts = await self._download_parts(found, label, on_progress)
            except _LinkRefused as exc:
                raise LinkExpiredError(
                    f"The download host refused the links of {label} twice ({exc.status}), even freshly issued ones: "
                    "check this machine's clock and try again.",
                    status=exc.status,
                ) from None
        if not any(data.strip() for _, data in parts):
            return NoReport(kind, day, "empty")
        return ReportDownload(kind, scope, found.report_day, found.report_start_day, found.report_end_day, parts)

    def _report_label(self, scope: Scope, kind: str, day: date | None, links: ReportLinks) -> str:
        if links.report_start_day and links.report_end_day:
            when = f"{links.report_start_day}..{links.report_end_day}"
        else:
            when = str(links.report_day or day or "latest")
        return f"{scope.name}/{kind}/{when}"

    async def _download_parts(
        self, links: ReportLinks, label: str, on_progress: OnProgress | None
    ) -> list[tuple[str, bytes]]:
        total = len(links.download_links)
        done = 0
        budget = [0]  # bytes so far, shared by the parts: the bound is per report

        async def one(index: int, url: str) -> tuple[str, bytes]:
            nonlocal done
            name = f"{label}/part-{index + 1}-of-{total}.ndjson"
            data = await self._download(url, name, budget)
            done += 1
            if on_progress is not None:
                on_progress(done, total, label)
            return name, data

        return await gather_or_cancel(one(i, url) for i, url in enumerate(links.download_links))

    async def _download(self, url: str, name: str, budget: list[int]) -> bytes:
        if not _encrypted_or_local(url):
            raise DownloadError(
                f"GitHub's download link for {name} is not https ({redact(url)}): refusing to fetch a report over an "
                "unencrypted or unknown scheme.",
                url=redact(url),
            )
        received = [0]
        allowed = [self.download_deadline]

        async def attempt() -> bytes:
            async with self._download_slots:
                try:
                    async with asyncio.timeout(self.download_deadline) as deadline:
                        return await streamed(deadline)
                except TimeoutError:
                    raise DownloadError(
                        f"Downloading {name} from {redact(url)} took longer than {round(allowed[0], 1):g} s "
                        f"({received[0]:,} bytes had arrived) and was stopped: the download host sends too slowly. "
                        "Reports fetched before it are kept; try again later.",
                        url=redact(url),
                    ) from None

        async def streamed(deadline: asyncio.Timeout) -> bytes:
            received[0] = 0
            allowed[0] = self.download_deadline
            try:
                async with self._downloads.stream("GET", url) as resp:
                    if resp.status_code in (403, 404, 410):
                        raise _LinkRefused(resp.status_code)
                    if resp.status_code in _RETRYABLE_STATUS or resp.status_code == 429:
                        raise _Retry(
                            DownloadError(
                                f"The download host answered {resp.status_code} for {name} "
                                f"({redact(url)}) after every retry; try again later.",
                                status=resp.status_code,
                                url=redact(url),
                            )
                        )
                    if resp.status_code != 200:
                        raise DownloadError(
                            f"The download host answered {resp.status_code} for {name} ({redact(url)}).",
                            status=resp.status_code,
                            url=redact(url),
                        )
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and budget[0] + int(declared) > self.max_report_bytes:
                        raise self._too_large(name)
                    when = deadline.when()
                    if declared and declared.isdigit() and when is not None:
                        more = int(declared) / self.download_min_rate
                        allowed[0] += more
                        deadline.reschedule(when + more)
                    chunks = bytearray()
                    async for chunk in resp.aiter_bytes():
                        chunks += chunk
                        received[0] = len(chunks)
                        if budget[0] + len(chunks) > self.max_report_bytes:
                            raise self._too_large(name)
                    data = self._gunzipped(bytes(chunks), name, budget[0])
                    budget[0] += len(data)
                    return data
            except httpx.TransportError as exc:
                fatal = _unhealable(exc)
                if fatal is not None:
                    host = urlsplit(url).netloc
                    raise DownloadError(
                        unhealable_sentence(fatal, host, f"the report file {name}", exc), url=redact(url)
                    ) from None
                raise _Retry(
                    DownloadError(
                        f"Downloading {name} from {redact(url)} failed after every retry "
                        f"({type(exc).__name__}: {exc}); check the network and try again.",
                        url=redact(url),
                    )
                ) from exc

        return await self._retrying(attempt)

    def _gunzipped(self, data: bytes, name: str, used: int) -> bytes:
        """A part sent gzip-compressed (without saying so in its headers) as the NDJSON inside, within the size
        bound."""
        if not data.startswith(b"\x1f\x8b"):
            return data
        out = bytearray()
        rest = data
        try:
            while rest.startswith(b"\x1f\x8b"):
                member = zlib.decompressobj(16 + zlib.MAX_WBITS)
                out += member.decompress(rest, max(1, self.max_report_bytes - used - len(out) + 1))
                if used + len(out) > self.max_report_bytes or member.unconsumed_tail:
                    raise self._too_large(name)
                if not member.eof:
                    raise zlib.error("the compressed data ends early")
                rest = member.unused_data
        except zlib.error as exc:
            raise DownloadError(f"The report file {name} is gzip-compressed but damaged ({exc}).") from None
        return bytes(out)

    def _too_large(self, name: str) -> ReportTooLargeError:
        return ReportTooLargeError(
            f"The report {name} is larger than the {self.max_report_bytes / 1024**2:.0f} MiB this client accepts; "
            "raise max_report_bytes if that is expected."
        )

    # ---- the request machinery -------------------------------------------------------------------------------

    async def _get_json(
        self,
        path_or_url: str,
        *,
        params: dict[str, str] | None = None,
        ctx: RequestContext,
        allow_no_content: bool = False,
    ) -> tuple[httpx.Response, Any]:
        resp = await self._api_request(path_or_url, params=params, ctx=ctx)
        if resp.status_code == 204:
            if allow_no_content:
                return resp, None
            raise ResponseFormatError(f"GitHub answered {ctx.what} with no content.", status=204)
        return resp, json_body(resp, ctx)

    async def _paginate(self, path: str, *, ctx: RequestContext, item_key: str | None = None) -> list[Any]:
        """Every item of a paginated list, following ``Link: <...>; rel="next"`` on the API origin only."""
        items: list[Any] = []
        url: str | None = path
        params: dict[str, str] | None = {"per_page": str(self.per_page)}
        seen: set[str] = set()
        while url is not None:
            resp, data = await self._get_json(url, params=params, ctx=ctx)
            page = data.get(item_key) if item_key and isinstance(data, dict) else data
            if not isinstance(page, list):
                raise ResponseFormatError(f"GitHub answered {ctx.what} without a list.", url=redact(str(resp.url)))
            items.extend(page)
            nxt = resp.links.get("next", {}).get("url")
            if nxt is None:
                break
            if not hosts.same_origin(nxt, self.api_url):
                raise ResponseFormatError(
                    f"GitHub's next page of {ctx.what} points to another host ({redact(nxt)}); not following it "
                    "with the token."
                )
            if nxt in seen:
                raise ResponseFormatError(f"GitHub's pages of {ctx.what} loop back to {redact(nxt)}.")
            seen.add(nxt)
            url, params = nxt, None
        return items

    async def _api_request(
        self, path_or_url: str, *, params: dict[str, str] | None, ctx: RequestContext
    ) -> httpx.Response:
        url = path_or_url if "://" in path_or_url else f"{self.api_url}{path_or_url}"
        if not hosts.same_origin(url, self.api_url):
            raise ValueError(f"refusing to send the token to {redact(url)}: not the API host {self.api_url}")
        auth = self._auth or httpx.USE_CLIENT_DEFAULT

        async def attempt() -> httpx.Response:
            await self._wait_for_known_limit(ctx)
            try:
                async with self._request_slots:
                    resp = await self._api.get(url, params=params, auth=auth)
            except httpx.TransportError as exc:
                fatal = _unhealable(exc)
                if fatal is not None:
                    raise NetworkError(
                        unhealable_sentence(fatal, self.hostname, ctx.what, exc), url=redact(url)
                    ) from None
                raise _Retry(
                    NetworkError(
                        f"Could not reach {self.hostname} for {ctx.what} ({type(exc).__name__}"
                        f"{': ' + str(exc) if str(exc) else ''}) after every retry: check the network, "
                        "or --hostname / --api-url.",
                        url=redact(url),
                    )
                ) from exc
            self._note_rate_limit(resp)
            if resp.is_success:
                return resp
            self._raise_for(resp, ctx)

        return await self._retrying(attempt)

    async def _retrying(self, attempt: Callable[[], Awaitable[T]]) -> T:
        budget = _Budget(started=self.clock())
        while True:
            try:
                return await attempt()
            except _Retry as retry:
                if retry.rate_limit:
                    await self._rate_limit_wait(retry, budget)
                else:
                    await self._backoff(retry, budget)

    async def _backoff(self, retry: _Retry, budget: _Budget) -> None:
        budget.failures += 1
        if budget.failures > self.max_retries:
            raise retry.error from None
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** (budget.failures - 1))
        delay = ceiling / 2 + self.rng.uniform(0, ceiling / 2)
        if self.clock() - budget.started + delay > self.max_retry_time:
            raise retry.error from None
        await self._wait(delay, f"retrying after a failure ({budget.failures}/{self.max_retries})")

    async def _rate_limit_wait(self, retry: _Retry, budget: _Budget) -> None:
        budget.rate_waits += 1
        if retry.wait is None:
            budget.secondary_waits += 1
            wait = self.secondary_min_wait * 2 ** (budget.secondary_waits - 1)
        else:
            wait = retry.wait
        if wait > self.max_rate_limit_wait or budget.rate_waits > self.max_rate_limit_retries:
            raise retry.error from None
        kind = (
            "secondary rate limit"
            if isinstance(retry.error, RateLimitError) and retry.error.secondary
            else "rate limit"
        )
        await self._wait(wait, f"GitHub {kind}: waiting before retrying")

    async def _wait(self, seconds: float, reason: str) -> None:
        if self.on_wait is not None:
            self.on_wait(seconds, reason)
        await self.sleep(seconds)

    async def _wait_for_known_limit(self, ctx: RequestContext) -> None:
        """Wait out a primary limit a previous response said is spent, instead of spending a request on a 403."""
        until = self._blocked_until
        if until is None:
            return
        wait = until - self.clock()
        if wait <= 0:
            self._blocked_until = None
            return
        if wait > self.max_rate_limit_wait:
            raise rate_limit_error(ctx, reset_at=until, secondary=False, status=None, clock=self.clock)
        self._blocked_until = None
        await self._wait(wait, "GitHub rate limit: waiting for it to reset")

    def _note_rate_limit(self, resp: httpx.Response) -> None:
        h = resp.headers
        if "x-ratelimit-remaining" not in h:
            return
        try:
            self.rate_limit.remaining = int(h["x-ratelimit-remaining"])
            self.rate_limit.limit = int(h.get("x-ratelimit-limit", "0")) or None
            self.rate_limit.reset_at = float(h["x-ratelimit-reset"]) if "x-ratelimit-reset" in h else None
        except ValueError:
            return
        self.rate_limit.resource = h.get("x-ratelimit-resource")
        if self.rate_limit.remaining == 0 and self.rate_limit.reset_at is not None and resp.is_success:
            self._blocked_until = self.rate_limit.reset_at + 1.0

    def _raise_for(self, resp: httpx.Response, ctx: RequestContext) -> NoReturn:
        if resp.status_code in (403, 429):
            self._raise_if_rate_limited(resp, ctx, answer_message(resp))
        retried = resp.status_code in _RETRYABLE_STATUS
        error = refusal(resp, ctx, retried=retried, api_url=self.api_url, hostname=self.hostname, clock=self.clock)
        if retried:
            raise _Retry(error)
        raise error

    def _raise_if_rate_limited(self, resp: httpx.Response, ctx: RequestContext, api_message: str) -> None:
        h = resp.headers
        lowered = api_message.lower()
        reset_at: float | None = None
        if "x-ratelimit-reset" in h:
            try:
                reset_at = float(h["x-ratelimit-reset"])
            except ValueError:
                reset_at = None
        retry_after = h.get("retry-after")
        secondary = "secondary rate limit" in lowered or (
            retry_after is not None and h.get("x-ratelimit-remaining") != "0"
        )
        wait: float | None = None
        if retry_after is not None:
            wait = _parse_retry_after(retry_after, self.clock())
            if wait is not None:
                reset_at = self.clock() + wait
        if wait is None and h.get("x-ratelimit-remaining") == "0" and reset_at is not None:
            wait = max(0.0, reset_at - self.clock()) + 1.0
        if wait is None:
            if not (secondary or "rate limit" in lowered or resp.status_code == 429):
                return
            # No time given: at least a minute, growing with each refusal (see _rate_limit_wait).
            secondary, reset_at = True, None
        error = rate_limit_error(ctx, reset_at=reset_at, secondary=secondary, status=resp.status_code, clock=self.clock)
        raise _Retry(error, wait=wait, rate_limit=True)
