"""Open the Textual app (the default when no subcommand is given)."""

from __future__ import annotations

import argparse
import sys

from copilot_tui.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        from copilot_tui.app import run_app
    except ImportError:
        print("copilot-tui: the dashboard is not built yet; see README.md", file=sys.stderr)
        return 2
    return run_app(settings)
