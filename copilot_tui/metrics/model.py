"""The Copilot usage metrics report lines, as typed records.

Source: docs.github.com, Copilot > Reference > Copilot usage metrics ("Example schema" and "Data available in
Copilot usage metrics"), and the line shapes captured from the live API (version 2026-03-10) in
``tests/data/reference/report-line-shapes.json``.

Three rules shape every record here:
- a field the line does not carry is ``None`` (absent), never 0: "no CLI use reported" and "0 CLI sessions" differ;
- names GitHub may add to (features, IDEs, languages, models, comment types, phases) are plain strings, so a new
  one shows up instead of vanishing;
- keys we do not know yet are kept in ``extra`` (the bookkeeping keys ``etl_id``, ``day_partition`` and
  ``entity_id_partition`` are dropped quietly: they carry no metric).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

EMPTY: Mapping[str, Any] = MappingProxyType({})


def _empty() -> Mapping[str, Any]:
    return EMPTY


#: The seven additive activity counters every level and breakdown carries (language breakdowns lack interactions).
ACTIVITY_FIELDS: tuple[str, ...] = (
    "user_initiated_interaction_count",
    "code_generation_activity_count",
    "code_acceptance_activity_count",
    "loc_suggested_to_add_sum",
    "loc_suggested_to_delete_sum",
    "loc_added_sum",
    "loc_deleted_sum",
)

#: Active-user counts of an organization or enterprise day record.
ACTIVE_USER_FIELDS: tuple[str, ...] = (
    "daily_active_users",
    "weekly_active_users",
    "monthly_active_users",
    "monthly_active_chat_users",
    "monthly_active_agent_users",
    "daily_active_cli_users",
    "daily_active_copilot_cloud_agent_users",
    "weekly_active_copilot_cloud_agent_users",
    "monthly_active_copilot_cloud_agent_users",
    "daily_active_copilot_code_review_users",
    "weekly_active_copilot_code_review_users",
    "monthly_active_copilot_code_review_users",
    "daily_passive_copilot_code_review_users",
    "weekly_passive_copilot_code_review_users",
    "monthly_passive_copilot_code_review_users",
)

#: Per-user daily flags.
USER_FLAG_FIELDS: tuple[str, ...] = (
    "used_agent",
    "used_chat",
    "used_cli",
    "used_copilot_coding_agent",
    "used_copilot_cloud_agent",
    "used_copilot_code_review_active",
    "used_copilot_code_review_passive",
)

#: Scalar fields of ``pull_requests`` (counts and medians).
PULL_REQUEST_FIELDS: tuple[str, ...] = (
    "total_reviewed",
    "total_created",
    "total_created_by_copilot",
    "total_reviewed_by_copilot",
    "total_merged",
    "median_minutes_to_merge",
    "total_suggestions",
    "total_applied_suggestions",
    "total_merged_created_by_copilot",
    "median_minutes_to_merge_copilot_authored",
    "median_minutes_to_merge_copilot_reviewed",
    "total_copilot_suggestions",
    "total_copilot_applied_suggestions",
    "total_merged_reviewed_by_copilot",
)

ADOPTION_PHASE_FIELDS: tuple[str, ...] = (
    "phase_number",
    "total_engaged_users",
    "avg_user_initiated_interactions",
    "avg_code_generation_activities",
    "avg_code_acceptance_activities",
    "avg_loc_added",
    "avg_loc_deleted",
    "avg_pull_requests_reviewed",
    "avg_pull_requests_created",
    "avg_pull_requests_merged",
    "avg_pull_requests_median_minutes_to_merge",
)

#: Keys real report files carry for GitHub's own bookkeeping; ignored without a word.
BOOKKEEPING_FIELDS: frozenset[str] = frozenset({"etl_id", "day_partition", "entity_id_partition"})


@dataclass(frozen=True, slots=True)
class Activity:
    """The additive counters of one record or breakdown entry; ``None`` where the line omits the field."""

    user_initiated_interaction_count: int | None = None
    code_generation_activity_count: int | None = None
    code_acceptance_activity_count: int | None = None
    loc_suggested_to_add_sum: int | None = None
    loc_suggested_to_delete_sum: int | None = None
    loc_added_sum: int | None = None
    loc_deleted_sum: int | None = None

    def get(self, name: str) -> int:
        """The counter as a number for sums: an absent counter adds nothing."""
        value = getattr(self, name)
        return 0 if value is None else value


@dataclass(frozen=True, slots=True)
class VersionSample:
    """A last-known version and when GitHub saw it (``last_known_ide_version`` / ``last_known_cli_version``)."""

    version: str
    sampled_at: str | None
    plugin: str | None = None


@dataclass(frozen=True, slots=True)
class FeatureTotals:
    feature: str
    activity: Activity
    extra: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class IdeTotals:
    ide: str
    activity: Activity
    last_known_ide_version: VersionSample | None = None
    last_known_plugin_version: VersionSample | None = None
    extra: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class LanguageFeatureTotals:
    language: str
    feature: str
    activity: Activity
    extra: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class LanguageModelTotals:
    language: str
    model: str
    activity: Activity
    extra: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class ModelFeatureTotals:
    model: str
    feature: str
    activity: Activity
    extra: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class TokenUsage:
    output_tokens_sum: int | None = None
    prompt_tokens_sum: int | None = None
    avg_tokens_per_request: float | None = None
    extra: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class CliTotals:
    """``totals_by_cli``: Copilot CLI use; absent from the line when there was none."""

    session_count: int | None = None
    request_count: int | None = None
    prompt_count: int | None = None
    token_usage: TokenUsage | None = None
    last_known_cli_version: VersionSample | None = None
    extra: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class CommentTypeSuggestions:
    comment_type: str
    total_copilot_suggestions: int | None = None
    total_copilot_applied_suggestions: int | None = None
    extra: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class PullRequests:
    """``pull_requests`` of an org/enterprise day: counts are additive over days, medians are not."""

    values: Mapping[str, int | float]
    copilot_suggestions_by_comment_type: tuple[CommentTypeSuggestions, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=_empty)

    def get(self, name: str) -> int | float | None:
        return self.values.get(name)


@dataclass(frozen=True, slots=True)
class AdoptionPhase:
    """One entry of ``totals_by_ai_adoption_phase``: how many users sit in a phase, and their averages."""

    phase: str
    values: Mapping[str, int | float]
    extra: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class Breakdowns:
    """The ``totals_by_*`` lists shared by day records and user rows."""

    by_feature: tuple[FeatureTotals, ...] = ()
    by_ide: tuple[IdeTotals, ...] = ()
    by_language_feature: tuple[LanguageFeatureTotals, ...] = ()
    by_language_model: tuple[LanguageModelTotals, ...] = ()
    by_model_feature: tuple[ModelFeatureTotals, ...] = ()


@dataclass(frozen=True, slots=True)
class DayTotals:
    """One organization or enterprise day: a line of a 1-day report, or an entry of a 28-day ``day_totals``."""

    day: date
    organization_id: str | None
    enterprise_id: str | None
    active_users: Mapping[str, int]
    activity: Activity
    breakdowns: Breakdowns
    pull_requests: PullRequests | None = None
    cli: CliTotals | None = None
    adoption_phases: tuple[AdoptionPhase, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=_empty)

    def active(self, name: str) -> int | None:
        """An active-user count by its API name; ``None`` when the record does not carry it."""
        return self.active_users.get(name)


@dataclass(frozen=True, slots=True)
class UserDay:
    """One user on one day: a line of a users-1-day or users-28-day report."""

    day: date
    user_id: int
    user_login: str
    organization_id: str | None
    enterprise_id: str | None
    activity: Activity
    breakdowns: Breakdowns
    flags: Mapping[str, bool] = field(default_factory=_empty)
    cli: CliTotals | None = None
    ai_credits_used: float | None = None
    report_start_day: date | None = None
    report_end_day: date | None = None
    extra: Mapping[str, Any] = field(default_factory=_empty)

    def flag(self, name: str) -> bool | None:
        """A ``used_*`` flag; ``None`` when the row does not say."""
        return self.flags.get(name)


@dataclass(frozen=True, slots=True)
class UserTeam:
    """One (user, team) membership on a day: a line of the user-teams report."""

    day: date
    user_id: int
    user_login: str
    team_id: int
    slug: str
    organization_id: str | None = None
    enterprise_id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class LineProblem:
    """A line the parser could not read: which file, which line (1-based) and why."""

    source: str
    line_no: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line_no}: {self.message}"


@dataclass(frozen=True, slots=True)
class OrgReport:
    """An organization or enterprise report: its day records, whatever the file shape was."""

    days: tuple[DayTotals, ...]
    report_start_day: date | None = None
    report_end_day: date | None = None
    created_at: str | None = None
    problems: tuple[LineProblem, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class UsersReport:
    rows: tuple[UserDay, ...]
    problems: tuple[LineProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class UserTeamsReport:
    rows: tuple[UserTeam, ...]
    problems: tuple[LineProblem, ...] = ()
