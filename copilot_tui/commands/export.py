"""``copilot-tui export``: the numbers of an organization or enterprise over a period, as JSON or CSV, no TUI.

It takes the app's road: the data source the settings open (``copilot_tui.sources.factory.open_source``: the demo,
the local store, or GitHub through the store), the same snapshot and users aggregate, and the export model
(``copilot_tui.exports``) that the app's ``e`` writes with, so its output is byte for byte the app's file for the
same scope, period, table and format. The period is the latest 28 days by default.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from copilot_tui.exports import ORG_TABLES, WHATS
from copilot_tui.scope import Scope
from copilot_tui.settings import Settings

MAX_DAYS = 366
JSON_DEFAULT = ("totals", "users", "features")
SEAT_TABLES = ("seats", "reclaim")
"""The tables made from the seats API (not stored: offline has none)."""


class ExportError(Exception):
    """Something the user can fix; the message says what. ``code`` is the exit code: 2 for a wrong command line."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a YYYY-MM-DD date") from None


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if not 1 <= value <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"--last takes 1 to {MAX_DAYS} days")
    return value


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    from copilot_tui.commands.options import add_anonymize_option, add_source_options

    p: argparse.ArgumentParser = subparsers.add_parser(
        "export",
        help="print an org's or enterprise's numbers over a period as JSON or CSV, or write them as Parquet",
        description=(
            "Print the Copilot usage numbers of an organization or enterprise over a period, without the dashboard: "
            "the same tables, byte for byte, that the app's e key writes. Counters keep the API's own names "
            "(code_generation_activity_count, loc_added_sum, ...) summed over the period. A period with no data is "
            "an error; days without data are named on stderr. Errors go to stderr with a non-zero exit code. "
            "--format parquet writes day-partitioned Parquet files into a directory (--output DIR) instead."
        ),
        epilog=(
            "examples:\n"
            "  copilot-tui export --org octo --format csv --what users > users.csv\n"
            "  copilot-tui export --org octo --what daily --last 90 --format csv\n"
            "  copilot-tui export --org octo --what users-days --last 365 --format parquet --output octo-days\n"
            "  copilot-tui export --enterprise octo-ent --since 2026-01-01 --until 2026-01-31\n"
            "  copilot-tui export --demo --what features\n"
            "  copilot-tui export --enterprise octo-ent --what teams --format csv\n"
            "  copilot-tui export --org octo --what seats --inactive 30\n"
            "  copilot-tui export --org octo --what reclaim --inactive 60 --format csv\n"
            "  copilot-tui export --from ~/Downloads/copilot-reports --org octo --format csv\n"
            "  copilot-tui export --org octo --anonymize --what users > users-without-names.json"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_anonymize_option(p)
    add_source_options(p).add_argument(
        "--from",
        dest="files",
        metavar="FILE|DIR",
        type=Path,
        nargs="+",
        action="extend",
        default=argparse.SUPPRESS,
        help=(
            "read report files downloaded from GitHub instead (users, organization/enterprise or user-teams reports; "
            "1-day or 28-day; NDJSON, plain or gzip; a directory: the files in it): no token, no network. --org or "
            "--enterprise names the files' organization or enterprise (they carry its id only); see "
            "'copilot-tui open --help'"
        ),
    )
    period = p.add_argument_group("period (default: the latest 28 days)")
    period.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="first day of the period")
    period.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="last day (default: the latest day reported)")
    period.add_argument("--last", type=_days, metavar="N", help="the N days ending with the latest day reported")
    out = p.add_argument_group("output")
    out.add_argument(
        "--format",
        choices=("json", "csv", "parquet"),
        default="json",
        help=(
            "json (default) or csv, printed; parquet: --what daily or users-days written under --output DIR, one "
            "directory a day (DIR/day=YYYY-MM-DD/part-0.parquet, Hive style: DuckDB, Spark, Trino and BigQuery read "
            "it as a table partitioned by day)"
        ),
    )
    out.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help=(
            "with --format parquet: the directory to write (new or empty; made readable by you only, as the store is)"
        ),
    )
    out.add_argument(
        "--what",
        choices=(*WHATS, "users-days"),
        default=None,
        help=(
            "which table: users, totals (every figure of the totals pane), daily (the totals day by day), features "
            "(each feature day by day), teams (the user-teams report joined with the users report), orgs (an "
            "enterprise's organizations side by side, from its seats), versions (IDE and plugin versions), seats (the "
            "Copilot seats API), reclaim (the seats unused for --inactive days, 30 by default, with what each "
            "costs a month at the seat prices) or adoption (new, returning, retained and lapsed users against every "
            "day held, the funnel from seats to engaged agent users, the usage segments), users-days (with --format "
            "parquet only: one row a user and day, every counter the reports hold, the breakdowns by feature, IDE, "
            "language and model as lists); json default: totals, users and features; csv default: users"
        ),
    )
    out.add_argument(
        "--inactive",
        type=_days,
        metavar="N",
        help=(
            "with --what seats: only the seats unused for N days or more (never-used seats included); with --what "
            "reclaim: the days without use that put a seat on the list (default 30)"
        ),
    )
    return p


# ---- the run -----------------------------------------------------------------------------------------------------


def _period(args: argparse.Namespace, newest: date | None) -> tuple[int, date | None]:
    """Days and last day of the period asked for (``newest``: the source's newest day)."""
    if args.last is not None and (args.since or args.until):
        raise ExportError("give either --last N or --since/--until, not both.")
    if not (args.since or args.until):
        return args.last or 28, newest
    until = args.until or newest
    if until is None:
        raise ExportError("name the last day with --until: the source holds nothing to end the period on.", 1)
    since = args.since or until - timedelta(days=27)
    if since > until:
        raise ExportError(f"--since {since} is after --until {until}.")
    days = (until - since).days + 1
    if days > MAX_DAYS:
        raise ExportError(f"the period is longer than {MAX_DAYS} days; GitHub keeps reports for one year.")
    return days, until


async def _scope(source: Any, settings: Settings, warnings: list[str]) -> Scope:
    """--org / --enterprise, else the last scope opened (the demo's own for --demo), else the config's
    ``default_org``; for the demo, its first org; for report files, the first scope they hold (the others named in
    ``warnings``)."""
    from copilot_tui import locations
    from copilot_tui.config import load_state

    scope = settings.initial_scope(load_state(locations.state_file()))
    if scope is None and settings.mode in ("demo", "files"):
        found = await source.scopes()
        scope = found[0]
        if settings.mode == "files" and len(found) > 1:
            others = ", ".join(str(s) for s in found[1:])
            warnings.append(f"the files hold {len(found)} scopes; exporting {scope} (also there: {others}).")
    if scope is None:
        raise ExportError("name what to export with --org ORG or --enterprise ENT (no org was opened before).")
    return scope


async def _previous_users(source: Any, snap: Any, period: Any, warnings: list[str]) -> Any:
    """The distinct users of the period of equal length before ``period``, from what the source holds (no fetch),
    when it holds all of it: the comparison the dashboard makes (``ui.view.build_view``)."""
    from copilot_tui.metrics.derive import comparable, org_totals, period_users

    before = period.previous()
    try:
        previous = await source.cached(snap.scope, days=period.days, until=before.end)
    except Exception as exc:  # a comparison is a bonus: its failure must not stop the export
        warnings.append(f"no changes against {before.start}..{before.end}: {exc}")
        return None
    if previous is None:
        return None
    now = org_totals([d for d in snap.day_totals if d.day in period], period)
    if not comparable(now, org_totals([d for d in previous.day_totals if d.day in before], before)):
        return None
    return period_users((await asyncio.to_thread(previous.users_aggregate)).users)


async def _export(args: argparse.Namespace, settings: Settings, token: Any) -> tuple[bytes, list[str], str | None]:
    """The output, the warnings for stderr, and what was written (Parquet files) for stderr."""
    from copilot_tui.exports import ExportData, days_without_data, describe_days, render
    from copilot_tui.github.errors import FIRST_REPORT_DAY
    from copilot_tui.metrics.derive import Period
    from copilot_tui.metrics.linerule import skipped_lines_text
    from copilot_tui.sources.factory import open_source
    from copilot_tui.sources.planning import describe_pending, describe_undelivered, earliest_day
    from copilot_tui.store import StoreDamagedError
    from copilot_tui.views import bucket_counter, build_teams

    def waiting(seconds: float, reason: str) -> None:
        print(f"copilot-tui export: {reason}: waiting {seconds:.0f} s", file=sys.stderr, flush=True)

    names = _pseudonyms(settings)
    source = open_source(settings, token=token)
    try:
        chosen: list[str] = []
        scope = await _scope(source, settings, chosen)
        if args.what in (*SEAT_TABLES, "orgs") and settings.mode == "offline":
            raise ExportError("seats come from GitHub's seats API and are not stored; --offline cannot export them.")
        newest = await source.newest_day(scope) if not args.until else None
        days, until = _period(args, newest)
        if until is not None and settings.mode == "live":
            start = until - timedelta(days=days - 1)
            earliest = earliest_day(datetime.now(UTC))
            if start < earliest:
                raise ExportError(
                    f"the period starts on {start}, but Copilot usage metrics reports exist from "
                    f"{FIRST_REPORT_DAY} on and reach back at most one year: the earliest day today is {earliest}."
                )
        snap = await source.load(scope, days=days, until=until, on_wait=waiting)
        period = Period(snap.first_day, snap.last_day)
        try:
            aggregate = await asyncio.to_thread(snap.users_aggregate)
        except StoreDamagedError as exc:
            if settings.offline:
                raise _damage_refusal([str(exc)]) from exc
            raise
        if settings.offline and snap.notices:
            raise _damage_refusal(snap.notices)
        seats = await source.seats(scope) if args.what in (*SEAT_TABLES, "orgs") else None
        whats = [args.what] if args.what else (["users"] if args.format == "csv" else list(JSON_DEFAULT))
        unseated: list[str] = []
        if "adoption" in whats and settings.mode in ("demo", "live"):
            seats = await _funnel_seats(source, scope, unseated)
        if seats is None and scope.kind == "enterprise" and set(ORG_TABLES) & set(whats):
            seats, org_warning = await _enterprise_seats(source, scope, settings)
            unseated += [org_warning] if org_warning else []
        previous_users = await _previous_users(source, snap, period, unseated) if "adoption" in whats else None
        data = ExportData(
            scope=scope,
            period=period,
            days=[d for d in snap.day_totals if d.day in period],
            users=aggregate.users,
            series=aggregate.series,
            teams=lambda: build_teams(snap, period),
            seats=seats,
            seat_list="all" if args.inactive is None else "inactive",
            inactive_days=args.inactive,
            seat_prices=settings.seat_prices,
            history=partial(snap.user_history, settings.engaged_days),
            engaged_days=settings.engaged_days,
            previous_users=previous_users,
            users_by_bucket=bucket_counter(snap),
            names=names,
        )
        warnings = [
            *chosen,
            *unseated,
            *snap.notices,
            *(f"{s} The export leaves it out." for s in describe_pending(snap.pending)),
            *([describe_undelivered(snap.undelivered)] if snap.undelivered else []),
        ]
        lacking = days_without_data(data)
        if len(lacking) == period.days:
            hint = " Run 'copilot-tui sync' (or without --offline) to download it." if settings.offline else ""
            if settings.mode == "files":
                held = await source.held_range(scope)
                hint = f" The files hold {held[0]} to {held[1]}." if held else ""
            raise ExportError(f"no data for {scope} from {period.start} to {period.end}.{hint}", 1)
        if lacking:
            warnings.append(f"no data for {len(lacking)} of the {period.days} days: {describe_days(lacking)}.")
        if args.format == "parquet":
            from copilot_tui.export_parquet import ParquetExportError, write_parquet

            try:
                written = await asyncio.to_thread(write_parquet, args.what, data, args.output, snap.facts_from)
            except ParquetExportError as exc:
                raise ExportError(str(exc), 1) from None
            except OSError as exc:
                raise ExportError(
                    f"the Parquet files could not be written ({exc.strerror or exc}); nothing was left at "
                    f"{args.output}: run the export again once that is fixed.",
                    1,
                ) from None
            output = b""
            summary = (
                f"wrote {written.rows:,} rows of {args.what} in {len(written.days)} day directories under "
                f"{args.output}."
            )
        else:
            output, _ = await asyncio.to_thread(render, whats, args.format, data)
            summary = None
        problems = snap.problems  # after rendering: the user-teams lines count once a table has read them
        if problems:
            warnings.append(skipped_lines_text(problems))
        if names is not None:
            warnings = [names.redact(w) for w in warnings]
        return output, warnings, summary
    finally:
        await source.aclose()


def _pseudonyms(settings: Settings) -> Any:
    """The install's pseudonyms with ``--anonymize`` (those the app shows), else None; without its key file there
    is no export: pseudonyms of a key not kept would name nobody the same way twice."""
    if not settings.anonymize:
        return None
    from copilot_tui.pseudonyms import PseudonymKeyError, install_pseudonyms

    try:
        return install_pseudonyms()
    except PseudonymKeyError as exc:
        raise ExportError(f"--anonymize needs the install's pseudonym key: {exc}") from None


async def _funnel_seats(source: Any, scope: Scope, warnings: list[str]) -> Any:
    """The seats the adoption funnel starts from; when GitHub refuses them, the funnel starts at active users and
    a warning says why."""
    from copilot_tui.github.errors import GitHubError
    from copilot_tui.licenses import SeatsUnavailableError

    try:
        return await source.seats(scope)
    except (SeatsUnavailableError, GitHubError) as exc:
        warnings.append(f"the adoption funnel has no seats: {exc}")
        return None


async def _enterprise_seats(source: Any, scope: Scope, settings: Settings) -> tuple[Any, str | None]:
    """An enterprise's seats, which say each user's org; without them (offline, or refused) the org is left empty
    and a warning says why."""
    from copilot_tui.github.errors import GitHubError
    from copilot_tui.licenses import SeatsUnavailableError

    if settings.mode == "offline":
        return None, "organization left empty: it comes from GitHub's seats API, which --offline does not reach."
    try:
        return await source.seats(scope), None
    except (GitHubError, SeatsUnavailableError) as exc:
        return None, f"organization left empty: the seats that name it could not be had: {exc}"


def _damage_refusal(notices: Any) -> ExportError:
    """Offline, a store found damaged has been moved aside: what is left would print as zeros, so nothing is
    exported."""
    return ExportError(
        f"{' '.join(dict.fromkeys(notices))} Nothing was exported: run without --offline (or 'copilot-tui sync') "
        "to download the data again.",
        1,
    )


def _token(settings: Settings) -> Any:
    """The token of the host the API URL names (a ``Secret``); ``ExportError`` naming the host when there is none."""
    from copilot_tui.auth import host_for, no_token_message, resolve_token

    host = host_for(settings.hostname, settings.api_url)
    resolved = resolve_token(host)
    if resolved is None:
        raise ExportError(no_token_message(host, settings.resolved_api_url), 1)
    return resolved.token


def _check_output(args: argparse.Namespace, anonymize: bool = False) -> None:
    """Parquet goes into a directory, never to stdout; CSV and JSON go to stdout."""
    from copilot_tui.export_parquet import PARQUET_WHATS, ParquetExportError, check_output

    if args.format != "parquet":
        if args.output is not None:
            raise ExportError(f"--output DIR goes with --format parquet; {args.format.upper()} is printed to stdout.")
        if args.what == "users-days":
            raise ExportError("--what users-days is written as Parquet only: --format parquet --output DIR.")
        return
    if args.what not in PARQUET_WHATS:
        shown = f"--what {args.what}" if args.what else "Parquet needs --what"
        raise ExportError(f"{shown}: Parquet holds --what daily or --what users-days.")
    if args.what == "users-days" and anonymize:
        raise ExportError(
            "--what users-days writes every row's login straight from the facts, without pseudonyms: it is not "
            "written with --anonymize (--what users --anonymize holds each user's figures under a pseudonym)."
        )
    if args.output is None or str(args.output) == "-":
        raise ExportError(
            "Parquet is a directory of files, one a day, not a stream for stdout: name a new or empty directory "
            "with --output DIR."
        )
    try:
        check_output(args.output)
    except ParquetExportError as exc:
        raise ExportError(str(exc)) from None


def run(args: argparse.Namespace, settings: Settings) -> int:
    from copilot_tui.auth import KeyringUnavailableError
    from copilot_tui.github.errors import GitHubError
    from copilot_tui.licenses import SeatsUnavailableError
    from copilot_tui.sources.contract import SourceError
    from copilot_tui.store import StoreError

    try:
        if args.inactive is not None and args.what not in SEAT_TABLES:
            raise ExportError("--inactive N goes with --what seats or --what reclaim.")
        _check_output(args, settings.anonymize)
        if args.last is not None and (args.since or args.until):
            raise ExportError("give either --last N or --since/--until, not both.")
        if args.since and args.until and args.since > args.until:
            raise ExportError(f"--since {args.since} is after --until {args.until}.")
        token = _token(settings) if settings.mode == "live" else None
        output, warnings, summary = asyncio.run(_export(args, settings, token))
    except (ExportError, GitHubError, SourceError, StoreError, SeatsUnavailableError, KeyringUnavailableError) as exc:
        print(f"copilot-tui export: {exc}", file=sys.stderr)
        return exc.code if isinstance(exc, ExportError) else 1
    except KeyboardInterrupt:
        print("copilot-tui export: interrupted.", file=sys.stderr)
        return 130
    for warning in warnings:
        print(f"copilot-tui export: warning: {warning}", file=sys.stderr)
    if summary is not None:
        print(f"copilot-tui export: {summary}", file=sys.stderr)
    sys.stdout.flush()
    sys.stdout.buffer.write(output)
    sys.stdout.buffer.flush()
    return 0
