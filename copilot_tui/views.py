"""Plain view data built from a snapshot off the UI thread: what the teams and versions tabs and the exports show.

Built in a worker (the teams join reads the whole users report of the period), handed to the widgets whole, and
read by ``copilot_tui.exports`` the same way, so a file and the screen hold the same numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from copilot_tui.metrics.derive import Period, PeriodUsers, UserSummary, period_users, summarize_users, user_column
from copilot_tui.metrics.linerule import LineError
from copilot_tui.metrics.parse import iter_lines
from copilot_tui.metrics.teams import NO_TEAM_ID, TeamSummary, summarize_teams
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
    organization: str | None = None
    """The team's organization in an enterprise (``team_organizations``); None in an organization, or unknown."""

    @property
    def name(self) -> str:
        """As the Team column shows it: ``org/slug`` in an enterprise, the slug alone when the org is not known."""
        return team_name(self.slug, self.organization)

    @classmethod
    def of(cls, team: TeamSummary, organization: str | None = None) -> TeamRow:
        a = team.activity
        return cls(
            team_id=team.team_id,
            slug=team.slug,
            organization=organization,
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


def team_name(slug: str, organization: str | None) -> str:
    """``org/slug``: an enterprise holds teams of the same name in several orgs (the slug alone without an org)."""
    return f"{organization}/{slug}" if organization else slug


def team_organizations(teams: Iterable[TeamSummary], seats: Any) -> dict[int, str]:
    """Each team's organization in an enterprise, by team id: the org that assigned the most of its members' seats
    (the enterprise's user-teams lines carry only the enterprise's id; a team lives in one org, whose members hold
    that org's seats). Ties go to the org named first alphabetically; a team none of whose members holds a seat
    naming an org is left out, as is the "(no team)" row."""
    named: Mapping[int | str, str] = getattr(seats, "organization_of", None) or {}
    if not named:
        return {}
    found: dict[int, str] = {}
    for team in teams:
        if team.team_id == NO_TEAM_ID:
            continue
        counts: dict[str, int] = {}
        for user_id in team.members | team.active_users:
            org = named.get(user_id)
            if org is not None:
                counts[org] = counts.get(org, 0) + 1
        if counts:
            found[team.team_id] = min(counts, key=lambda org: (-counts[org], org.lower()))
    return found


@dataclass(frozen=True, slots=True)
class TeamsView:
    """The teams of one snapshot's period, computed off the event loop."""

    period: Period
    teams: list[TeamSummary]
    rows: list[TeamRow]
    days_without_data: list[Any]
    team_rows: Sequence[Any]

    def with_organizations(self, organizations: Mapping[int, str]) -> TeamsView:
        """The rows named with their orgs (``team_organizations``): the teams' numbers are the same."""
        from dataclasses import replace

        rows = [TeamRow.of(t, organizations.get(t.team_id)) for t in self.teams]
        return replace(self, rows=rows)


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


# ---- versions ------------------------------------------------------------------------------------------------

VersionKind = Literal["ide", "plugin"]
NOT_REPORTED = "(not reported)"
"""How a version GitHub left empty is shown (its sample names no version)."""


def bucket_counter(snapshot: Any) -> Callable[[Sequence[Period]], Sequence[PeriodUsers | None]] | None:
    """What counts each bucket's distinct users for buckets of ``snapshot``'s period (``metrics.trends.buckets``):
    the trend charts' and the ``daily`` export's distinct-user figures. It reads the snapshot's facts and holds
    only the way to them, not the snapshot (a view keeps it for the previous period too); a snapshot-like without
    facts (a test's) is counted from its rows, the same count; None when it holds neither. Blocking."""
    facts_from = getattr(snapshot, "facts_from", None)
    if facts_from is not None:
        from copilot_tui.facts import bucket_users

        return lambda cuts: bucket_users(facts_from(), cuts)
    if not hasattr(snapshot, "user_rows"):
        return None
    return lambda cuts: [period_users(summarize_users(snapshot.user_rows, cut)) for cut in cuts]


def users_by_bucket(snapshot: Any, cuts: Sequence[Period]) -> Sequence[PeriodUsers | None] | None:
    """Each of ``cuts``' distinct users in ``snapshot`` (:func:`bucket_counter`); None when it cannot count them."""
    counter = bucket_counter(snapshot)
    return None if counter is None else counter(cuts)


def version_key(version: str) -> tuple[tuple[int, Any], ...]:
    """Orders versions as releases go: ``1.10.0`` after ``1.9.2``, ``2025.2.3`` after ``2025.2``; a part that is not
    a number orders by its text, after the numbers of the same place."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.findall(r"\d+|[A-Za-z]+", version))


@dataclass(frozen=True, slots=True)
class VersionRow:
    """One version of an IDE or of its Copilot plugin, and the users whose last-known version it is."""

    ide: str
    kind: VersionKind
    version: str
    """As GitHub reports it; ``""`` when the sample names none."""
    users: int
    share: float | None
    """Of the IDE's users with a last-known version of this kind."""
    behind: int | None
    """Newer versions of the same IDE and kind in use: 0 is the newest, None for an empty version."""
    plugin: str | None
    """The plugin's name (plugin rows), the most common one when users report several."""
    user_ids: frozenset[int] = field(repr=False)

    @property
    def newest(self) -> bool:
        return self.behind == 0

    @property
    def label(self) -> str:
        what = "IDE" if self.kind == "ide" else "plugin"
        return f"{self.ide} {what} {self.version or NOT_REPORTED}"


@dataclass(frozen=True, slots=True)
class VersionsView:
    """Per IDE (most users first), the IDE's versions and then its plugin's, newest first."""

    rows: list[VersionRow]
    ide_users: dict[str, int]
    """Users with a last-known version (IDE or plugin) of each IDE."""


def build_versions(users: Iterable[UserSummary]) -> VersionsView:
    """Each IDE's and plugin's versions over the users of a period, each user counted at their last-known version
    (the latest sample in the period, ``UserSummary.ide_versions`` / ``plugin_versions``)."""
    holders: dict[tuple[str, VersionKind, str], set[int]] = {}
    plugins: dict[tuple[str, str], dict[str, int]] = {}
    per_ide: dict[str, set[int]] = {}
    for u in users:
        for kind, versions in (("ide", u.ide_versions), ("plugin", u.plugin_versions)):
            for ide, sample in versions.items():
                holders.setdefault((ide, kind, sample.version), set()).add(u.user_id)  # type: ignore[arg-type]
                per_ide.setdefault(ide, set()).add(u.user_id)
                if kind == "plugin" and sample.plugin:
                    names = plugins.setdefault((ide, sample.version), {})
                    names[sample.plugin] = names.get(sample.plugin, 0) + 1
    kind_users: dict[tuple[str, str], int] = {}
    for (ide, kind, _version), ids in holders.items():
        kind_users[(ide, kind)] = kind_users.get((ide, kind), 0) + len(ids)
    rows: list[VersionRow] = []
    ides = sorted(per_ide, key=lambda ide: (-len(per_ide[ide]), ide))
    for ide in ides:
        for kind in ("ide", "plugin"):
            found = [(v, ids) for (i, k, v), ids in holders.items() if i == ide and k == kind]
            known = sorted((v for v, _ in found if v), key=version_key, reverse=True)
            rank = {v: n for n, v in enumerate(known)}
            found.sort(key=lambda vi: (vi[0] == "", rank.get(vi[0], 0)))
            total = kind_users.get((ide, kind), 0)
            for version, ids in found:
                names = plugins.get((ide, version), {})
                rows.append(
                    VersionRow(
                        ide=ide,
                        kind=kind,  # type: ignore[arg-type]
                        version=version,
                        users=len(ids),
                        share=len(ids) / total if total else None,
                        behind=rank.get(version) if version else None,
                        plugin=min(names, key=lambda n: (-names[n], n)) if names else None,
                        user_ids=frozenset(ids),
                    )
                )
    return VersionsView(rows, {ide: len(per_ide[ide]) for ide in ides})


# ---- organizations of an enterprise -----------------------------------------------------------------------------


def user_organizations(seats: Any, users: Sequence[UserSummary], own: str | None = None) -> dict[int, str]:
    """Each user's organization, from the seats API (an enterprise's seats name the org that assigned them), by user
    id, or by login for a seat without one; users without a seat there are left out. ``own``: an organization's
    name, whose every user is its own."""
    ids = user_column(users, "user_id")
    if own is not None:
        return dict.fromkeys(ids, own)
    named: Mapping[int | str, str] = getattr(seats, "organization_of", None) or {}
    if not named:
        return {}
    by_login = {str(k).lower(): v for k, v in named.items() if isinstance(k, str)}
    found: dict[int, str] = {}
    for user_id, login in zip(ids, user_column(users, "user_login"), strict=True):
        org = named.get(user_id) or by_login.get(login.lower())
        if org is not None:
            found[user_id] = org
    return found


@dataclass(frozen=True, slots=True)
class OrgRow:
    """One organization of an enterprise over the period: its seats, and the users whose seat it assigned."""

    org: str
    seats: int
    active_users: int
    engaged_users: int
    engaged_share: float | None
    """Engaged (active on ``engaged_days`` days or more) per active user."""
    agent_users: int
    agent_share: float | None
    """Agent users per active user."""
    ai_credits: float
    idle_seats: int
    """Seats unused for ``inactive_days`` days or more, never-used ones included."""
    user_ids: frozenset[int] = field(repr=False)


@dataclass(frozen=True, slots=True)
class OrgsView:
    rows: list[OrgRow]
    engaged_days: int
    inactive_days: int
    unplaced: int
    """Active users of the period whose seat names no organization (or who hold no seat listed)."""


def build_orgs(
    users: Sequence[UserSummary], seats: Any, *, engaged_days: int, inactive_days: int, own: str | None = None
) -> OrgsView:
    """The enterprise's organizations side by side, from the seats (which org holds each seat) and the period's
    users: an org's active users are the users of the enterprise report whose seat that org assigned. ``own``: an
    organization's name, for its one row (its seats and users are all its own)."""
    from copilot_tui.licenses import holder_key

    org_of = user_organizations(seats, users, own)
    named = seats.organization_of if own is None else {holder_key(s): own for s in seats.seats}
    seat_count: dict[str, int] = {}
    for seat in seats.seats:
        org = named.get(holder_key(seat))
        if org is not None:
            seat_count[org] = seat_count.get(org, 0) + 1
    idle: dict[str, int] = {}
    for seat in seats.inactive(inactive_days):
        org = named.get(holder_key(seat))
        if org is not None:
            idle[org] = idle.get(org, 0) + 1
    members: dict[str, list[UserSummary]] = {org: [] for org in seat_count}
    unplaced = 0
    for u in users:
        org = org_of.get(u.user_id)
        if org is None:
            unplaced += 1
        else:
            members.setdefault(org, []).append(u)
    rows = []
    for org, people in members.items():
        active = len(people)
        engaged = sum(1 for u in people if u.days_active >= engaged_days)
        agent = sum(1 for u in people if u.used_agent)
        rows.append(
            OrgRow(
                org=org,
                seats=seat_count.get(org, 0),
                active_users=active,
                engaged_users=engaged,
                engaged_share=engaged / active if active else None,
                agent_users=agent,
                agent_share=agent / active if active else None,
                ai_credits=sum(u.ai_credits_used for u in people),
                idle_seats=idle.get(org, 0),
                user_ids=frozenset(u.user_id for u in people),
            )
        )
    rows.sort(key=lambda r: (-r.active_users, r.org.lower()))
    return OrgsView(rows, engaged_days, inactive_days, unplaced)
