"""The glossary explains every figure and column label on screen, from the metric catalog; reachable by g, from ?,
and from the palette; the sort column's meaning stands beside the users filter; headers and tiles have tooltips."""

from __future__ import annotations

from textual.widgets import Input, Static

from copilot_tui.metrics import catalog
from copilot_tui.ui.screens.glossary import GlossaryScreen, glossary_sections
from copilot_tui.ui.screens.help import HelpScreen
from copilot_tui.ui.widgets.seats import SEAT_COLUMNS
from copilot_tui.ui.widgets.teams import TEAM_COLUMNS
from copilot_tui.ui.widgets.totals import FIGURES, TotalsPane
from copilot_tui.ui.widgets.users import COLUMNS, UsersTable
from tests.ui.conftest import dashboard, demo_app, palette_offers, rendered, settle, until


def test_every_catalog_entry_and_every_label_on_screen_is_in_the_glossary() -> None:
    sections = dict(glossary_sections())
    listed = {entry.metric.key for entries in sections.values() for entry in entries}
    assert listed == set(catalog.BY_KEY)
    assert len(catalog.BY_KEY) == len(catalog.GLOSSARY)  # one entry per key
    for title, labels in (
        ("Totals", [f.label for f in FIGURES]),
        ("Users table", [c.label for c in COLUMNS]),
        ("Teams tab", [c.label for c in TEAM_COLUMNS]),
        ("Seats tab", [c.label for c in SEAT_COLUMNS]),
    ):
        assert [e.label for e in sections[title]][: len(labels)] == labels, title
    for table in (COLUMNS, TEAM_COLUMNS, SEAT_COLUMNS):
        for column in table:
            assert column.term in catalog.BY_KEY, column.label
    for entries in sections.values():
        for entry in entries:
            assert entry.meaning.endswith((".", ")")) and catalog.WINDOW_WORDS[entry.metric.window] in entry.covers


async def test_g_opens_and_closes_it_and_help_and_glossary_back_out_one_step_at_a_time() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        await pilot.press("g")
        assert isinstance(app.screen, GlossaryScreen)
        await pilot.press("g")
        assert app.screen is dash
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("g")  # from help: the glossary on top
        assert isinstance(app.screen, GlossaryScreen)
        await pilot.press("question_mark")  # help is open beneath: back to it, not a third screen
        assert isinstance(app.screen, HelpScreen) and len(app.screen_stack) == 3
        await pilot.press("g", "escape")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.screen is dash
        await pilot.press("g", "q")
        await pilot.pause()
        assert app._exit


async def test_slash_finds_a_label_and_esc_clears_then_closes() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g", "slash", *"loc+")
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        await until(pilot, lambda: {e.label for e in screen.shown()} == {"LoC+"}, "only LoC+")
        assert [e.metric.key for e in screen.shown()] == ["loc_added", "team_loc_added"]
        await pilot.press("q")  # typed, not quitting
        assert not app._exit and screen.query_one("#glossary-find", Input).value == "loc+q"
        await until(pilot, lambda: not screen.shown(), "nothing found")
        assert "Nothing in the glossary matches" in rendered(screen.query_one("#glossary-none", Static))
        await pilot.press("escape")  # clears what was typed, leaves the field
        assert screen.query_one("#glossary-find", Input).value == ""
        assert len(screen.shown()) == sum(len(entries) for _, entries in screen.sections)
        await pilot.press("escape")
        assert app.screen is dashboard(app)


async def test_the_palette_explains_a_column_by_its_header() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Explain Gen (users")
        await until(pilot, lambda: palette_offers(app, "Explain Gen (users table)"), "the command")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, GlossaryScreen), "the glossary")
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        await until(pilot, lambda: bool(screen.query(".-found")), "the entry marked")
        (found,) = screen.query(".-found")
        assert found.entry.label == "Gen" and found.entry.metric.key == "generations"  # type: ignore[attr-defined]
        body = screen.query_one("#glossary-body")
        assert body.scroll_offset.y > 0 and found.region.y >= body.region.y


async def test_the_sort_column_is_named_and_explained_beside_the_filter_and_headers_explain_on_hover() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        table = dash.query_one(UsersTable)
        line = dash.query_one("#column-meaning", Static)
        assert rendered(line).startswith("▼ Days = Days active: Days in the period")
        table.sort_by("generations")
        await until(pilot, lambda: "Gen = Generations" in rendered(line), "the line to follow the sort")
        await pilot.press("S")
        await until(pilot, lambda: rendered(line).startswith("▲ Gen"), "the direction")
        gen = next(c for c in table.columns if c.key == "generations")
        assert table.column_help(gen) == catalog.explain("generations")
        x = next(i for i in range(80) if table._column_at(i) is gen)
        await pilot.hover(UsersTable, offset=(x, 0))
        await until(pilot, lambda: table.tooltip == catalog.explain("generations"), "the header's tooltip")
        totals = dash.query_one(TotalsPane)
        assert totals.figure_at(0, 0) is FIGURES[0]  # compact strip at 80x24: Active users first
        await pilot.resize_terminal(160, 48)
        await until(pilot, lambda: totals.figure_at(1, 1) is FIGURES[1], "the grid's second figure")  # column 1
        assert not totals.compact
