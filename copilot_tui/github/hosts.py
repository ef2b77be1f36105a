"""Which REST API base URL a host answers on, and which URLs may receive the token.

github.com answers on ``api.github.com``; GitHub Enterprise Cloud with data residency (``SUBDOMAIN.ghe.com``) on
``api.SUBDOMAIN.ghe.com``; any other host is taken to be GitHub Enterprise Server (``https://HOST/api/v3``).
``--api-url`` / ``COPILOT_TUI_API_URL`` overrides all of them, which is also how tests reach the fake GitHub.

A token belongs to the host its API URL names (:func:`token_host`): the keyring holds one entry per host, and
``GH_TOKEN`` / ``GITHUB_TOKEN`` are github.com's and ``*.ghe.com``'s only, as ``gh`` has it (go-gh ``pkg/auth``:
``isEnterprise`` is any host but github.com, github.localhost and ``*.ghe.com``); every other host, this machine's
included, reads ``GH_ENTERPRISE_TOKEN`` / ``GITHUB_ENTERPRISE_TOKEN``. An API URL is checked before anything is
sent (:func:`check_api_url`): https, or plain http to this machine only.
"""

from __future__ import annotations

import ipaddress
import os
import re
from urllib.parse import urlsplit

DEFAULT_HOST = "github.com"
DEFAULT_API_URL = "https://api.github.com"
API_URL_ENV = "COPILOT_TUI_API_URL"


def normalize_hostname(hostname: str | None) -> str:
    """``None``, ``""``, ``GitHub.com`` and ``https://github.com/`` all mean ``github.com``."""
    if not hostname:
        return DEFAULT_HOST
    host = hostname.strip().lower()
    if "://" in host:
        host = urlsplit(host).netloc
    return host.strip("/") or DEFAULT_HOST


class ApiUrlError(ValueError):
    """An API URL that cannot be used; ``str()`` is one sentence naming the URL and what is wrong with it."""


def api_url_for_host(hostname: str | None) -> str:
    host = normalize_hostname(hostname)
    if host in (DEFAULT_HOST, "api.github.com"):
        return DEFAULT_API_URL
    if host.endswith(".ghe.com"):
        return f"https://{host}" if host.startswith("api.") else f"https://api.{host}"
    return f"https://{host}/api/v3"


def resolve_api_url(hostname: str | None = None, api_url: str | None = None) -> str:
    """The base URL to talk to: an explicit ``api_url`` first, then the environment, then the host's API."""
    url = (api_url or os.environ.get(API_URL_ENV) or api_url_for_host(hostname)).strip()
    scheme, sep, rest = url.rpartition("://")
    return f"{scheme}{sep}{rest.rstrip('/')}" if sep else url.rstrip("/")


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port: two URLs share an origin only if all three match (default ports made explicit)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"https": 443, "http": 80}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def same_origin(a: str, b: str) -> bool:
    return origin(a) == origin(b)


_HOST_CHARS = re.compile(r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")


def is_loopback(host: str | None) -> bool:
    """True for this machine: ``localhost`` (and ``*.localhost``), ``127.0.0.0/8`` and ``::1``."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_api_url(url: str, *, what: str = "The API URL") -> str:
    """``url`` without a trailing slash when it can receive the token; :class:`ApiUrlError` otherwise.

    Refused: a scheme other than https (http only for this machine), no host, a port outside 1-65535, a user name
    or password in the URL, a query or a fragment.
    """
    text = url.strip()
    parts = urlsplit(text)
    netloc = parts.netloc.rpartition("@")[2]
    shown = repr(parts._replace(netloc=netloc).geturl() if "://" in text else text)
    scheme = parts.scheme.lower()
    if "://" not in text or scheme not in ("https", "http"):
        named = f"the scheme {scheme!r}" if "://" in text and scheme else "no scheme"
        raise ApiUrlError(f"{what} {shown} has {named}: write it as https://HOST (http:// only for this machine).")
    if "@" in parts.netloc:
        raise ApiUrlError(f"{what} {shown} was given with a user name or password: leave them out, the token signs in.")
    try:
        port = parts.port
    except ValueError:
        raise ApiUrlError(f"{what} {shown} has a port out of range: use a port from 1 to 65535.") from None
    host = parts.hostname or ""
    if not host:
        raise ApiUrlError(f"{what} {shown} names no host: write it as https://HOST.")
    if port == 0:
        raise ApiUrlError(f"{what} {shown} has a port out of range: use a port from 1 to 65535.")
    if parts.query or parts.fragment:
        raise ApiUrlError(f"{what} {shown} has a query or fragment: give the API base URL alone.")
    if not _is_host_name(host):
        raise ApiUrlError(f"{what} {shown} names the host {host!r}, which is not a host name or an IP address.")
    if scheme == "http" and not is_loopback(host):
        raise ApiUrlError(
            f"{what} {shown} is plain http to another machine, which would send the token unencrypted: use "
            "https:// (plain http:// is for this machine only: localhost, 127.0.0.1, ::1)."
        )
    return resolve_api_url(None, text)


def _is_host_name(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(_HOST_CHARS.match(host)) and ".." not in host
    return True


def token_host(api_url: str) -> str:
    """The host a token for ``api_url`` belongs to, as the keyring and messages name it.

    ``https://api.github.com`` is ``github.com``, ``https://api.octo.ghe.com`` is ``octo.ghe.com``,
    ``https://ghes.example.com/api/v3`` is ``ghes.example.com``. A port other than the scheme's default is part of
    the host (``127.0.0.1:8080``), so two fakes on this machine, or two servers on one name, never share a token.
    """
    parts = urlsplit(api_url if "://" in api_url else f"https://{api_url}")
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if host == DEFAULT_HOST or host.endswith("." + DEFAULT_HOST):
        host = DEFAULT_HOST
    elif host.endswith(".ghe.com"):
        labels = host[: -len(".ghe.com")].split(".")
        host = f"{labels[-1]}.ghe.com"
    if ":" in host:
        host = f"[{host}]"
    default = {"https": 443, "http": 80}.get(parts.scheme.lower())
    if port is not None and port != default:
        host = f"{host}:{port}"
    return host or DEFAULT_HOST


def uses_github_com_token(host: str) -> bool:
    """True for the hosts ``GH_TOKEN`` / ``GITHUB_TOKEN`` are for: github.com and ``*.ghe.com`` (as ``gh``)."""
    name = host.split(":", 1)[0] if not host.startswith("[") else host
    return name == DEFAULT_HOST or name.endswith(".ghe.com")


def token_env_vars(host: str) -> tuple[str, ...]:
    """The environment variables that hold a token for ``host`` (a :func:`token_host`), first match wins (``gh``'s
    order)."""
    if uses_github_com_token(host):
        return ("GH_TOKEN", "GITHUB_TOKEN")
    return ("GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN")


def sign_in_hint(host: str, api_url: str | None = None) -> str:
    """How to give a token for ``host`` (a :func:`token_host`): ``auth login`` with the ``--api-url`` in use, or
    ``--hostname``, and the environment variable that would do instead."""
    api_url = api_url.rstrip("/") if api_url else None
    if api_url and api_url != api_url_for_host(host):
        command = f"copilot-tui auth login --api-url {api_url}"
    elif host == DEFAULT_HOST:
        command = "copilot-tui auth login"
    else:
        command = f"copilot-tui auth login --hostname {host}"
    return f"sign in with '{command}', or set {token_env_vars(host)[0]}"
