"""``copilot-tui auth login|status|logout``: keep the GitHub token in the OS keyring, check it, remove it.

The token is read with a hidden prompt, from standard input (``--with-token``) or, on request, from an installed
``gh`` (``--from-gh``); it is never a command-line argument, where shell history and ``ps`` would keep it.
Exit codes: 0 done, 1 refused or failed (bad token, no keyring, not signed in), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import TextIO

from copilot_tui import auth
from copilot_tui.github.secret import Secret
from copilot_tui.settings import Settings

LOGIN_EPILOG = """\
The token is checked against the API (GET /user, its scopes, and whether it can read Copilot metrics for an
organization), then stored in the OS keyring under the service 'copilot-tui', one entry per host: the host the
API URL names (--api-url or COPILOT_TUI_API_URL, else --hostname), with its port unless it is 443.
Classic tokens need the scope manage_billing:copilot or read:org (read:enterprise for an enterprise); fine-grained
tokens need the "Organization Copilot metrics" (or "Enterprise Copilot metrics") read permission.

examples:
  copilot-tui auth login                          # asks for the token, input hidden
  gh auth token | copilot-tui auth login --with-token
  copilot-tui auth login --from-gh                # takes the token gh holds for the host
  copilot-tui auth login --hostname octo.ghe.com  # GitHub Enterprise Cloud with data residency
  copilot-tui auth login --api-url http://127.0.0.1:8080 --with-token   # a fake GitHub on this machine
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "auth",
        help="sign in: keep the GitHub token in the OS keyring, show it, remove it",
        description="Manage the GitHub token copilot-tui uses. It lives in the OS keyring, never in a file.",
    )
    sub = parser.add_subparsers(dest="auth_command", metavar="ACTION", required=True)

    login = sub.add_parser(
        "login",
        help="check a token and store it in the OS keyring",
        description="Check a GitHub token and store it in the OS keyring.",
        epilog=LOGIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_host_options(login, probes=True)
    source = login.add_mutually_exclusive_group()
    source.add_argument(
        "--with-token", action="store_true", help="read the token from standard input instead of asking for it"
    )
    source.add_argument(
        "--from-gh", action="store_true", help="import the token an installed GitHub CLI holds ('gh auth token')"
    )

    status = sub.add_parser(
        "status",
        help="show the token in use: host, login, where it comes from, scopes, masked",
        description="Show which token is used for a host, where it comes from, and what it can read.",
    )
    _add_host_options(status, probes=True)

    logout = sub.add_parser(
        "logout",
        help="remove the token from the OS keyring",
        description="Remove a host's token from the OS keyring.",
    )
    _add_host_options(logout, probes=False)


def _add_host_options(parser: argparse.ArgumentParser, *, probes: bool) -> None:
    # SUPPRESS: an option left out here must not overwrite the same option given before 'auth'.
    parser.add_argument(
        "--hostname",
        metavar="HOST",
        default=argparse.SUPPRESS,
        help="GitHub host: github.com (default) or SUBDOMAIN.ghe.com",
    )
    parser.add_argument(
        "--api-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="REST API base URL, overriding --hostname: the token is the one of the host it names",
    )
    if not probes:
        return
    parser.add_argument(
        "--org", metavar="ORG", default=argparse.SUPPRESS, help="organization whose metrics access to check first"
    )
    parser.add_argument(
        "--enterprise", metavar="ENT", default=argparse.SUPPRESS, help="enterprise whose metrics access to check"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    action = getattr(args, "auth_command", None)
    if action == "login":
        return login(args, settings)
    if action == "status":
        return status(args, settings)
    if action == "logout":
        return logout(args, settings)
    print("copilot-tui auth: choose login, status or logout", file=sys.stderr)
    return 2


def _host(settings: Settings) -> str:
    """The host acted on: the one the API URL in use names."""
    return auth.host_for(settings.hostname, settings.resolved_api_url)


def _err(message: str) -> None:
    print(f"copilot-tui: {message}", file=sys.stderr)


# --- login --------------------------------------------------------------------------------------------------------


def login(args: argparse.Namespace, settings: Settings) -> int:
    host = _host(settings)
    try:
        # Ask the keyring first (a read, which is what a locked or hung one fails): with none usable, the user
        # should learn it before pasting a token.
        auth.read_keyring_token(host)
        backend = auth.keyring_backend_name()
    except auth.KeyringUnavailableError as exc:
        _err(str(exc))
        return 1

    try:
        token = _read_token(args, host, sys.stdin)
    except ValueError as exc:
        _err(f"not a token: {exc}")
        return 1
    if token is None:
        return 1

    code, check = _check(token, settings, host)
    if check is None:
        return code
    try:
        auth.store_token(host, token)
    except auth.KeyringUnavailableError as exc:
        _err(str(exc))
        return 1
    for line in check.lines():
        print(line)
    print(f"Token {token.masked} stored in the OS keyring ({backend}) for {host}.")
    shadow = auth.token_from_env(host)
    if shadow is not None:
        print(f"Note: {shadow.source} is set in this environment and is used before the stored token.")
    return 0


def _read_token(args: argparse.Namespace, host: str, stdin: TextIO) -> Secret | None:
    """The token given for ``host``, wrapped as it is read: no frame holds it in plain text. ``ValueError`` for text
    that cannot be a token."""
    if getattr(args, "from_gh", False):
        try:
            token = auth.token_from_gh(host)
        except auth.GhImportError as exc:
            _err(f"could not import the token from gh: {exc}")
            return None
        print(f"Imported the token gh holds for {host} ({token.masked}).")
        return token
    if getattr(args, "with_token", False):
        token = Secret(stdin.readline(), host)
        if not token.reveal().strip():
            _err("no token on standard input (--with-token reads one line)")
            return None
        return auth.normalize_token(token, host)
    if not stdin.isatty():
        _err(
            "standard input is not a terminal: pipe the token in with --with-token, e.g. 'gh auth token | "
            "copilot-tui auth login --with-token'"
        )
        return None
    print(auth.token_help(host))
    try:
        token = Secret(getpass.getpass(f"Paste the token for {host} (input is hidden): "), host)
    except (EOFError, KeyboardInterrupt):
        print()
        _err("sign-in cancelled")
        return None
    if not token.reveal().strip():
        _err("no token given")
        return None
    return auth.normalize_token(token, host)


def _check(token: Secret, settings: Settings, host: str) -> tuple[int, auth.TokenCheck | None]:
    """Run the API check; on failure print the API's reason and give the exit code."""
    from copilot_tui.github.errors import BadCredentialsError, GitHubError

    try:
        return 0, asyncio.run(_check_async(token, settings, host))
    except BadCredentialsError as exc:
        _err(f"{host} refused the token: {exc}")
    except GitHubError as exc:
        _err(f"could not check the token with {host}: {exc}")
    return 1, None


async def _check_async(token: Secret, settings: Settings, host: str) -> auth.TokenCheck:
    from copilot_tui.github.client import GitHubClient

    org = settings.org or settings.default_org
    async with GitHubClient(token.bound_to(host), api_url=settings.resolved_api_url) as client:
        return await auth.check_token(client, orgs=[org] if org else None, enterprise=settings.enterprise)


# --- status -------------------------------------------------------------------------------------------------------


def status(args: argparse.Namespace, settings: Settings) -> int:
    host = _host(settings)
    try:
        found = auth.resolve_token(host)
    except auth.KeyringUnavailableError as exc:
        _err(str(exc))
        return 1
    if found is None:
        _err(f"not signed in to {host}: {auth.sign_in_hint(host, settings.resolved_api_url)}")
        return 1
    print(host)
    print(f"  Token source: {found.describe_source()}")
    print(f"  Token: {found.masked}")
    if found.from_environment:
        try:
            stored = auth.read_keyring_token(host)
        except auth.KeyringUnavailableError as exc:
            print(f"  Keyring: not available ({exc.reason})")
        else:
            if stored:
                print(f"  Keyring: also holds a token ({stored.masked}), used when {found.source} is unset")
    code, check = _check(found.token, settings, host)
    if check is not None:
        for line in check.lines():
            print(f"  {line}")
    return code


# --- logout -------------------------------------------------------------------------------------------------------


def logout(args: argparse.Namespace, settings: Settings) -> int:
    host = _host(settings)
    try:
        removed = auth.delete_token(host)
    except auth.KeyringUnavailableError as exc:
        _err(str(exc))
        return 1
    shadow = auth.token_from_env(host)
    note = f" {shadow.source} is still set in this environment: unset it too." if shadow else ""
    if not removed:
        _err(f"no token for {host} in the OS keyring.{note}")
        return 1
    print(f"Removed the token for {host} from the OS keyring.{note}")
    return 0
