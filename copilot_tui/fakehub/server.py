"""A fake GitHub on 127.0.0.1: the REST API on one port, the report files on another, as on github.com.

It follows the documented contract closely enough that a client passing against it works against GitHub (GitHub
REST docs: "REST API endpoints for Copilot usage metrics", "REST API endpoints for Copilot user management", "Rate
limits for the REST API", "Using pagination in the REST API"):

- report endpoints answer ``{"download_links": [...], "report_day"}`` (or ``report_start_day`` / ``report_end_day``
  for 28-day reports), 204 for a day without data, 422 for a day out of range (before 2025-10-10, more than a year
  back, or after today), 404 for an unknown organization or enterprise or one the token's account is not in, 403
  when the token lacks the scope (classic) or permission (fine-grained), the account lacks the role, or the
  "Copilot usage metrics" policy is off, and 401 for a bad token; error bodies are ``{"message",
  "documentation_url", "status"}``;
- download links point to the other port, are signed (HMAC) and expire; the download port refuses an expired or
  tampered link with 403 and a request that carries an ``Authorization`` header with 400, and never needs one;
- seats are paginated with a ``Link`` header; every API answer carries the ``x-ratelimit-*`` headers, and
  ``X-OAuth-Scopes`` / ``X-Accepted-OAuth-Scopes`` as GitHub sends them for classic tokens;
- every request is recorded (server, method, path, query, headers, status), and faults can be switched on
  (``faults``: 5xx, dropped connections, slow answers, primary and secondary rate limits, truncated downloads,
  malformed NDJSON lines, expired links).
"""

from __future__ import annotations

import contextlib
import email.utils
import gzip
import hashlib
import hmac
import math
import re
import secrets
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import orjson

from copilot_tui.fakehub.data import Dataset
from copilot_tui.fakehub.faults import Fault, Faults, NoReportHow

FIRST_REPORT_DAY = date(2025, 10, 10)
SUPPORTED_API_VERSIONS = ("2022-11-28", "2026-03-10")
DOCS = "https://docs.github.com/rest"
DOCS_METRICS = "https://docs.github.com/rest/copilot/copilot-usage-metrics"
DOCS_SEATS = "https://docs.github.com/rest/copilot/copilot-user-management"
DOCS_RATE_LIMITS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"

ORG_REPORT_KINDS = ("organization-1-day", "organization-28-day", "users-1-day", "users-28-day", "user-teams-1-day")
ENTERPRISE_REPORT_KINDS = ("enterprise-1-day", "enterprise-28-day", "users-1-day", "users-28-day", "user-teams-1-day")

ORG_METRICS_ROLES = frozenset({"owner", "metrics_viewer"})
ENTERPRISE_METRICS_ROLES = frozenset({"owner", "billing_manager", "metrics_viewer"})
ENTERPRISE_SEAT_ROLES = frozenset({"owner", "billing_manager"})

# GitHub's messages for the causes of a 403 (as production clients of these endpoints recorded them).
POLICY_MESSAGE = (
    "Copilot usage metrics are disabled for this {entity}: the 'Copilot usage metrics' policy must be enabled to "
    "use this endpoint."
)
ROLE_MESSAGE = "This endpoint requires admin, or relevant organization role access."
INTEGRATION_MESSAGE = "Resource not accessible by integration"
FINE_GRAINED_MESSAGE = "Resource not accessible by personal access token"
SAML_MESSAGE = (
    "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this "
    "organization."
)
NO_USER_AGENT_MESSAGE = (
    b"Request forbidden by administrative rules. Please make sure your request has a User-Agent header "
    b"(https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check "
    b"https://developer.github.com for other possible causes.\n"
)
NO_REPORT_SENTENCE = "No report available"


@dataclass(frozen=True)
class TokenSpec:
    """Who a token belongs to and what it may do.

    ``scopes`` are a classic token's scopes (sent back in ``X-OAuth-Scopes``); None makes it a fine-grained token,
    whose ``permissions`` count instead (``org_copilot_metrics``, ``enterprise_copilot_metrics``,
    ``copilot_business``). ``role`` is the account's role in every org and enterprise of the dataset (``owner``,
    ``metrics_viewer``, ``billing_manager``, ``member``); ``orgs`` / ``enterprises``, when given, list the only
    ones the account belongs to, each with its role.
    """

    login: str = "octocat"
    id: int = 1
    name: str | None = "The Octocat"
    scopes: tuple[str, ...] | None = ("manage_billing:copilot", "read:org", "read:enterprise")
    permissions: frozenset[str] = frozenset({"org_copilot_metrics", "enterprise_copilot_metrics", "copilot_business"})
    role: str = "owner"
    orgs: dict[str, str] | None = None
    enterprises: dict[str, str] | None = None

    def role_in(self, scope: str, entity: str) -> str | None:
        table = self.orgs if scope == "org" else self.enterprises
        if table is None:
            return self.role
        return table.get(entity)


# Test tokens. They are fakes: short on purpose, so nothing mistakes them for real ones.
OWNER_TOKEN = "ghp_fake_owner"
FINE_GRAINED_TOKEN = "github_pat_fake_fine"
NO_SCOPE_TOKEN = "ghp_fake_noscope"
MEMBER_TOKEN = "ghp_fake_member"
NO_PERMISSION_TOKEN = "github_pat_fake_noperm"

DEFAULT_TOKENS: dict[str, TokenSpec] = {
    OWNER_TOKEN: TokenSpec(),
    FINE_GRAINED_TOKEN: TokenSpec(login="fine-grained-fan", id=2, name="Fine Grained", scopes=None),
    NO_SCOPE_TOKEN: TokenSpec(login="repo-only", id=3, name="Repo Only", scopes=("repo",)),
    MEMBER_TOKEN: TokenSpec(
        login="plain-member", id=4, name="Plain Member", scopes=("read:org", "read:enterprise"), role="member"
    ),
    NO_PERMISSION_TOKEN: TokenSpec(login="no-permission", id=5, name=None, scopes=None, permissions=frozenset()),
}


@dataclass
class RecordedRequest:
    server: str
    """``"api"`` or ``"download"``: which port the request reached."""
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    """Header names lower-cased."""
    port: int
    status: int | None = None
    """The status answered; None when the connection was dropped on purpose."""


class _Answer(Exception):
    """Stop handling and answer this."""

    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def _error(status: int, message: str, docs: str = DOCS, headers: dict[str, str] | None = None) -> _Answer:
    return _Answer(status, {"message": message, "documentation_url": docs, "status": str(status)}, headers)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hanging up (a timeout, a cancelled download) is ordinary here, not worth a traceback."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeGitHub:
    """Start with ``start()`` or ``with FakeGitHub(...) as hub:``; point a client at ``hub.api_url``."""

    def __init__(
        self,
        dataset: Dataset | None = None,
        tokens: dict[str, TokenSpec] | None = None,
        *,
        today: date | None = None,
        parts_per_report: int = 1,
        link_ttl: float = 300.0,
        seats_per_page: int = 50,
        policy_disabled: Iterable[str] = (),
        host: str = "127.0.0.1",
        role_messages: bool = True,
        preset: str | None = None,
        port: int = 0,
    ) -> None:
        """``port``: the API's (0: a free one); a fixed one keeps a sign-in across runs, as a token belongs to its
        host and port."""
        if dataset is None:
            from copilot_tui.metrics.demo import DemoDataset

            dataset = DemoDataset()
        self.dataset: Dataset = dataset
        self.today = today or (dataset.last_day + timedelta(days=1))
        self.host = host
        self.port = port
        self.role_messages = role_messages
        """GitHub's own 403 messages for a missing role or a disabled policy (False: a bare "Forbidden")."""
        self._stopping = threading.Event()
        self.faults = Faults()
        self.requests: list[RecordedRequest] = []
        self.corrupted: list[tuple[int, int]] = []
        """(part number, line number), both from 1, of the lines the ``malformed_lines`` fault broke."""
        self._settings = (
            dict(DEFAULT_TOKENS if tokens is None else tokens),
            parts_per_report,
            link_ttl,
            seats_per_page,
            frozenset(policy_disabled),
            preset,
            self.today,
        )
        if preset is not None and preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r}: one of {', '.join(PRESETS)}")
        self._lock = threading.Lock()
        self._secret = secrets.token_bytes(32)
        self._blobs: OrderedDict[str, list[bytes]] = OrderedDict()
        self._used: dict[str, int] = {}
        self._in_flight = {"api": 0, "download": 0}
        self._unanswered = {"api": 0, "download": 0}
        self.max_in_flight = {"api": 0, "download": 0}
        """The most requests each port had at once whose answer was not yet decided (a client's concurrency bound
        shows here)."""
        self._window_reset = int(time.time()) + 3600
        self._apply_settings()
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []
        self.api_url = ""
        self.download_url = ""

    # ---- lifecycle --------------------------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        if self._servers:
            return self
        self._stopping.clear()
        api = self._serve("api")
        downloads = self._serve("download")
        self.api_url = f"http://{self.host}:{api.server_address[1]}"
        self.download_url = f"http://{self.host}:{downloads.server_address[1]}"
        return self

    def _serve(self, role: str) -> _Server:
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "GitHub.com" if role == "api" else "Windows-Azure-Blob/1.0"
            sys_version = ""

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                hub._handle(self, role)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        server = _Server((self.host, self.port if role == "api" else 0), Handler)
        thread = threading.Thread(target=server.serve_forever, name=f"fakehub-{role}", daemon=True)
        thread.start()
        self._servers.append(server)
        self._threads.append(thread)
        return server

    def stop(self) -> None:
        self._stopping.set()
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Back to how it was constructed: no faults, an empty request log, the tokens and settings it was given.

        Requests still being answered (a download the last test cancelled) are waited for first, up to a few
        seconds, so they neither take the next test's faults nor count in its ``max_in_flight``."""
        self.faults.clear()
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            with self._lock:
                if not any(self._in_flight.values()):
                    break
            time.sleep(0.01)
        with self._lock:
            self.requests.clear()
            self.corrupted.clear()
            self._used.clear()
            self.max_in_flight = {"api": 0, "download": 0}
        self._apply_settings()

    def _apply_settings(self) -> None:
        tokens, parts, ttl, per_page, disabled, preset, today = self._settings
        self.tokens: dict[str, TokenSpec] = dict(tokens)
        self.parts_per_report = parts
        self.link_ttl = ttl
        self.seats_per_page = per_page
        self.policy_disabled: set[str] = set(disabled)
        self.preset: str | None = preset
        self.today = today
        self._apply_preset()

    def advance(self, days: int = 1) -> date:
        """Move the fake's today on (the next simulated day): the preset's rules follow it. Returns the new today."""
        self.today = self.today + timedelta(days=days)
        self._apply_preset()
        return self.today

    def _apply_preset(self) -> None:
        self.faults.clear_no_report()
        self.faults.clear_hostile()
        if self.preset == "realistic":
            self._realistic()

    def _realistic(self) -> None:
        """Several rough edges of the real API at once (see ``PRESETS``), relative to the fake's today."""
        faults = self.faults
        yesterday = self.today - timedelta(days=1)
        first = self.dataset.first_day
        earliest = max(FIRST_REPORT_DAY, self.today - timedelta(days=365))
        # The kinds of one day arrive at different times: yesterday's org totals are there, its users are not.
        faults.no_report("204", kinds=("users-1-day", "user-teams-1-day"), days=[yesterday])
        # A day of history still being generated: one 502, then the report.
        faults.no_report("502", kinds=("users-1-day",), days=[first + timedelta(days=5)], scope="org", times=1)
        faults.no_report("502", kinds=("users-1-day",), days=[first + timedelta(days=5)], scope="enterprise", times=1)
        # Days before the data begins: the enterprise answers 404 "no report", organizations a 200 without links.
        faults.no_report("404", scope="enterprise", before=first)
        before = [earliest + timedelta(days=i) for i in range(max(0, (first - earliest).days))]
        shapes: tuple[NoReportHow, ...] = ("empty-string", "null", "sentence", "empty-body", "empty-links")
        for n, how in enumerate(shapes):
            faults.no_report(how, scope="org", days=[d for d in before if d.toordinal() % len(shapes) == n])
        faults.drift()
        # One settled day's users report ends with lines the line rule skips, and a repeat of its first line.
        hostile = self.hostile_day
        faults.hostile_lines(hostile_user_lines(hostile), days=[hostile], reports=None, repeat_first=True)

    @property
    def hostile_day(self) -> date:
        """The day whose users report ends with hostile lines under the realistic preset: a week before the data
        ends, inside the default 28 days and settled."""
        return self.dataset.last_day - timedelta(days=6)

    # ---- what tests look at -----------------------------------------------------------------------------------

    def requests_to(self, server: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.server == server]

    def set_policy(self, entity: str, enabled: bool) -> None:
        """Turn the "Copilot usage metrics" policy of an org or enterprise on or off."""
        if enabled:
            self.policy_disabled.discard(entity)
        else:
            self.policy_disabled.add(entity)

    # ---- request handling -------------------------------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler, role: str) -> None:
        url = urlsplit(h.path)
        query = parse_qs(url.query, keep_blank_values=True)
        headers = {k.lower(): v for k, v in h.headers.items()}
        record = RecordedRequest(role, h.command, url.path, query, headers, h.connection.getsockname()[1])
        with self._lock:
            self.requests.append(record)

        waiting = [True]

        def answer_decided() -> None:
            # counted until the answer is decided, not until it is written: a client that has read the last
            # byte starts its next request before this thread runs on, and must not seem to exceed its bound
            with self._lock:
                if waiting[0]:
                    waiting[0] = False
                    self._unanswered[role] -= 1

        def answered(status: int | None) -> None:
            record.status = status
            answer_decided()

        with self._lock:
            self._in_flight[role] += 1
            self._unanswered[role] += 1
            self.max_in_flight[role] = max(self.max_in_flight[role], self._unanswered[role])
        try:
            self._respond(h, role, url.path, query, headers, answered)
        finally:
            answer_decided()
            with self._lock:
                self._in_flight[role] -= 1

    def _respond(
        self,
        h: BaseHTTPRequestHandler,
        role: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        answered: Callable[[int | None], None],
    ) -> None:
        fault = self.faults.take(role, path)
        if fault is not None and fault.kind == "drop":
            answered(None)
            h.close_connection = True
            with contextlib.suppress(OSError):
                h.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.seconds)
            fault = None
        try:
            if role == "api":
                status, body, extra = self._api(path, query, headers, fault)
                answered(status)
                self._send(h, status, body, extra)
            else:
                self._download(h, path, query, headers, fault, answered)
        except (BrokenPipeError, ConnectionResetError):
            h.close_connection = True

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str]) -> None:
        payload = b"" if status == 204 or body is None else (body if isinstance(body, bytes) else orjson.dumps(body))
        h.send_response(status)
        for name, value in headers.items():
            h.send_header(name, value)
        if payload and not any(k.lower() == "content-type" for k in headers):
            h.send_header("Content-Type", "application/json; charset=utf-8")
        if status != 204:
            h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        if payload:
            h.wfile.write(payload)

    # ---- the API port -----------------------------------------------------------------------------------------

    def _api(
        self, path: str, query: dict[str, list[str]], headers: dict[str, str], fault: Fault | None
    ) -> tuple[int, Any, dict[str, str]]:
        token = _bearer(headers.get("authorization"))
        spec = self.tokens.get(token) if token else None
        base = self._api_headers(token, spec)
        try:
            if "user-agent" not in headers:
                return 403, NO_USER_AGENT_MESSAGE, {"Content-Type": "text/plain; charset=utf-8"}
            if fault is not None:
                self._apply_api_fault(fault, base, path)
            version = headers.get("x-github-api-version")
            if version is not None and version not in SUPPORTED_API_VERSIONS:
                raise _error(
                    400,
                    f"The API version '{version}' is not supported.",
                    "https://docs.github.com/rest/about-the-rest-api/api-versions",
                )
            base["X-GitHub-Api-Version-Selected"] = version or SUPPORTED_API_VERSIONS[0]
            status, body, extra = self._route(path, query, token, spec)
            return status, body, {**base, **extra}
        except _Answer as answer:
            return answer.status, answer.body, {**base, **answer.headers}

    def _api_headers(self, token: str | None, spec: TokenSpec | None) -> dict[str, str]:
        headers = {"X-GitHub-Request-Id": secrets.token_hex(8).upper(), "X-GitHub-Media-Type": "github.v3; format=json"}
        if spec is not None:
            assert token is not None
            with self._lock:
                used = self._used[token] = self._used.get(token, 0) + 1
            headers.update(
                {
                    "x-ratelimit-limit": "5000",
                    "x-ratelimit-remaining": str(max(0, 5000 - used)),
                    "x-ratelimit-reset": str(self._window_reset),
                    "x-ratelimit-used": str(used),
                    "x-ratelimit-resource": "core",
                }
            )
            if spec.scopes is not None:
                headers["X-OAuth-Scopes"] = ", ".join(spec.scopes)
        return headers

    def _forbidden_answer(self, cause: str, path: str) -> _Answer:
        m = re.match(r"/(orgs|enterprises)/([^/]+)", path)
        entity = "organization" if m is None or m.group(1) == "orgs" else "enterprise"
        name = m.group(2) if m else "octo"
        if cause == "policy":
            return _error(403, POLICY_MESSAGE.format(entity=entity), DOCS_METRICS)
        if cause == "role":
            return _error(403, ROLE_MESSAGE, DOCS_METRICS)
        if cause == "integration":
            return _error(403, INTEGRATION_MESSAGE, DOCS_METRICS)
        if cause == "fine-grained":
            return _error(403, FINE_GRAINED_MESSAGE, DOCS_METRICS)
        if cause == "saml":
            url = f"https://github.com/orgs/{name}/sso?authorization_request=AFAKEREQUEST"
            return _error(403, SAML_MESSAGE, DOCS, {"X-GitHub-SSO": f"required; url={url}"})
        return _error(403, "Forbidden", DOCS_METRICS)

    def _apply_api_fault(self, fault: Fault, base: dict[str, str], path: str) -> None:
        if fault.kind == "status":
            raise _error(fault.status, "Server Error" if fault.status >= 500 else "Fault injected by the test")
        if fault.kind == "primary_rate_limit":
            reset = str(int(time.time() + fault.seconds))
            raise _error(
                fault.status,
                "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include "
                "the request ID.",
                DOCS_RATE_LIMITS,
                {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset, "x-ratelimit-limit": "5000"},
            )
        if fault.kind == "forbidden":
            raise self._forbidden_answer(fault.cause or "unknown", path)
        if fault.kind == "secondary_rate_limit":
            extra: dict[str, str] = {}
            if fault.retry_after is not None and fault.http_date:
                extra["retry-after"] = email.utils.formatdate(time.time() + fault.retry_after, usegmt=True)
            elif fault.retry_after is not None:
                extra["retry-after"] = str(int(math.ceil(fault.retry_after)))
            raise _error(
                fault.status,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you "
                "reach out to GitHub Support for help, please include the request ID.",
                DOCS_RATE_LIMITS + "#about-secondary-rate-limits",
                extra,
            )
        if fault.kind == "exhaust":
            base["x-ratelimit-remaining"] = "0"
            base["x-ratelimit-reset"] = str(int(time.time() + fault.seconds))

    def _route(
        self, path: str, query: dict[str, list[str]], token: str | None, spec: TokenSpec | None
    ) -> tuple[int, Any, dict[str, str]]:
        path = path.rstrip("/") or "/"
        if path == "/user":
            spec = self._authenticated(token, spec)
            return 200, self._user(spec), {}
        if path == "/user/orgs":
            spec = self._authenticated(token, spec)
            orgs = [self._org_object(o) for o in self.dataset.orgs if spec.role_in("org", o.login) is not None]
            return self._page(path, query, orgs, None, per_page_default=30)
        m = re.fullmatch(r"/(orgs|enterprises)/([^/]+)/copilot/metrics/reports/([a-z0-9-]+?)(/latest)?", path)
        if m:
            scope = "org" if m.group(1) == "orgs" else "enterprise"
            return self._report(scope, m.group(2), m.group(3), bool(m.group(4)), query, token, spec)
        m = re.fullmatch(r"/(orgs|enterprises)/([^/]+)/copilot/billing(/seats)?", path)
        if m and not (m.group(1) == "enterprises" and not m.group(3)):
            scope = "org" if m.group(1) == "orgs" else "enterprise"
            return self._seats(scope, m.group(2), bool(m.group(3)), path, query, token, spec)
        raise _error(404, "Not Found")

    def _authenticated(self, token: str | None, spec: TokenSpec | None) -> TokenSpec:
        if token is None:
            raise _error(401, "Requires authentication")
        if spec is None:
            raise _error(401, "Bad credentials")
        return spec

    def _user(self, spec: TokenSpec) -> dict[str, Any]:
        return {
            "login": spec.login,
            "id": spec.id,
            "node_id": f"U_fake{spec.id}",
            "type": "User",
            "site_admin": False,
            "name": spec.name,
            "url": f"{self.api_url}/users/{spec.login}",
            "html_url": f"https://github.com/{spec.login}",
        }

    def _org_object(self, org: Any) -> dict[str, Any]:
        return {
            "login": org.login,
            "id": int(org.org_id),
            "node_id": f"O_fake{org.org_id}",
            "url": f"{self.api_url}/orgs/{org.login}",
            "description": None,
        }

    def _org(self, login: str) -> Any | None:
        return next((o for o in self.dataset.orgs if o.login.lower() == login.lower()), None)

    def _entity_exists(self, scope: str, entity: str) -> bool:
        if scope == "org":
            return self._org(entity) is not None
        return self.dataset.enterprise is not None and entity == self.dataset.enterprise

    def _check_access(
        self,
        scope: str,
        entity: str,
        spec: TokenSpec,
        *,
        scopes: tuple[str, ...],
        permission: str | None,
        roles: frozenset[str],
        docs: str,
    ) -> dict[str, str]:
        """404 for what the account cannot see, 403 for a missing scope, permission or role, as GitHub orders them."""
        accepted = {"X-Accepted-OAuth-Scopes": ", ".join(scopes)}
        if not self._entity_exists(scope, entity):
            raise _error(404, "Not Found", docs, accepted)
        role = spec.role_in(scope, entity)
        if role is None:
            raise _error(404, "Not Found", docs, accepted)
        if spec.scopes is not None:
            have = set(spec.scopes)
            implied = {"admin:org": "read:org", "write:org": "read:org", "admin:enterprise": "read:enterprise"}
            have |= {implied[s] for s in spec.scopes if s in implied}
            if not have & set(scopes):
                raise _error(403, "Forbidden", docs, accepted)
        elif permission is None or permission not in spec.permissions:
            raise _error(403, FINE_GRAINED_MESSAGE, docs, accepted)
        if role not in roles:
            raise _error(403, ROLE_MESSAGE if self.role_messages else "Forbidden", docs, accepted)
        return accepted

    # ---- reports ----------------------------------------------------------------------------------------------

    def _report(
        self,
        scope: str,
        entity: str,
        kind: str,
        latest: bool,
        query: dict[str, list[str]],
        token: str | None,
        spec: TokenSpec | None,
    ) -> tuple[int, Any, dict[str, str]]:
        kinds = ORG_REPORT_KINDS if scope == "org" else ENTERPRISE_REPORT_KINDS
        if kind not in kinds or latest != kind.endswith("-28-day"):
            raise _error(404, "Not Found", DOCS_METRICS)
        spec = self._authenticated(token, spec)
        org_side = scope == "org"
        accepted = self._check_access(
            scope,
            entity,
            spec,
            scopes=("manage_billing:copilot", "read:org")
            if org_side
            else ("manage_billing:copilot", "read:enterprise"),
            permission="org_copilot_metrics" if org_side else "enterprise_copilot_metrics",
            roles=ORG_METRICS_ROLES if org_side else ENTERPRISE_METRICS_ROLES,
            docs=DOCS_METRICS,
        )
        canonical = self._org(entity).login if org_side else entity  # type: ignore[union-attr]
        if canonical in self.policy_disabled:
            message = POLICY_MESSAGE.format(entity="organization" if org_side else "enterprise")
            raise _error(403, message if self.role_messages else "Forbidden", DOCS_METRICS, accepted)
        if kind.endswith("-28-day"):
            lines = self.dataset.report_lines(scope, canonical, kind, None)
            if not lines:
                return 204, None, accepted
            start, end = _window_of(lines, self.dataset.last_day)
            links = self._publish(lines, kind)
            return 200, {"download_links": links, "report_start_day": start, "report_end_day": end}, accepted
        day = self._day_param(query)
        how = self.faults.take_no_report(scope, kind, day)
        if how is not None:
            return self._no_report(how, scope, canonical, day, accepted)
        if day >= self.today:
            return 204, None, accepted
        lines = self.dataset.report_lines(scope, canonical, kind, day)
        if not lines:
            return 204, None, accepted
        return 200, {"download_links": self._publish(lines, kind, day), "report_day": day.isoformat()}, accepted

    def _no_report(
        self, how: NoReportHow, scope: str, entity: str, day: date, headers: dict[str, str]
    ) -> tuple[int, Any, dict[str, str]]:
        """A day without a report, answered the way ``how`` names (see ``faults.NoReportHow``)."""
        json_body = {"Content-Type": "application/json; charset=utf-8"}
        if how == "204":
            return 204, None, headers
        if how == "empty-string":
            return 200, b'""', {**headers, **json_body}
        if how == "sentence":
            return 200, orjson.dumps(NO_REPORT_SENTENCE), {**headers, **json_body}
        if how == "null":
            return 200, b"null", {**headers, **json_body}
        if how == "empty-body":
            return 200, b"", {**headers, **json_body}
        if how == "empty-links":
            return 200, {"download_links": [], "report_day": day.isoformat()}, headers
        if how == "404":
            what = "enterprise" if scope == "enterprise" else "organization"
            message = f"No report available for {what} {entity} on {day.isoformat()}."
            raise _error(404, message, DOCS_METRICS, headers)
        raise _error(int(how), "Server Error" if how == "502" else "Service Unavailable", DOCS, headers)

    def _day_param(self, query: dict[str, list[str]]) -> date:
        values = query.get("day")
        if not values or not values[0]:
            raise _error(422, 'Invalid request.\n\n"day" wasn\'t supplied.', DOCS_METRICS)
        try:
            day = date.fromisoformat(values[0])
        except ValueError:
            raise _error(400, f"Invalid day '{values[0]}': use the YYYY-MM-DD format.", DOCS_METRICS) from None
        earliest = max(FIRST_REPORT_DAY, self.today - timedelta(days=365))
        if day < earliest or day > self.today:
            raise _error(
                422,
                f"The day {day.isoformat()} is out of range: reports are available from {earliest.isoformat()} "
                f"to {(self.today - timedelta(days=1)).isoformat()}.",
                DOCS_METRICS,
            )
        return day

    def served_lines(self, scope: str, entity: str, kind: str, day: date | None = None) -> list[dict[str, Any]]:
        """A report's lines as its files hold them (content drift applied), without the hostile lines a fault or
        the preset adds: what a correct reader of the report counts."""
        lines = self.dataset.report_lines(scope, entity, kind, day) or []
        drifts: set[str] = set(self.faults.drifts)
        return [_drifted(line, kind, i, drifts) for i, line in enumerate(lines)] if drifts else list(lines)

    def _publish(self, lines: list[dict[str, Any]], kind: str = "", day: date | None = None) -> list[str]:
        """Render a report to NDJSON parts, store them under a fresh id and hand out signed links to them."""
        drifts: set[str] = set(self.faults.drifts)
        if drifts:
            lines = [_drifted(line, kind, i, drifts) for i, line in enumerate(lines)]
        encoded = [orjson.dumps(line) for line in lines]
        broken = self.faults.take_malformed()
        n_parts = max(1, min(self.parts_per_report, len(encoded)))
        size = math.ceil(len(encoded) / n_parts)
        chunks = [encoded[i : i + size] for i in range(0, len(encoded), size)]
        hostile = self.faults.take_hostile(kind, day)
        if hostile is not None:
            chunks = chunks or [[]]
            repeat = [chunks[0][0]] if hostile.repeat_first and chunks[0] else []
            chunks[-1] = [*chunks[-1], *repeat, *hostile.lines]
        if broken:
            step = max(1, len(encoded) // broken)
            targets = {min(len(encoded) - 1, step // 2 + k * step) for k in range(broken)}
            for flat in sorted(targets):
                part, line = divmod(flat, size)
                chunks[part][line] = b'{"user_login": "broken", "day": '
                with self._lock:
                    self.corrupted.append((part + 1, line + 1))
        parts = [b"\n".join(chunk) + b"\n" for chunk in chunks]
        if "gzip-part" in drifts:
            parts[0] = gzip.compress(parts[0], mtime=0)
        blob = secrets.token_hex(8)
        with self._lock:
            self._blobs[blob] = parts
            while len(self._blobs) > 64:
                self._blobs.popitem(last=False)
        expired = self.faults.take_expired_link()
        expires = int(time.time() - 60) if expired else int(time.time() + self.link_ttl)
        suffix = "json" if "json-names" in drifts else "ndjson"
        return [self._signed(f"/reports/{blob}/{i + 1}.{suffix}", expires) for i in range(len(parts))]

    def write_report(
        self, into: Path, scope: str, entity: str, kind: str, day: date | None = None, *, gzip_files: bool = False
    ) -> list[Path]:
        """Write a report's files into ``into`` as its download links serve them (the same parts, content drift,
        gzip and ``.json``/``.ndjson`` names), the way someone with access downloads them for another to open; none
        when the report has no data. ``gzip_files`` compresses every file (a ``.gz`` name)."""
        lines = self.dataset.report_lines(scope, entity, kind, day)
        if not lines:
            return []
        written = []
        for link in self._publish(lines, kind, day):
            path = urlsplit(link).path
            m = re.fullmatch(r"/reports/([0-9a-f]+)/(\d+)\.((?:nd)?json)", path)
            assert m is not None
            with self._lock:
                data = self._blobs[m.group(1)][int(m.group(2)) - 1]
            name = f"{entity}-{kind}-{day.isoformat() if day else 'latest'}-{m.group(2)}.{m.group(3)}"
            if gzip_files:
                data, name = gzip.compress(data, mtime=0), name + ".gz"
            into.mkdir(parents=True, exist_ok=True)
            (into / name).write_bytes(data)
            written.append(into / name)
        return written

    def _signature(self, path: str, expires: int) -> str:
        return hmac.new(self._secret, f"{path}:{expires}".encode(), hashlib.sha256).hexdigest()

    def _signed(self, path: str, expires: int) -> str:
        return f"{self.download_url}{path}?{urlencode({'se': expires, 'sig': self._signature(path, expires)})}"

    # ---- seats ------------------------------------------------------------------------------------------------

    def _seats(
        self,
        scope: str,
        entity: str,
        listing: bool,
        path: str,
        query: dict[str, list[str]],
        token: str | None,
        spec: TokenSpec | None,
    ) -> tuple[int, Any, dict[str, str]]:
        spec = self._authenticated(token, spec)
        org_side = scope == "org"
        accepted = self._check_access(
            scope,
            entity,
            spec,
            scopes=("manage_billing:copilot", "read:org")
            if org_side
            else ("manage_billing:copilot", "read:enterprise"),
            permission="copilot_business" if org_side else None,
            roles=frozenset({"owner"}) if org_side else ENTERPRISE_SEAT_ROLES,
            docs=DOCS_SEATS,
        )
        seats = self._seat_list(scope, entity)
        if not listing:
            return 200, self._billing(seats), accepted
        status, body, headers = self._page(path, query, seats, "seats", per_page_default=self.seats_per_page)
        body = {"total_seats": len(seats), "seats": body}
        return status, body, {**accepted, **headers}

    def _seat_list(self, scope: str, entity: str) -> list[dict[str, Any]]:
        seats_of = getattr(self.dataset, "seats", None)
        if seats_of is None:
            return []
        orgs = [self._org(entity)] if scope == "org" else list(self.dataset.orgs)
        out = []
        for org in filter(None, orgs):
            for seat in seats_of(org):
                if scope == "enterprise":
                    seat = {**seat, "organization": {"login": org.login, "id": int(org.org_id)}}
                out.append(seat)
        return out

    def _billing(self, seats: list[dict[str, Any]]) -> dict[str, Any]:
        cycle_start = datetime.combine(self.today - timedelta(days=30), datetime.min.time())

        def after(value: Any) -> bool:
            return bool(value) and datetime.fromisoformat(str(value).replace("Z", "")) >= cycle_start

        active = sum(1 for s in seats if after(s.get("last_activity_at")))
        return {
            "seat_breakdown": {
                "total": len(seats),
                "added_this_cycle": sum(1 for s in seats if after(s.get("created_at"))),
                "pending_invitation": 0,
                "pending_cancellation": sum(1 for s in seats if s.get("pending_cancellation_date")),
                "active_this_cycle": active,
                "inactive_this_cycle": len(seats) - active,
            },
            "seat_management_setting": "assign_selected",
            "ide_chat": "enabled",
            "platform_chat": "enabled",
            "cli": "enabled",
            "public_code_suggestions": "block",
            "plan_type": "business",
        }

    def _page(
        self, path: str, query: dict[str, list[str]], items: list[Any], key: str | None, *, per_page_default: int
    ) -> tuple[int, Any, dict[str, str]]:
        """One page of ``items`` and the ``Link`` header to the others, as GitHub paginates (``page``/``per_page``,
        at most 100 per page)."""
        try:
            per_page = min(100, max(1, int(query.get("per_page", [per_page_default])[0])))
            page = max(1, int(query.get("page", ["1"])[0]))
        except ValueError:
            raise _error(422, "Invalid pagination parameters.") from None
        last = max(1, math.ceil(len(items) / per_page))
        chunk = items[(page - 1) * per_page : page * per_page]

        def link(n: int) -> str:
            return f"{self.api_url}{path}?{urlencode({'per_page': per_page, 'page': n})}"

        rels = []
        if page < last:
            rels += [f'<{link(page + 1)}>; rel="next"', f'<{link(last)}>; rel="last"']
        if page > 1:
            rels += [f'<{link(1)}>; rel="first"', f'<{link(page - 1)}>; rel="prev"']
        return 200, chunk, ({"Link": ", ".join(rels)} if rels else {})

    # ---- the download port ------------------------------------------------------------------------------------

    def _download(
        self,
        h: BaseHTTPRequestHandler,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        fault: Fault | None,
        answered: Callable[[int | None], None],
    ) -> None:
        def refuse(status: int, code: str, message: str) -> None:
            body = (
                f'<?xml version="1.0" encoding="utf-8"?><Error><Code>{code}</Code><Message>{message}</Message></Error>'
            ).encode()
            answered(status)
            self._send(h, status, body, {"Content-Type": "application/xml"})

        if "authorization" in headers:
            return refuse(400, "InvalidAuthenticationInfo", "Signed links take no Authorization header.")
        if fault is not None and fault.kind == "status":
            return refuse(fault.status, "ServerBusy", "Fault injected by the test.")
        m = re.fullmatch(r"/reports/([0-9a-f]+)/(\d+)\.(?:nd)?json", path)
        try:
            expires = int(query.get("se", ["0"])[0])
        except ValueError:
            expires = 0
        signature = query.get("sig", [""])[0]
        if m is None or not hmac.compare_digest(signature, self._signature(path, expires)):
            return refuse(403, "AuthenticationFailed", "Signature did not match.")
        if expires < time.time():
            return refuse(403, "AuthenticationFailed", "Signed expiry time has passed.")
        with self._lock:
            parts = self._blobs.get(m.group(1))
        index = int(m.group(2)) - 1
        if parts is None or not 0 <= index < len(parts):
            return refuse(404, "BlobNotFound", "The specified blob does not exist.")
        payload = parts[index]
        answered(200)
        h.send_response(200)
        h.send_header("Content-Type", "application/x-ndjson")
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        if fault is not None and fault.kind == "trickle":
            with contextlib.suppress(OSError):
                for i in range(len(payload)):
                    h.wfile.write(payload[i : i + 1])
                    h.wfile.flush()
                    if self._stopping.wait(fault.seconds):
                        break
            h.close_connection = True
            return
        if fault is not None and fault.kind == "truncate":
            h.wfile.write(payload[: len(payload) // 2])
            h.wfile.flush()
            h.close_connection = True
            with contextlib.suppress(OSError):
                h.connection.shutdown(socket.SHUT_RDWR)
            return
        h.wfile.write(payload)


PRESETS = {
    "realistic": (
        "yesterday's users and user-teams reports answer 204 (the org totals are there); days before the data "
        'begins answer 200 with "", null, a sentence, no body or no links (organizations) and 404 \'No report '
        "available' (the enterprise); one day's users report answers 502 once; content drifts (ids as numbers or "
        "strings, used_copilot_coding_agent beside used_copilot_cloud_agent, null credits, a gzip part, .json names); "
        "the users report of the day a week before the data ends holds lines the line rule skips (see "
        "hostile_user_lines) and an exact repeat of its first line"
    ),
}
"""The presets ``FakeGitHub(preset=...)`` and ``python -m copilot_tui.fakehub --preset`` know, with what they do."""


HOSTILE_USER_ID = 9_000_000_000
"""The user ids of the preset's hostile lines start here, beyond the demo dataset's (its org id times 100,000 and
up): a line let through shows."""


def hostile_user_lines(day: date) -> list[bytes]:
    """Users-report lines of ``day`` that the line rule skips, one of each kind real files have held: not an
    object, not JSON (NaN, Infinity, a BOM mid-file), nested beyond a report line, an integer beyond 64 bits, a
    negative count, a number as a string."""

    def line(n: int, **fields: Any) -> dict[str, Any]:
        return {
            "day": day.isoformat(),
            "user_id": HOSTILE_USER_ID + n,
            "user_login": f"hostile-{n}",
            "user_initiated_interaction_count": 3,
            "code_generation_activity_count": 5,
            "code_acceptance_activity_count": 2,
            **fields,
        }

    def text(n: int, raw_field: str) -> bytes:
        return orjson.dumps(line(n))[:-1] + b"," + raw_field.encode() + b"}"

    return [
        b'["not", "an", "object"]',
        text(1, '"ai_credits_used": NaN'),
        text(2, '"loc_added_sum": Infinity'),
        b"\xef\xbb\xbf" + orjson.dumps(line(3)),
        text(4, '"deep": ' + "[" * 1100 + "]" * 1100),
        text(5, '"loc_added_sum": 36893488147419103232'),
        orjson.dumps(line(6, user_initiated_interaction_count=-1_000_000)),
        orjson.dumps(line(7, code_generation_activity_count="10")),
    ]


def _bearer(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() in ("bearer", "token") and token.strip() else None


def _drifted(line: dict[str, Any], kind: str, index: int, drifts: set[str]) -> dict[str, Any]:
    """One report line as GitHub's content wanders from its documented shape (see ``faults.DRIFTS``)."""
    line = dict(line)
    # which lines drift depends on the line itself, so a day's 1-day and 28-day reports drift alike
    index = int(line.get("user_id") or 0) + date.fromisoformat(str(line.get("day") or "2025-10-10")[:10]).toordinal()
    if "string-ids" in drifts:
        for key in ("organization_id", "enterprise_id"):
            value = line.get(key)
            if isinstance(value, str) and value.isdigit():
                line[key] = int(value)
            elif isinstance(value, int):
                line[key] = str(value)
    if "renamed-agent-field" in drifts and "used_copilot_cloud_agent" in line:
        line["used_copilot_coding_agent"] = line["used_copilot_cloud_agent"]
        if index % 2:
            del line["used_copilot_cloud_agent"]
    if "nulls" in drifts and kind.startswith("users") and index % 3 == 0 and "ai_credits_used" in line:
        line["ai_credits_used"] = None
    return line


def _window_of(lines: list[dict[str, Any]], last_day: date) -> tuple[str, str]:
    first = lines[0]
    start = first.get("report_start_day")
    end = first.get("report_end_day")
    if start and end:
        return str(start), str(end)
    return (last_day - timedelta(days=27)).isoformat(), last_day.isoformat()


__all__ = [
    "DEFAULT_TOKENS",
    "HOSTILE_USER_ID",
    "FINE_GRAINED_TOKEN",
    "MEMBER_TOKEN",
    "NO_PERMISSION_TOKEN",
    "NO_SCOPE_TOKEN",
    "OWNER_TOKEN",
    "FakeGitHub",
    "RecordedRequest",
    "TokenSpec",
    "hostile_user_lines",
]
