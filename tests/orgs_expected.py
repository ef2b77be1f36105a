"""An enterprise's organizations computed straight from raw lines and seat objects (dicts, not the app's code), for
the Orgs tests: each user's org is the org the enterprise's seats name for their seat."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

ENGAGED_DAYS = 4


def expected_orgs(dataset: Any, start: date, end: date, inactive_days: int = 30) -> dict[str, dict[str, Any]]:
    seats = [(org.login, seat) for org in dataset.orgs for seat in dataset.seats(org)]
    org_of = {seat["assignee"]["id"]: org for org, seat in seats}
    days: dict[int, int] = {}
    agent: set[int] = set()
    credits: dict[int, float] = {}
    day = start
    while day <= end:
        for line in dataset.report_lines("enterprise", dataset.enterprise, "users-1-day", day) or []:
            uid = line["user_id"]
            days[uid] = days.get(uid, 0) + 1
            if line.get("used_agent"):
                agent.add(uid)
            credits[uid] = credits.get(uid, 0.0) + (line.get("ai_credits_used") or 0.0)
        day += timedelta(days=1)
    today = dataset.last_day + timedelta(days=1)
    cutoff = today - timedelta(days=inactive_days)
    out: dict[str, dict[str, Any]] = {}
    for org, seat in seats:
        row = out.setdefault(org, {"seats": 0, "idle": 0, "active": set(), "engaged": 0, "agent": 0, "credits": 0.0})
        row["seats"] += 1
        last = seat["last_activity_at"]
        if last is None or date.fromisoformat(last[:10]) <= cutoff:
            row["idle"] += 1
    for uid, n in days.items():
        row = out[org_of[uid]]
        row["active"].add(uid)
        row["engaged"] += n >= ENGAGED_DAYS
        row["agent"] += uid in agent
        row["credits"] += credits[uid]
    return out
