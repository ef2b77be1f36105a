"""A demo period visited again is answered from what its first visit computed: no snapshot built, no report made,
no query of the facts."""

from __future__ import annotations

from typing import Any

import pytest

from copilot_tui import facts
from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.sources.demo import DemoSource
from tests.ui.conftest import dashboard, demo_app, settle


def count_calls(monkeypatch: pytest.MonkeyPatch, calls: list[str], owner: Any, name: str) -> None:
    original = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)


async def test_a_period_visited_again_computes_nothing_new(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    count_calls(monkeypatch, calls, DemoSource, "_build")
    count_calls(monkeypatch, calls, DemoSource, "_seats")
    count_calls(monkeypatch, calls, DemoDataset, "iter_ndjson")
    count_calls(monkeypatch, calls, facts, "connect")
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert dashboard(app).view is not None and dashboard(app).view.period.days == 28  # type: ignore[union-attr]
        await pilot.press("1")
        await settle(pilot)
        assert dashboard(app).view.period.days == 7  # type: ignore[union-attr]
        first = len(calls)
        assert "_build" in calls, "the first visits built their periods"

        await pilot.press("3")  # 28 days again, with the 28 days before it beside it
        await settle(pilot)
        assert dashboard(app).view.period.days == 28  # type: ignore[union-attr]
        await pilot.press("1")
        await settle(pilot)
        assert dashboard(app).view.period.days == 7  # type: ignore[union-attr]
        assert calls[first:] == []
