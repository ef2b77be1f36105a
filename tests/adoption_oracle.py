"""Adoption over time computed by hand from raw users-report lines: the oracle the facts' SQL is checked against."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

import orjson

from copilot_tui.metrics.derive import Period


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
