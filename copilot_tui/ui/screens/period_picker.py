"""Pick how many days the dashboard covers, from the ranges the loaded data can fill."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class PeriodPickerScreen(ModalScreen[int | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close the picker, keep the period"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, choices: list[int], current: int, covered: int) -> None:
        super().__init__()
        self.choices = choices
        self.current = current
        self.covered = covered

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Period", classes="picker-title")
            yield OptionList(
                *[Option(f"{'● ' if d == self.current else '  '}last {d} days", id=str(d)) for d in self.choices],
                id="picker-list",
            )
            yield Label(f"{self.covered} days loaded · Enter pick · Esc cancel", classes="picker-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.choices:
            options.highlighted = self.choices.index(self.current)
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)
