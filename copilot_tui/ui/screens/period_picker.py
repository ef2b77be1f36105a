"""Pick the dashboard's period: a preset, a calendar quarter or month the data holds, or one typed in."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from copilot_tui.scope import Scope
from copilot_tui.ui.periods import EXAMPLES, PeriodChoice, PeriodError, parse_period


class PeriodPickerScreen(ModalScreen[PeriodChoice | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close the picker, keep the period"),
        Binding("q", "app.quit", "Quit", show=False),
        Binding("slash", "type_period", "Type a period", tooltip=f"Type a period: {EXAMPLES}"),
    ]

    def __init__(
        self,
        choices: list[PeriodChoice],
        current: PeriodChoice,
        held: tuple[date, date] | None,
        scope: Scope | None,
        *,
        can_sync: bool = True,
    ) -> None:
        """``can_sync``: older days can be fetched (``copilot-tui sync``); not so for the demo or report files."""
        super().__init__()
        self.can_sync = can_sync
        self.choices = choices
        self.current = current
        self.held = held
        self.scope = scope

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Period", classes="picker-title")
            yield Input(placeholder="/ type e.g. 45, Oct 2026, 2026-Q3, 2026-10-01..2026-10-20", id="period-input")
            yield Label("", id="period-error", classes="picker-error")
            yield Label(self._hint(), classes="picker-hint")
            yield OptionList(
                *[
                    Option(f"{'● ' if c == self.current else '  '}{self._describe(c)}", id=str(i))
                    for i, c in enumerate(self.choices)
                ],
                id="picker-list",
            )

    def _describe(self, choice: PeriodChoice) -> str:
        if self.held is None or not choice.label.startswith(("last ", "all ")):
            return choice.label
        start, end = choice.bounds(self.held[1])
        return f"{choice.label}  {start.isoformat()} → {end.isoformat()}"

    def _hint(self) -> str:
        keys = "Enter pick · / type · Esc cancel"
        if self.held is None:
            return keys
        first, last = self.held
        older = "; copilot-tui sync adds older days" if self.can_sync else ""
        return f"Data held {first.isoformat()} → {last.isoformat()}{older} · {keys}"

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.choices:
            options.highlighted = self.choices.index(self.current)
        # at once: ``focus()`` waits for a refresh and could take the focus back from a "/" typed right away
        self.set_focus(options)

    _typing = False
    """A "/" was pressed: printable keys still reaching the screen (not the field) belong in the field."""

    def action_type_period(self) -> None:
        # at once, not after a refresh as ``focus()`` does: the keys typed right after "/" are the period
        self._typing = True
        self.set_focus(self.query_one(Input))

    def on_key(self, event: Any) -> None:
        """Keys typed in the same burst as "/" (a busy app reads them in one go) are routed before "/" has moved
        the focus: they reach this screen, not the field, and are put where they were meant to go."""
        field = self.query_one(Input)
        if event.key == "slash" and not field.has_focus:
            self._typing = True  # the binding's action may run only after the keys behind it have come here
        elif self._typing and not field.has_focus and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            field.insert_text_at_cursor(event.character)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id or 0)])

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        try:
            choice = parse_period(event.value, self.held, self.scope, can_sync=self.can_sync)
        except PeriodError as exc:
            error = self.query_one("#period-error", Label)
            error.update(str(exc))
            error.add_class("-shown")
            return
        self.dismiss(choice)
