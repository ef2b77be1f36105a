"""One catalog of what the app shows: label, API field, format and a one-sentence meaning for each metric.

The panes, the help screen, the README and the export all read this, so a number is named and explained the same
way everywhere. Meanings paraphrase GitHub's "Data available in Copilot usage metrics" (docs.github.com).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Format = Literal["count", "percent", "float", "day", "flag", "text"]


@dataclass(frozen=True, slots=True)
class Metric:
    key: str
    label: str
    field: str
    format: Format
    meaning: str


_PERIOD_USERS = "over the selected period (each user counted once however many days they were active)"

METRICS: tuple[Metric, ...] = (
    Metric(
        "active_users",
        "Active users",
        "users report: distinct user_id",
        "count",
        f"Distinct users with any Copilot activity in the users report {_PERIOD_USERS}.",
    ),
    Metric(
        "average_daily_users",
        "Average daily active users",
        "daily_active_users (average)",
        "float",
        "GitHub's daily active users averaged over the days of the selected period that have data.",
    ),
    Metric(
        "period_agent_users",
        "Agent users",
        "users report: used_agent",
        "count",
        f"Distinct users who used agent mode (or agent edits) {_PERIOD_USERS}.",
    ),
    Metric(
        "period_chat_users",
        "Chat users",
        "users report: used_chat",
        "count",
        f"Distinct users who used Copilot Chat in any mode {_PERIOD_USERS}.",
    ),
    Metric(
        "period_cli_users",
        "CLI users",
        "users report: used_cli",
        "count",
        f"Distinct users who used Copilot CLI {_PERIOD_USERS}.",
    ),
    Metric(
        "period_review_users",
        "Code review users",
        "users report: used_copilot_code_review_active",
        "count",
        f"Distinct users who asked Copilot code review for a review {_PERIOD_USERS}.",
    ),
    Metric(
        "period_cloud_agent_users",
        "Cloud agent users",
        "users report: used_copilot_cloud_agent",
        "count",
        f"Distinct users who had the Copilot cloud agent work for them {_PERIOD_USERS}.",
    ),
    Metric(
        "completion_only_users",
        "Completion-only users",
        "users report: code_completion, no used_chat/used_agent/used_cli",
        "count",
        f"Distinct users who used code completion and none of chat, agent mode or Copilot CLI {_PERIOD_USERS}.",
    ),
    Metric(
        "new_users",
        "New users",
        "users report: first day held",
        "count",
        "Active users of the selected period with no activity on any day held before it (first seen in the period).",
    ),
    Metric(
        "returning_users",
        "Returning users",
        "users report: day",
        "count",
        "Active users of the selected period who were active before the previous period but not in it.",
    ),
    Metric(
        "retained_users",
        "Retained users",
        "users report: day",
        "count",
        "Active users of the selected period who were also active in the previous period of equal length.",
    ),
    Metric(
        "lapsed_users",
        "Lapsed users",
        "users report: day",
        "count",
        "Users active in the previous period of equal length and not in the selected one (share: of the previous "
        "period's active users).",
    ),
    Metric(
        "seats",
        "Seats",
        "seats API: seat_breakdown.total",
        "count",
        "Copilot seats assigned in the scope now (the seats API's count), where the adoption funnel starts.",
    ),
    Metric(
        "engaged_users",
        "Engaged users",
        "users report: days active >= engaged_days",
        "count",
        "Active users of the selected period who were active on engaged_days (a setting, 4 by default) or more of "
        "its days.",
    ),
    Metric(
        "engaged_agent_users",
        "Engaged agent users",
        "users report: engaged and used_agent",
        "count",
        "Engaged users who used agent mode (or agent edits) in the selected period: the last step of the funnel.",
    ),
    Metric(
        "ai_credits",
        "AI credits",
        "ai_credits_used",
        "float",
        "AI credits the users' Copilot requests consumed (the users report's ai_credits_used), summed over the "
        "selected period; per user in the users table, per team in the teams tab, per day in a user's detail.",
    ),
    Metric(
        "dau",
        "Daily active users",
        "daily_active_users",
        "count",
        "GitHub's count of users with any Copilot activity on the latest day of the period.",
    ),
    Metric(
        "wau",
        "Weekly active users",
        "weekly_active_users",
        "count",
        "GitHub's count of users with any Copilot activity in the 7 days ending on the latest day.",
    ),
    Metric(
        "mau",
        "Monthly active users",
        "monthly_active_users",
        "count",
        "GitHub's count of users with any Copilot activity in the 28 days ending on the latest day.",
    ),
    Metric(
        "agent_users",
        "Monthly agent users",
        "monthly_active_agent_users",
        "count",
        "GitHub's count of users who used agent mode (or agent edits) in the 28 days ending on the latest day.",
    ),
    Metric(
        "chat_users",
        "Monthly chat users",
        "monthly_active_chat_users",
        "count",
        "GitHub's count of users who used Copilot Chat in any mode in the 28 days ending on the latest day.",
    ),
    Metric(
        "cli_users",
        "Daily CLI users",
        "daily_active_cli_users",
        "count",
        "GitHub's count of users who used Copilot CLI on the latest day.",
    ),
    Metric(
        "review_users",
        "Monthly code review users",
        "monthly_active_copilot_code_review_users",
        "count",
        "GitHub's count of users who asked Copilot code review for a review in the 28 days ending on the latest day.",
    ),
    Metric(
        "completion_rate",
        "Completion acceptance",
        "code_acceptance_activity_count / code_generation_activity_count",
        "percent",
        "Share of code completion suggestions shown that were accepted, over the period (n/a with none shown).",
    ),
    Metric(
        "completion_loc_rate",
        "Completion LoC acceptance",
        "loc_added_sum / loc_suggested_to_add_sum",
        "percent",
        "Lines added from accepted code completions per line suggested, over the period.",
    ),
    Metric(
        "interactions",
        "Interactions",
        "user_initiated_interaction_count",
        "count",
        "Prompts and messages users sent to Copilot (chat, agent, inline chat) over the period.",
    ),
    Metric(
        "generations",
        "Generations",
        "code_generation_activity_count",
        "count",
        "Code suggestions Copilot produced (completions, chat code blocks, agent edits) over the period.",
    ),
    Metric(
        "acceptances",
        "Acceptances",
        "code_acceptance_activity_count",
        "count",
        "Suggestions users accepted, inserted or applied over the period.",
    ),
    Metric(
        "acceptance_rate",
        "Acceptance rate",
        "code_acceptance_activity_count / code_generation_activity_count",
        "percent",
        "Acceptances per generation over all features, over the period (n/a when nothing was generated).",
    ),
    Metric(
        "loc_suggested",
        "LoC suggested",
        "loc_suggested_to_add_sum",
        "count",
        "Lines of code Copilot suggested adding over the period.",
    ),
    Metric(
        "loc_added",
        "LoC added",
        "loc_added_sum",
        "count",
        "Lines of code added from accepted Copilot suggestions over the period.",
    ),
    Metric(
        "loc_deleted",
        "LoC deleted",
        "loc_deleted_sum",
        "count",
        "Lines of code deleted through accepted Copilot edits over the period.",
    ),
    Metric(
        "cli_requests",
        "CLI requests",
        "totals_by_cli.request_count",
        "count",
        "Requests Copilot CLI made to the model over the period.",
    ),
    Metric(
        "cli_sessions",
        "CLI sessions",
        "totals_by_cli.session_count",
        "count",
        "Copilot CLI sessions started over the period.",
    ),
    Metric(
        "cli_prompts",
        "CLI prompts",
        "totals_by_cli.prompt_count",
        "count",
        "Prompts users gave Copilot CLI over the period.",
    ),
    Metric(
        "cli_prompt_tokens",
        "CLI prompt tokens",
        "totals_by_cli.token_usage.prompt_tokens_sum",
        "count",
        "Tokens Copilot CLI sent to the model (prompts and context) over the period.",
    ),
    Metric(
        "cli_output_tokens",
        "CLI output tokens",
        "totals_by_cli.token_usage.output_tokens_sum",
        "count",
        "Tokens the model answered Copilot CLI with over the period.",
    ),
    Metric(
        "prs_created",
        "PRs created",
        "pull_requests.total_created",
        "count",
        "Pull requests created over the period (where the report carries pull-request figures).",
    ),
    Metric(
        "prs_by_copilot",
        "PRs by Copilot",
        "pull_requests.total_created_by_copilot",
        "count",
        "Pull requests created by the Copilot cloud agent over the period.",
    ),
    Metric(
        "prs_reviewed_by_copilot",
        "PRs reviewed by Copilot",
        "pull_requests.total_reviewed_by_copilot",
        "count",
        "Pull requests Copilot code review reviewed over the period.",
    ),
    Metric(
        "days_active",
        "Days active",
        "day",
        "count",
        "Days in the period on which the users report has a row for the user (a row means Copilot activity).",
    ),
    Metric(
        "last_active_day",
        "Last active",
        "day",
        "day",
        "The latest day in the period on which the user used Copilot.",
    ),
)

BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}

#: Display names of the feature values GitHub documents; anything else is shown by a readable form of its name.
FEATURE_LABELS: dict[str, str] = {
    "code_completion": "Code completion",
    "chat_panel_ask_mode": "Chat: ask",
    "chat_panel_agent_mode": "Chat: agent",
    "chat_panel_edit_mode": "Chat: edit",
    "chat_panel_plan_mode": "Chat: plan",
    "chat_panel_custom_mode": "Chat: custom",
    "chat_panel_unknown_mode": "Chat: other",
    "chat_inline": "Inline chat",
    "agent_edit": "Agent edits",
    "copilot_cli": "Copilot CLI",
    "code_review": "Code review",
    "cloud_agent": "Cloud agent",
}


def feature_label(name: str) -> str:
    """A feature's display name; an unknown one (new in GitHub's data) keeps its own name, made readable."""
    return FEATURE_LABELS.get(name) or name.replace("_", " ").strip().capitalize() or "(unnamed)"


def metric(key: str) -> Metric:
    return BY_KEY[key]
