"""Where the GitHub token comes from and where it is kept: the environment first, then the OS keyring.

The people who use this app hold tokens that read billing and usage data for a whole organization or enterprise, so
the token is handled the way ``gh`` handles it, or more strictly:

- a token belongs to one host: the host the API URL names (``github.com``, ``octo.ghe.com``, ``ghes.example.com``,
  ``127.0.0.1:8080``; see ``github.hosts.token_host``), and only that host's token is looked up for it;
- it is read from ``GH_TOKEN`` / ``GITHUB_TOKEN`` for github.com and ``*.ghe.com``, from ``GH_ENTERPRISE_TOKEN`` /
  ``GITHUB_ENTERPRISE_TOKEN`` for every other host (as ``gh`` does), then from the OS keyring, one entry per host
  under the service name ``copilot-tui``;
- when no keyring is usable the caller gets :class:`KeyringUnavailableError`, naming what the user can do; there is
  never a fallback to a plain file, and a plain-text backend that ``keyring`` might pick is refused;
- every keyring call runs in a daemon thread with a deadline, because a D-Bus that never answers (a locked
  collection waiting on a prompt nobody can see, a wedged daemon) must not freeze the app or the CLI;
- the token travels as a :class:`~copilot_tui.github.secret.Secret`, whose every printable form is masked: it never
  appears in a ``repr``, an exception message, a log line or a crash screen's locals.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from copilot_tui.github import hosts
from copilot_tui.github.errors import GitHubError, RateLimitError
from copilot_tui.github.secret import Secret, mask
from copilot_tui.scope import Scope

log = logging.getLogger(__name__)

SERVICE = "copilot-tui"
"""The keyring service name; the username of each entry is the host (``github.com``, ``octo.ghe.com``)."""

DEFAULT_HOST = hosts.DEFAULT_HOST
TIMEOUT_ENV = "COPILOT_TUI_KEYRING_TIMEOUT"
DEFAULT_TIMEOUT = 10.0
"""Seconds one keyring call may take. A healthy Secret Service answers in milliseconds; the first call also picks the
backend (a few D-Bus round trips), so the bound is generous, but finite."""

KEYRING_SOURCE = "keyring"
ORG_SCOPES = ("manage_billing:copilot", "read:org")
ENTERPRISE_SCOPES = ("manage_billing:copilot", "read:enterprise")
# A classic scope also grants the narrower scopes it contains (GitHub docs, "Scopes for OAuth apps").
_IMPLIED_BY = {
    "read:org": ("write:org", "admin:org"),
    "read:enterprise": ("admin:enterprise",),
}
ORG_PERMISSION = '"Organization Copilot metrics" (read)'
ENTERPRISE_PERMISSION = '"Enterprise Copilot metrics" (read)'
MAX_METRICS_PROBES = 5
"""Orgs tried when looking for one whose metrics the token can read: enough to find one, few enough to be quick."""

T = TypeVar("T")


class KeyringUnavailableError(Exception):
    """No usable OS keyring: none installed, none running, locked, refused, or not answering in time.

    ``str()`` is a message a person can act on; ``reason`` is the short cause alone (for a status line).
    """

    def __init__(self, reason: str, hostname: str | None = None, *, looking_for_token: bool = False) -> None:
        self.reason = reason
        env = env_vars_for_host(normalize_hostname(hostname))[0]
        stop = "" if reason.endswith((".", "!", "?")) else "."
        host = normalize_hostname(hostname)
        lead = (
            f"No GitHub token for {host}: {env} is not set and the OS keyring"
            if looking_for_token
            else "The OS keyring"
        )
        super().__init__(
            f"{lead} is not available: {reason}{stop}\n"
            "Options:\n"
            "  - start a Secret Service such as gnome-keyring, and unlock it;\n"
            "  - install a keyring backend for your system (see https://pypi.org/project/keyring/);\n"
            f"  - or skip the keyring: set {env} in the environment.\n"
            "copilot-tui never stores the token in a plain file."
        )


class KeyringTimeoutError(KeyringUnavailableError):
    """A keyring call did not return within its deadline (its thread is left behind, as a daemon)."""


class GhImportError(Exception):
    """``gh auth token`` could not give a token (gh missing, not signed in to the host, or failing)."""


# --- hosts and the environment ----------------------------------------------------------------------------------


def normalize_hostname(hostname: str | None) -> str:
    """The keyring key for a host, written as ``gh`` writes it: lower case, no scheme or path, ``api.`` folded in.

    ``None`` or an empty string mean github.com. ``api.github.com`` and ``https://github.com/`` are github.com;
    ``api.octo.ghe.com`` is ``octo.ghe.com``; a port other than 443 stays (``127.0.0.1:8080``).
    """
    return hosts.token_host(hosts.api_url_for_host(hosts.normalize_hostname(hostname).split("/", 1)[0]))


def host_for(hostname: str | None = None, api_url: str | None = None) -> str:
    """The host whose token a request goes out with: the one the API URL in use names (``--api-url`` or
    ``COPILOT_TUI_API_URL`` before ``--hostname``)."""
    return hosts.token_host(hosts.resolve_api_url(hostname, api_url))


def env_vars_for_host(hostname: str | None) -> tuple[str, ...]:
    """The environment variables that hold a token for this host, first match wins (``gh``'s order)."""
    return hosts.token_env_vars(normalize_hostname(hostname))


def sign_in_hint(host: str, api_url: str | None = None) -> str:
    """How to give a token for ``host``: ``auth login`` with the ``--api-url`` in use, or ``--hostname``, and the
    environment variable that would do instead."""
    return hosts.sign_in_hint(normalize_hostname(host), api_url)


def no_token_message(host: str, api_url: str | None = None) -> str:
    """The sentence for a host that has no token (nothing is sent to it)."""
    return f"No GitHub token for {host}: {sign_in_hint(host, api_url)}."


def token_help(hostname: str | None = None) -> str:
    """One paragraph on how to make a token that can read Copilot metrics, for the CLI prompt and the sign-in screen."""
    host = normalize_hostname(hostname)
    local = hosts.is_loopback(host.rpartition(":")[0] if host.rpartition(":")[2].isdigit() else host)
    where = "on the GitHub this API stands for" if local else f"at https://{_web_host(host)}/settings/tokens"
    return (
        f"Create a token {where}: a classic token with the scope "
        "manage_billing:copilot or read:org (read:enterprise for an enterprise), or a fine-grained token "
        f"with the {ORG_PERMISSION} permission ({ENTERPRISE_PERMISSION} for an enterprise). "
        "You need to be an owner, a billing manager, or hold the Copilot metrics viewer role."
    )


def _web_host(host: str) -> str:
    return host[4:] if host.startswith("api.") else host


# --- masking ----------------------------------------------------------------------------------------------------


def mask_token(token: str | Secret | None) -> str:
    """The token as it may be shown: ``ghp_****abcd`` (see :func:`copilot_tui.github.secret.mask`)."""
    return mask(token)


def _scrub(text: str, token: Secret | None) -> str:
    return text.replace(token.reveal(), token.masked) if token else text


def normalize_token(token: str | Secret, host: str | None = None) -> Secret:
    """The token without the whitespace a paste brings, as a :class:`Secret` (bound to ``host`` when given);
    :class:`ValueError` for one that cannot be a token."""
    secret = Secret(Secret(token).reveal().strip(), host)
    if not secret:
        raise ValueError("the token is empty")
    if any(ch.isspace() for ch in secret.reveal()) or not secret.reveal().isprintable():
        raise ValueError("the token contains spaces or control characters: paste the token alone")
    return secret


# --- the token, resolved ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResolvedToken:
    """A token and where it came from. Its ``repr`` and ``str`` show the masked form only."""

    token: Secret = field(repr=False)
    source: str
    """``GH_TOKEN``, ``GITHUB_TOKEN``, ``GH_ENTERPRISE_TOKEN``, ``GITHUB_ENTERPRISE_TOKEN`` or ``keyring``."""
    hostname: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "token", Secret(self.token, self.hostname))

    @property
    def masked(self) -> str:
        return self.token.masked

    @property
    def from_environment(self) -> bool:
        return self.source != KEYRING_SOURCE

    def describe_source(self) -> str:
        return f"environment ({self.source})" if self.from_environment else f"OS keyring (service {SERVICE!r})"

    def __str__(self) -> str:
        return self.masked


def token_from_env(hostname: str | None = None, environ: dict[str, str] | None = None) -> ResolvedToken | None:
    """The token the environment gives for this host, if any; empty variables are ignored, as ``gh`` does."""
    env = os.environ if environ is None else environ
    host = normalize_hostname(hostname)
    for name in env_vars_for_host(host):
        if env.get(name, "").strip():
            return ResolvedToken(Secret(env[name].strip(), host), name, host)
    return None


def resolve_token(hostname: str | None = None, *, timeout: float | None = None) -> ResolvedToken | None:
    """The token to use for a host: the environment first, then the keyring; ``None`` when neither has one.

    Raises :class:`KeyringUnavailableError` only when the environment has no token and the keyring cannot be asked,
    so a user with ``GH_TOKEN`` set never depends on a keyring.
    """
    host = normalize_hostname(hostname)
    found = token_from_env(host)
    if found is not None:
        return found
    try:
        stored = read_keyring_token(host, timeout=timeout)
    except KeyringUnavailableError as exc:
        # said from the caller's side: what is missing is a token, the keyring is only where it was looked for
        raise type(exc)(exc.reason, host, looking_for_token=True) from exc
    return ResolvedToken(stored, KEYRING_SOURCE, host) if stored else None


# --- the keyring, with deadlines --------------------------------------------------------------------------------


def keyring_timeout() -> float:
    raw = os.environ.get(TIMEOUT_ENV, "")
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def _run_with_deadline(
    what: str, fn: Callable[[], T], *, hostname: str, timeout: float | None, token: Secret | None
) -> T:
    """Run one keyring operation in a daemon thread and wait at most ``timeout`` seconds for it.

    A daemon thread, not an executor: an executor's worker is joined at interpreter exit, so a hung D-Bus call
    would hang the exit too.
    """
    limit = keyring_timeout() if timeout is None else timeout
    done = threading.Event()
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, name=f"copilot-tui-keyring-{what}", daemon=True).start()
    if not done.wait(limit):
        log.info("keyring %s for %s gave no answer within %.1f s", what, hostname, limit)
        raise KeyringTimeoutError(
            f"the keyring did not answer within {limit:g} seconds "
            "(a locked collection waiting for a password prompt, or a Secret Service that is not responding)",
            hostname,
        )
    error = outcome.get("error")
    if error is None:
        return outcome["value"]  # type: ignore[no-any-return]
    if isinstance(error, KeyringUnavailableError):
        raise KeyringUnavailableError(error.reason, hostname) from None
    if not isinstance(error, Exception):
        raise error
    reason = _scrub(_describe(error), token)
    log.info("keyring %s for %s failed: %s", what, hostname, reason)
    raise KeyringUnavailableError(reason, hostname) from None


def _describe(error: Exception) -> str:
    from keyring.errors import InitError, KeyringLocked

    detail = f"{type(error).__name__}: {error}".rstrip(": ")
    if isinstance(error, KeyringLocked):
        return f"the keyring is locked and could not be unlocked from here ({detail})"
    if isinstance(error, InitError):
        return f"the keyring could not be opened ({detail})"
    return detail


def _refusal(backend: Any) -> str | None:
    """Why a backend that ``keyring`` picked is not fit for the token, or ``None`` when it is."""
    from keyring.backends import fail, null

    cls = type(backend)
    name = f"{cls.__module__}.{cls.__qualname__}"
    if isinstance(backend, fail.Keyring):
        where = (
            ""
            if os.environ.get("DBUS_SESSION_BUS_ADDRESS")
            else " (no D-Bus session: DBUS_SESSION_BUS_ADDRESS is unset)"
        )
        return f"no keyring backend was found: no Secret Service on D-Bus{where}, no KWallet, no other OS store"
    if isinstance(backend, null.Keyring):
        return "the keyring is switched off (keyring.backends.null is configured)"
    if "plaintext" in name.lower():
        return f"the only backend found, {name}, keeps secrets in a plain file, which copilot-tui refuses"
    explicit = bool(os.environ.get("PYTHON_KEYRING_BACKEND"))
    if cls.__module__.startswith("keyrings.alt") and not explicit:
        return f"the only backend found, {name}, is not an OS keyring; name it in PYTHON_KEYRING_BACKEND to accept it"
    return None


def _backend() -> Any:
    """The backend to use, checked: for a chain of backends, the first fit one of the chain (never a file)."""
    import keyring
    from keyring.backends.chainer import ChainerBackend

    backend = keyring.get_keyring()
    if isinstance(backend, ChainerBackend):
        fit = [b for b in backend.backends if _refusal(b) is None]
        if not fit:
            raise KeyringUnavailableError("no keyring backend in the chain is an OS keyring")
        backend = fit[0]
    reason = _refusal(backend)
    if reason:
        raise KeyringUnavailableError(reason)
    return backend


def keyring_backend_name(*, timeout: float | None = None) -> str:
    """The dotted class name of the keyring backend in use (raises :class:`KeyringUnavailableError` if none)."""

    def name() -> str:
        cls = type(_backend())
        return f"{cls.__module__}.{cls.__qualname__}"

    return _run_with_deadline("backend", name, hostname=DEFAULT_HOST, timeout=timeout, token=None)


def read_keyring_token(hostname: str | None = None, *, timeout: float | None = None) -> Secret | None:
    """The token stored for a host, or ``None``; raises :class:`KeyringUnavailableError` when it cannot ask."""
    host = normalize_hostname(hostname)
    return _run_with_deadline(
        "read",
        lambda: Secret.wrap(_backend().get_password(SERVICE, host), host),
        hostname=host,
        timeout=timeout,
        token=None,
    )


def store_token(hostname: str | None, token: str | Secret, *, timeout: float | None = None) -> None:
    """Keep the token in the OS keyring for a host, replacing the one held, and read it back to be sure it was kept.

    Raises :class:`ValueError` for a token that is empty or holds spaces, :class:`KeyringUnavailableError` when the
    keyring cannot take it; nothing is written anywhere else.
    """
    host = normalize_hostname(hostname)
    secret = normalize_token(token, host)
    del token

    def store() -> None:
        backend = _backend()
        backend.set_password(SERVICE, host, secret.reveal())
        if secret != (backend.get_password(SERVICE, host) or ""):
            raise KeyringUnavailableError("the keyring accepted the token but did not return it when read back", host)

    _run_with_deadline("store", store, hostname=host, timeout=timeout, token=secret)
    log.info("token for %s stored in the keyring", host)


def delete_token(hostname: str | None = None, *, timeout: float | None = None) -> bool:
    """Remove the stored token of a host; ``False`` when there was none."""
    host = normalize_hostname(hostname)

    def delete() -> bool:
        backend = _backend()
        if backend.get_password(SERVICE, host) is None:
            return False
        backend.delete_password(SERVICE, host)
        return True

    removed = _run_with_deadline("delete", delete, hostname=host, timeout=timeout, token=None)
    log.info("token for %s %s", host, "removed from the keyring" if removed else "was not in the keyring")
    return removed


# --- import from gh, on request only ----------------------------------------------------------------------------


def token_from_gh(hostname: str | None = None, *, timeout: float = 15.0) -> Secret:
    """The token an installed ``gh`` holds for the host (``gh auth token``). Only ever called on the user's request."""
    host = normalize_hostname(hostname)
    gh = shutil.which("gh")
    if gh is None:
        raise GhImportError("the GitHub CLI (gh) is not installed or not on PATH")
    try:
        done = subprocess.run(
            [gh, "auth", "token", "--hostname", host],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GhImportError(f"'gh auth token' did not answer within {timeout:g} seconds") from None
    except OSError as exc:
        raise GhImportError(f"'gh auth token' could not run: {exc}") from None
    # from here no local holds the plain token: ``done`` (whose repr shows stdout) is dropped at once
    token = Secret(done.stdout.strip(), host)
    code, stderr = done.returncode, done.stderr
    del done
    if code != 0 or not token:
        detail = _scrub(stderr.strip().splitlines()[-1] if stderr.strip() else "", token)
        raise GhImportError(f"gh has no token for {host}" + (f" ({detail})" if detail else ""))
    return normalize_token(token, host)


# --- checking a token against the API ---------------------------------------------------------------------------


class _Identity(Protocol):
    @property
    def login(self) -> str: ...

    @property
    def scopes(self) -> tuple[str, ...] | None: ...


class IdentityClient(Protocol):
    """What :func:`check_token` needs of the GitHub client (``copilot_tui.github.client.GitHubClient`` has it)."""

    async def get_user(self) -> _Identity: ...

    async def list_user_orgs(self) -> list[str]: ...

    async def report_links(self, scope: Scope, kind: str, day: Any = None) -> Any: ...


def _has_any(scopes: Sequence[str], wanted: Sequence[str]) -> bool:
    held = set(scopes)
    return any(w in held or any(parent in held for parent in _IMPLIED_BY.get(w, ())) for w in wanted)


def missing_scopes(scopes: Sequence[str] | None, *, enterprise: bool = False) -> tuple[str, ...]:
    """The needs a classic token's scopes do not meet, each as ``"a or b"``; empty for a fine-grained token.

    Organization metrics need ``manage_billing:copilot`` or ``read:org``; enterprise metrics (only asked when
    ``enterprise``) need ``manage_billing:copilot`` or ``read:enterprise`` (GitHub REST docs, "REST API endpoints
    for Copilot usage metrics").
    """
    if scopes is None:
        return ()
    missing = []
    if not _has_any(scopes, ORG_SCOPES):
        missing.append(" or ".join(ORG_SCOPES))
    if enterprise and not _has_any(scopes, ENTERPRISE_SCOPES):
        missing.append(" or ".join(ENTERPRISE_SCOPES))
    return tuple(missing)


@dataclass(frozen=True, slots=True)
class TokenCheck:
    """What the API says of a token: whose it is, what it may do, and whether Copilot metrics are readable with it."""

    login: str
    scopes: tuple[str, ...] | None
    """The classic token's scopes from ``X-OAuth-Scopes``; ``None`` when GitHub sends no such header (fine-grained
    tokens, GitHub App tokens): then only trying an endpoint tells what the token may do."""
    missing: tuple[str, ...]
    """Needs the scopes do not meet, each as ``"manage_billing:copilot or read:org"``; empty for fine-grained."""
    orgs: tuple[str, ...]
    """Organizations the token can see (``GET /user/orgs``)."""
    readable: tuple[str, ...]
    """The scopes (``octo`` or ``octo-ent (enterprise)``) whose metrics answered; at most one, the probe stops there."""
    problems: tuple[str, ...]
    """One ``"octo: sentence"`` per scope that refused, the sentence from the client's typed errors."""
    refused: tuple[str, ...] = ()
    """The scopes that refused, in the order tried."""
    checked_enterprise: bool = False
    readable_scope: Scope | None = None
    """The scope of ``readable`` as a Scope: the one to open when nothing else is asked for."""

    @property
    def fine_grained(self) -> bool:
        return self.scopes is None

    @property
    def metrics_readable(self) -> bool:
        return bool(self.readable)

    @property
    def needs(self) -> str:
        """What this kind of token needs to read metrics, in words."""
        if self.fine_grained:
            return f"the {ORG_PERMISSION} permission, or {ENTERPRISE_PERMISSION} for an enterprise"
        return f"the scope {' or '.join(ORG_SCOPES)} ({' or '.join(ENTERPRISE_SCOPES)} for an enterprise)"

    @property
    def sentence(self) -> str:
        """One sentence for a status line or a notification."""
        if self.readable:
            return f"Signed in as {self.login}: Copilot metrics are readable for {self.readable[0]}."
        if self.missing:
            return f"Signed in as {self.login}, but the token lacks the scope {self.missing[0]}."
        if self.problems:
            return f"Signed in as {self.login}, but no Copilot metrics were readable: {self.problems[0]}"
        if not self.orgs:
            return f"Signed in as {self.login}; the token sees no organization, so no Copilot metrics could be checked."
        return f"Signed in as {self.login}; no Copilot metrics were readable."

    def lines(self) -> list[str]:
        """The check as a few lines for ``auth login`` / ``auth status`` and the sign-in screen."""
        out = [f"Logged in as: {self.login}"]
        if self.fine_grained:
            out.append("Token type: fine-grained or GitHub App token (GitHub lists no scopes for it)")
        else:
            out.append(f"Token scopes: {', '.join(self.scopes or ()) or '(none)'}")
            if self.missing:
                out.append("Missing scopes: " + "; ".join(self.missing))
            else:
                out.append("Missing scopes: none" + ("" if self.checked_enterprise else " for organization metrics"))
        if self.readable:
            out.append(f"Copilot metrics: readable for {self.readable[0]}")
        elif self.problems:
            # The reasons differ little from one org to the next: the first in full, the others by name.
            out.append("Copilot metrics: not readable")
            out.append(f"  {self.problems[0]}")
            if len(self.refused) > 1:
                out.append(f"  Also refused: {', '.join(self.refused[1:])}")
        else:
            out.append("Copilot metrics: not checked (the token sees no organization; name one with --org)")
        if self.fine_grained and not self.readable:
            out.append(f"Needed: {self.needs}")
        return out


async def check_token(
    client: IdentityClient,
    *,
    orgs: Sequence[str] | None = None,
    enterprise: str | None = None,
    max_probes: int = MAX_METRICS_PROBES,
) -> TokenCheck:
    """Ask the API who the token belongs to, what it may do, and whether it can read Copilot metrics somewhere.

    Errors of ``get_user`` (a bad token: 401) propagate as the client raised them, so the caller can show the
    API's reason. Metrics are probed on the enterprise if one is named, then on ``orgs`` and the orgs the token
    sees, at most ``max_probes`` of them, stopping at the first that answers; a refusal is kept as a sentence. The
    probe asks for the links of the latest 28-day scope report and downloads nothing: an answer, even "no data"
    (204), means the token may read it.
    """
    user = await client.get_user()
    login = user.login
    scopes = None if user.scopes is None else tuple(s for s in user.scopes if s)
    visible = tuple(str(o) for o in await client.list_user_orgs())
    log.info("token for %s checked: %d scopes listed, %d orgs visible", login, len(scopes or ()), len(visible))

    candidates: list[Scope] = []
    if enterprise:
        candidates.append(Scope("enterprise", enterprise))
    candidates += [Scope("org", o) for o in dict.fromkeys([*(orgs or ()), *visible])]
    probe = await first_readable(client, candidates, max_probes)
    return TokenCheck(
        login=login,
        scopes=scopes,
        missing=missing_scopes(scopes, enterprise=bool(enterprise)),
        orgs=visible,
        readable=() if probe.readable is None else (str(probe.readable),),
        problems=probe.problems,
        refused=tuple(str(r) for r in probe.refused),
        checked_enterprise=bool(enterprise),
        readable_scope=probe.readable,
    )


@dataclass(frozen=True, slots=True)
class MetricsProbe:
    """Which of some scopes the token may read the metrics of: the first that answered, and those refused before."""

    readable: Scope | None
    refused: tuple[Scope, ...]
    problems: tuple[str, ...]
    """One ``"octo: sentence"`` per refusal."""


async def first_readable(
    client: IdentityClient, candidates: Sequence[Scope], max_probes: int = MAX_METRICS_PROBES
) -> MetricsProbe:
    """Try ``candidates`` in order, at most ``max_probes``, stopping at the first whose metrics answer (the links
    of its latest 28-day report: nothing is downloaded) or at a rate limit."""
    refused: list[Scope] = []
    problems: list[str] = []
    for scope in candidates[: max(0, max_probes)]:
        try:
            await client.report_links(scope, f"{scope.totals_kind}-28-day")
        except GitHubError as exc:
            refused.append(scope)
            problems.append(f"{scope}: {exc}")
            if isinstance(exc, RateLimitError):
                break
            continue
        return MetricsProbe(scope, tuple(refused), tuple(problems))
    return MetricsProbe(None, tuple(refused), tuple(problems))
