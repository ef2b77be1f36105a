"""Jump to another organization or enterprise by typing part of its name."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from copilot_tui.scope import Scope
from copilot_tui.settings import scope_key


def matches(scope: Scope, text: str) -> bool:
    """Every word typed must occur in the name (case-insensitive), so "oc lab" finds octo-labs."""
    name = str(scope).lower()
    return all(word in name for word in text.lower().split())


class OrgPickerScreen(ModalScreen[Scope | None]):
    """Type to filter, arrows to move, Enter to open, Escape to stay where you were."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close the picker, stay on the current org"),
        Binding("down", "cursor(1)", "Next", show=False),
        Binding("up", "cursor(-1)", "Previous", show=False),
        # priority: the filter field has the focus, and its own home/end would move the text cursor instead
        Binding("home", "cursor_end(True)", "First org", show=False, priority=True),
        Binding("end", "cursor_end(False)", "Last org", show=False, priority=True),
    ]

    def __init__(self, scopes: list[Scope], current: Scope | None) -> None:
        super().__init__()
        self.scopes = scopes
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Switch organization", classes="picker-title")
            yield Input(placeholder="type to filter", id="picker-filter", compact=True)
            yield OptionList(id="picker-list")
            yield Label("↑↓ move · Enter open · Esc cancel", classes="picker-hint")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        shown = [s for s in self.scopes if matches(s, text)]
        options.add_options(
            [Option(f"{'● ' if s == self.current else '  '}{s}", id=scope_key(s)) for s in shown]
            or [Option("no match", disabled=True)]
        )
        highlight = 0
        if not text and self.current in shown:
            highlight = shown.index(self.current)
        options.highlighted = highlight if shown else None

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_cursor_end(self, first: bool) -> None:
        options = self.query_one(OptionList)
        if first:
            options.action_first()
        else:
            options.action_last()

    @on(Input.Submitted, "#picker-filter")
    def _submit(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, key: str | None) -> None:
        for scope in self.scopes:
            if scope_key(scope) == key:
                self.dismiss(scope)
                return
