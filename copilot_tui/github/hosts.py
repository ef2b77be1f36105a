"""Which REST API base URL a host answers on, and which URLs may receive the token.

github.com answers on ``api.github.com``; GitHub Enterprise Cloud with data residency (``SUBDOMAIN.ghe.com``) on
``api.SUBDOMAIN.ghe.com``; any other host is taken to be GitHub Enterprise Server (``https://HOST/api/v3``).
``--api-url`` / ``COPILOT_TUI_API_URL`` overrides all of them, which is also how tests reach the fake GitHub.
"""

from __future__ import annotations

import os
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


def api_url_for_host(hostname: str | None) -> str:
    host = normalize_hostname(hostname)
    if host in (DEFAULT_HOST, "api.github.com"):
        return DEFAULT_API_URL
    if host.endswith(".ghe.com"):
        return f"https://{host}" if host.startswith("api.") else f"https://api.{host}"
    return f"https://{host}/api/v3"


def resolve_api_url(hostname: str | None = None, api_url: str | None = None) -> str:
    """The base URL to talk to: an explicit ``api_url`` first, then the environment, then the host's API."""
    url = api_url or os.environ.get(API_URL_ENV) or api_url_for_host(hostname)
    return url.rstrip("/")


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port: two URLs share an origin only if all three match (default ports made explicit)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"https": 443, "http": 80}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def same_origin(a: str, b: str) -> bool:
    return origin(a) == origin(b)
