"""Command line: parse arguments, pick a data source, and hand over to the app or a headless command.

Each subcommand lives in ``copilot_tui/commands/<name>.py`` and exposes ``add_parser(subparsers)`` and
``run(args, settings) -> int``; this module only wires them, so a subcommand can be added without touching the
others. The settings (``copilot_tui.settings``) are resolved here once, from the flags, the environment and the
config file, and handed to whichever command runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from copilot_tui import __version__
from copilot_tui.commands.options import add_anonymize_option, add_source_options

SUBCOMMANDS = ("open", "auth", "export", "sync", "cache", "config")

DESCRIPTION = """\
copilot-tui shows how GitHub Copilot is used in an organization or enterprise: active users, feature adoption
(completions, chat modes, agent, CLI, code review), languages, IDEs and models, per user and over time.

Run it with no subcommand to open the dashboard. Keys are listed in the footer and under '?'.
Try it without a token:  copilot-tui --demo      Report files handed to you:  copilot-tui open DIR
"""

EPILOG = """\
token:
  A token belongs to the host the API URL names, and is sent there only. It is read from GH_TOKEN, then
  GITHUB_TOKEN for github.com and *.ghe.com (GH_ENTERPRISE_TOKEN / GITHUB_ENTERPRISE_TOKEN for any other host, a
  fake on this machine included), then the OS keyring, one entry per host ('copilot-tui auth login' stores it
  there). It is never accepted as an argument. The API URL must be https:// (http:// only for this machine).

environment (flags win over these, these over the config file; 'copilot-tui config' shows what is in effect):
  COPILOT_TUI_API_URL          same as --api-url
  COPILOT_TUI_HOSTNAME         same as --hostname
  COPILOT_TUI_DEFAULT_ORG, COPILOT_TUI_ORGS, COPILOT_TUI_ENTERPRISES, COPILOT_TUI_THEME
                               the config file's keys of the same names (lists comma-separated)
  COPILOT_TUI_CONFIG_DIR       where config.toml is read (default: the platform's config dir)
  COPILOT_TUI_DATA_DIR         where the local store, remembered state and exports live
  COPILOT_TUI_LOG_DIR          where the log file is written (never holds the token)
  COPILOT_TUI_KEYRING_TIMEOUT  seconds to wait for the OS keyring before giving up (default 10)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="copilot-tui",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"copilot-tui {__version__}")
    add_source_options(parser, top_level=True)
    add_anonymize_option(parser, top_level=True)
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


SHARED_FLAGS = {
    "org": "--org",
    "enterprise": "--enterprise",
    "hostname": "--hostname",
    "api_url": "--api-url",
    "demo": "--demo",
    "offline": "--offline",
    "anonymize": "--anonymize",
}
"""The options the top level takes for the app; one given before a subcommand must be one that subcommand takes."""


def unused_flags(parser: argparse.ArgumentParser, args: argparse.Namespace) -> tuple[str, list[str]] | None:
    """The subcommand run (``auth status``) and the shared flags given for it that it does not take, or None.

    The top level accepts the app's options before any subcommand; without this, ``copilot-tui --demo auth status``
    would quietly ignore ``--demo``."""
    if not args.command:
        return None
    words: list[str] = []
    leaf: argparse.ArgumentParser | None = parser
    while leaf is not None:
        chosen = None
        for action in leaf._actions:
            if isinstance(action, argparse._SubParsersAction):
                word = getattr(args, action.dest or "", None)
                if word in action.choices:
                    words.append(word)
                    chosen = action.choices[word]
        if chosen is None:
            break
        leaf = chosen
    assert leaf is not None
    takes = {action.dest for action in leaf._actions}
    given = [flag for dest, flag in SHARED_FLAGS.items() if getattr(args, dest, None) not in (None, False)]
    refused = [flag for dest, flag in SHARED_FLAGS.items() if flag in given and dest not in takes]
    return (" ".join(words), refused) if refused else None


def main(argv: Sequence[str] | None = None) -> int:
    from copilot_tui.settings import SettingsError, resolve_settings

    parser = build_parser()
    args = parser.parse_args(argv)
    name = args.command or "launch"
    refused = unused_flags(parser, args)
    if refused:
        command, flags = refused
        print(
            f"copilot-tui {command} cannot run with {' '.join(flags)}: not one of its options "
            f"(see 'copilot-tui {command} --help').",
            file=sys.stderr,
        )
        return 2
    try:
        settings = resolve_settings(args)
    except SettingsError as exc:
        print(f"copilot-tui: {exc}", file=sys.stderr)
        return 2
    if settings.config_error is not None and name not in ("launch", "config"):
        # the app shows it and runs with the defaults; a script must not go quietly to another host
        print(f"copilot-tui {name}: {settings.config_error} (see 'copilot-tui config')", file=sys.stderr)
        return 2
    module = importlib.import_module(f"copilot_tui.commands.{name}")
    return int(module.run(args, settings))


if __name__ == "__main__":
    sys.exit(main())
