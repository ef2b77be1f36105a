"""Team-level metrics: the user-teams report joined with the users report on (user, day).

GitHub documents this join on its "Team-level metrics" page (Copilot usage metrics): a team's activity on a day is
the sum over the users who were members of the team that day. A user in two teams counts in both, so team totals
do not add up to the organization's. The user-teams report leaves out teams with fewer than five seated users.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from copilot_tui.metrics.derive import Period, acceptance_rate, add_activity, zero_activity
from copilot_tui.metrics.model import UserDay, UserTeam

#: The row of the users who were in no team on the days they were active (days with team data only).
NO_TEAM_ID = 0
NO_TEAM_SLUG = "(no team)"


@dataclass(slots=True)
class TeamSummary:
    """One team over a period.

    ``members``: users listed in the team on the period's latest membership day; ``active_users``: members with at
    least one users-report row on a day they were in the team; ``activity`` and ``ai_credits``: those rows'
    counters and AI credits summed.
    """

    team_id: int
    slug: str
    members: set[int] = field(default_factory=set)
    active_users: set[int] = field(default_factory=set)
    active_user_days: int = 0
    activity: dict[str, int] = field(default_factory=zero_activity)
    agent_users: set[int] = field(default_factory=set)
    chat_users: set[int] = field(default_factory=set)
    cli_users: set[int] = field(default_factory=set)
    ai_credits: float = 0.0

    @property
    def acceptance_rate(self) -> float | None:
        return acceptance_rate(
            self.activity["code_acceptance_activity_count"], self.activity["code_generation_activity_count"]
        )

    @property
    def active_share(self) -> float | None:
        """Active members per member (n/a for a team with no listed members)."""
        return acceptance_rate(len(self.active_users & self.members), len(self.members))


def membership(team_rows: Iterable[UserTeam], period: Period | None = None) -> dict[date, dict[int, set[int]]]:
    """Per day, per user id: the team ids the user belonged to."""
    result: dict[date, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for row in team_rows:
        if period is None or row.day in period:
            result[row.day][row.user_id].add(row.team_id)
    return result


def summarize_teams(
    team_rows: Iterable[UserTeam], user_rows: Iterable[UserDay], period: Period | None = None
) -> list[TeamSummary]:
    """Join the two reports on (user, day); one :class:`TeamSummary` per team seen, most active users first, then
    the "(no team)" row (``NO_TEAM_ID``): users active on a day with team data but in no team that day (its
    ``members`` stay empty: nobody is listed in it).

    A user-day whose day has no user-teams data is left out of every team (membership is not guessed from
    another day); the UI says which days lack team data.
    """
    teams: dict[int, TeamSummary] = {}
    by_day: dict[date, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    latest_day: date | None = None
    for row in team_rows:
        if period is not None and row.day not in period:
            continue
        team = teams.get(row.team_id)
        if team is None:
            team = teams[row.team_id] = TeamSummary(row.team_id, row.slug)
        by_day[row.day][row.user_id].add(row.team_id)
        if latest_day is None or row.day > latest_day:
            latest_day = row.day
    if latest_day is not None:
        for user_id, team_ids in by_day[latest_day].items():
            for team_id in team_ids:
                teams[team_id].members.add(user_id)
    seen: set[tuple[int, date]] = set()
    for user_row in user_rows:
        key = (user_row.user_id, user_row.day)
        if (period is not None and user_row.day not in period) or key in seen:
            continue
        seen.add(key)
        day_members = by_day.get(user_row.day)
        if not day_members:
            continue
        for team_id in day_members.get(user_row.user_id) or (NO_TEAM_ID,):
            team = teams.get(team_id) or teams.setdefault(team_id, TeamSummary(NO_TEAM_ID, NO_TEAM_SLUG))
            team.active_users.add(user_row.user_id)
            team.active_user_days += 1
            add_activity(team.activity, user_row.activity)
            if user_row.ai_credits_used:
                team.ai_credits += user_row.ai_credits_used
            if user_row.flag("used_agent"):
                team.agent_users.add(user_row.user_id)
            if user_row.flag("used_chat"):
                team.chat_users.add(user_row.user_id)
            if user_row.flag("used_cli"):
                team.cli_users.add(user_row.user_id)
    result = list(teams.values())
    result.sort(key=lambda t: (t.team_id == NO_TEAM_ID, -len(t.active_users), t.slug))
    return result


def days_without_team_data(team_rows: Iterable[UserTeam], user_rows: Iterable[UserDay]) -> list[date]:
    """Days that have user rows but no user-teams rows: team figures leave those days out."""
    team_days = {r.day for r in team_rows}
    return sorted({r.day for r in user_rows} - team_days)


def team_members(team_rows: Iterable[UserTeam], team_id: int, period: Period | None = None) -> set[int]:
    """Everyone listed in the team on any day of the period (for "open a team" in the users table)."""
    return set(team_member_logins(team_rows, team_id, period))


def team_member_logins(team_rows: Iterable[UserTeam], team_id: int, period: Period | None = None) -> dict[int, str]:
    """Everyone listed in the team on any day of the period, with their login on the latest of those days: the
    members with no activity are named too."""
    latest: dict[int, tuple[date, str]] = {}
    for r in team_rows:
        if r.team_id == team_id and (period is None or r.day in period):
            held = latest.get(r.user_id)
            if held is None or r.day >= held[0]:
                latest[r.user_id] = (r.day, r.user_login)
    return {user_id: login for user_id, (_day, login) in latest.items()}
