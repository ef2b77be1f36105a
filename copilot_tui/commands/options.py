"""The command line's options that the app and the headless commands share, so each subcommand offers them too."""

from __future__ import annotations

import argparse


def add_source_options(
    parser: argparse.ArgumentParser, *, top_level: bool = False, modes: bool = True
) -> argparse._ArgumentGroup:
    """Options shared by the app and the headless commands: where the data comes from.

    They may stand before or after the subcommand (``copilot-tui --org x export`` and ``copilot-tui export --org x``).
    Only the top-level parser sets defaults: a subparser's default would overwrite a value given before it.
    ``modes``: offer ``--demo`` and ``--offline``, and open the last organization used when none is named (``sync``
    downloads, so it takes neither, and wants one named). Returns the group, for a command's own source options.
    """

    def default(value: object) -> object:
        return value if top_level else argparse.SUPPRESS

    src = parser.add_argument_group("data source")
    which = src.add_mutually_exclusive_group()
    verb = "open" if modes else "sync"
    which.add_argument(
        "--org",
        metavar="ORG",
        default=default(None),
        help=f"organization to {verb}" + (" (default: the last one used)" if modes else ""),
    )
    which.add_argument(
        "--enterprise", metavar="ENT", default=default(None), help=f"enterprise to {verb} instead of an organization"
    )
    src.add_argument(
        "--hostname",
        metavar="HOST",
        default=default(None),
        help="GitHub host: github.com (default) or SUBDOMAIN.ghe.com for GitHub Enterprise Cloud with data residency "
        "(env COPILOT_TUI_HOSTNAME, config hostname)",
    )
    src.add_argument(
        "--api-url",
        metavar="URL",
        default=default(None),
        help="REST API base URL, overriding --hostname (env COPILOT_TUI_API_URL, config api_url)",
    )
    if not modes:
        return src
    mode = src.add_mutually_exclusive_group()
    mode.add_argument(
        "--demo",
        action="store_true",
        default=default(False),
        help="use the built-in demo dataset: no token, no network",
    )
    mode.add_argument(
        "--offline", action="store_true", default=default(False), help="use only the local store: no network at all"
    )
    return src


def add_anonymize_option(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """``--anonymize``, for the app and ``export``: pseudonyms instead of logins and team names."""
    parser.add_argument(
        "--anonymize",
        action="store_true",
        default=False if top_level else argparse.SUPPRESS,
        help="show and export stable pseudonyms (user-…, team-…) instead of logins and team names, for sharing a "
        "screen or a file (env COPILOT_TUI_ANONYMIZE, config anonymize; n toggles it in the app)",
    )
