"""What GitHub's answers mean to a person: the typed error, with its one sentence, for each answer that is not a
success, and what each request is for in the reader's terms (:class:`RequestContext`).

The client (:mod:`copilot_tui.github.client`) sends, retries and waits; when an answer is a refusal it asks
:func:`refusal` for the error to raise. Every sentence says what went wrong and what to do about it, names the place
where it is fixed, and never contains the token (URLs are :func:`redact`ed).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from copilot_tui.github import hosts
from copilot_tui.github.errors import (
    FIRST_REPORT_DAY,
    POLICY_WHERE_ENTERPRISE,
    POLICY_WHERE_ORG,
    BadCredentialsError,
    DayOutOfRangeError,
    ForbiddenError,
    GitHubError,
    NotFoundError,
    RateLimitError,
    ResponseFormatError,
    ServerError,
)
from copilot_tui.scope import Scope

_SCOPE_IMPLIED_BY = {
    "read:org": ("write:org", "admin:org"),
    "read:enterprise": ("admin:enterprise",),
    "manage_billing:copilot": (),
}


def is_daily_report(kind: str) -> bool:
    return kind.endswith("-1-day")


def earliest_report_day(today: date) -> date:
    """Reports reach back to 2025-10-10 and at most one year (GitHub REST docs, Copilot usage metrics)."""
    return max(FIRST_REPORT_DAY, today - timedelta(days=365))


def redact(url: str) -> str:
    """A URL fit for a message: signed links lose their query (the signature) and any user info."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def scopes_header(resp: httpx.Response, name: str) -> tuple[str, ...] | None:
    raw = resp.headers.get(name)
    if raw is None:
        return None
    return tuple(s.strip() for s in raw.split(",") if s.strip())


def _sso_url(header: str) -> str | None:
    """The URL in ``X-GitHub-SSO: required; url=https://github.com/orgs/ORG/sso?authorization_request=...``."""
    for item in header.split(";"):
        key, _, value = item.strip().partition("=")
        if key.strip().lower() == "url" and value.strip().startswith("https://"):
            return value.strip()
    return None


def _has_scope(token_scopes: Iterable[str], wanted: str) -> bool:
    have = set(token_scopes)
    return wanted in have or any(s in have for s in _SCOPE_IMPLIED_BY.get(wanted, ()))


def unhealable_sentence(kind: str, host: str, what: str, exc: BaseException) -> str:
    detail = f"{type(exc).__name__}{': ' + str(exc) if str(exc) else ''}"
    if kind == "DNS":
        return (
            f"The host {host} could not be found for {what} ({detail}): check its name (--hostname / --api-url) "
            "and this machine's DNS."
        )
    return (
        f"No secure connection to {host} for {what} ({detail}): check the URL's scheme and port, this machine's "
        "certificates and any proxy in between."
    )


def json_body(resp: httpx.Response, ctx: RequestContext) -> Any:
    """The API's JSON answer; anything else is a sentence that points at a wrong ``--api-url``."""
    try:
        return orjson.loads(resp.content)
    except orjson.JSONDecodeError:
        raise ResponseFormatError(
            f"GitHub answered {ctx.what} with something that is not JSON "
            f"({resp.headers.get('content-type', 'no content type')}): is --api-url the REST API base URL?",
            status=resp.status_code,
            url=redact(str(resp.url)),
        ) from None


@dataclass(frozen=True, slots=True)
class RequestContext:
    """What a request was for, so an error can say it in the reader's terms."""

    what: str
    scope: Scope | None = None
    day: date | None = None
    kind: str | None = None
    accepted_scopes: tuple[str, ...] = ()
    fine_grained: str | None = None
    role: str | None = None
    policy: bool = False


def seats_context(scope: Scope) -> RequestContext:
    if scope.kind == "org":
        return RequestContext(
            what=f"the Copilot seats of the organization {scope.name}",
            scope=scope,
            accepted_scopes=("manage_billing:copilot", "read:org"),
            fine_grained="'GitHub Copilot Business' organization permission (read)",
            role="an organization owner",
        )
    return RequestContext(
        what=f"the Copilot seats of the enterprise {scope.name}",
        scope=scope,
        accepted_scopes=("manage_billing:copilot", "read:enterprise"),
        fine_grained=None,
        role="an enterprise owner or billing manager",
    )


def report_context(scope: Scope, kind: str, day: date | None) -> RequestContext:
    when = f" for {day.isoformat()}" if day and is_daily_report(kind) else ""
    of = f"the organization {scope.name}" if scope.kind == "org" else f"the enterprise {scope.name}"
    if scope.kind == "org":
        return RequestContext(
            what=f"the Copilot usage metrics ({kind}) of {of}{when}",
            scope=scope,
            day=day if is_daily_report(kind) else None,
            kind=kind,
            accepted_scopes=("manage_billing:copilot", "read:org"),
            fine_grained="'Organization Copilot metrics' permission (read)",
            role="an organization owner or to hold the 'View Organization Copilot Metrics' permission",
            policy=True,
        )
    return RequestContext(
        what=f"the Copilot usage metrics ({kind}) of {of}{when}",
        scope=scope,
        day=day if is_daily_report(kind) else None,
        kind=kind,
        accepted_scopes=("manage_billing:copilot", "read:enterprise"),
        fine_grained="'Enterprise Copilot metrics' permission (read)",
        role="an enterprise owner or billing manager or to hold the 'View Enterprise Copilot Metrics' permission",
        policy=True,
    )


def rate_limit_error(
    ctx: RequestContext, *, reset_at: float | None, secondary: bool, status: int | None, clock: Callable[[], float]
) -> RateLimitError:
    """GitHub holding back ``ctx``'s request under a rate limit: when it resets (``clock``: now), or to wait."""
    which = "a secondary rate limit" if secondary else "its API rate limit"
    if reset_at is not None:
        when = time.strftime("%H:%M:%S", time.localtime(reset_at))
        minutes = max(0.0, reset_at - clock()) / 60
        tail = f"it resets at {when} (in {minutes:.0f} min); try again then."
    else:
        tail = "wait a few minutes and try again, with fewer requests at once."
    return RateLimitError(
        f"GitHub is holding back requests for {ctx.what} under {which}: {tail}",
        reset_at=reset_at,
        secondary=secondary,
        status=status,
    )


def answer_message(resp: httpx.Response) -> str:
    """GitHub's own ``message`` in an answer ("" when it gives none)."""
    body = _body(resp)
    return str(body.get("message", "")) if isinstance(body, dict) else ""


def _body(resp: httpx.Response) -> Any:
    try:
        return orjson.loads(resp.content) if resp.content else {}
    except orjson.JSONDecodeError:
        return {}


def refusal(
    resp: httpx.Response, ctx: RequestContext, *, retried: bool, api_url: str, hostname: str, clock: Callable[[], float]
) -> GitHubError:
    """The typed error, with its sentence, for an answer that is not a success and not a rate limit the client
    waits out: ``retried`` when the status is one the client retries (then it was, every time)."""
    status = resp.status_code
    body = _body(resp)
    api_message = str(body.get("message", "")) if isinstance(body, dict) else ""
    doc_url = body.get("documentation_url") if isinstance(body, dict) else None
    common: dict[str, Any] = {
        "status": status,
        "url": redact(str(resp.request.url)),
        "api_message": api_message or None,
        "documentation_url": doc_url,
        "request_id": resp.headers.get("x-github-request-id"),
    }
    said = f" (GitHub said: {api_message})" if api_message else ""

    if retried:
        return ServerError(
            f"GitHub answered {status} for {ctx.what} after every retry{said}; it may be having trouble "
            "(www.githubstatus.com): try again later.",
            **common,
        )
    if status == 401:
        return BadCredentialsError(
            f"GitHub refused the token for {ctx.what} (401{': ' + api_message if api_message else ''}): it is "
            "wrong, expired or revoked. Create a new one and "
            f"{hosts.sign_in_hint(hosts.token_host(api_url), api_url)}.",
            **common,
        )
    if status == 403:
        return _forbidden(resp, ctx, said, common)
    if status == 404:
        return NotFoundError(_not_found_message(ctx, said, hostname), **common)
    if status in (400, 422) and ctx.day is not None:
        today = datetime.fromtimestamp(clock(), UTC).date()
        return DayOutOfRangeError(
            f"GitHub has no report for {ctx.day.isoformat()}{said}: Copilot usage metrics reports exist from "
            f"{FIRST_REPORT_DAY.isoformat()} on, reach back at most one year (today the earliest day is "
            f"{earliest_report_day(today).isoformat()}) and end yesterday. Pick a day in that range.",
            day=ctx.day,
            **common,
        )
    return GitHubError(f"GitHub answered {status} for {ctx.what}{said}.", **common)


def _forbidden(resp: httpx.Response, ctx: RequestContext, said: str, common: dict[str, Any]) -> ForbiddenError:
    """Which 403 it is, from GitHub's message and headers, with the one thing that fixes it; both the role and
    the policy are named only when GitHub's message does not say."""
    message = (common.get("api_message") or "").lower()
    entity = _entity(ctx)
    policy_where = POLICY_WHERE_ORG if ctx.scope is None or ctx.scope.kind == "org" else POLICY_WHERE_ENTERPRISE
    role = f"your account needs to be {ctx.role}" if ctx.role else "your account may lack the role"
    refused = f"GitHub refused access to {ctx.what} (403){said}."

    sso = resp.headers.get("x-github-sso", "")
    if "saml" in message or sso.startswith("required"):
        url = _sso_url(sso)
        where = f"authorize it at {url}" if url else "authorize it in your token settings (Configure SSO)"
        return ForbiddenError(
            f"{refused} {entity.capitalize()} enforces SAML single sign-on and this token is not authorized for "
            f"it: {where}, then try again.",
            cause="saml",
            sso_url=url,
            **common,
        )
    if "not accessible by integration" in message:
        permission = f" with the {ctx.fine_grained}" if ctx.fine_grained else ""
        return ForbiddenError(
            f"{refused} The token is a GitHub App's, and the app is not installed on {entity}{permission}: "
            f"install it there{permission and ' with that permission'}, or use a token of an account that may "
            "read it.",
            cause="integration",
            **common,
        )
    if "not accessible by personal access token" in message:
        need = ctx.fine_grained or "permission this endpoint needs"
        return ForbiddenError(
            f"{refused} The fine-grained token lacks the {need} for {entity}: edit the token (Settings > "
            f"Developer settings > Fine-grained tokens), make {entity} its resource owner and "
            "grant that permission, then try again.",
            cause="fine-grained",
            **common,
        )
    if "copilot usage metrics" in message and ("policy" in message or "disabled" in message):
        return ForbiddenError(
            f"{refused} The 'Copilot usage metrics' policy is off for {entity}: {policy_where}.",
            cause="policy",
            **common,
        )
    if "requires admin" in message or "role access" in message:
        return ForbiddenError(
            f"{refused} {role[0].upper()}{role[1:]}: ask an owner of {entity} for it.",
            cause="role",
            **common,
        )
    if not resp.headers.get("content-type", "").startswith("application/json") and resp.text.strip():
        text = resp.text.strip().splitlines()[0][:160]
        return ForbiddenError(
            f"GitHub refused the request for {ctx.what} without reading it (403, plain text: {text}). GitHub "
            "does this to requests without a User-Agent header: something between this machine and GitHub (a "
            "proxy) may strip it; check the proxy settings.",
            cause="user-agent",
            **common,
        )

    token_scopes = scopes_header(resp, "x-oauth-scopes")
    accepted = scopes_header(resp, "x-accepted-oauth-scopes") or ctx.accepted_scopes
    accepted = tuple(s for s in accepted if s)
    classic_need = " or ".join(f"'{s}'" for s in accepted) if accepted else "the right scope"
    if token_scopes is not None and accepted and not any(_has_scope(token_scopes, s) for s in accepted):
        have = ", ".join(token_scopes) or "none"
        return ForbiddenError(
            f"The token may not read {ctx.what}{said}: a classic token needs the {classic_need} scope (it has: "
            f"{have}). Add one with 'gh auth refresh -s {accepted[-1]}' or create a new token, then sign in "
            "again.",
            cause="scope",
            missing_scopes=accepted,
            **common,
        )
    if token_scopes is not None:
        cause_text = f"The token's scopes are fine, so either {role}"
        if ctx.policy:
            cause_text += f", or the 'Copilot usage metrics' policy is off: {policy_where}."
        else:
            cause_text += "."
        return ForbiddenError(
            f"{refused} {cause_text}",
            cause="role-or-policy" if ctx.policy else "role",
            **common,
        )
    token_text = f"a classic token needs the {classic_need} scope"
    if ctx.fine_grained:
        token_text += f", a fine-grained token the {ctx.fine_grained}"
    text = f"{refused[:-1]}. Either the token lacks access ({token_text}; and {role})"
    if ctx.policy:
        text += f", or the 'Copilot usage metrics' policy is off: {policy_where}."
    else:
        text += "."
    return ForbiddenError(text, cause="unknown", **common)


def _entity(ctx: RequestContext) -> str:
    scope = ctx.scope
    if scope is None:
        return "the organization"
    return f"the {'organization' if scope.kind == 'org' else 'enterprise'} {scope.name}"


def _not_found_message(ctx: RequestContext, said: str, hostname: str) -> str:
    scope = ctx.scope
    if scope is None:
        return f"GitHub found nothing for {ctx.what} on {hostname} (404){said}."
    if scope.kind == "org":
        return (
            f"GitHub found no organization '{scope.name}' on {hostname} that this token can see (404){said}: "
            "check the name (--org) and that the token's account is a member of it."
        )
    return (
        f"GitHub found no enterprise '{scope.name}' on {hostname} that this token can see (404){said}: "
        "check the slug (--enterprise) and that the token's account is an owner or billing manager of it."
    )
