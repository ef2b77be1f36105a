"""``copilot-tui config``: where the config file is, the settings in effect and where each comes from.

It also checks the file: a broken one is reported with its file and line, as the app reports it, and the exit code
is 1, so ``copilot-tui config`` is the way to test a file before the app or a cron job meets it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from copilot_tui.settings import Settings, describe

STARTER = """\
# copilot-tui settings: every key is optional; the README's Configuration section lists them all
default_org = "my-org"             # opened when no --org is given and none was opened before
# orgs = ["my-org", "other-org"]   # offered in the org picker besides those your token can list
# hostname = "SUBDOMAIN.ghe.com"   # GitHub Enterprise Cloud with data residency (default: github.com)
"""
"""A small config file to start from, printed when there is none (tests check it is a valid file)."""


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    from copilot_tui.commands.options import add_source_options

    p: argparse.ArgumentParser = subparsers.add_parser(
        "config",
        help="show the config file's path, the settings in effect and where each comes from; check the file",
        description=(
            "Print the config file's path, then every setting in effect and where its value comes from (command "
            "line > environment > config file > default), and check the config file. Exit code 1 when the file "
            "cannot be used. The file is TOML; the README lists its keys."
        ),
    )
    add_source_options(p)
    return p


def run(args: argparse.Namespace, settings: Settings) -> int:
    from copilot_tui import locations
    from copilot_tui.store import store_root

    path = settings.config_path
    exists = path is not None and path.exists()
    print(f"Config file: {path}{'' if exists else ' (not there: every setting keeps its default)'}")
    print("Settings in effect (command line > environment > config file > default):")
    rows = describe(settings)
    width = max(len(name) for name, _, _ in rows)
    value_width = min(40, max(len(value) for _, value, _ in rows))
    for name, value, origin in rows:
        print(f"  {name:<{width}}  {value:<{value_width}}  {origin}")
    print(f"API URL: {settings.resolved_api_url}")
    print(f"Local store: {store_root() / settings.store_key}")
    print(f"Remembered state: {locations.state_file()}")
    print(f"Log file: {locations.log_file()}")
    if settings.config_error is not None:
        print(f"copilot-tui config: {settings.config_error}", file=sys.stderr)
        print("The app runs with the defaults in its place; the other commands refuse to run.", file=sys.stderr)
        return 1
    if exists:
        print("The config file is valid.")
    else:
        print(f"No config file: nothing to check. To start one, create {path} (TOML), for example:\n")
        print("".join(f"    {line}\n" for line in STARTER.splitlines()), end="")
    return 0
