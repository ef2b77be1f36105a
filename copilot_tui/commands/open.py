"""``copilot-tui open FILE|DIR ...``: report files downloaded from GitHub, in the dashboard, with no token and no
network.

The files are read by the report-files source (``copilot_tui.sources.files.FileSource``, opened from the settings'
``files`` like every other source), so every view works as with the API, but the seats. Before the dashboard
starts, each path is looked at: one that does not exist stops here, and so do paths none of which holds a report;
a file that is not a report among others is named on screen when the files are opened.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from copilot_tui.settings import Settings

DESCRIPTION = """\
Open Copilot usage metrics report files in the dashboard, without a token and without the network: for someone
who was handed the files, or who wants to look at a download before trusting a tool with a token.

Report files are what the download_links of GitHub's report endpoints point to, as downloaded:
  users             one line per user and day (users-1-day, or users-28-day split by date across parts)
  organization /    the org's or enterprise's day records (organization-1-day, enterprise-1-day), or one line
  enterprise        holding 28 of them (organization-28-day, enterprise-28-day)
  user-teams        one line per user and team (user-teams-1-day): the Teams tab needs these
NDJSON (one JSON object a line; org and enterprise reports are one long line), plain or gzip-compressed, named
anything (.json files holding NDJSON included). A directory opens every file below it (hidden files left out).

What each file is comes from its content, not its name: the report kind from the fields its lines have, the
organization or enterprise from their organization_id / enterprise_id, the day from each line's day. A file that
is not a report is named on screen and left out. Where files overlap, 1-day reports count before 28-day ones, the
later 28-day window before an earlier one, and that is said. Lines that cannot be read get the same rule and the
same report as reports fetched from the API: skipped, named by file and line number.

The files name an organization or enterprise by its id only, so that is its name here; --org NAME (or
--enterprise NAME) shows the files' one organization (enterprise) under NAME, or picks the one with that id.
The users lines are decoded into a private temporary directory, removed on exit: nothing of the files goes into
the local store that 'copilot-tui sync' fills. Seats are not in report files.
"""

EPILOG = """\
getting the files (someone with access to the metrics; links expire within minutes):
  gh api /orgs/ORG/copilot/metrics/reports/users-28-day/latest --jq '.download_links[]' \\
    | while read -r url; do n=$((n+1)); curl -sSfL "$url" -o "users-28-day-$n.json"; done
  (and organization-28-day/latest; 1-day reports take ?day=YYYY-MM-DD: users-1-day, organization-1-day,
  user-teams-1-day)

examples:
  copilot-tui open ~/Downloads/copilot-reports
  copilot-tui open users-28-day-1.json users-28-day-2.json org-28-day.json --org octo
  copilot-tui export --from ~/Downloads/copilot-reports --format csv --what users
"""


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "open",
        help="open report files downloaded from GitHub in the dashboard: no token, no network",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE|DIR",
        help="report files, or directories holding them",
    )
    naming = p.add_argument_group("naming").add_mutually_exclusive_group()
    naming.add_argument(
        "--org",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="show the files' organization under NAME (with several: the one whose id is NAME)",
    )
    naming.add_argument(
        "--enterprise",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="show the files' enterprise under NAME (with several: the one whose id is NAME)",
    )
    from copilot_tui.commands.options import add_anonymize_option

    add_anonymize_option(p)
    return p


def unopenable(paths: list[Path]) -> str | None:
    """Why the paths cannot be opened (one does not exist, or none holds a report), or None."""
    from copilot_tui.report_files import NotAReport, expand, identify

    missing = [p for p in paths if not p.exists()]
    if missing:
        return "; ".join(f"{p} does not exist" for p in missing) + "."
    files = expand(paths)
    verdicts = [identify(path) for path in files]
    if any(not isinstance(v, NotAReport) for v in verdicts):
        return None
    if not files:
        return f"no file in {', '.join(str(p) for p in paths)}."
    return "no Copilot usage metrics report among the files:\n" + "\n".join(f"  {v}" for v in verdicts)


def run(args: argparse.Namespace, settings: Settings) -> int:
    why = unopenable(list(settings.files))
    if why is not None:
        print(f"copilot-tui open: {why}", file=sys.stderr)
        return 2
    from copilot_tui.commands import launch

    return launch.run(args, settings)
