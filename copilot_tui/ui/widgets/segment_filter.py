"""The users table's segment filter: ``f`` steps through the usage segments, a chip above the table says which."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Static

from copilot_tui.metrics.derive import UserSummary
from copilot_tui.metrics.segments import BY_KEY, SEGMENTS, in_segment

#: The order ``f`` steps in: every segment, then everyone again.
CYCLE: tuple[str | None, ...] = (*(s.key for s in SEGMENTS), None)

SEGMENT_KEY_HELP = "Filter users by segment: completion only, chat, agent, CLI, cloud agent, review"


class SegmentChip(Static):
    """ "segment: Agent · 246 of 370 users · f next · Esc clears": shown above the users table while on."""

    DEFAULT_CSS = """
    SegmentChip { display: none; height: 1; margin: 0 1; padding: 0 1; background: $accent 30%; color: $foreground; }
    SegmentChip.-on { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.segment: str | None = None

    @property
    def active(self) -> bool:
        return self.segment is not None

    def set_segment(self, key: str | None) -> None:
        self.segment = key
        self.set_class(key is not None, "-on")

    def step(self) -> str | None:
        """The next segment of ``CYCLE`` (from none: the first)."""
        self.set_segment(CYCLE[(CYCLE.index(self.segment) + 1) % len(CYCLE)])
        return self.segment

    def only_segment(self, users: Sequence[UserSummary]) -> Sequence[UserSummary]:
        """The users of the segment, or all of ``users`` when none is chosen; updates the chip's text."""
        if self.segment is None:
            return users
        shown = in_segment(users, self.segment)
        self.update(
            f"segment: {BY_KEY[self.segment].label} · {len(shown):,} of {len(users):,} users · f next · Esc clears"
        )
        return shown


__all__ = ["CYCLE", "SEGMENT_KEY_HELP", "SegmentChip"]
