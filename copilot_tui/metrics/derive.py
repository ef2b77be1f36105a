"""Every number the app shows, computed once, here, from the report records.

Definitions follow GitHub's "Data available in Copilot usage metrics" and "Copilot usage metrics" reference pages
(docs.github.com, Copilot > Reference). Integer sums are exact (Python ints). A rate whose denominator is 0 is
``None``, shown as "n/a": a rate of 0 % would claim that suggestions were made and none accepted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from copilot_tui.metrics.cli import cli_values
from copilot_tui.metrics.linerule import add_credits
from copilot_tui.metrics.model import (
    ACTIVE_USER_FIELDS,
    ACTIVITY_FIELDS,
    PULL_REQUEST_FIELDS,
    USER_FLAG_FIELDS,
    Activity,
    CliTotals,
    DayTotals,
    UserDay,
    VersionSample,
)

CODE_COMPLETION = "code_completion"

#: Pull-request fields that are counts (additive over days); the medians are not summed.
PULL_REQUEST_COUNT_FIELDS: tuple[str, ...] = tuple(f for f in PULL_REQUEST_FIELDS if f.startswith("total_"))

CLI_FIELDS: tuple[str, ...] = (
    "session_count",
    "request_count",
    "prompt_count",
    "output_tokens_sum",
    "prompt_tokens_sum",
)


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive range of days."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def last(cls, days: int, end: date) -> Period:
        """The ``days`` days ending on ``end`` (inclusive)."""
        return cls(end - timedelta(days=days - 1), end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of equal length just before this one (for "change against the previous period")."""
        return Period.last(self.days, self.start - timedelta(days=1))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def each_day(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    def __str__(self) -> str:
        return f"{self.start.isoformat()} .. {self.end.isoformat()}"


def ratio(numerator: int | float, denominator: int | float) -> float | None:
    """``numerator / denominator``, or ``None`` when the denominator is 0 (no basis for a rate)."""
    if not denominator:
        return None
    return numerator / denominator


def acceptance_rate(accepted: int, generated: int) -> float | None:
    """Acceptance rate: accepted / generated (activity counts or lines of code); ``None`` with nothing generated.

    GitHub: "code_acceptance_activity_count / code_generation_activity_count" and, by lines,
    "loc_added_sum / loc_suggested_to_add_sum" (Copilot usage metrics reference, "Acceptance rate").
    """
    return ratio(accepted, generated)


def change(current: int | float | None, previous: int | float | None) -> float | None:
    """Relative change against the previous period; ``None`` when there is nothing to compare with."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / previous


def format_rate(value: float | None, digits: int = 1) -> str:
    """A rate as a percentage, "n/a" when undefined."""
    return "n/a" if value is None else f"{value * 100:.{digits}f}%"


def format_change(value: float | None) -> str:
    if value is None:
        return ""
    arrow = "▲" if value > 0 else "▼" if value < 0 else "="
    return f"{arrow}{abs(value) * 100:.0f}%"


def add_activity(sums: dict[str, int], activity: Activity) -> None:
    for name in ACTIVITY_FIELDS:
        value = getattr(activity, name)
        if value:
            sums[name] = sums.get(name, 0) + value


def zero_activity() -> dict[str, int]:
    return dict.fromkeys(ACTIVITY_FIELDS, 0)


# ---------------------------------------------------------------------------------------------------------- totals


@dataclass(frozen=True, slots=True)
class OrgTotals:
    """An organization's (or enterprise's) figures over a period, from its day records.

    - ``latest``: active-user counts of the last day in the period that has a record (daily/weekly/monthly active
      users are windows ending that day, so they are read, never summed);
    - ``activity``: the activity counters summed over the period's days;
    - ``completion``: the same counters for the ``code_completion`` feature only (``totals_by_feature``);
    - ``pull_requests``: pull-request counts summed over the days that report them (medians are not additive);
    - ``cli``: CLI sessions, requests, prompts and tokens summed over the period.
    """

    period: Period
    days_with_data: int
    latest_day: date | None
    latest: Mapping[str, int]
    activity: Mapping[str, int]
    completion: Mapping[str, int]
    pull_requests: Mapping[str, int]
    cli: Mapping[str, int]
    average_daily_active_users: float | None
    users: PeriodUsers | None = None
    """Figures of the users report over the same period (:func:`period_users`), when it was read."""

    @property
    def completion_acceptance_rate(self) -> float | None:
        return acceptance_rate(
            self.completion["code_acceptance_activity_count"], self.completion["code_generation_activity_count"]
        )

    @property
    def completion_loc_acceptance_rate(self) -> float | None:
        return acceptance_rate(self.completion["loc_added_sum"], self.completion["loc_suggested_to_add_sum"])

    @property
    def acceptance_rate(self) -> float | None:
        return acceptance_rate(
            self.activity["code_acceptance_activity_count"], self.activity["code_generation_activity_count"]
        )

    @property
    def loc_acceptance_rate(self) -> float | None:
        return acceptance_rate(self.activity["loc_added_sum"], self.activity["loc_suggested_to_add_sum"])


def comparable(now: OrgTotals, before: OrgTotals) -> bool:
    """Whether ``before`` (the previous period's totals) is a basis for changes: it holds at least as many days
    with data as ``now`` (a partly loaded earlier period would make every change look like growth)."""
    return before.days_with_data >= now.days_with_data > 0


def org_totals(days: Iterable[DayTotals], period: Period) -> OrgTotals:
    """Sum an organization's day records over ``period`` (see :class:`OrgTotals`)."""
    activity = zero_activity()
    completion = zero_activity()
    prs: dict[str, int] = {}
    cli: dict[str, int] = {}
    latest: DayTotals | None = None
    seen: set[date] = set()
    dau_sum = 0
    dau_days = 0
    for record in days:
        if record.day not in period:
            continue
        seen.add(record.day)
        add_activity(activity, record.activity)
        for entry in record.breakdowns.by_feature:
            if entry.feature == CODE_COMPLETION:
                add_activity(completion, entry.activity)
        if record.pull_requests is not None:
            for name in PULL_REQUEST_COUNT_FIELDS:
                value = record.pull_requests.get(name)
                if value is not None:
                    prs[name] = prs.get(name, 0) + int(value)
        if record.cli is not None:
            _add_cli(cli, record.cli)
        dau = record.active("daily_active_users")
        if dau is not None:
            dau_sum += dau
            dau_days += 1
        if latest is None or record.day > latest.day:
            latest = record
    return OrgTotals(
        period=period,
        days_with_data=len(seen),
        latest_day=latest.day if latest else None,
        latest=dict(latest.active_users) if latest else {},
        activity=activity,
        completion=completion,
        pull_requests=prs,
        cli=cli,
        average_daily_active_users=ratio(dau_sum, dau_days),
    )


def _add_cli(sums: dict[str, int], cli: CliTotals) -> None:
    for name, value in cli_values(cli).items():
        sums[name] = sums.get(name, 0) + value


# ---------------------------------------------------------------------------------------------------------- users


@dataclass(slots=True)
class UserSummary:
    """One user over a period, from their user-day rows.

    ``days_active`` counts the days on which the users report has a row for the user: GitHub writes a row only for
    a day with Copilot activity. ``used_agent`` / ``used_chat`` / ``used_cli`` are true if true on any day.
    ``top_*`` is the name with the most activity (generations plus interactions; languages: generations).
    """

    user_id: int
    user_login: str
    days_active: int = 0
    last_active_day: date | None = None
    activity: dict[str, int] = field(default_factory=zero_activity)
    ai_credits_used: float = 0.0
    flags: dict[str, bool] = field(default_factory=dict)
    cli: dict[str, int] = field(default_factory=dict)
    features: Counter[str] = field(default_factory=Counter)
    ides: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    models: Counter[str] = field(default_factory=Counter)
    ide_versions: dict[str, VersionSample] = field(default_factory=dict)
    cli_version: VersionSample | None = None
    plugin_versions: dict[str, VersionSample] = field(default_factory=dict)
    """Per IDE, the Copilot plugin's last-known version (``plugin``: the plugin's name, often empty)."""

    def flag(self, name: str) -> bool:
        return self.flags.get(name, False)

    @property
    def used_agent(self) -> bool:
        return self.flag("used_agent")

    @property
    def used_chat(self) -> bool:
        return self.flag("used_chat")

    @property
    def used_cli(self) -> bool:
        return self.flag("used_cli")

    @property
    def completion_only(self) -> bool:
        """Used code completion and none of chat, agent mode or the CLI over the period."""
        flags = self.flags
        used_more = flags.get("used_chat") or flags.get("used_agent") or flags.get("used_cli")
        return not used_more and CODE_COMPLETION in self.features

    @property
    def interactions(self) -> int:
        return self.activity["user_initiated_interaction_count"]

    @property
    def generations(self) -> int:
        return self.activity["code_generation_activity_count"]

    @property
    def acceptances(self) -> int:
        return self.activity["code_acceptance_activity_count"]

    @property
    def loc_added(self) -> int:
        return self.activity["loc_added_sum"]

    @property
    def acceptance_rate(self) -> float | None:
        return acceptance_rate(self.acceptances, self.generations)

    @property
    def top_ide(self) -> str | None:
        return _top(self.ides)

    @property
    def top_language(self) -> str | None:
        return _top(self.languages)

    @property
    def top_model(self) -> str | None:
        return _top(self.models)

    @property
    def top_feature(self) -> str | None:
        return _top(self.features)

    @property
    def ide_version_text(self) -> str | None:
        """``vscode 1.104.2; jetbrains 2025.2``: each IDE's last-known version, the most used IDE first."""
        return _versions_text(self.ide_versions, self.ides)

    @property
    def plugin_version_text(self) -> str | None:
        """``vscode 0.31.5; jetbrains 1.5.2``: each IDE's Copilot plugin version, the most used IDE first."""
        return _versions_text(self.plugin_versions, self.ides)


def _versions_text(versions: dict[str, VersionSample], weights: Counter[str]) -> str | None:
    known = [(ide, v.version) for ide, v in versions.items() if v.version]
    if not known:
        return None
    known.sort(key=lambda iv: (-weights.get(iv[0], 0), iv[0]))
    return "; ".join(f"{ide} {version}" for ide, version in known)


def _top(counter: Counter[str]) -> str | None:
    """The name with the largest count; ties go to the name first in alphabetical order, so output is stable."""
    if not counter:
        return None
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _weight(activity: Activity) -> int:
    return activity.get("code_generation_activity_count") + activity.get("user_initiated_interaction_count")


def add_user_day(summary: UserSummary, row: UserDay) -> None:
    """Fold one user-day row into a summary (rows of the same user, any order)."""
    summary.days_active += 1
    if summary.last_active_day is None or row.day > summary.last_active_day:
        summary.last_active_day = row.day
        summary.user_login = row.user_login
    add_activity(summary.activity, row.activity)
    if row.ai_credits_used:
        summary.ai_credits_used = add_credits(summary.ai_credits_used, row.ai_credits_used)
    for name, value in row.flags.items():
        if value:
            summary.flags[name] = True
        else:
            summary.flags.setdefault(name, False)
    if row.cli is not None:
        _add_cli(summary.cli, row.cli)
        version = row.cli.last_known_cli_version
        if version is not None and (summary.cli_version is None or _newer(version, summary.cli_version)):
            summary.cli_version = version
    breakdowns = row.breakdowns
    for feature in breakdowns.by_feature:
        summary.features[feature.feature] += _weight(feature.activity) or 0
    for ide in breakdowns.by_ide:
        summary.ides[ide.ide] += _weight(ide.activity) or 0
        version = ide.last_known_ide_version
        if version is not None:
            held = summary.ide_versions.get(ide.ide)
            if held is None or _newer(version, held):
                summary.ide_versions[ide.ide] = version
        plugin = ide.last_known_plugin_version
        if plugin is not None:
            held = summary.plugin_versions.get(ide.ide)
            if held is None or _newer(plugin, held):
                summary.plugin_versions[ide.ide] = VersionSample(
                    plugin.version, plugin.sampled_at, plugin.plugin or None
                )
    for lang in breakdowns.by_language_feature:
        summary.languages[lang.language] += lang.activity.get("code_generation_activity_count")
    for model in breakdowns.by_model_feature:
        summary.models[model.model] += _weight(model.activity)


def _newer(a: VersionSample, b: VersionSample) -> bool:
    return (a.sampled_at or "") >= (b.sampled_at or "")


def summarize_users(rows: Iterable[UserDay], period: Period | None = None) -> list[UserSummary]:
    """One :class:`UserSummary` per user with at least one row in ``period`` (all rows when ``period`` is None).

    A user-day that appears twice (the same day from two overlapping reports) counts once: the first row read wins,
    as everywhere (:mod:`copilot_tui.metrics.linerule`).
    """
    latest: dict[tuple[int, date], UserDay] = {}
    for row in rows:
        if period is None or row.day in period:
            latest.setdefault((row.user_id, row.day), row)
    summaries: dict[int, UserSummary] = {}
    for (user_id, _day), row in latest.items():
        summary = summaries.get(user_id)
        if summary is None:
            summary = summaries[user_id] = UserSummary(user_id, row.user_login)
        add_user_day(summary, row)
    return sorted(summaries.values(), key=lambda s: s.user_login.lower())


#: Flags that say a user used cloud agent: GitHub renamed the first to the second; a line may carry either.
CLOUD_AGENT_FLAGS: tuple[str, ...] = ("used_copilot_coding_agent", "used_copilot_cloud_agent")
#: The flag of a user who asked Copilot code review for a review (passive: Copilot reviewed their pull request).
CODE_REVIEW_FLAG = "used_copilot_code_review_active"


@dataclass(frozen=True, slots=True)
class PeriodUsers:
    """Distinct users of the users report over a whole period: a user active on several days counts once.

    The API's own user counts are windows of 1, 7 or 28 days ending on the latest day; these follow the period
    chosen.
    """

    active: int
    agent: int
    chat: int
    cli: int
    code_review: int
    cloud_agent: int
    ai_credits: float = 0.0
    """AI credits the users spent over the period (``ai_credits_used`` summed)."""
    completion_only: int = 0
    """Users of code completion and none of chat, agent mode or the CLI (:attr:`UserSummary.completion_only`)."""


def user_column(users: Sequence[UserSummary], key: str) -> Sequence[Any]:
    """One field of every user (``user_id``, ``user_login``, ...), in order: users held as columns
    (``metrics.user_columns.ColumnUsers``) give theirs, no summary made."""
    column = getattr(users, "column", None)
    return column(key) if column is not None else [getattr(u, key) for u in users]  # type: ignore[no-any-return]


def period_users(users: Sequence[UserSummary]) -> PeriodUsers:
    """The :class:`PeriodUsers` of a period's summaries (a users aggregate's, or :func:`summarize_users`'); users
    held as columns (``metrics.user_columns.ColumnUsers``) are counted from their columns, no summary made."""
    column = getattr(users, "column", None)
    if column is not None:
        credits_of, only_of = column("ai_credits_used"), users.completion_only()  # type: ignore[attr-defined]
        flags = {name: column(name) for name in _COUNTED_FLAGS}
    else:
        credits_of, only_of = [u.ai_credits_used for u in users], [u.completion_only for u in users]
        flags = {name: [u.flags.get(name) for u in users] for name in _COUNTED_FLAGS}
    credits = 0.0
    for user_credits in credits_of:
        credits += user_credits

    def count(name: str) -> int:
        return sum(1 for value in flags[name] if value)

    cloud = sum(1 for values in zip(*(flags[name] for name in CLOUD_AGENT_FLAGS), strict=True) if any(values))
    return PeriodUsers(
        len(users),
        count("used_agent"),
        count("used_chat"),
        count("used_cli"),
        count(CODE_REVIEW_FLAG),
        cloud,
        credits,
        sum(1 for value in only_of if value),
    )


#: The flags :func:`period_users` counts users by.
_COUNTED_FLAGS = ("used_agent", "used_chat", "used_cli", CODE_REVIEW_FLAG, *CLOUD_AGENT_FLAGS)


def user_days(rows: Iterable[UserDay], user_id: int, period: Period | None = None) -> list[UserDay]:
    """One user's rows, by day (for the drill-down)."""
    picked: dict[date, UserDay] = {}
    for r in rows:
        if r.user_id == user_id and (period is None or r.day in period):
            picked.setdefault(r.day, r)
    return [picked[d] for d in sorted(picked)]


# ---------------------------------------------------------------------------------------------------------- series


@dataclass(frozen=True, slots=True)
class FeatureSeries:
    """One feature's daily figures over a period, from the users' ``totals_by_feature`` (for sparklines).

    ``users[i]`` is how many users had the feature in their breakdown on day ``i``.
    """

    feature: str
    days: tuple[date, ...]
    interactions: tuple[int, ...]
    generations: tuple[int, ...]
    acceptances: tuple[int, ...]
    loc_added: tuple[int, ...]
    users: tuple[int, ...]

    @property
    def total_users(self) -> int:
        """Users active with this feature on the last day."""
        return self.users[-1] if self.users else 0

    def activity(self) -> tuple[int, ...]:
        """Interactions plus generations per day: the one activity figure shown beside each feature."""
        return tuple(i + g for i, g in zip(self.interactions, self.generations, strict=True))


SeriesMetric = Literal["users", "activity", "interactions", "generations", "acceptances", "loc_added"]


def feature_series(rows: Iterable[UserDay], period: Period) -> list[FeatureSeries]:
    """Per-feature daily series over ``period``, every feature the data names (known or not), busiest first."""
    index = {day: i for i, day in enumerate(period.each_day())}
    n = len(index)
    acc: dict[str, list[list[int]]] = defaultdict(lambda: [[0] * n for _ in range(5)])
    seen: set[tuple[int, date]] = set()
    rows_in_period: list[UserDay] = []
    for row in rows:
        i = index.get(row.day)
        if i is None or (row.user_id, row.day) in seen:
            continue
        seen.add((row.user_id, row.day))
        rows_in_period.append(row)
        for entry in row.breakdowns.by_feature:
            slots = acc[entry.feature]
            a = entry.activity
            slots[0][i] += a.get("user_initiated_interaction_count")
            slots[1][i] += a.get("code_generation_activity_count")
            slots[2][i] += a.get("code_acceptance_activity_count")
            slots[3][i] += a.get("loc_added_sum")
            slots[4][i] += 1
    days = tuple(index)
    series = [
        FeatureSeries(name, days, *(tuple(s) for s in slots))  # type: ignore[arg-type]
        for name, slots in acc.items()
    ]
    series.extend(_flag_series(rows_in_period, index, days))
    series.sort(key=lambda s: (-sum(s.users), s.feature))
    return series


#: Activity GitHub reports as a per-user flag rather than a ``totals_by_feature`` entry, shown as series too.
FLAG_SERIES: tuple[tuple[str, str], ...] = (
    ("copilot_cli", "used_cli"),
    ("code_review", "used_copilot_code_review_active"),
    ("cloud_agent", "used_copilot_cloud_agent"),
)


def _flag_series(rows: list[UserDay], index: dict[date, int], days: tuple[date, ...]) -> list[FeatureSeries]:
    """Daily users with a ``used_*`` flag set (for the CLI also its requests as activity), for flags the rows carry."""
    n = len(days)
    result = []
    for name, flag in FLAG_SERIES:
        users = [0] * n
        requests = [0] * n
        carried = False
        for row in rows:
            value = row.flag(flag)
            if value is None:
                continue
            carried = True
            if value:
                i = index[row.day]
                users[i] += 1
                if flag == "used_cli" and row.cli is not None and row.cli.request_count:
                    requests[i] += row.cli.request_count
        if carried:
            zeros = (0,) * n
            result.append(FeatureSeries(name, days, tuple(requests), zeros, zeros, zeros, tuple(users)))
    return result


# ---------------------------------------------------------------------------------------------------------- breakdowns

BreakdownBy = Literal["ide", "language", "model", "feature"]


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    """Activity of one IDE, language, model or feature over a period, and how many distinct users it had."""

    name: str
    users: int
    activity: Mapping[str, int]

    @property
    def acceptance_rate(self) -> float | None:
        return acceptance_rate(
            self.activity["code_acceptance_activity_count"], self.activity["code_generation_activity_count"]
        )


def breakdown(rows: Iterable[UserDay], period: Period | None, by: BreakdownBy) -> list[BreakdownRow]:
    """Sum the users' breakdown entries by IDE (``totals_by_ide``), language (``totals_by_language_feature``),
    model (``totals_by_model_feature``) or feature (``totals_by_feature``), busiest first.

    Language entries carry no interaction count, so a language's interactions stay 0.
    """
    sums: dict[str, dict[str, int]] = defaultdict(zero_activity)
    users: dict[str, set[int]] = defaultdict(set)
    seen: set[tuple[int, date]] = set()
    for row in rows:
        if (period is not None and row.day not in period) or (row.user_id, row.day) in seen:
            continue
        seen.add((row.user_id, row.day))
        entries: Sequence[tuple[str, Activity]]
        b = row.breakdowns
        if by == "ide":
            entries = [(e.ide, e.activity) for e in b.by_ide]
        elif by == "language":
            entries = [(e.language, e.activity) for e in b.by_language_feature]
        elif by == "model":
            entries = [(e.model, e.activity) for e in b.by_model_feature]
        else:
            entries = [(e.feature, e.activity) for e in b.by_feature]
        for name, activity in entries:
            add_activity(sums[name], activity)
            users[name].add(row.user_id)
    result = [BreakdownRow(name, len(users[name]), sums[name]) for name in sums]
    result.sort(key=lambda r: (-_total(r.activity), r.name))
    return result


def _total(activity: Mapping[str, int]) -> int:
    return activity["code_generation_activity_count"] + activity["user_initiated_interaction_count"]


__all__ = [
    "ACTIVE_USER_FIELDS",
    "USER_FLAG_FIELDS",
    "BreakdownRow",
    "FeatureSeries",
    "OrgTotals",
    "Period",
    "PeriodUsers",
    "UserSummary",
    "acceptance_rate",
    "breakdown",
    "change",
    "comparable",
    "format_change",
    "format_rate",
    "feature_series",
    "org_totals",
    "period_users",
    "summarize_users",
    "user_days",
]
