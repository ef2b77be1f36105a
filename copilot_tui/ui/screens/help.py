"""Every key the app answers to, read from the bindings themselves so the list cannot drift from the code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "escape": "Esc",
    "enter": "Enter",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "backspace": "Backspace",
    "space": "Space",
}


def key_label(key: str) -> str:
    parts = [KEY_NAMES.get(k.strip(), k.strip()) for k in key.split(",")]
    parts = [p.replace("ctrl+", "Ctrl+") for p in parts]
    return " ".join(dict.fromkeys(parts))


def described(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, what they do) for each binding with a description, keys of the same action merged."""
    rows: dict[str, list[str]] = {}
    for item in bindings:
        binding = item if isinstance(item, Binding) else Binding(*item)
        if not binding.description:
            continue
        label = binding.key_display or key_label(binding.key)
        rows.setdefault(binding.tooltip or binding.description, []).append(label)
    return [(" ".join(dict.fromkeys(keys)), text) for text, keys in rows.items()]


HelpSection = tuple[str, Sequence[BindingType]]


def keys_markdown(sections: Sequence[HelpSection]) -> str:
    """The help screen's key list as Markdown, for the README: the same bindings, so the two cannot disagree."""
    out: list[str] = []
    for title, bindings in sections:
        out += [f"**{title}**", "", "| Key | What it does |", "| --- | --- |"]
        for keys, text in described(bindings):
            shown = " ".join(f"`{k}`" for k in keys.split(" "))
            out.append(f"| {shown} | {text} |")
        out.append("")
    return "\n".join(out)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark", "dismiss", "Close help"),
        Binding("q", "app.quit", "Quit", show=False),
        Binding("g", "app.glossary", "Glossary", tooltip="Glossary: what every figure and column means"),
    ]

    def __init__(self, sections: Sequence[HelpSection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Label("Keys  ·  Esc or ? closes  ·  Ctrl+P opens the command palette", classes="picker-title")
            yield Label("What a figure or a column means: g opens the glossary", classes="picker-hint")
            for title, bindings in self.sections:
                rows = described(bindings)
                table = Table.grid(padding=(0, 2))
                table.add_column(width=max([9, *(len(keys) for keys, _ in rows)]), no_wrap=True)
                table.add_column()
                for keys, text in rows:
                    # a style of its own keeps a wrapped line's indent apart: an SVG drops a span's leading spaces
                    table.add_row(Text(keys, style="bold"), Text(text, style=Style(italic=False)))
                yield Static(Text(title, style="bold underline"), classes="help-heading")
                yield Static(table, classes="help-table")
