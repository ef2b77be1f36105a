"""The glossary: every figure and every column label the app shows, what it counts and the days it covers.

Made from the one metric catalog (``copilot_tui.metrics.catalog``) joined with the labels on screen (the totals'
figures, the tables' columns), so a short header like ``Gen`` or ``Act %`` is explained where it is defined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from copilot_tui.metrics import catalog
from copilot_tui.metrics.catalog import WINDOW_WORDS, Metric


@dataclass(frozen=True, slots=True)
class Entry:
    """One label on screen and the catalog entry that explains it."""

    label: str
    """As the screen shows it: a tile's label or a column header."""
    metric: Metric
    note: str = ""
    """Said after the catalog's meaning (a totals figure's caveat)."""

    @property
    def meaning(self) -> str:
        return f"{self.metric.meaning} {self.note}".strip()

    @property
    def covers(self) -> str:
        """The catalog's name, the days covered and where the number comes from, on one line."""
        name = "" if self.metric.label == self.label else f"{self.metric.label} · "
        return f"{name}{WINDOW_WORDS[self.metric.window]} · {self.metric.field}"

    def text(self) -> str:
        """Everything the entry says, lowercased, for the filter."""
        return f"{self.label} {self.meaning} {self.covers}".lower()


GlossarySection = tuple[str, Sequence[Entry]]


def glossary_sections() -> list[GlossarySection]:
    """Totals, then each table's columns, then anything else the catalog holds (so no entry goes unexplained)."""
    from copilot_tui.ui.widgets.orgs import ORG_COLUMNS
    from copilot_tui.ui.widgets.seats import SEAT_COLUMNS
    from copilot_tui.ui.widgets.teams import TEAM_COLUMNS
    from copilot_tui.ui.widgets.totals import FIGURES
    from copilot_tui.ui.widgets.users import COLUMNS
    from copilot_tui.ui.widgets.versions import VERSION_COLUMNS

    def columns(table: Sequence[object]) -> list[Entry]:
        return [Entry(c.label, catalog.metric(c.term or c.key)) for c in table]  # type: ignore[attr-defined]

    sections: list[GlossarySection] = [
        ("Totals", [Entry(f.label, f.metric, f.note) for f in FIGURES]),
        ("Users table", columns(COLUMNS)),
        ("Teams tab", columns(TEAM_COLUMNS)),
        ("Seats tab", [*columns(SEAT_COLUMNS), Entry("Cost", catalog.metric("seat_cost"))]),
        ("Versions tab", columns(VERSION_COLUMNS)),
        ("Orgs tab", columns(ORG_COLUMNS)),
        (
            "Adoption tab",
            [Entry("latest", catalog.metric("adoption_latest")), Entry("trend", catalog.metric("adoption_trend"))],
        ),
    ]
    placed = {entry.metric.key for _, entries in sections for entry in entries}
    rest = [Entry(m.label, m) for m in catalog.GLOSSARY if m.key not in placed]
    if rest:
        sections.append(("Other figures", rest))
    return sections


LABEL_WIDTH = 14
"""Cells of the label column: the longest label on screen ("LoC suggested", "Review users") fits."""


def entry_table(entry: Entry) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, width=LABEL_WIDTH)
    grid.add_column()
    # a style of its own keeps the wrapped lines' indent a separate span: an SVG screenshot drops the leading
    # spaces of a span
    said = Text(entry.meaning, style=Style(italic=False))
    said.append("\n")
    said.append(entry.covers, style="dim")
    grid.add_row(Text(entry.label, style="bold", overflow="ellipsis"), said)
    return grid


class GlossaryScreen(ModalScreen[None]):
    """Every label with its meaning; ``/`` finds, Esc clears what was typed, then closes."""

    BINDINGS = [
        Binding("escape", "back", "Close", tooltip="Close the glossary (with a word typed: clear it)"),
        Binding("g", "dismiss", "Close glossary", show=False, tooltip="Close the glossary"),
        Binding("q", "app.quit", "Quit", show=False),
        Binding("question_mark", "app.help", "Keys", key_display="?", show=False, tooltip="The list of keys"),
        Binding("slash", "find", "Find", key_display="/", tooltip="Find a label or a word in the glossary"),
    ]

    def __init__(
        self, sections: Sequence[GlossarySection], find: str = "", show: tuple[str, str] | None = None
    ) -> None:
        """``find``: words in the find field at the start; ``show``: the section and label of an entry to scroll to
        and mark (the palette's "Explain ...")."""
        super().__init__()
        self.sections = sections
        self.find = find
        self.show = show

    def compose(self) -> ComposeResult:
        with Vertical(id="glossary"):
            yield Label("Glossary  ·  / find  ·  Esc or g closes", classes="picker-title")
            yield Input(self.find, placeholder="/ find a label or a word, e.g. Gen", id="glossary-find", compact=True)
            with VerticalScroll(id="glossary-body"):
                for number, (title, entries) in enumerate(self.sections):
                    yield Static(
                        Text(title, style="bold underline"), classes="glossary-heading", id=f"section-{number}"
                    )
                    for entry in entries:
                        yield GlossaryEntry(entry, number)
                yield Static("", id="glossary-none")

    def on_mount(self) -> None:
        self.filter(self.find)
        self.query_one("#glossary-body").focus()
        if self.show:
            self.call_after_refresh(self.reveal, *self.show)

    def entries(self) -> list[GlossaryEntry]:
        return list(self.query(GlossaryEntry))

    def shown(self) -> list[Entry]:
        """The entries the find field leaves on screen, top to bottom."""
        return [e.entry for e in self.entries() if e.display]

    def filter(self, find: str) -> None:
        """Show only the entries with every word of ``find`` in their label, meaning or source."""
        words = find.lower().split()
        sections: set[int] = set()
        for widget in self.entries():
            widget.display = all(word in widget.text for word in words)
            if widget.display:
                sections.add(widget.section)
        for number in range(len(self.sections)):
            self.query_one(f"#section-{number}").display = number in sections
        none = self.query_one("#glossary-none", Static)
        none.update(Text(f"Nothing in the glossary matches {find!r}.", style="dim") if not sections else "")
        none.display = not sections

    def reveal(self, section: str, label: str) -> None:
        """Scroll to the entry with this label in this section, and mark it."""
        titles = [title for title, _ in self.sections]
        number = titles.index(section) if section in titles else -1
        for widget in self.entries():
            widget.set_class(widget.section == number and widget.entry.label == label, "-found")
        found = next((w for w in self.entries() if w.has_class("-found")), None)
        if found is not None:
            self.query_one("#glossary-body").scroll_to_widget(found, top=True, animate=False)

    @on(Input.Changed, "#glossary-find")
    def _find_changed(self, event: Input.Changed) -> None:
        self.filter(event.value)

    @on(Input.Submitted, "#glossary-find")
    def _find_done(self) -> None:
        self.query_one("#glossary-body").focus()

    def action_find(self) -> None:
        self.set_focus(self.query_one("#glossary-find", Input))

    def action_back(self) -> None:
        """Esc backs out one step: out of the find field (clearing it), or clears what was typed, or closes."""
        field = self.query_one("#glossary-find", Input)
        if field.has_focus or field.value:
            field.value = ""
            self.query_one("#glossary-body").focus()
            return
        self.dismiss()


class GlossaryEntry(Static):
    """One label and its meaning."""

    def __init__(self, entry: Entry, section: int) -> None:
        super().__init__(entry_table(entry), classes="glossary-entry")
        self.entry = entry
        self.section = section
        self.text = entry.text()
