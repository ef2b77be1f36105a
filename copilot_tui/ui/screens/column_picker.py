"""Choose the users table's columns and their order; the app remembers the choice between runs."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from copilot_tui.metrics.catalog import metric
from copilot_tui.ui.widgets.user_table import Column


class ColumnPickerScreen(ModalScreen[tuple[str, ...] | None]):
    """Space shows or hides the highlighted column, Shift+↑/↓ move it; Enter keeps the choice, Esc drops it.

    Dismisses with the keys of the columns to show, in order (None: cancelled). The first column (the login, which
    names the row) always stays, first."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close the picker, keep the columns as they were"),
        Binding("q", "app.quit", "Quit", show=False),
        Binding("space", "show_or_hide", "Show/hide", tooltip="Show or hide the highlighted column"),
        Binding("shift+up,K", "move(-1)", "Move up", key_display="Shift+↑", tooltip="Move the column left"),
        Binding("shift+down,J", "move(1)", "Move down", key_display="Shift+↓", tooltip="Move the column right"),
        Binding("d", "defaults", "All", tooltip="Every column, in the usual order"),
        Binding("enter", "done", "Use", tooltip="Use these columns (remembered for next time)"),
    ]

    def __init__(self, columns: Sequence[Column], shown: Sequence[str], hidden_by_width: Sequence[str] = ()) -> None:
        """``columns``: every column, in the usual order; ``shown``: the keys shown now, in order;
        ``hidden_by_width``: shown keys the terminal is too narrow for (said beside them)."""
        super().__init__()
        self.columns = {c.key: c for c in columns}
        self.usual = [c.key for c in columns]
        self.order = [*shown, *(k for k in self.usual if k not in shown)]
        self.shown = set(shown)
        self.hidden_by_width = set(hidden_by_width)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Users table columns", classes="picker-title")
            yield OptionList(id="picker-list")
            yield Label("Space show/hide · Shift+↑↓ move · d all · Enter use · Esc cancel", classes="picker-hint")

    def on_mount(self) -> None:
        self._fill(0)
        self.query_one(OptionList).focus()

    def chosen(self) -> tuple[str, ...]:
        """The keys to show, in order."""
        return tuple(k for k in self.order if k in self.shown)

    def _fill(self, highlight: int) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        names = {key: metric(c.term).label if c.term else key for key, c in self.columns.items()}
        width = max(len(c.label) for c in self.columns.values()) + 2
        name_width = max(map(len, names.values())) + 2
        for key in self.order:
            column = self.columns[key]
            # each span ends with its spaces: a span that starts with one loses it in an SVG screenshot
            line = Text("✓ " if key in self.shown else "· ", style="bold" if key in self.shown else "dim")
            line.append(column.label.ljust(width), style="" if key in self.shown else "dim")
            line.append(names[key].ljust(name_width), style="dim")
            if key in self.shown and key in self.hidden_by_width:
                line.append("no room at this width", style="italic dim")
            options.add_option(Option(line, id=key))
        options.highlighted = highlight

    def _highlighted(self) -> int | None:
        return self.query_one(OptionList).highlighted

    def action_show_or_hide(self) -> None:
        at = self._highlighted()
        if at is None or at == 0:
            if at == 0:
                self.notify("The first column names the row: it always stays.", severity="warning")
            return
        self.shown ^= {self.order[at]}
        self._fill(at)

    def action_move(self, step: int) -> None:
        at = self._highlighted()
        if at is None or at == 0 or not 1 <= at + step < len(self.order):
            return
        self.order[at], self.order[at + step] = self.order[at + step], self.order[at]
        self._fill(at + step)

    def action_defaults(self) -> None:
        self.order = list(self.usual)
        self.shown = set(self.usual)
        self._fill(self._highlighted() or 0)

    def action_done(self) -> None:
        self.dismiss(self.chosen())

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_done()
