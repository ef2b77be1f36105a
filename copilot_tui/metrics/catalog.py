"""One catalog of what the app shows: label, API field, format and a one-sentence meaning for each metric.

The panes, the help screen, the README and the export all read this, so a number is named and explained the same
way everywhere. Meanings paraphrase GitHub's "Data available in Copilot usage metrics" (docs.github.com).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Format = Literal["count", "percent", "float", "day", "flag", "text"]

Window = Literal["period", "day", "7 days", "28 days", "now"]
"""What a number covers: the selected period, one of GitHub's windows ending on the latest day with data, or the
seats API's answer of now."""

WINDOW_WORDS: dict[Window, str] = {
    "period": "the selected period",
    "day": "the latest day with data",
    "7 days": "the 7 days ending on the latest day",
    "28 days": "the 28 days ending on the latest day",
    "now": "now (the seats API)",
}


@dataclass(frozen=True, slots=True)
class Metric:
    key: str
    label: str
    field: str
    format: Format
    meaning: str
    window: Window = "period"


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
        "day",
    ),
    Metric(
        "wau",
        "Weekly active users",
        "weekly_active_users",
        "count",
        "GitHub's count of users with any Copilot activity in the 7 days ending on the latest day.",
        "7 days",
    ),
    Metric(
        "mau",
        "Monthly active users",
        "monthly_active_users",
        "count",
        "GitHub's count of users with any Copilot activity in the 28 days ending on the latest day.",
        "28 days",
    ),
    Metric(
        "agent_users",
        "Monthly agent users",
        "monthly_active_agent_users",
        "count",
        "GitHub's count of users who used agent mode (or agent edits) in the 28 days ending on the latest day.",
        "28 days",
    ),
    Metric(
        "chat_users",
        "Monthly chat users",
        "monthly_active_chat_users",
        "count",
        "GitHub's count of users who used Copilot Chat in any mode in the 28 days ending on the latest day.",
        "28 days",
    ),
    Metric(
        "cli_users",
        "Daily CLI users",
        "daily_active_cli_users",
        "count",
        "GitHub's count of users who used Copilot CLI on the latest day.",
        "day",
    ),
    Metric(
        "review_users",
        "Monthly code review users",
        "monthly_active_copilot_code_review_users",
        "count",
        "GitHub's count of users who asked Copilot code review for a review in the 28 days ending on the latest day.",
        "28 days",
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
        "org_active_users",
        "Org active users",
        "users report: distinct user_id, by the seat's organization",
        "count",
        "In an enterprise, the distinct active users of the period whose Copilot seat that organization assigned "
        "(the seats API names each seat's org); the Orgs tab, the users export's organization and export --what orgs.",
    ),
    Metric(
        "org_engaged_share",
        "Engaged share",
        "users report: days active >= 4",
        "percent",
        "Of an org's active users, those active on 4 days or more of the selected period (about weekly over 28 days).",
    ),
    Metric(
        "org_agent_share",
        "Agent share",
        "users report: used_agent",
        "percent",
        "Of an org's active users, those who used agent mode (or agent edits) in the selected period.",
    ),
    Metric(
        "org_idle_seats",
        "Idle seats",
        "seats: last_activity_at",
        "count",
        "An org's seats unused for the seats tab's number of days (30 by default), never-used seats included.",
        "now",
    ),
    Metric(
        "version_users",
        "Users on a version",
        "totals_by_ide[].last_known_ide_version / last_known_plugin_version",
        "count",
        "Users whose last-known IDE version (or Copilot plugin version) for that IDE in the selected period it is: "
        "each user counted once per IDE, at the latest version GitHub sampled; the Versions tab and export.",
    ),
    Metric(
        "releases_behind",
        "Releases behind",
        "last_known_ide_version.ide_version / last_known_plugin_version.plugin_version",
        "count",
        "How many newer versions of the same IDE (or plugin) the period's users run: 0 is the newest seen, marked "
        "★ newest (versions compare by their numbers, 1.10 above 1.9).",
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

_IN_TEAM = "on their days in the team (a user in several teams counts in each)"

COLUMN_METRICS: tuple[Metric, ...] = (
    Metric("user_login", "Login", "user_login", "text", "The user's GitHub login; Enter opens their days."),
    Metric(
        "user_org",
        "Organization",
        "seats API: organization.login",
        "text",
        "In an enterprise, the org that assigned the user's seat; empty when the seats cannot be had or the user "
        "holds no seat there.",
        "now",
    ),
    Metric(
        "used_agent",
        "Used agent",
        "users report: used_agent",
        "flag",
        "✓ when the user used agent mode (or agent edits) on any day of the period.",
    ),
    Metric(
        "used_chat",
        "Used chat",
        "users report: used_chat",
        "flag",
        "✓ when the user used Copilot Chat in any mode on any day of the period.",
    ),
    Metric(
        "used_cli",
        "Used CLI",
        "users report: used_cli",
        "flag",
        "✓ when the user used Copilot CLI on any day of the period.",
    ),
    Metric(
        "top_ide",
        "Top IDE",
        "totals_by_ide",
        "text",
        "The IDE with the most of the user's interactions and generations over the period.",
    ),
    Metric(
        "top_language",
        "Top language",
        "totals_by_language_feature",
        "text",
        "The language with the most of the user's generations over the period.",
    ),
    Metric(
        "team_slug",
        "Team",
        "user-teams report: team slug",
        "text",
        "The team's name (slug), in an enterprise after its org (org/slug: the org that assigned most of its members' "
        "seats); (no team): users active on a day with team data but in no team that day.",
    ),
    Metric(
        "team_members",
        "Members",
        "user-teams report: members",
        "count",
        "Users listed in the team on the period's latest day with team data.",
    ),
    Metric(
        "team_active_users",
        "Active members",
        "users report joined with the user-teams report",
        "count",
        "Members with Copilot activity on a day they were in the team, over the period.",
    ),
    Metric(
        "team_active_share",
        "Active share",
        "active members / members",
        "percent",
        "Active members per member over the period (n/a for the (no team) row, whose members nobody lists).",
    ),
    Metric(
        "team_user_days",
        "User-days",
        "users report: rows of the team's members",
        "count",
        "Days with activity, summed over the team's active members, over the period.",
    ),
    Metric(
        "team_interactions",
        "Team interactions",
        "user_initiated_interaction_count",
        "count",
        f"Prompts and messages the members sent to Copilot {_IN_TEAM}.",
    ),
    Metric(
        "team_generations",
        "Team generations",
        "code_generation_activity_count",
        "count",
        f"Code suggestions Copilot produced for the members {_IN_TEAM}.",
    ),
    Metric(
        "team_acceptances",
        "Team acceptances",
        "code_acceptance_activity_count",
        "count",
        f"Suggestions the members accepted, inserted or applied {_IN_TEAM}.",
    ),
    Metric(
        "team_acceptance_rate",
        "Team acceptance rate",
        "code_acceptance_activity_count / code_generation_activity_count",
        "percent",
        f"Acceptances per generation over every feature, {_IN_TEAM}.",
    ),
    Metric(
        "team_loc_added",
        "Team LoC added",
        "loc_added_sum",
        "count",
        f"Lines of code the members added from accepted Copilot suggestions {_IN_TEAM}.",
    ),
    Metric(
        "team_agent_users",
        "Team agent users",
        "used_agent",
        "count",
        "Members who used agent mode (or agent edits) on a day in the team, over the period.",
    ),
    Metric(
        "team_chat_users",
        "Team chat users",
        "used_chat",
        "count",
        "Members who used Copilot Chat on a day in the team, over the period.",
    ),
    Metric(
        "team_cli_users",
        "Team CLI users",
        "used_cli",
        "count",
        "Members who used Copilot CLI on a day in the team, over the period.",
    ),
    Metric(
        "team_ai_credits",
        "Team AI credits",
        "ai_credits_used",
        "float",
        f"AI credits the members spent {_IN_TEAM}.",
    ),
    Metric(
        "seat_login", "Seat holder", "seats API: assignee.login", "text", "The login the seat is assigned to.", "now"
    ),
    Metric(
        "seat_idle_days",
        "Idle days",
        "seats API: last_activity_at",
        "count",
        "Days since the seat's last Copilot activity; never when the seat was never used.",
        "now",
    ),
    Metric(
        "seat_last_active",
        "Seat last active",
        "seats API: last_activity_at",
        "day",
        "The day of the seat's last Copilot activity as the seats API says it; never when never used.",
        "now",
    ),
    Metric(
        "seat_in_reports",
        "In reports",
        "users report: user_login",
        "flag",
        "✓ when the seat holder has a row in the usage reports of the selected period.",
    ),
    Metric("seat_plan", "Plan", "seats API: plan_type", "text", "The seat's plan: business or enterprise.", "now"),
    Metric(
        "seat_editor",
        "Editor",
        "seats API: last_activity_editor",
        "text",
        "The editor and its version the seat was last used from.",
        "now",
    ),
    Metric(
        "seat_org",
        "Seat organization",
        "seats API: organization.login",
        "text",
        "The organization that assigned the seat (an enterprise's seats span its orgs).",
        "now",
    ),
    Metric(
        "seat_cancels",
        "Cancels",
        "seats API: pending_cancellation_date",
        "day",
        "The day the seat is set to be cancelled, if it is.",
        "now",
    ),
    Metric(
        "seat_cost",
        "Cost of idle seats",
        "seat_price_business, seat_price_enterprise (config)",
        "float",
        "The listed seats' monthly price by plan (default: GitHub's list prices, $19 and $39); never-used seats "
        "count as the idlest.",
        "now",
    ),
    Metric(
        "ide_versions",
        "IDE versions",
        "totals_by_ide[].last_known_ide_version.ide_version",
        "text",
        "Each IDE's last-known version for the user in the period, the most used IDE first.",
    ),
    Metric(
        "plugin_versions",
        "Plugin versions",
        "totals_by_ide[].last_known_plugin_version.plugin_version",
        "text",
        "Each IDE's Copilot plugin version last known for the user in the period, the most used IDE first.",
    ),
    Metric("version_ide", "IDE", "totals_by_ide[].ide", "text", "The IDE the versions are of."),
    Metric(
        "version_kind",
        "Of",
        "last_known_ide_version / last_known_plugin_version",
        "text",
        "IDE: the IDE's own version; plugin: the Copilot plugin's (extension's) version.",
    ),
    Metric(
        "version_share",
        "Version share",
        "users on the version / users of the IDE with one",
        "percent",
        "Users on the version per user of the IDE whose version of this kind is known.",
    ),
    Metric(
        "version_plugin",
        "Plugin",
        "last_known_plugin_version.plugin",
        "text",
        "The plugin's name as GitHub reports it (often empty).",
    ),
    Metric("org_name", "Org", "seats API: organization.login", "text", "An organization of the enterprise.", "now"),
    Metric(
        "org_seats", "Org seats", "seats API: organization.login", "count", "Copilot seats the org assigned.", "now"
    ),
    Metric(
        "org_ai_credits",
        "Org AI credits",
        "ai_credits_used",
        "float",
        "AI credits the org's active users spent over the selected period.",
    ),
    Metric(
        "adoption_latest",
        "Latest",
        "daily users or activity per feature",
        "count",
        "A feature's value on the period's last day: daily users, or interactions plus generations (m switches).",
    ),
    Metric(
        "adoption_trend",
        "Trend",
        "daily users or activity per feature",
        "percent",
        "The feature's total in the period's second half against its first half, in percent.",
    ),
)
"""What the tables' columns and the tabs' short labels mean: the glossary lists them with the figures."""

GLOSSARY: tuple[Metric, ...] = METRICS + COLUMN_METRICS

BY_KEY: dict[str, Metric] = {m.key: m for m in GLOSSARY}

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


def explain(key: str) -> str:
    """One line for a label on screen: the catalog's name, meaning and the days it covers."""
    m = metric(key)
    return f"{m.label}: {m.meaning} (covers {WINDOW_WORDS[m.window]})"
