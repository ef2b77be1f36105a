"""The org totals pane: the headline figures of the period, each with its change against the previous period."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import events
from textual.widget import Widget

from copilot_tui.metrics import catalog
from copilot_tui.metrics.catalog import WINDOW_WORDS, Metric, Window
from copilot_tui.metrics.derive import OrgTotals, PeriodUsers, change
from copilot_tui.metrics.segments import segment_figures
from copilot_tui.ui.format import compact, format_change, rate

#: The tag a label ends with for each of GitHub's windows; the period's figures go untagged (the pane's title
#: names the period).
WINDOW_TAGS: dict[Window, str] = {"period": "", "day": "1d", "7 days": "7d", "28 days": "28d", "now": ""}


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    """The metric's key in ``metrics.catalog``, which holds its full label, API field and meaning."""
    label: str
    """A short label that fits a third of 80 columns, ending with the window's tag (``WINDOW_TAGS``)."""
    value: Callable[[OrgTotals], int | float | None]
    note: str = ""
    """Said after the catalog's meaning where the short label alone could mislead."""
    summed: bool = False
    """The figure adds up day by day (a counter): a chart of weeks or months shows its mean a day."""
    from_users: bool = False
    """A figure of the users report over the period (``OrgTotals.users``): no day record holds it; the trend
    charts count it per bucket."""

    @property
    def metric(self) -> Metric:
        return catalog.metric(self.key)

    @property
    def window(self) -> Window:
        """What the figure covers, as the catalog says."""
        return self.metric.window

    @property
    def kind(self) -> str:
        return "rate" if self.metric.format == "percent" else "count"

    @property
    def meaning(self) -> str:
        return f"{self.metric.meaning} {self.note}".strip()

    @property
    def help_label(self) -> str:
        """The tile's label and, when they differ, the catalog's full name: help must match what is on screen."""
        return self.label if self.label == self.metric.label else f"{self.label} ({self.metric.label})"


def _latest(name: str) -> Callable[[OrgTotals], int | None]:
    return lambda t: t.latest.get(name)


def _sum(name: str) -> Callable[[OrgTotals], int | None]:
    return lambda t: t.activity.get(name)


def _pr(name: str) -> Callable[[OrgTotals], int | None]:
    return lambda t: t.pull_requests.get(name)


def _cli(name: str) -> Callable[[OrgTotals], int | None]:
    return lambda t: t.cli.get(name)


def _users(read: Callable[[PeriodUsers], int | float | None]) -> Callable[[OrgTotals], int | float | None]:
    """A figure of the users report over the period (none when the report was not read)."""
    return lambda t: None if t.users is None else read(t.users)


_COMPLETION_ONLY = "Code completion only; the acceptance rates in the users table and user detail count every feature."

FIGURES: tuple[Figure, ...] = (
    Figure("active_users", "Active users", _users(lambda u: u.active), from_users=True),
    Figure("average_daily_users", "Avg DAU", lambda t: t.average_daily_active_users),
    Figure("period_agent_users", "Agent users", _users(lambda u: u.agent), from_users=True),
    Figure("period_chat_users", "Chat users", _users(lambda u: u.chat), from_users=True),
    Figure("period_cli_users", "CLI users", _users(lambda u: u.cli), from_users=True),
    Figure("period_review_users", "Review users", _users(lambda u: u.code_review), from_users=True),
    Figure("period_cloud_agent_users", "Cloud agent", _users(lambda u: u.cloud_agent), from_users=True),
    Figure("completion_only_users", "Compl. only", _users(lambda u: u.completion_only), from_users=True),
    Figure("ai_credits", "AI credits", _users(lambda u: u.ai_credits), summed=True, from_users=True),
    Figure("dau", "Users 1d", _latest("daily_active_users")),
    Figure("wau", "Users 7d", _latest("weekly_active_users")),
    Figure("mau", "Users 28d", _latest("monthly_active_users")),
    Figure("agent_users", "Agent 28d", _latest("monthly_active_agent_users")),
    Figure("chat_users", "Chat 28d", _latest("monthly_active_chat_users")),
    Figure("cli_users", "CLI users 1d", _latest("daily_active_cli_users")),
    Figure("review_users", "Review 28d", _latest("monthly_active_copilot_code_review_users")),
    Figure("completion_rate", "Compl. rate", lambda t: t.completion_acceptance_rate, note=_COMPLETION_ONLY),
    Figure("completion_loc_rate", "Compl. LoC", lambda t: t.completion_loc_acceptance_rate, note=_COMPLETION_ONLY),
    Figure("interactions", "Interactions", _sum("user_initiated_interaction_count"), summed=True),
    Figure("loc_suggested", "LoC suggested", _sum("loc_suggested_to_add_sum"), summed=True),
    Figure("loc_added", "LoC added", _sum("loc_added_sum"), summed=True),
    Figure("loc_deleted", "LoC deleted", _sum("loc_deleted_sum"), summed=True),
    Figure("cli_sessions", "CLI sessions", _cli("session_count"), summed=True),
    Figure("cli_requests", "CLI requests", _cli("request_count"), summed=True),
    Figure("cli_prompts", "CLI prompts", _cli("prompt_count"), summed=True),
    Figure("cli_prompt_tokens", "CLI tok. in", _cli("prompt_tokens_sum"), summed=True),
    Figure("cli_output_tokens", "CLI tok. out", _cli("output_tokens_sum"), summed=True),
    Figure("prs_created", "PRs created", _pr("total_created"), summed=True),
    Figure("prs_by_copilot", "Copilot PRs", _pr("total_created_by_copilot"), summed=True),
    Figure("prs_reviewed_by_copilot", "PRs reviewed", _pr("total_reviewed_by_copilot"), summed=True),
)


def figure_text(figure: Figure, totals: OrgTotals, previous: OrgTotals | None) -> tuple[Text, Text]:
    value = figure.value(totals)
    shown = rate(value) if figure.kind == "rate" else compact(value)
    delta = Text("")
    if previous is not None and value is not None:
        before = figure.value(previous)
        if figure.kind == "rate":
            if before is not None:
                points = (value - before) * 100
                arrow = "▲" if points > 0.05 else "▼" if points < -0.05 else "="
                delta = Text(f"{arrow}{abs(points):.1f}pt", style=_style(points))
        else:
            relative = change(value, before)
            delta = Text(format_change(relative), style=_style(relative))
    return Text(shown, style="bold"), delta


def _style(value: float | None) -> str:
    if value is None or abs(value) < 1e-9:
        return "dim"
    return "green" if value > 0 else "red"


DELTA_WIDTH = 8
STRIP_LINES = 2
"""Lines the totals take on a small terminal: the rest of the height goes to the users table."""


class TotalsPane(Widget):
    """Figures in as many columns as the width holds; a figure the data lacks is left out rather than shown as 0."""

    DEFAULT_CSS = """
    TotalsPane { height: auto; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.totals: OrgTotals | None = None
        self.previous: OrgTotals | None = None
        self.compact = False
        """A strip of as many figures as fit in two lines, for terminals smaller than about 100x30."""
        self._spots: list[tuple[int, int, int, Figure]] = []
        """Where each figure was drawn, (line, first cell, after the last cell, figure): the mouse's tooltip."""

    def figure_at(self, x: int, y: int) -> Figure | None:
        """The figure drawn at this content offset, if any."""
        return next((f for line, start, end, f in self._spots if line == y and start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        offset = event.get_content_offset(self)
        figure = self.figure_at(offset.x, offset.y) if offset is not None else None
        tip = self.tip(figure) if figure else None
        if tip != self.tooltip:
            self.tooltip = tip

    def tip(self, figure: Figure) -> str:
        """What ``figure`` counts and its window; for a usage segment also its share of the period's active users
        and that share's change against the previous period."""
        text = f"{figure.label}: {figure.meaning} (covers {WINDOW_WORDS[figure.window]})"
        now = self.totals.users if self.totals is not None else None
        if now is None:
            return text
        before = self.previous.users if self.previous is not None else None
        row = next((r for r in segment_figures(now, before) if r.segment.metric == figure.key), None)
        if row is None or row.share is None:
            return text
        text += f". {rate(row.share)} of the period's active users"
        if row.share_points is not None:
            text += f", {row.share_points:+.1f}pt against the previous period"
        return text

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.refresh(layout=True)

    def show(self, totals: OrgTotals | None, previous: OrgTotals | None) -> None:
        self.totals = totals
        self.previous = previous
        self.refresh(layout=True)

    def _figures(self) -> list[Figure]:
        if self.totals is None:
            return []
        return [f for f in FIGURES if f.value(self.totals) is not None]

    def _columns(self, width: int) -> int:
        return max(1, min(6, (width or 80) // 26))

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        figures = self._figures()
        if not figures:
            return 1
        if self.compact:
            return len(self._strip(figures, width).split())
        columns = self._columns(width)
        return -(-len(figures) // columns)

    def _strip(self, figures: list[Figure], width: int) -> Text:
        """Figures one after another, as many as fill ``STRIP_LINES`` lines whole; help lists them all."""
        assert self.totals is not None
        lines = [Text()]
        self._spots = []
        for figure in figures:
            value, delta = figure_text(figure, self.totals, self.previous)
            item = Text(figure.label, style="dim") + Text(" ") + value
            if delta.plain:
                item += Text(" ") + delta
            line = lines[-1]
            gap = 3 if line.plain else 0
            if line.cell_len + gap + item.cell_len > width:
                if len(lines) == STRIP_LINES:
                    break
                lines.append(Text())
                line, gap = lines[-1], 0
            if gap:
                # the space ends the previous span: a span that starts with one loses it in an SVG screenshot
                line.spans[-1:] = [span._replace(end=span.end + 1) for span in line.spans[-1:]]
                line.append(" ")
                line.append("· ", style="dim")
            self._spots.append((len(lines) - 1, line.cell_len, line.cell_len + item.cell_len, figure))
            line.append_text(item)
        return Text("\n").join(lines)

    def render(self) -> Table | Text:
        if self.totals is None:
            return Text("No data yet.", style="dim")
        figures = self._figures()
        if not figures:
            return Text("The loaded reports have no organization figures for this period.", style="dim")
        width = self.content_size.width or 78
        if self.compact:
            return self._strip(figures, width)
        columns = self._columns(width)
        cell = width // columns - DELTA_WIDTH
        rows = -(-len(figures) // columns)
        self._spots = [
            (i % rows, (i // rows) * (cell + DELTA_WIDTH), (i // rows + 1) * (cell + DELTA_WIDTH), figure)
            for i, figure in enumerate(figures)
        ]
        grid = Table.grid()
        for _ in range(columns):
            grid.add_column(no_wrap=True, width=cell)
            grid.add_column(no_wrap=True, width=DELTA_WIDTH)
        for r in range(rows):
            cells: list[Text] = []
            for c in range(columns):
                i = c * rows + r
                if i < len(figures):
                    value, delta = figure_text(figures[i], self.totals, self.previous)
                    room = max(1, cell - len(value) - 1)
                    label = figures[i].label
                    label = label if len(label) <= room else label[: room - 1] + "…"
                    text = Text(label, style="dim")
                    text.append(" " * (cell - len(label) - len(value)))
                    text.append_text(value)
                    cells += [text, Text(" ") + delta]
                else:
                    cells += [Text(""), Text("")]
            grid.add_row(*cells)
        return grid
