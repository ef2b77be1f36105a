"""Plain view data built from a snapshot off the UI thread: what the teams tab and the exports show.

Built in a worker (the teams join reads the whole users report of the period), handed to the widgets whole, and
read by ``copilot_tui.exports`` the same way, so a file and the screen hold the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from copilot_tui.metrics.derive import Period
from copilot_tui.metrics.linerule import LineError
from copilot_tui.metrics.parse import iter_lines
from copilot_tui.metrics.teams import TeamSummary, summarize_teams
from copilot_tui.metrics.userline import decode_line

TEAM_FLAGS = ("used_agent", "used_chat", "used_cli")


@dataclass(frozen=True, slots=True)
class TeamRow:
    """A team's figures as plain attributes, so every column sorts without recomputing."""

    team_id: int
    slug: str
    members: int
    active_users: int
    active_share: float | None
    active_user_days: int
    interactions: int
    generations: int
    acceptances: int
    acceptance_rate: float | None
    loc_added: int
    agent_users: int
    chat_users: int
    cli_users: int
    ai_credits: float

    @classmethod
    def of(cls, team: TeamSummary) -> TeamRow:
        a = team.activity
        return cls(
            team_id=team.team_id,
            slug=team.slug,
            members=len(team.members),
            active_users=len(team.active_users),
            active_share=team.active_share,
            active_user_days=team.active_user_days,
            interactions=a["user_initiated_interaction_count"],
            generations=a["code_generation_activity_count"],
            acceptances=a["code_acceptance_activity_count"],
            acceptance_rate=team.acceptance_rate,
            loc_added=a["loc_added_sum"],
            agent_users=len(team.agent_users),
            chat_users=len(team.chat_users),
            cli_users=len(team.cli_users),
            ai_credits=team.ai_credits,
        )


@dataclass(frozen=True, slots=True)
class TeamsView:
    """The teams of one snapshot's period, computed off the event loop."""

    period: Period
    teams: list[TeamSummary]
    rows: list[TeamRow]
    days_without_data: list[Any]
    team_rows: Sequence[Any]


class _TeamJoinRow:
    """The part of a users-report line the team join reads: who, which day, the counters and the flags."""

    __slots__ = ("activity", "ai_credits_used", "day", "flags", "user_id")

    def __init__(
        self, user_id: int, day: date, activity: Any, flags: dict[str, bool], ai_credits_used: float | None
    ) -> None:
        self.user_id = user_id
        self.day = day
        self.activity = activity
        self.flags = flags
        self.ai_credits_used = ai_credits_used

    def flag(self, name: str) -> bool:
        return self.flags.get(name, False)


def stream_user_rows(snapshot: Any) -> Iterator[Any]:
    """The snapshot's user rows one at a time: a large snapshot keeps its users report raw (``users_parts``), and
    the join needs each row once, so lines are decoded as they go (by the line rule, as the users aggregate reads
    them: a line it skips is named in the aggregate's problems), never held."""
    parts = getattr(snapshot, "users_parts", None)
    if parts is None:
        yield from snapshot.user_rows
        return
    days: dict[str, date] = {}
    for _source, data in parts():
        try:
            for raw in iter_lines(data):
                try:
                    line = decode_line(raw)
                except LineError:
                    continue
                if line is None:
                    continue
                day = days.get(line.day)
                if day is None:
                    day = days[line.day] = date.fromisoformat(line.day[:10])
                flags = {name: True for name in TEAM_FLAGS if getattr(line, name) is True}
                yield _TeamJoinRow(line.user_id, day, line, flags, line.ai_credits_used)
        except LineError:  # a damaged gzip part: the lines before the damage stand
            continue


def build_teams(snapshot: Any, period: Period) -> TeamsView:
    """Blocking (it reads the whole users report of the period): run it in a thread."""
    in_period_teams = [r for r in getattr(snapshot, "team_rows", ()) or () if r.day in period]
    user_days: set[Any] = set()

    def in_period_users() -> Iterator[Any]:
        for row in stream_user_rows(snapshot):
            if row.day in period:
                user_days.add(row.day)
                yield row

    teams = summarize_teams(in_period_teams, in_period_users(), period)
    team_days = {r.day for r in in_period_teams}
    return TeamsView(
        period=period,
        teams=teams,
        rows=[TeamRow.of(t) for t in teams],
        days_without_data=sorted(user_days - team_days),
        team_rows=in_period_teams,
    )
