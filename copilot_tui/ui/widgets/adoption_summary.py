"""The top of the adoption tab: adoption over time (new, returning, retained, lapsed), the funnel from seats to
engaged agent users, and the usage segments with their shares and changes."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from copilot_tui.metrics.adoption import AdoptionRow, UserHistory, adoption_rows
from copilot_tui.metrics.derive import Period, PeriodUsers
from copilot_tui.ui.format import compact, day, format_change, rate

BAR_WIDTH = 12
BLOCK_WIDTHS = (40, 52, 50)
"""Widths of the three blocks side by side (over time, funnel, segments)."""
GAP = 3
SIDE_BY_SIDE = sum(BLOCK_WIDTHS) + GAP * 2
"""From this width the three blocks stand side by side; below it, one under the other."""


def _bar(share: float | None, width: int = BAR_WIDTH) -> Text:
    filled = round(max(0.0, min(1.0, share or 0.0)) * width)
    return Text("█" * filled, style="cyan") + Text("░" * (width - filled), style="dim")


def _style(value: float | None) -> str:
    if value is None or abs(value) < 1e-9:
        return "dim"
    return "green" if value > 0 else "red"


class AdoptionSummary(Widget):
    DEFAULT_CSS = """
    AdoptionSummary { height: auto; padding: 0 1 1 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.period: Period | None = None
        self.users: PeriodUsers | None = None
        self.previous: PeriodUsers | None = None
        self.history: UserHistory | None = None
        self.seats: int | None = None
        self.note = ""
        """Why the history is not shown (being computed, or the source keeps none)."""

    def show(self, period: Period, users: PeriodUsers | None, previous: PeriodUsers | None) -> None:
        """The period's distinct users and the previous period's (for the segments' changes)."""
        if period != self.period:
            self.history = None
        self.period, self.users, self.previous = period, users, previous
        self.refresh(layout=True)

    def set_history(self, history: UserHistory | None, note: str = "") -> None:
        self.history = history
        self.note = note
        self.refresh(layout=True)

    def set_seats(self, seats: int | None) -> None:
        if seats != self.seats:
            self.seats = seats
            self.refresh(layout=True)

    def _rows(self, group: str) -> list[AdoptionRow]:
        assert self.users is not None
        return [r for r in adoption_rows(self.history, self.seats, self.users, self.previous) if r.group == group]

    def _over_time(self) -> RenderableType:
        h = self.history
        title = Text("Over time", style="bold")
        if h is None:
            return Group(title, Text(self.note or "Computing from the days held…", style="dim"))
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, width=10)
        table.add_column(no_wrap=True, justify="right", width=7)
        table.add_column(no_wrap=True, justify="right", width=6)
        table.add_column(no_wrap=True, style="dim")
        for r in self._rows("over_time"):
            of = "of previous" if r.figure == "lapsed_users" else ""
            table.add_row(r.label, Text(compact(r.users), style="bold"), rate(r.share) if r.share_of else "", of)
        notes = [f"new: not seen since {day(h.first_day)}" if h.days_before else "no day held before: all new"]
        notes.append(f"previous period: {h.previous_days} of {h.period.days} days held")
        return Group(title, table, *(Text(n, style="dim", no_wrap=True, overflow="ellipsis") for n in notes))

    def _funnel(self) -> RenderableType:
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, width=20)
        table.add_column(no_wrap=True, justify="right", width=7)
        table.add_column(no_wrap=True, justify="right", width=6)
        table.add_column(no_wrap=True, width=BAR_WIDTH)
        for r in self._rows("funnel"):
            users = Text(compact(r.users) if r.users is not None else "–", style="bold")
            table.add_row(r.label, users, rate(r.share) if r.share_of else "", _bar(r.share) if r.share_of else "")
        note = "each share is of the line above" + ("" if self.seats is not None else " · seats not loaded")
        return Group(Text("Funnel", style="bold"), table, Text(note, style="dim", no_wrap=True, overflow="ellipsis"))

    def _segments(self) -> RenderableType:
        assert self.users is not None
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, width=15)
        table.add_column(no_wrap=True, justify="right", width=7)
        table.add_column(no_wrap=True, justify="right", width=6)
        table.add_column(no_wrap=True, justify="right", width=7)
        table.add_column(no_wrap=True, justify="right", width=8)
        table.add_row(*(Text(h, style="dim") for h in ("Segment", "users", "share", "change", "share Δ")))
        for s in self._rows("segments"):
            points = s.share_points
            shift = Text("" if points is None else f"{points:+.1f}pt", style=_style(points))
            table.add_row(
                s.label,
                Text(compact(s.users), style="bold"),
                rate(s.share),
                Text(format_change(s.change) if self.previous else "", style=_style(s.change)),
                shift,
            )
        note = "share of active users" + (" · vs previous period" if self.previous else "")
        title = Text("Usage segments", style="bold")
        return Group(title, table, Text(note, style="dim", no_wrap=True, overflow="ellipsis"))

    def render(self) -> RenderableType:
        if self.users is None:
            return Text("No users data yet.", style="dim")
        blocks = [self._over_time(), self._funnel(), self._segments()]
        width = self.content_size.width or 78
        if width >= SIDE_BY_SIDE:
            grid = Table.grid(padding=(0, GAP))
            for block_width in BLOCK_WIDTHS:
                grid.add_column(vertical="top", width=block_width, no_wrap=True)
            grid.add_row(*blocks)
            return grid
        return Group(*(g for b in blocks for g in (b, Text(""))))


__all__ = ["AdoptionSummary"]
