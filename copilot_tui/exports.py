"""The export model: every table the app's ``e`` writes and ``copilot-tui export`` prints, built by one code.

Both fronts hand over the same objects (the period's ``OrgTotals`` and day records, the users aggregate's
``UserSummary``s and ``FeatureSeries``, the teams view, the seat report) and get the same bytes back from
:func:`render`, so a file written from the dashboard and the command's output are identical for the same scope,
period, table and format. The app narrows what is written to what its filters show (a login filter, a team, a
seat list); the rows' order is always this module's (users and seats by login, teams most active first, days
oldest first), never the screen's current sort, so the bytes do not depend on which column was clicked.

Fields keep the API's names where the API has one: active-user counts as ``daily_active_users``, sums as
``code_generation_activity_count``, code completion's as ``code_completion_<field>``, pull requests as
``pull_requests_<field>`` and the CLI's as ``totals_by_cli_<field>``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal, Protocol

import orjson

from copilot_tui.licenses import SeatReport, seat_records
from copilot_tui.metrics.adoption import DEFAULT_ENGAGED_DAYS, UserHistory, adoption_rows
from copilot_tui.metrics.derive import (
    CLI_FIELDS,
    PULL_REQUEST_COUNT_FIELDS,
    FeatureSeries,
    OrgTotals,
    Period,
    PeriodUsers,
    UserSummary,
    org_totals,
    period_users,
    user_column,
)
from copilot_tui.metrics.model import ACTIVE_USER_FIELDS, ACTIVITY_FIELDS, DayTotals
from copilot_tui.metrics.seats import Seat, never_in_reports, seat_cost
from copilot_tui.metrics.segments import user_segments
from copilot_tui.metrics.teams import NO_TEAM_ID, TeamSummary
from copilot_tui.metrics.trends import bucket_totals, buckets
from copilot_tui.pseudonyms import Pseudonyms
from copilot_tui.scope import Scope
from copilot_tui.views import (
    OrgRow,
    VersionRow,
    build_orgs,
    build_versions,
    team_organizations,
    user_organizations,
)

ExportFormat = Literal["csv", "json"]
SeatList = Literal["inactive", "never", "all"]
WHATS: tuple[str, ...] = (
    "users",
    "teams",
    "orgs",
    "seats",
    "reclaim",
    "versions",
    "totals",
    "daily",
    "features",
    "adoption",
)
LABELS = {
    "users": "Users",
    "totals": "Totals",
    "daily": "Totals by day",
    "features": "Features by day",
    "teams": "Teams",
    "seats": "Seats",
    "reclaim": "Seats to reclaim",
    "adoption": "Adoption",
    "versions": "IDE and plugin versions",
    "orgs": "Orgs of the enterprise",
}
ORG_TABLES = ("users", "teams", "orgs")
"""The tables that name each user's (or team's) organization: an enterprise's come from its seats."""
RECLAIM_DAYS = 30
"""Days without use after which a seat is on the reclaim list unless another number is given."""
USER_FLAGS = ("used_agent", "used_chat", "used_cli")

FIGURE_KEYS: dict[str, str] = {
    "completion_rate": "code_completion_acceptance_rate",
    "completion_loc_rate": "code_completion_loc_acceptance_rate",
    "acceptance_rate": "acceptance_rate",
    "active_users": "active_users",
    "average_daily_users": "average_daily_active_users",
    "period_agent_users": "users_used_agent",
    "period_chat_users": "users_used_chat",
    "period_cli_users": "users_used_cli",
    "period_review_users": "users_used_copilot_code_review_active",
    "period_cloud_agent_users": "users_used_copilot_cloud_agent",
    "completion_only_users": "users_completion_only",
    "cli_prompt_tokens": "totals_by_cli_prompt_tokens_sum",
    "cli_output_tokens": "totals_by_cli_output_tokens_sum",
    "ai_credits": "ai_credits_used",
}
"""The totals field of a catalog metric that is not one API field (a ratio, a count of distinct users over the
period); the others are the API field, dots as ``_``."""


def figure_key(metric_key: str, api_field: str) -> str:
    """The field of the totals record that holds a catalog metric (the totals pane's figures)."""
    return FIGURE_KEYS.get(metric_key) or api_field.replace(".", "_")


class NoDataError(Exception):
    """The period holds no data for the scope: nothing to export."""


class TeamsData(Protocol):
    """The teams of a period: ``copilot_tui.views.TeamsView``."""

    @property
    def teams(self) -> Sequence[TeamSummary]: ...

    @property
    def days_without_data(self) -> Sequence[date]: ...


@dataclass(frozen=True, slots=True)
class ExportData:
    """What an export is made from: one scope and period, as the dashboard shows it.

    ``teams`` and ``history`` may be functions (blocking: the teams join reads the users report, the history every
    day held), called only when that table is written. ``shown_*`` narrow a table to what the app's filters show (None: everything).
    """

    scope: Scope
    period: Period
    days: Sequence[DayTotals]
    """The scope's day records of the period (the organization or enterprise report)."""
    users: Sequence[UserSummary]
    series: Sequence[FeatureSeries] = ()
    teams: TeamsData | Callable[[], TeamsData] | None = None
    seats: SeatReport | None = None
    seat_list: SeatList = "all"
    inactive_days: int | None = None
    engaged_days: int = DEFAULT_ENGAGED_DAYS
    """Days active from which a user counts as engaged (the orgs table)."""
    seat_prices: Mapping[str, float] = field(default_factory=dict)
    """A seat's monthly price by plan type (the settings' ``seat_prices``): what the reclaim list saves."""
    history: UserHistory | Callable[[], UserHistory | None] | None = None
    """The period's users against the days held before it (``Snapshot.user_history``), for the adoption table."""
    previous_users: PeriodUsers | None = None
    """The distinct users of the previous period of equal length, when the source holds all of it (as the
    dashboard's comparison takes it): the segments' changes in the adoption table."""
    users_by_bucket: Callable[[Sequence[Period]], Sequence[PeriodUsers | None]] | None = None
    """Counts each bucket's distinct users, for buckets of the period (``views.bucket_counter`` of the snapshot;
    blocking): the ``daily`` table's distinct users of each day."""
    shown_users: Sequence[UserSummary] | None = None
    shown_teams: set[int] | None = None
    shown_seats: set[str] | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    """The app's filters in force, said in the JSON document (``team``, ``version``, ``segment``,
    ``login_filter``)."""
    names: Pseudonyms | None = None
    """Pseudonyms for logins and team names (``--anonymize``, the app's ``n``); None: the real names."""

    @property
    def totals(self) -> OrgTotals:
        """As the dashboard builds them (``ui.view.build_view``): the day records summed, and the distinct users
        of the users report over the period."""
        return replace(org_totals(self.days, self.period), users=period_users(self.users))


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


# ---- records -----------------------------------------------------------------------------------------------------


def user_record(u: UserSummary, organization: str | None = None) -> dict[str, Any]:
    """Every column of the users table, every counter summed over the period, the user's organization, usage
    segments (``metrics.segments`` keys joined by ``;``), CLI sums (empty when the reports say nothing of CLI), and
    ``ide_versions`` / ``plugin_versions`` as ``vscode 1.104.2; intellij 2025.2.3`` (each IDE's last-known version,
    most used first)."""
    return {
        "user_login": u.user_login,
        "user_id": u.user_id,
        "organization": organization,
        "days_active": u.days_active,
        "last_active_day": _day(u.last_active_day),
        **{flag: u.flag(flag) for flag in USER_FLAGS},
        **{name: u.activity.get(name, 0) for name in ACTIVITY_FIELDS},
        "ai_credits_used": round(u.ai_credits_used, 4),
        "acceptance_rate": _rate(u.acceptance_rate),
        "top_ide": u.top_ide,
        "top_language": u.top_language,
        "top_model": u.top_model,
        "segments": ";".join(user_segments(u)),
        **{f"totals_by_cli_{name}": u.cli.get(name) for name in CLI_FIELDS},
        "ide_versions": u.ide_version_text,
        "plugin_versions": u.plugin_version_text,
    }


def people_record(people: PeriodUsers | None) -> dict[str, Any]:
    """The distinct users of a period (the users report's) under their export names; all None when not known."""
    if people is None:
        return dict.fromkeys(people_record(PeriodUsers(0, 0, 0, 0, 0, 0)))
    return {
        "active_users": people.active,
        "users_used_agent": people.agent,
        "users_used_chat": people.chat,
        "users_used_cli": people.cli,
        "users_used_copilot_code_review_active": people.code_review,
        "users_used_copilot_cloud_agent": people.cloud_agent,
        "users_completion_only": people.completion_only,
        "ai_credits_used": round(people.ai_credits, 4),
    }


def figures(totals: OrgTotals) -> dict[str, Any]:
    """Every figure of ``totals`` under its API name: the totals pane's and the rest of what the report holds;
    the distinct users of the period (the users report's) when ``totals.users`` holds them."""
    record: dict[str, Any] = {} if totals.users is None else people_record(totals.users)
    record.update({name: totals.latest.get(name) for name in ACTIVE_USER_FIELDS})
    average = totals.average_daily_active_users
    record["average_daily_active_users"] = None if average is None else round(average, 2)
    record.update({name: totals.activity[name] for name in ACTIVITY_FIELDS})
    record["acceptance_rate"] = _rate(totals.acceptance_rate)
    record["loc_acceptance_rate"] = _rate(totals.loc_acceptance_rate)
    record.update({f"code_completion_{name}": totals.completion[name] for name in ACTIVITY_FIELDS})
    record["code_completion_acceptance_rate"] = _rate(totals.completion_acceptance_rate)
    record["code_completion_loc_acceptance_rate"] = _rate(totals.completion_loc_acceptance_rate)
    record.update({f"pull_requests_{name}": totals.pull_requests.get(name) for name in PULL_REQUEST_COUNT_FIELDS})
    record.update({f"totals_by_cli_{name}": totals.cli.get(name) for name in CLI_FIELDS})
    return record


def totals_record(scope: Scope, totals: OrgTotals) -> dict[str, Any]:
    """One row: active users of the latest day (the API's windows end there), then the period's sums and rates."""
    return {
        "scope": scope.name,
        "scope_kind": scope.kind,
        "start": totals.period.start.isoformat(),
        "end": totals.period.end.isoformat(),
        "days_with_data": totals.days_with_data,
        "latest_day": _day(totals.latest_day),
        **figures(totals),
    }


def daily_records(
    days: Iterable[DayTotals], period: Period, users: Sequence[PeriodUsers | None] | None = None
) -> list[dict[str, Any]]:
    """One row per day of the period the scope's report has a record for, oldest first, every figure of the day:
    the day buckets of the trend charts (``metrics.trends``), so a chart's point and a row here agree; with
    ``users`` (each day's distinct users of the users report) those figures too, empty for a day whose users
    report is not held."""
    cuts = buckets(period, "day")
    totals = bucket_totals(days, cuts)
    if users is None:
        return [{"day": t.period.start.isoformat(), **figures(t)} for t in totals if t.days_with_data]
    return [
        {"day": t.period.start.isoformat(), **people_record(u), **figures(replace(t, users=u))}
        for t, u in zip(totals, users, strict=True)
        if t.days_with_data
    ]


def feature_records(series: Sequence[FeatureSeries]) -> list[dict[str, Any]]:
    """One row per feature and day: the numbers behind each adoption sparkline."""
    return [
        {
            "feature": s.feature,
            "day": d.isoformat(),
            "users": s.users[i],
            "user_initiated_interaction_count": s.interactions[i],
            "code_generation_activity_count": s.generations[i],
            "code_acceptance_activity_count": s.acceptances[i],
            "loc_added_sum": s.loc_added[i],
        }
        for s in sorted(series, key=lambda s: s.feature)
        for i, d in enumerate(s.days)
    ]


def team_record(team: TeamSummary, organization: str | None = None) -> dict[str, Any]:
    """Every column of the teams tab (the active share included) and every counter, summed over the members' rows
    (a user in two teams counts in both); ``organization``: the team's org (an org's own name, or in an enterprise
    ``views.team_organizations``)."""
    return {
        "team_id": team.team_id,
        "slug": team.slug,
        "organization": organization,
        "members": len(team.members),
        "active_users": len(team.active_users),
        "active_share": _rate(team.active_share),
        "active_user_days": team.active_user_days,
        **{name: team.activity[name] for name in ACTIVITY_FIELDS},
        "acceptance_rate": _rate(team.acceptance_rate),
        "users_used_agent": len(team.agent_users),
        "users_used_chat": len(team.chat_users),
        "users_used_cli": len(team.cli_users),
        "ai_credits_used": round(team.ai_credits, 4),
    }


def version_record(row: VersionRow) -> dict[str, Any]:
    """One version of an IDE or its plugin: the users whose last-known version it is, their share of the IDE's users
    with a version of that kind, and how many newer versions are in use (0: the newest)."""
    return {
        "ide": row.ide,
        "kind": row.kind,
        "version": row.version,
        "plugin": row.plugin,
        "users": row.users,
        "share": _rate(row.share),
        "releases_behind": row.behind,
        "newest": row.newest,
    }


def chosen_seats(
    report: SeatReport, seat_list: SeatList, days: int | None, reported_ids: set[int], reported_logins: set[str]
) -> list[Seat]:
    """The seats of a list: unused for ``days`` (idlest first), never in the period's reports, or all (by login)."""
    if seat_list == "inactive":
        return report.inactive(days) if days is not None else report.inactive()
    if seat_list == "never":
        return never_in_reports(report.seats, reported_ids, reported_logins)
    return sorted(report.seats, key=lambda s: s.login.lower())


# ---- tables and documents -----------------------------------------------------------------------------------------


def _sorted_users(users: Iterable[UserSummary]) -> list[UserSummary]:
    return sorted(users, key=lambda u: (u.user_login.lower(), u.user_id))


def _teams(data: ExportData) -> tuple[Sequence[TeamSummary], Sequence[date]]:
    teams = data.teams() if callable(data.teams) else data.teams
    return (teams.teams, teams.days_without_data) if teams is not None else ([], [])


def table_of(what: str, data: ExportData) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The rows of one table, and what its JSON document says besides them; with ``data.names``, every login and
    team name a pseudonym (``anonymized``)."""
    rows, meta = _table_of(what, data)
    if data.names is not None:
        rows = anonymized(what, rows, data.names, data.seat_list)
    return rows, meta


ANONYMIZED_FIELDS = {"user_login": "user", "login": "user", "slug": "team"}
"""The fields that name a person or a team, and the pseudonym each takes."""
HIDDEN_FIELDS = ("user_id",)
"""Left empty when anonymized: GitHub's API names the user behind an id to anyone who asks."""


def anonymized(what: str, rows: list[dict[str, Any]], names: Pseudonyms, seat_list: SeatList) -> list[dict[str, Any]]:
    """``rows`` with pseudonyms for logins and team slugs and no user ids; the tables ordered by login are ordered by
    the pseudonym (an order by the real logins would hint at them)."""
    out = []
    for row in rows:
        row = dict(row)
        for name, kind in ANONYMIZED_FIELDS.items():
            value = row.get(name)
            if isinstance(value, str):
                row[name] = names.user(value) if kind == "user" else names.team(value)
        for name in HIDDEN_FIELDS:
            if name in row:
                row[name] = None
        out.append(row)
    if what == "users":
        out.sort(key=lambda r: r["user_login"])
    elif what == "seats" and seat_list != "inactive":
        out.sort(key=lambda r: r["login"])
    return out


def _table_of(what: str, data: ExportData) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    if what == "users":
        shown = data.users if data.shown_users is None else data.shown_users
        meta = {k: v for k, v in data.filters.items() if k in ("team", "version", "segment", "login_filter")}
        orgs = organizations(data)
        return [user_record(u, orgs.get(u.user_id)) for u in _sorted_users(shown)], meta
    if what == "totals":
        return [totals_record(data.scope, data.totals)], {}
    if what == "daily":
        users = data.users_by_bucket(buckets(data.period, "day")) if data.users_by_bucket is not None else None
        return daily_records(data.days, data.period, users), {}
    if what == "features":
        return feature_records(data.series), {}
    if what == "teams":
        teams, lacking = _teams(data)
        chosen = [t for t in teams if data.shown_teams is None or t.team_id in data.shown_teams]
        chosen.sort(key=lambda t: (-len(t.active_users), t.slug, t.team_id))
        meta = {"days_without_team_data": [d.isoformat() for d in lacking]}
        orgs = team_orgs(data, chosen)
        return [team_record(t, orgs.get(t.team_id)) for t in chosen], meta
    if what == "seats":
        return seats_table(data)
    if what == "reclaim":
        return reclaim_table(data)
    if what == "adoption":
        return adoption_table(data)
    if what == "orgs":
        return orgs_table(data)
    if what == "versions":
        return [version_record(r) for r in build_versions(data.users).rows], {}
    raise ValueError(f"nothing to export called {what!r}; choose from {', '.join(WHATS)}")


def adoption_table(data: ExportData) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Adoption over time, the funnel and the usage segments: one row a figure (``metrics.adoption``); a segment
    also with its users and share in the previous period of equal length, and the changes, when that is known
    (``previous_users``)."""
    history = data.history() if callable(data.history) else data.history
    seats = None if data.seats is None else data.seats.breakdown.get("total", len(data.seats.seats))
    rows = [
        {
            "group": r.group,
            "figure": r.figure,
            "users": r.users,
            "share_of": r.share_of,
            "share": _rate(r.share),
            "previous_users": r.previous_users,
            "previous_share": _rate(r.previous_share),
            "change": _rate(r.change),
            "share_change_points": None if r.share_points is None else round(r.share_points, 2),
        }
        for r in adoption_rows(history, seats, period_users(data.users), data.previous_users)
    ]
    meta: dict[str, Any] = {}
    if history is not None:
        meta = {
            "engaged_days": history.engaged_days,
            "history_first_day": _day(history.first_day),
            "days_held_before": history.days_before,
            "previous_period": {"start": history.period.previous().start.isoformat(),
                                "end": history.period.previous().end.isoformat()},
            "previous_days_held": history.previous_days,
        }  # fmt: skip
    return rows, meta


def seats_table(data: ExportData) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    report = data.seats
    if report is None:
        return [], {"list": data.seat_list}
    ids = set(user_column(data.users, "user_id"))
    logins = {login.lower() for login in user_column(data.users, "user_login")}
    chosen = chosen_seats(report, data.seat_list, data.inactive_days, ids, logins)
    if data.shown_seats is not None:
        chosen = [s for s in chosen if s.login.lower() in data.shown_seats]
    meta: dict[str, Any] = {"list": data.seat_list}
    if data.seat_list == "inactive":
        meta["inactive_days"] = data.inactive_days
    meta |= {"as_of": report.today.isoformat(), "seat_breakdown": report.breakdown}
    meta["seat_breakdown_counted"] = report.counted
    return seat_records(report, chosen, ids, logins), meta


def organizations(data: ExportData) -> dict[int, str]:
    """Each user's organization: an org's own name, or in an enterprise the org its seats API names for the user's
    seat (none without the seats)."""
    if data.scope.kind == "org":
        return user_organizations(None, data.users, data.scope.name)
    return user_organizations(data.seats, data.users) if data.seats is not None else {}


def team_orgs(data: ExportData, teams: Sequence[TeamSummary]) -> dict[int, str]:
    """Each team's organization: an org's own name, or in an enterprise the org of most of its members' seats
    (none without the seats)."""
    if data.scope.kind == "org":
        return {t.team_id: data.scope.name for t in teams if t.team_id != NO_TEAM_ID}
    return team_organizations(teams, data.seats) if data.seats is not None else {}


def org_record(row: OrgRow) -> dict[str, Any]:
    """One organization of an enterprise over the period (``views.OrgRow``)."""
    return {
        "organization": row.org,
        "seats": row.seats,
        "active_users": row.active_users,
        "engaged_users": row.engaged_users,
        "engaged_share": _rate(row.engaged_share),
        "users_used_agent": row.agent_users,
        "agent_share": _rate(row.agent_share),
        "ai_credits_used": round(row.ai_credits, 4),
        "idle_seats": row.idle_seats,
    }


def orgs_table(data: ExportData) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """An enterprise's organizations side by side (an organization's own row; none without the seats)."""
    days = data.inactive_days if data.inactive_days is not None else RECLAIM_DAYS
    meta: dict[str, Any] = {"engaged_days": data.engaged_days, "inactive_days": days}
    if data.seats is None:
        return [], meta
    own = data.scope.name if data.scope.kind == "org" else None
    view = build_orgs(data.users, data.seats, engaged_days=data.engaged_days, inactive_days=days, own=own)
    rows = sorted(view.rows, key=lambda r: r.org.lower())
    return [org_record(r) for r in rows], meta | {"active_users_without_org": view.unplaced}


def reclaim_table(data: ExportData) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Seats unused for ``inactive_days`` days or more (never-used first, then the idlest), each with its monthly
    price, and what they cost together: the list to take seats back from, whatever list the seats tab shows."""
    days = data.inactive_days if data.inactive_days is not None else RECLAIM_DAYS
    meta: dict[str, Any] = {"inactive_days": days}
    report = data.seats
    if report is None:
        return [], meta
    ids = set(user_column(data.users, "user_id"))
    logins = {login.lower() for login in user_column(data.users, "user_login")}
    chosen = report.inactive(days)
    if data.shown_seats is not None:
        chosen = [s for s in chosen if s.login.lower() in data.shown_seats]
    prices = {k.lower(): v for k, v in data.seat_prices.items()}
    cost = seat_cost(chosen, prices)
    meta |= {
        "as_of": report.today.isoformat(),
        "seat_prices": dict(sorted(prices.items())),
        "monthly_cost": round(cost.monthly, 2),
        "seats_without_price": cost.unpriced,
    }
    rows = [
        {**record, "monthly_price": prices.get((seat.plan_type or "").lower())}
        for seat, record in zip(chosen, seat_records(report, chosen, ids, logins), strict=True)
    ]
    return rows, meta


def document(whats: Sequence[str], data: ExportData) -> dict[str, Any]:
    """The JSON document of one or more tables: ``scope``, ``period``, what the tables say besides, the tables."""
    doc: dict[str, Any] = {
        "scope": {"kind": data.scope.kind, "name": data.scope.name},
        "period": {"start": data.period.start.isoformat(), "end": data.period.end.isoformat()},
    }
    tables = {}
    for what in whats:
        rows, meta = table_of(what, data)
        doc.update(meta)
        tables[what] = rows
    doc.update(tables)
    return doc


def _cell(value: Any) -> Any:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "" if value is None else value


def csv_bytes(rows: Sequence[Mapping[str, Any]]) -> bytes:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def render(whats: str | Sequence[str], fmt: ExportFormat, data: ExportData) -> tuple[bytes, int]:
    """The bytes of a table (CSV or JSON; JSON may hold several tables), and how many rows were written."""
    names = [whats] if isinstance(whats, str) else list(whats)
    if fmt == "csv":
        if len(names) != 1:
            raise ValueError("a CSV file holds one table")
        rows, _ = table_of(names[0], data)
        return csv_bytes(rows), len(rows)
    doc = document(names, data)
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n", sum(len(doc[n]) for n in names)


def file_name(what: str, fmt: ExportFormat, data: ExportData) -> str:
    scope, period = data.scope, data.period
    return f"{scope.kind}-{scope.name}-{what}-{period.start}-{period.end}.{fmt}"


# ---- coverage ----------------------------------------------------------------------------------------------------


def days_without_data(data: ExportData) -> list[date]:
    """Days of the period with neither a record in the scope's report nor a user in the users report."""
    have = {d.day for d in data.days}
    for series in data.series:
        have.update(day for day, users in zip(series.days, series.users, strict=False) if users)
    return [day for day in data.period.each_day() if day not in have]


def describe_days(days: Sequence[date]) -> str:
    """``2026-01-01..2026-01-03, 2026-01-07``: runs of days as ranges."""
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(r[0].isoformat() if len(r) == 1 else f"{r[0]}..{r[-1]}" for r in runs)


__all__ = [
    "LABELS",
    "WHATS",
    "ExportData",
    "ExportFormat",
    "NoDataError",
    "TeamsData",
    "chosen_seats",
    "daily_records",
    "days_without_data",
    "describe_days",
    "document",
    "figure_key",
    "figures",
    "file_name",
    "reclaim_table",
    "render",
    "table_of",
    "team_record",
    "totals_record",
    "user_record",
    "version_record",
]
