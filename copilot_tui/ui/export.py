"""Write the users of the current view to a CSV file: the table as shown, every column, every row."""

from __future__ import annotations

import csv
from pathlib import Path

from copilot_tui import locations
from copilot_tui.ui.view import DashboardView

HEADER = (
    "login",
    "days_active",
    "last_active_day",
    "user_initiated_interaction_count",
    "code_generation_activity_count",
    "code_acceptance_activity_count",
    "acceptance_rate",
    "loc_added_sum",
    "loc_deleted_sum",
    "used_agent",
    "used_chat",
    "used_cli",
    "top_ide",
    "top_language",
    "top_model",
)


def export_users(view: DashboardView, directory: Path | None = None) -> Path:
    folder = directory or locations.export_dir()
    name = f"{view.scope.kind}-{view.scope.name}-users-{view.period.start}-{view.period.end}.csv"
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for u in view.users:
            rate = u.acceptance_rate
            out.writerow(
                (
                    u.user_login,
                    u.days_active,
                    u.last_active_day.isoformat() if u.last_active_day else "",
                    u.interactions,
                    u.generations,
                    u.acceptances,
                    "" if rate is None else f"{rate:.4f}",
                    u.loc_added,
                    u.activity.get("loc_deleted_sum", 0),
                    u.used_agent,
                    u.used_chat,
                    u.used_cli,
                    u.top_ide or "",
                    u.top_language or "",
                    u.top_model or "",
                )
            )
    return path
