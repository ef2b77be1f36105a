"""Adoption over time computed by hand from raw users-report lines: the oracle the facts' SQL is checked against."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import orjson

from copilot_tui.metrics.derive import Period

#: The distinct-user counts of ``segments_by_hand`` that are flags of a line (``completion_only`` is derived).
SEGMENT_KEYS = ("active", "agent", "chat", "cli", "code_review", "cloud_agent")


def history_by_hand(
    lines_of: Callable[[date], bytes], first: date, period: Period, engaged_days: int
) -> dict[str, int]:
    """The figures from the lines of every day from ``first`` to the period's end: each user's active days and
    agent use, as sets of user ids."""
    active_days: dict[int, set[date]] = defaultdict(set)
    agent: set[int] = set()
    day = first
    while day <= period.end:
        for raw in lines_of(day).splitlines():
            line = orjson.loads(raw)
            active_days[line["user_id"]].add(day)
            if day in period and line.get("used_agent"):
                agent.add(line["user_id"])
        day += timedelta(days=1)
    previous = period.previous()
    now = {u for u, ds in active_days.items() if any(d in period for d in ds)}
    before = {u for u, ds in active_days.items() if any(d in previous for d in ds)}
    earlier = {u for u, ds in active_days.items() if any(d < previous.start for d in ds)}
    engaged = {u for u in now if sum(d in period for d in active_days[u]) >= engaged_days}
    return {
        "active": len(now),
        "new": len(now - before - earlier),
        "returning": len((now - before) & earlier),
        "retained": len(now & before),
        "lapsed": len(before - now),
        "engaged": len(engaged),
        "engaged_agent": len(engaged & agent),
    }


def segments_by_hand(lines: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The distinct users of some decoded raw lines: active, each usage segment's (the keys of
    ``metrics.segments``), and their AI credits (``ai_credits``, summed)."""
    users: dict[str, set[int]] = defaultdict(set)
    completion: set[int] = set()
    credits = 0.0
    for line in lines:
        user = line["user_id"]
        users["active"].add(user)
        credits += line.get("ai_credits_used") or 0.0
        for key, flags in (
            ("agent", ("used_agent",)),
            ("chat", ("used_chat",)),
            ("cli", ("used_cli",)),
            ("code_review", ("used_copilot_code_review_active",)),
            ("cloud_agent", ("used_copilot_cloud_agent", "used_copilot_coding_agent")),
        ):
            if any(line.get(flag) for flag in flags):
                users[key].add(user)
        if any(f.get("feature") == "code_completion" for f in line.get("totals_by_feature") or ()):
            completion.add(user)
    counts: dict[str, Any] = {key: len(users[key]) for key in SEGMENT_KEYS}
    counts["completion_only"] = len(completion - users["agent"] - users["chat"] - users["cli"])
    return {**counts, "ai_credits": round(credits, 4)}


def lines_in(lines_of: Callable[[date], bytes], period: Period) -> list[dict[str, Any]]:
    """The decoded raw lines of every day of ``period``."""
    return [orjson.loads(raw) for day in period.each_day() for raw in lines_of(day).splitlines() if raw.strip()]
