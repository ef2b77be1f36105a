"""Write what the dashboard shows to a CSV or JSON file: users (as filtered), teams, seats (the list on screen),
totals or features, each as the table on screen holds it, every column, in the order shown.

The file goes to the export directory (``locations.export_dir()``) under a name that says what it holds; the
caller shows the path. JSON holds ``scope``, ``period`` and the rows under the table's name.
"""

from __future__ import annotations

import csv
import dataclasses
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson

from copilot_tui import locations
from copilot_tui.metrics.derive import FeatureSeries, OrgTotals, Period, UserSummary
from copilot_tui.metrics.model import ACTIVITY_FIELDS
from copilot_tui.scope import Scope

ExportFormat = Literal["csv", "json"]
WHATS: tuple[str, ...] = ("users", "teams", "seats", "totals", "features")
LABELS = {
    "users": "Users (as the table shows them)",
    "teams": "Teams",
    "seats": "Seats (the list on screen)",
    "totals": "Totals",
    "features": "Features by day",
}

HEADER: tuple[str, ...] = (
    "user_login",
    "user_id",
    "days_active",
    "last_active_day",
    "used_agent",
    "used_chat",
    "used_cli",
    *ACTIVITY_FIELDS,
    "ai_credits_used",
    "acceptance_rate",
    "top_ide",
    "top_language",
    "top_model",
)
"""The users table's columns: the headless export's names and order first, then what only the app shows."""


@dataclass(frozen=True, slots=True)
class ExportData:
    """What the dashboard has on screen, handed over whole so the file matches the screen."""

    scope: Scope
    period: Period
    users: Sequence[UserSummary]
    totals: OrgTotals | None = None
    series: Sequence[FeatureSeries] = ()
    teams: Sequence[Any] | Callable[[], Sequence[Any]] = ()
    """``TeamRow``s in the order shown, or a function computing them (run in the export's thread)."""
    seats: Sequence[Mapping[str, Any]] = ()
    """``copilot_tui.licenses.seat_record``s of the list shown."""
    extra: dict[str, Any] = field(default_factory=dict)
    """More for the JSON document (the team filter, the seat list's name and days, the seat breakdown)."""


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def user_record(u: UserSummary) -> dict[str, Any]:
    """The columns of the headless ``copilot-tui export`` (same names, same order), then what the table adds."""
    return {
        "user_login": u.user_login,
        "user_id": u.user_id,
        "days_active": u.days_active,
        "last_active_day": u.last_active_day.isoformat() if u.last_active_day else None,
        **{flag: u.flag(flag) for flag in ("used_agent", "used_chat", "used_cli")},
        **{name: u.activity.get(name, 0) for name in ACTIVITY_FIELDS},
        "ai_credits_used": round(u.ai_credits_used, 4),
        "acceptance_rate": _rate(u.acceptance_rate),
        "top_ide": u.top_ide,
        "top_language": u.top_language,
        "top_model": u.top_model,
    }


def team_record(row: Any) -> dict[str, Any]:
    """A ``TeamRow`` of the teams tab, its rates rounded as the other tables round them."""
    record = dataclasses.asdict(row)
    for name in ("active_share", "acceptance_rate"):
        record[name] = _rate(record[name])
    return record


def totals_record(scope: Scope, totals: OrgTotals) -> dict[str, Any]:
    """One row: the latest day's active-user counts, then the period's sums, prefixed by where they come from."""
    record: dict[str, Any] = {
        "scope": scope.name,
        "scope_kind": scope.kind,
        "start": totals.period.start.isoformat(),
        "end": totals.period.end.isoformat(),
        "days_with_data": totals.days_with_data,
        "latest_day": totals.latest_day.isoformat() if totals.latest_day else None,
        "average_daily_active_users": (
            None if totals.average_daily_active_users is None else round(totals.average_daily_active_users, 2)
        ),
        "acceptance_rate": _rate(totals.acceptance_rate),
        "loc_acceptance_rate": _rate(totals.loc_acceptance_rate),
        "completion_acceptance_rate": _rate(totals.completion_acceptance_rate),
        "completion_loc_acceptance_rate": _rate(totals.completion_loc_acceptance_rate),
    }
    for prefix, values in (
        ("latest", totals.latest),
        ("", totals.activity),
        ("completion", totals.completion),
        ("pull_requests", totals.pull_requests),
        ("cli", totals.cli),
    ):
        for name, value in values.items():
            record[f"{prefix}_{name}" if prefix and not name.startswith(prefix) else name] = value
    return record


def feature_records(series: Sequence[FeatureSeries]) -> list[dict[str, Any]]:
    """One row per feature and day: the numbers behind each sparkline."""
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
        for s in series
        for i, d in enumerate(s.days)
    ]


def table_of(what: str, data: ExportData) -> list[dict[str, Any]]:
    if what == "users":
        return [user_record(u) for u in data.users]
    if what == "teams":
        teams = data.teams() if callable(data.teams) else data.teams
        return [team_record(t) for t in teams]
    if what == "seats":
        return [dict(s) for s in data.seats]
    if what == "totals":
        return [totals_record(data.scope, data.totals)] if data.totals is not None else []
    if what == "features":
        return feature_records(data.series)
    raise ValueError(f"nothing to export called {what!r}; choose from {', '.join(WHATS)}")


def file_name(what: str, fmt: ExportFormat, data: ExportData) -> str:
    scope, period = data.scope, data.period
    return f"{scope.kind}-{scope.name}-{what}-{period.start}-{period.end}.{fmt}"


def _cell(value: Any) -> Any:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "" if value is None else value


def export_table(what: str, fmt: ExportFormat, data: ExportData, directory: Path | None = None) -> tuple[Path, int]:
    """Write one table; the path written and how many rows it holds."""
    rows = table_of(what, data)
    folder = directory or locations.export_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if directory is None:
        folder.chmod(0o700)  # the app's own folder: exports hold logins
    path = folder / file_name(what, fmt, data)
    _private(path)
    if fmt == "json":
        doc = {
            "scope": {"kind": data.scope.kind, "name": data.scope.name},
            "period": {"start": data.period.start.isoformat(), "end": data.period.end.isoformat()},
            **data.extra.get(what, {}),
            what: rows,
        }
        path.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n")
        return path, len(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        if rows:
            out = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
            out.writeheader()
            for row in rows:
                out.writerow({k: _cell(v) for k, v in row.items()})
    return path, len(rows)


def _private(path: Path) -> None:
    """Create the file readable by its owner only (or make an older one so) before anything is written to it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def export_users(view: Any, directory: Path | None = None) -> Path:
    """Every user of a ``DashboardView`` as CSV (the ``e`` key before there was a choice; kept for callers)."""
    path, _ = export_table("users", "csv", ExportData(view.scope, view.period, view.users), directory)
    return path


__all__ = ["HEADER", "LABELS", "WHATS", "ExportData", "export_table", "export_users"]
