"""The fast road for large users reports: fold decoded lines straight into per-user summaries.

A 28-day users report for 200,000 users is millions of lines of about 2 KB. Building a typed record per line and
keeping them all would cost gigabytes; this folds each decoded line into :class:`UserSummary` objects and per-day
feature counters for one period, and keeps nothing else. The numbers are the ones :mod:`copilot_tui.metrics.derive`
defines (a test checks the two roads agree on the demo data); only the way of getting there differs.

A user-day seen twice is counted once (the first line wins): the store holds one version of each day, so a repeat
can only come from overlapping reports of the same data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from copilot_tui.metrics.derive import FLAG_SERIES, BreakdownRow, FeatureSeries, Period, UserSummary
from copilot_tui.metrics.model import ACTIVITY_FIELDS, USER_FLAG_FIELDS, LineProblem, VersionSample
from copilot_tui.metrics.parse import ReportPart, iter_lines

_GEN = "code_generation_activity_count"
_INT = "user_initiated_interaction_count"
_ACC = "code_acceptance_activity_count"
_LOC = "loc_added_sum"


@dataclass(frozen=True, slots=True)
class UsersAggregate:
    period: Period
    users: list[UserSummary]
    series: list[FeatureSeries]
    by_ide: list[BreakdownRow]
    by_language: list[BreakdownRow]
    by_model: list[BreakdownRow]
    lines: int
    problems: tuple[LineProblem, ...]


class UsersAggregator:
    """Fold users-report lines for one period; call :meth:`add_parts` as parts arrive, then :meth:`result`."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self._days = {d.isoformat(): i for i, d in enumerate(period.each_day())}
        self._n = len(self._days)
        self._users: dict[int, UserSummary] = {}
        self._seen: dict[int, int] = {}  # user id -> bitmask of day indexes already counted
        self._features: dict[str, list[list[int]]] = {}
        self._flags = {flag: ([0] * self._n, [0] * self._n) for _, flag in FLAG_SERIES}
        self._carried: set[str] = set()
        self._last_day_index: dict[int, int] = {}
        self._by_ide: dict[str, list[int]] = {}
        self._by_language: dict[str, list[int]] = {}
        self._by_model: dict[str, list[int]] = {}
        self.lines = 0
        self.problems: list[LineProblem] = []

    def add_parts(self, parts: Iterable[ReportPart]) -> None:
        for source, data in parts:
            for line_no, line in enumerate(iter_lines(data), start=1):
                if not line.strip():
                    continue
                try:
                    obj = orjson.loads(line)
                    if not isinstance(obj, dict):
                        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
                    self.add(obj)
                except orjson.JSONDecodeError:
                    self.problems.append(LineProblem(source, line_no, "not valid JSON"))
                except (KeyError, TypeError, ValueError) as exc:
                    message = f"required field {exc.args[0]!r} is missing" if isinstance(exc, KeyError) else str(exc)
                    self.problems.append(LineProblem(source, line_no, message[:120]))

    def add(self, obj: dict[str, Any]) -> None:
        """Fold one decoded users-report line (lines outside the period are skipped)."""
        i = self._days.get(obj["day"][:10])
        if i is None:
            return
        user_id = obj["user_id"]
        if type(user_id) is not int:
            raise ValueError(f"user_id should be a whole number, got {user_id!r}")
        bit = 1 << i
        mask = self._seen.get(user_id, 0)
        if mask & bit:
            return
        login = obj["user_login"]
        self._seen[user_id] = mask | bit
        self.lines += 1
        s = self._users.get(user_id)
        if s is None:
            s = self._users[user_id] = UserSummary(user_id, str(login))
        s.days_active += 1
        if i >= self._last_day_index.get(user_id, -1):
            self._last_day_index[user_id] = i
            s.user_login = str(login)
        activity = s.activity
        for name in ACTIVITY_FIELDS:
            value = obj.get(name)
            if value:
                activity[name] += _whole(value, name)
        credits = obj.get("ai_credits_used")
        if credits:
            s.ai_credits_used += credits
        flags = s.flags
        for name in USER_FLAG_FIELDS:
            value = obj.get(name)
            if value is True:
                flags[name] = True
            elif value is False:
                flags.setdefault(name, False)
        for _, flag in FLAG_SERIES:
            value = obj.get(flag)
            if value is not None:
                self._carried.add(flag)
                if value:
                    users, requests = self._flags[flag]
                    users[i] += 1
                    if flag == "used_cli":
                        requests[i] += (obj.get("totals_by_cli") or {}).get("request_count") or 0
        cli = obj.get("totals_by_cli")
        if cli:
            sums = s.cli
            for name in ("session_count", "request_count", "prompt_count"):
                value = cli.get(name)
                if value is not None:
                    sums[name] = sums.get(name, 0) + value
            usage = cli.get("token_usage")
            if usage:
                for name in ("output_tokens_sum", "prompt_tokens_sum"):
                    value = usage.get(name)
                    if value is not None:
                        sums[name] = sums.get(name, 0) + value
            version = cli.get("last_known_cli_version")
            if version:
                sample = VersionSample(str(version.get("cli_version") or ""), version.get("sampled_at"))
                if s.cli_version is None or (sample.sampled_at or "") >= (s.cli_version.sampled_at or ""):
                    s.cli_version = sample
        for e in obj.get("totals_by_feature") or ():
            gen = e.get(_GEN) or 0
            inter = e.get(_INT) or 0
            name = e["feature"]
            s.features[name] += gen + inter
            slots = self._features.get(name)
            if slots is None:
                slots = self._features[name] = [[0] * self._n for _ in range(5)]
            slots[0][i] += inter
            slots[1][i] += gen
            slots[2][i] += e.get(_ACC) or 0
            slots[3][i] += e.get(_LOC) or 0
            slots[4][i] += 1
        for e in obj.get("totals_by_ide") or ():
            ide = e["ide"]
            s.ides[ide] += (e.get(_GEN) or 0) + (e.get(_INT) or 0)
            _add_entry(self._by_ide, ide, e)
            version = e.get("last_known_ide_version")
            if version:
                sample = VersionSample(str(version.get("ide_version") or ""), version.get("sampled_at"))
                held = s.ide_versions.get(ide)
                if held is None or (sample.sampled_at or "") >= (held.sampled_at or ""):
                    s.ide_versions[ide] = sample
        for e in obj.get("totals_by_language_feature") or ():
            language = e["language"]
            s.languages[language] += e.get(_GEN) or 0
            _add_entry(self._by_language, language, e)
        for e in obj.get("totals_by_model_feature") or ():
            model = e["model"]
            s.models[model] += (e.get(_GEN) or 0) + (e.get(_INT) or 0)
            _add_entry(self._by_model, model, e)

    def result(self) -> UsersAggregate:
        days: tuple[date, ...] = tuple(self.period.each_day())
        series = [FeatureSeries(name, days, *(tuple(v) for v in slots)) for name, slots in self._features.items()]  # type: ignore[arg-type]
        zeros = (0,) * self._n
        for name, flag in FLAG_SERIES:
            if flag in self._carried:
                flag_users, requests = self._flags[flag]
                series.append(FeatureSeries(name, days, tuple(requests), zeros, zeros, zeros, tuple(flag_users)))
        series.sort(key=lambda s: (-sum(s.users), s.feature))
        for user_id, index in self._last_day_index.items():
            self._users[user_id].last_active_day = days[index]
        users = sorted(self._users.values(), key=lambda s: s.user_login.lower())
        return UsersAggregate(
            self.period,
            users,
            series,
            _breakdown(self._by_ide, users, "ides"),
            _breakdown(self._by_language, users, "languages"),
            _breakdown(self._by_model, users, "models"),
            self.lines,
            tuple(self.problems),
        )


def _add_entry(sums: dict[str, list[int]], name: str, entry: dict[str, Any]) -> None:
    slots = sums.get(name)
    if slots is None:
        slots = sums[name] = [0] * len(ACTIVITY_FIELDS)
    for i, field in enumerate(ACTIVITY_FIELDS):
        value = entry.get(field)
        if value:
            slots[i] += value


def _breakdown(sums: dict[str, list[int]], users: list[UserSummary], attr: str) -> list[BreakdownRow]:
    """Rows as ``derive.breakdown`` makes them; a user counts for a name when their summary names it at all."""
    counts: dict[str, int] = dict.fromkeys(sums, 0)
    for s in users:
        for name in getattr(s, attr):
            counts[name] += 1
    rows = [
        BreakdownRow(name, counts[name], dict(zip(ACTIVITY_FIELDS, slots, strict=True))) for name, slots in sums.items()
    ]
    rows.sort(key=lambda r: (-(r.activity[_GEN] + r.activity[_INT]), r.name))
    return rows


def _whole(value: Any, name: str) -> int:
    if type(value) is int:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError(f"{name} should be a whole number, got {value!r}")


def aggregate_users(parts: Iterable[ReportPart], period: Period) -> UsersAggregate:
    """Fold a users report (all parts) into per-user summaries and feature series for ``period``."""
    agg = UsersAggregator(period)
    agg.add_parts(parts)
    return agg.result()
