"""Usage segments: the kinds of Copilot use a user had over a period, counted against the period's active users.

A user is in every segment whose use they had (chat and agent and CLI, say), except "completion only", which holds
the users of code completion who used none of chat, agent mode or the CLI. The counts are ``PeriodUsers``' own
(:func:`copilot_tui.metrics.derive.period_users`), so the totals, the adoption view, the filter and the export agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from copilot_tui.metrics.derive import CLOUD_AGENT_FLAGS, CODE_REVIEW_FLAG, PeriodUsers, UserSummary, change, ratio


@dataclass(frozen=True, slots=True)
class Segment:
    key: str
    """The segment's name in exports, and its ``PeriodUsers`` attribute."""
    label: str
    metric: str
    """Its count's key in ``metrics.catalog``."""
    has: Callable[[UserSummary], bool]


SEGMENTS: tuple[Segment, ...] = (
    Segment("completion_only", "Completion only", "completion_only_users", lambda u: u.completion_only),
    Segment("chat", "Chat", "period_chat_users", lambda u: u.flag("used_chat")),
    Segment("agent", "Agent", "period_agent_users", lambda u: u.flag("used_agent")),
    Segment("cli", "CLI", "period_cli_users", lambda u: u.flag("used_cli")),
    Segment("cloud_agent", "Cloud agent", "period_cloud_agent_users", lambda u: any(map(u.flag, CLOUD_AGENT_FLAGS))),
    Segment("code_review", "Code review", "period_review_users", lambda u: u.flag(CODE_REVIEW_FLAG)),
)
BY_KEY: dict[str, Segment] = {s.key: s for s in SEGMENTS}


def user_segments(user: UserSummary) -> tuple[str, ...]:
    """The keys of the segments ``user`` is in, in ``SEGMENTS`` order (none for a user of none of them)."""
    return tuple(s.key for s in SEGMENTS if s.has(user))


def in_segment(users: Sequence[UserSummary], key: str) -> list[UserSummary]:
    """The users of ``users`` in the segment ``key``, in their order."""
    has = BY_KEY[key].has
    return [u for u in users if has(u)]


@dataclass(frozen=True, slots=True)
class SegmentFigures:
    """One segment over a period: its users, their share of the period's active users, and the same for the
    previous period when it is known."""

    segment: Segment
    users: int
    share: float | None
    previous_users: int | None
    previous_share: float | None

    @property
    def change(self) -> float | None:
        """Relative change of the count against the previous period."""
        return change(self.users, self.previous_users)

    @property
    def share_points(self) -> float | None:
        """Change of the share in percentage points."""
        if self.share is None or self.previous_share is None:
            return None
        return (self.share - self.previous_share) * 100


def segment_figures(now: PeriodUsers, previous: PeriodUsers | None) -> list[SegmentFigures]:
    """Every segment's figures for the period ``now`` against ``previous``."""
    rows = []
    for s in SEGMENTS:
        count = getattr(now, s.key)
        before = None if previous is None else getattr(previous, s.key)
        rows.append(
            SegmentFigures(
                s,
                count,
                ratio(count, now.active),
                before,
                None if previous is None or before is None else ratio(before, previous.active),
            )
        )
    return rows


__all__ = ["BY_KEY", "SEGMENTS", "Segment", "SegmentFigures", "in_segment", "segment_figures", "user_segments"]
