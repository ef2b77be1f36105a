"""Adoption over time: who is new, who came back, who stopped, and the funnel from seats to agent users.

A period's users are read against every day held before it (``UserHistory``, computed from the facts in SQL by
:func:`copilot_tui.facts.Facts.history`): "new" means first seen in the period among the days held, so it says as
much as the history reaches back, and the figures say how far that is. :func:`adoption_rows` turns one history, the
seat count and the period's distinct users into the rows the adoption view draws and the export writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from copilot_tui.metrics.derive import Period, PeriodUsers, ratio
from copilot_tui.metrics.segments import segment_figures

#: Days a user must be active in a period to count as engaged, unless the settings say otherwise.
DEFAULT_ENGAGED_DAYS = 4


@dataclass(frozen=True, slots=True)
class UserHistory:
    """A period's users against the days held before it.

    Every active user of the period is exactly one of new (no day held before the period), returning (active
    before the previous period, not in it) or retained (active in the previous period too); lapsed users were
    active in the previous period and not in this one.
    """

    period: Period
    engaged_days: int
    first_day: date | None
    """The first day held with data: "new" means not seen since then."""
    days_before: int
    """Days held before the period."""
    previous_days: int
    """Days of the previous period (of equal length) held."""
    active: int
    new: int
    returning: int
    retained: int
    lapsed: int
    engaged: int
    """Users active on ``engaged_days`` or more days of the period."""
    engaged_agent: int
    """Engaged users who used agent mode in the period."""

    @property
    def previous_active(self) -> int:
        return self.retained + self.lapsed


@dataclass(frozen=True, slots=True)
class AdoptionRow:
    """One figure of the adoption view and export: its users and their share of another figure's."""

    group: str
    figure: str
    """The figure's name in exports; its catalog key is ``metric``."""
    metric: str
    label: str
    users: int | None
    share_of: str | None
    """The ``figure`` of the same group whose users ``share`` is counted against."""
    share: float | None
    previous_users: int | None = None
    """The figure in the previous period of equal length, when known (the usage segments)."""
    previous_share: float | None = None
    change: float | None = None
    """Relative change of ``users`` against the previous period."""
    share_points: float | None = None
    """Change of ``share`` against the previous period, in percentage points."""


def adoption_rows(
    history: UserHistory | None, seats: int | None, users: PeriodUsers, previous: PeriodUsers | None = None
) -> list[AdoptionRow]:
    """The rows of the adoption table: over time (with ``history``), the funnel (seats when known) and the usage
    segments of the period (``users``, the period's distinct users), against ``previous`` (the previous period's)
    when it is known."""
    rows: list[AdoptionRow] = []
    if history is not None:
        h = history
        active = h.active
        rows += [
            AdoptionRow("over_time", "active_users", "active_users", "Active", active, None, None),
            AdoptionRow("over_time", "new_users", "new_users", "New", h.new, "active_users", ratio(h.new, active)),
            AdoptionRow(
                "over_time", "returning_users", "returning_users", "Returning", h.returning, "active_users",
                ratio(h.returning, active),
            ),
            AdoptionRow(
                "over_time", "retained_users", "retained_users", "Retained", h.retained, "active_users",
                ratio(h.retained, active),
            ),
            AdoptionRow(
                "over_time", "lapsed_users", "lapsed_users", "Lapsed", h.lapsed, "previous_active_users",
                ratio(h.lapsed, h.previous_active),
            ),
        ]  # fmt: skip
    funnel = [("seats", "seats", "Seats", seats)]
    funnel.append(("active_users", "active_users", "Active", users.active))
    if history is not None:
        engaged = f"Engaged ({history.engaged_days}+ days)"
        funnel.append(("engaged_users", "engaged_users", engaged, history.engaged))
        funnel.append(("engaged_agent_users", "engaged_agent_users", "Engaged, agent", history.engaged_agent))
    before: tuple[str, int | None] | None = None
    for figure, metric, label, count in funnel:
        share = None if before is None or count is None or before[1] is None else ratio(count, before[1])
        rows.append(AdoptionRow("funnel", figure, metric, label, count, before[0] if before else None, share))
        before = (figure, count)
    for s in segment_figures(users, previous):
        rows.append(
            AdoptionRow(
                "segments", s.segment.key, s.segment.metric, s.segment.label, s.users, "active_users", s.share,
                s.previous_users, s.previous_share, s.change, s.share_points,
            )
        )  # fmt: skip
    return rows


__all__ = ["DEFAULT_ENGAGED_DAYS", "AdoptionRow", "UserHistory", "adoption_rows"]
