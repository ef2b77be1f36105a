"""Breakdowns by IDE, language and model: a short ranked table each, with a share bar that reads at 80 columns."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from copilot_tui.metrics.derive import BreakdownRow
from copilot_tui.ui.format import compact, rate

BAR = "█"


def share_bar(value: int, top: int, width: int) -> str:
    if top <= 0 or width <= 0:
        return ""
    cells = value / top * width
    full = int(cells)
    return BAR * full + ("▌" if cells - full >= 0.5 else "")


class BreakdownTable(Widget):
    """One breakdown (IDE, language or model): name, users, a bar of activity, acceptance rate."""

    DEFAULT_CSS = """
    BreakdownTable { height: auto; padding: 0 1; }
    """

    def __init__(self, title: str, *, limit: int | None = None, id: str | None = None) -> None:
        """``limit``: rows shown at most (None: every row; the Breakdowns tab scrolls)."""
        super().__init__(id=id)
        self.title = title
        self.limit = limit
        self.rows: list[BreakdownRow] = []

    def show(self, rows: list[BreakdownRow]) -> None:
        self.rows = rows
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        shown = len(self.rows[: self.limit])
        return 1 + max(1, shown) + (1 if shown < len(self.rows) else 0)

    def render(self) -> Table:
        width = self.content_size.width or 76
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True, ratio=3, overflow="ellipsis")
        grid.add_column(no_wrap=True, justify="right", width=6)
        grid.add_column(no_wrap=True, ratio=4)
        grid.add_column(no_wrap=True, justify="right", width=6)
        grid.add_row(
            Text(self.title, style="bold"),
            Text("users", style="dim"),
            Text("activity", style="dim"),
            Text("accept", style="dim"),
        )
        if not self.rows:
            grid.add_row(Text("no data", style="dim"), "", "", "")
            return grid

        def total(r: BreakdownRow) -> int:
            return r.activity["code_generation_activity_count"] + r.activity["user_initiated_interaction_count"]

        top = max(total(r) for r in self.rows)
        bar_w = max(4, (width - 14) * 4 // 7 - 8)
        for r in self.rows[: self.limit]:
            bar = Text(share_bar(total(r), top, bar_w), style="cyan")
            bar.append(" " + compact(total(r)), style="dim")
            grid.add_row(r.name, compact(r.users), bar, rate(r.acceptance_rate))
        if self.limit is not None and len(self.rows) > self.limit:
            grid.add_row(Text(f"+{len(self.rows) - self.limit} more", style="dim"), "", "", "")
        return grid
