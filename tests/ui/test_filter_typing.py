"""A "/" whose filter never opened does not swallow the letters after it."""

from __future__ import annotations

from textual.widgets import TabbedContent

from tests.ui.conftest import dashboard, demo_app, settle, until


async def test_a_slash_refused_at_a_too_small_size_leaves_the_keys_their_bindings() -> None:
    """At a size too small for the dashboard every action is refused, "/" too: the letters after it, once the
    terminal is large enough, are key bindings again ("a" the Adoption tab), not text for a filter never opened."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        await pilot.resize_terminal(30, 10)
        await until(pilot, lambda: dash.has_class("-too-small"), "the too-small notice")
        await pilot.press("slash")
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: not dash.has_class("-too-small"), "the dashboard again")
        await pilot.press("a")
        await until(pilot, lambda: dash.query_one(TabbedContent).active == "tab-adoption", "the adoption tab")
        assert dash._filter_field().value == ""
