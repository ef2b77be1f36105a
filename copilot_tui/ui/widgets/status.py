"""The top line: what is shown (scope, period) on the left, what is happening (loading, waiting) on the right."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class StatusBar(Widget):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; }
    """

    what: reactive[str] = reactive("")
    activity: reactive[str] = reactive("")
    busy: reactive[bool] = reactive(False)

    def render(self) -> Table:
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True, overflow="ellipsis")
        activity = Text(self.activity, style="bold" if self.busy else "dim")
        grid.add_row(Text(" " + self.what, style="bold"), activity + " ")
        return grid


class ErrorLine(Widget):
    """The last loading error's sentence, kept on screen until a load succeeds: a toast alone is gone in seconds."""

    DEFAULT_CSS = """
    ErrorLine { height: auto; max-height: 4; padding: 0 1; color: $text-error; background: $error 15%; display: none; }
    """

    message: reactive[str] = reactive("", layout=True)

    def watch_message(self, message: str) -> None:
        self.display = bool(message)

    def render(self) -> Text:
        return Text(self.message)
