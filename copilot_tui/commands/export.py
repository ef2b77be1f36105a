"""``copilot-tui export``: the numbers of an organization or enterprise over a period, as JSON or CSV, no TUI.

It fetches like the app (the users report through the GitHub client, parsed by ``copilot_tui.metrics.parse``,
summed by ``copilot_tui.metrics.derive``) and prints to stdout, so scripts get the same numbers the screens show.
The period is the latest 28-day report by default; a period inside that report's window is cut from it (one
request), any other period is fetched day by day (``users-1-day``).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO

import orjson

from copilot_tui.scope import Scope

WHATS = ("users", "totals", "features", "teams", "seats")
MAX_DAYS = 366
DAY_FETCHES_AT_ONCE = 4
FLAGS = ("used_agent", "used_chat", "used_cli")
TEAMS_KIND = "user-teams-1-day"


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
    from copilot_tui.commands.options import add_source_options

    p: argparse.ArgumentParser = subparsers.add_parser(
        "export",
        help="print an org's or enterprise's numbers over a period as JSON or CSV",
        description=(
            "Print the Copilot usage numbers of an organization or enterprise over a period, without the dashboard: "
            "per user, in total, or per feature. Counters keep the API's own names (code_generation_activity_count, "
            "loc_added_sum, ...) summed over the period. Errors go to stderr with a non-zero exit code."
        ),
        epilog=(
            "examples:\n"
            "  copilot-tui export --org octo --format csv --what users > users.csv\n"
            "  copilot-tui export --enterprise octo-ent --since 2026-01-01 --until 2026-01-31\n"
            "  copilot-tui export --demo --what features\n"
            "  copilot-tui export --enterprise octo-ent --what teams --format csv\n"
            "  copilot-tui export --org octo --what seats --inactive 30"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_source_options(p)
    period = p.add_argument_group("period (default: the latest 28-day report)")
    period.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="first day of the period")
    period.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="last day (default: the latest day reported)")
    period.add_argument("--last", type=_days, metavar="N", help="the N days ending with the latest day reported")
    out = p.add_argument_group("output")
    out.add_argument("--format", choices=("json", "csv"), default="json", help="json (default) or csv")
    out.add_argument(
        "--what",
        choices=WHATS,
        default=None,
        help=(
            "which table: users, totals, features, teams (the user-teams report joined with the users report) or "
            "seats (the Copilot seats API); json default: users, totals and features; csv default: users"
        ),
    )
    out.add_argument(
        "--inactive",
        type=_days,
        metavar="N",
        help="with --what seats: only the seats unused for N days or more (never-used seats included)",
    )
    return p


# ---- the document ------------------------------------------------------------------------------------------------


def build_document(scope: Scope, period: Any, rows: Sequence[Any]) -> dict[str, Any]:
    """The export as plain JSON values: ``scope``, ``period``, ``totals``, ``users`` and ``features``.

    Counters are the API's fields summed over the period; a user's ``used_*`` is true if true on any day, and
    ``days_active`` counts the days the users report has a row for them (GitHub writes rows only for active days).
    Users come sorted by login (case-insensitive), features busiest first (generations plus interactions, then by
    name), as ``copilot_tui.metrics.derive`` orders them.
    """
    from copilot_tui.metrics.derive import add_activity, breakdown, summarize_users, zero_activity
    from copilot_tui.metrics.model import ACTIVITY_FIELDS

    in_period = [r for r in rows if r.day in period]
    summaries = summarize_users(in_period, period)
    users = [
        {
            "user_login": s.user_login,
            "user_id": s.user_id,
            "days_active": s.days_active,
            "last_active_day": s.last_active_day.isoformat() if s.last_active_day else None,
            **{flag: s.flag(flag) for flag in FLAGS},
            **{name: s.activity[name] for name in ACTIVITY_FIELDS},
            "ai_credits_used": round(s.ai_credits_used, 4),
        }
        for s in summaries
    ]
    seen: dict[tuple[int, date], Any] = {}
    for row in in_period:
        seen[(row.user_id, row.day)] = row
    activity = zero_activity()
    for row in seen.values():
        add_activity(activity, row.activity)
    totals: dict[str, Any] = {
        "active_users": len(summaries),
        "days_with_data": len({day for _, day in seen}),
        **activity,
        "ai_credits_used": round(sum(s.ai_credits_used for s in summaries), 4),
        **{f"users_{flag}": sum(1 for s in summaries if s.flag(flag)) for flag in FLAGS},
    }
    features = [
        {"feature": b.name, "users": b.users, **{name: b.activity[name] for name in ACTIVITY_FIELDS}}
        for b in breakdown(in_period, period, "feature")
    ]
    return {
        "scope": {"kind": scope.kind, "name": scope.name},
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "totals": totals,
        "users": users,
        "features": features,
    }


def teams_document(scope: Scope, period: Any, rows: Sequence[Any], team_rows: Sequence[Any]) -> dict[str, Any]:
    """Per team, the users report's rows of its members summed (``copilot_tui.metrics.teams``), most active first.

    ``days_without_team_data``: days with user rows but no user-teams rows, which no team's figures include.
    """
    from copilot_tui.licenses import team_record
    from copilot_tui.metrics.teams import days_without_team_data, summarize_teams

    in_period = [r for r in rows if r.day in period]
    teams_in_period = [t for t in team_rows if t.day in period]
    return {
        "scope": {"kind": scope.kind, "name": scope.name},
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "days_without_team_data": [d.isoformat() for d in days_without_team_data(teams_in_period, in_period)],
        "teams": [team_record(t) for t in summarize_teams(teams_in_period, in_period, period)],
    }


def seats_document(period: Any, rows: Sequence[Any], report: Any, inactive: int | None) -> dict[str, Any]:
    """Every seat (or, with ``inactive``, the seats unused that many days), idlest first when filtered, by login
    otherwise; ``in_reports`` says whether the holder has a users-report row in the period."""
    from copilot_tui.licenses import seat_records

    in_period = [r for r in rows if r.day in period]
    ids = {r.user_id for r in in_period}
    logins = {r.user_login for r in in_period}
    everyone = sorted(report.seats, key=lambda s: s.login.lower())
    chosen = everyone if inactive is None else report.inactive(inactive)
    doc: dict[str, Any] = {
        "scope": {"kind": report.scope.kind, "name": report.scope.name},
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "as_of": report.today.isoformat(),
        "seat_breakdown": report.breakdown,
        "seat_breakdown_counted": report.counted,
    }
    if inactive is not None:
        doc["inactive_days"] = inactive
    doc["seats"] = seat_records(report, chosen, ids, logins)
    return doc


def write_json(doc: dict[str, Any], what: str | None, out: TextIO) -> None:
    if what in ("teams", "seats"):
        pass
    elif what is not None:
        doc = {"scope": doc["scope"], "period": doc["period"], what: doc[what]}
    out.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n")


def write_csv(doc: dict[str, Any], what: str | None, out: TextIO) -> None:
    what = what or "users"
    table: list[dict[str, Any]]
    if what == "totals":
        table = [{"scope": doc["scope"]["name"], "start": doc["period"]["start"], "end": doc["period"]["end"]}]
        table[0].update(doc["totals"])
    else:
        table = doc[what]
    buffer = io.StringIO()
    if table:
        writer = csv.DictWriter(buffer, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        for row in table:
            writer.writerow({k: _csv_value(v) for k, v in row.items()})
    out.write(buffer.getvalue())


def _csv_value(value: Any) -> Any:
    return "true" if value is True else "false" if value is False else "" if value is None else value


# ---- fetching ----------------------------------------------------------------------------------------------------


def _scope(args: argparse.Namespace, demo_default: str | None = None) -> Scope:
    if args.enterprise:
        return Scope("enterprise", args.enterprise)
    if args.org:
        return Scope("org", args.org)
    if demo_default:
        return Scope("org", demo_default)
    raise ExportError("name what to export with --org ORG or --enterprise ENT.")


def _period(args: argparse.Namespace, latest: date) -> Any:
    from copilot_tui.metrics.derive import Period

    if args.last is not None and (args.since or args.until):
        raise ExportError("give either --last N or --since/--until, not both.")
    if args.since or args.until:
        until = args.until or latest
        since = args.since or until - timedelta(days=27)
        if since > until:
            raise ExportError(f"--since {since} is after --until {until}.")
        if (until - since).days + 1 > MAX_DAYS:
            raise ExportError(f"the period is longer than {MAX_DAYS} days; GitHub keeps reports for one year.")
        return Period(since, until)
    return Period.last(args.last or 28, latest)


def _parse(parts: list[tuple[str, bytes]]) -> tuple[list[Any], list[Any]]:
    from copilot_tui.metrics.parse import parse_users_report

    report = parse_users_report(parts)
    return list(report.rows), list(report.problems)


def _parse_teams(parts: list[tuple[str, bytes]], problems: list[Any]) -> list[Any]:
    from copilot_tui.metrics.parse import parse_user_teams_report

    report = parse_user_teams_report(parts)
    problems.extend(report.problems)
    return list(report.rows)


@dataclass(slots=True)
class Fetched:
    """What an export fetched: the users report of the period, and the team rows or seats when asked for."""

    scope: Scope
    period: Any
    rows: list[Any]
    problems: list[Any]
    team_rows: list[Any] = field(default_factory=list)
    seats: Any = None


def _demo(args: argparse.Namespace) -> Fetched:
    from copilot_tui import licenses
    from copilot_tui.metrics.demo import default_dataset

    dataset = default_dataset()
    scope = _scope(args, demo_default=dataset.orgs[0].login)
    if scope.kind == "org" and dataset.org(scope.name) is None:
        names = ", ".join(o.login for o in dataset.orgs)
        raise ExportError(f"the demo has no organization '{scope.name}'; it has {names}.")
    if scope.kind == "enterprise" and scope.name != dataset.enterprise:
        raise ExportError(f"the demo's enterprise is '{dataset.enterprise}', not '{scope.name}'.")
    period = _period(args, dataset.last_day)

    def parts(kind: str) -> list[tuple[str, bytes]]:
        found = []
        for day in period.each_day():
            lines = dataset.report_lines(scope.kind, scope.name, kind, day) or []
            found.append((f"demo/{scope.name}/{kind}/{day}", b"".join(orjson.dumps(x) + b"\n" for x in lines)))
        return found

    fetched = Fetched(scope, period, *_parse(parts("users-1-day")))
    if args.what == "teams":
        fetched.team_rows = _parse_teams(parts(TEAMS_KIND), fetched.problems)
    if args.what == "seats":
        fetched.seats = licenses.demo_seats(dataset, scope)
    return fetched


async def _live(args: argparse.Namespace, token: Any) -> Fetched:
    from copilot_tui import licenses
    from copilot_tui.github.client import GitHubClient, earliest_report_day
    from copilot_tui.github.errors import FIRST_REPORT_DAY
    from copilot_tui.github.hosts import resolve_api_url

    scope = _scope(args)

    def waiting(seconds: float, reason: str) -> None:
        print(f"copilot-tui export: {reason}: waiting {seconds:.0f} s", file=sys.stderr, flush=True)

    async with GitHubClient(token, api_url=resolve_api_url(args.hostname, args.api_url), on_wait=waiting) as client:
        window = await client.report_links(scope, "users-28-day")
        yesterday = datetime.now(UTC).date() - timedelta(days=1)
        latest = window.report_end_day if window and window.report_end_day else yesterday
        period = _period(args, latest)
        earliest = earliest_report_day(datetime.now(UTC).date())
        if period.start < earliest:
            raise ExportError(
                f"the period starts on {period.start}, but Copilot usage metrics reports exist from "
                f"{FIRST_REPORT_DAY} on and reach back at most one year: the earliest day today is {earliest}."
            )
        start = window.report_start_day if window else None
        if window is not None and start is not None and start <= period.start and period.end <= latest:
            report = await client.fetch_report(scope, "users-28-day", links=window)
            parts = report.parts if report else []
        else:
            parts = await _fetch_days(client, scope, period.each_day())
        fetched = Fetched(scope, period, *_parse(parts))
        if args.what == "teams":
            team_parts = await _fetch_days(client, scope, period.each_day(), TEAMS_KIND)
            fetched.team_rows = _parse_teams(team_parts, fetched.problems)
        if args.what == "seats":
            fetched.seats = await licenses.live_seats(client, scope)
    return fetched


async def _offline(args: argparse.Namespace) -> Fetched:
    """The period from the local store only (what the app or ``sync`` downloaded): no token, no request."""
    from copilot_tui.metrics.parse import parse_users_report
    from copilot_tui.source import OfflineSource
    from copilot_tui.store import Store, host_key

    scope = _scope(args)
    if args.what == "seats":
        raise ExportError("seats come from GitHub's seats API and are not stored; --offline cannot export them.")
    source = OfflineSource(Store(host_key(args.hostname, args.api_url)))
    held = await source.held_range(scope)
    if held is None:
        raise ExportError(
            f"the local store holds no data for {scope}; run without --offline (or 'copilot-tui sync') first.", 1
        )
    period = _period(args, held[1])
    if period.start < held[0] or period.end > held[1]:
        print(
            f"copilot-tui export: warning: the local store holds {scope} from {held[0]} to {held[1]} only; "
            "days outside that are missing from the export.",
            file=sys.stderr,
        )
    snap = await source.cached(scope, days=period.days, until=period.end)
    if snap is None:
        raise ExportError(f"the local store holds no data for {scope} from {period.start} to {period.end}.", 1)
    report = await asyncio.to_thread(lambda: parse_users_report(snap.users_parts()))
    fetched = Fetched(scope, period, list(report.rows), [*snap.totals_problems, *report.problems])
    if args.what == "teams":
        fetched.team_rows = await asyncio.to_thread(lambda: snap.team_rows)
    return fetched


async def _fetch_days(
    client: Any, scope: Scope, days: list[date], kind: str = "users-1-day"
) -> list[tuple[str, bytes]]:
    from copilot_tui.github.client import gather_or_cancel
    from copilot_tui.source import REVISION_DAYS, describe_pending

    slots = asyncio.Semaphore(DAY_FETCHES_AT_ONCE)
    settled_before = datetime.now(UTC).date() - timedelta(days=REVISION_DAYS + 1)
    pending: list[tuple[date, str]] = []

    async def one(day: date) -> list[tuple[str, bytes]]:
        async with slots:
            report = await client.fetch_report(scope, kind, day)
        if not report and (getattr(report, "reason", None) == "being generated" or day > settled_before):
            pending.append((day, kind))  # GitHub may still deliver it: say so, an empty day is not a quiet day
        return report.parts if report else []

    found = await gather_or_cancel(one(day) for day in days)
    for sentence in describe_pending(pending):
        print(f"copilot-tui export: {sentence} The export leaves it out.", file=sys.stderr)
    return [part for parts in found for part in parts]


def _token(args: argparse.Namespace) -> Any:
    """The token of the host the API URL names (a ``Secret``); ``ExportError`` naming the host when there is none."""
    from copilot_tui.auth import host_for, no_token_message, resolve_token
    from copilot_tui.github.hosts import resolve_api_url

    host = host_for(args.hostname, args.api_url)
    resolved = resolve_token(host)
    if resolved is None:
        raise ExportError(no_token_message(host, resolve_api_url(args.hostname, args.api_url)), 1)
    return resolved.token


def run(args: argparse.Namespace, settings: Any) -> int:
    from copilot_tui.github.errors import GitHubError
    from copilot_tui.source import SourceError
    from copilot_tui.store import StoreError

    args.hostname, args.api_url = settings.hostname, settings.api_url
    try:
        if args.inactive is not None and args.what != "seats":
            raise ExportError("--inactive N goes with --what seats.")
        if args.demo:
            fetched = _demo(args)
        elif args.offline:
            fetched = asyncio.run(_offline(args))
        else:
            _scope(args)
            fetched = asyncio.run(_live(args, _token(args)))
    except (ExportError, GitHubError, SourceError, StoreError) as exc:
        print(f"copilot-tui export: {exc}", file=sys.stderr)
        return exc.code if isinstance(exc, ExportError) else 1
    except KeyboardInterrupt:
        print("copilot-tui export: interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:
        from copilot_tui.auth import KeyringUnavailableError

        if isinstance(exc, KeyringUnavailableError):
            print(f"copilot-tui export: {exc}", file=sys.stderr)
            return 1
        raise
    if fetched.problems:
        from copilot_tui.metrics.linerule import skipped_lines_text

        print(f"copilot-tui export: warning: {skipped_lines_text(fetched.problems)}", file=sys.stderr)
    if args.what == "teams":
        doc = teams_document(fetched.scope, fetched.period, fetched.rows, fetched.team_rows)
    elif args.what == "seats":
        doc = seats_document(fetched.period, fetched.rows, fetched.seats, args.inactive)
    else:
        doc = build_document(fetched.scope, fetched.period, fetched.rows)
    (write_csv if args.format == "csv" else write_json)(doc, args.what, sys.stdout)
    return 0
