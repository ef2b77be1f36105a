"""Command line: parse arguments, pick a data source, and hand over to the app or a headless command.

Each subcommand lives in ``copilot_tui/commands/<name>.py`` and exposes ``add_parser(subparsers)`` and
``run(args) -> int``; this module only wires them, so a subcommand can be added without touching the others.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from copilot_tui import __version__

SUBCOMMANDS = ("auth", "export", "sync", "cache")

DESCRIPTION = """\
copilot-tui shows how GitHub Copilot is used in an organization or enterprise: active users, feature adoption
(completions, chat modes, agent, CLI, code review), languages, IDEs and models, per user and over time.

Run it with no subcommand to open the dashboard. Keys are listed in the footer and under '?'.
Try it without a token:  copilot-tui --demo
"""

EPILOG = """\
token:
  The GitHub token is read from GH_TOKEN, then GITHUB_TOKEN (GH_ENTERPRISE_TOKEN / GITHUB_ENTERPRISE_TOKEN for
  other hosts), then the OS keyring ('copilot-tui auth login' stores it there). It is never accepted as an argument.

environment:
  COPILOT_TUI_API_URL          same as --api-url
  COPILOT_TUI_CONFIG_DIR       where config.toml is read (default: the platform's config dir)
  COPILOT_TUI_DATA_DIR         where the local store, remembered state and exports live
  COPILOT_TUI_LOG_DIR          where the log file is written (never holds the token)
  COPILOT_TUI_KEYRING_TIMEOUT  seconds to wait for the OS keyring before giving up (default 10)

commands:
  auth     sign in (token into the OS keyring), status, sign out
  export   print users, totals, features, teams or seats of a period as JSON or CSV, no TUI
  sync     fetch history day by day into the local store (resumable)
  cache    show or clear the local store
"""


def add_source_options(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """Options shared by the app and the headless commands: where the data comes from.

    They may stand before or after the subcommand (``copilot-tui --org x export`` and ``copilot-tui export --org x``).
    Only the top-level parser sets defaults: a subparser's default would overwrite a value given before it.
    """

    def default(value: object) -> object:
        return value if top_level else argparse.SUPPRESS

    src = parser.add_argument_group("data source")
    src.add_argument(
        "--org", metavar="ORG", default=default(None), help="organization to open (default: the last one used)"
    )
    src.add_argument(
        "--enterprise", metavar="ENT", default=default(None), help="enterprise to open instead of an organization"
    )
    src.add_argument(
        "--hostname",
        metavar="HOST",
        default=default(None),
        help="GitHub host: github.com (default) or SUBDOMAIN.ghe.com for GitHub Enterprise Cloud with data residency",
    )
    src.add_argument(
        "--api-url",
        metavar="URL",
        default=default(os.environ.get("COPILOT_TUI_API_URL")),
        help="REST API base URL, overriding --hostname (env COPILOT_TUI_API_URL)",
    )
    src.add_argument(
        "--demo",
        action="store_true",
        default=default(False),
        help="use the built-in demo dataset: no token, no network",
    )
    src.add_argument(
        "--offline", action="store_true", default=default(False), help="use only the local store: no network at all"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="copilot-tui",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"copilot-tui {__version__}")
    add_source_options(parser, top_level=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"copilot_tui.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"copilot_tui.commands.{name}":
                raise
            continue
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command:
        module = importlib.import_module(f"copilot_tui.commands.{args.command}")
        return int(module.run(args))
    from copilot_tui.commands import launch

    return launch.run(args)


if __name__ == "__main__":
    sys.exit(main())
