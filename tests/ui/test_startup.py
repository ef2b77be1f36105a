"""Start-up does each piece of work once: one load of the first scope, no second apply of the same data."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from copilot_tui.app import CopilotApp, LaunchOptions
from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.scope import Scope
from copilot_tui.sources.demo import DemoSource
from copilot_tui.sources.snapshot import Snapshot
from copilot_tui.ui.screens.dashboard import same_data
from copilot_tui.ui.widgets.users import UsersTable
from tests.ui.conftest import dashboard, settle

GARAGE = Scope("org", "octo-garage")


class CountingDemo(DemoSource):
    """The demo, counting the loads of the latest period (the comparison asks for an earlier one)."""

    def __init__(self, dataset: Any = None) -> None:
        super().__init__(dataset)
        self.latest_loads: list[Scope] = []

    async def load(self, scope: Scope, *, days: int = 28, until: date | None = None, **kw: Any) -> Snapshot:
        if until is None:
            self.latest_loads.append(scope)
        return await super().load(scope, days=days, until=until, **kw)


async def test_the_first_scope_is_loaded_once_when_the_app_picks_it_before_the_dashboard_mounts() -> None:
    source = CountingDemo(DemoDataset())
    # no --org and nothing remembered: the app's scope discovery opens the first org
    app = CopilotApp(LaunchOptions(demo=True), source=source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = dashboard(app).view
        assert view is not None and view.scope == GARAGE
        assert source.latest_loads == [GARAGE]


class StoreLike(DemoSource):
    """A source like the offline one: ``cached`` paints the stored copy, then ``load`` finds the same data."""

    def __init__(self, dataset: Any = None, *, changed: bool = False) -> None:
        super().__init__(dataset)
        self.changed = changed
        self.loads = 0

    async def cached(self, scope: Scope, *, days: int = 28, until: date | None = None) -> Snapshot | None:
        snap = await DemoSource.load(self, scope, days=days, until=until)
        return dataclasses.replace(snap, data_version="v1", _memo=dict(snap._memo))

    async def load(self, scope: Scope, *, days: int = 28, until: date | None = None, **kw: Any) -> Snapshot:
        self.loads += 1
        snap = await DemoSource.load(self, scope, days=days, until=until, **kw)
        if self.changed:  # new data: a new aggregate, as a source computes it for a new data version
            return dataclasses.replace(snap, data_version=f"v{1 + self.loads}", _memo={})
        return dataclasses.replace(snap, data_version="v1", _memo=dict(snap._memo))


async def run_store_like(source: StoreLike) -> tuple[int, Any]:
    calls = 0
    original = UsersTable.set_rows

    def counting(self: UsersTable, *args: Any, **kw: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(self, *args, **kw)

    UsersTable.set_rows = counting  # type: ignore[method-assign, assignment]
    try:
        app = CopilotApp(LaunchOptions(offline=True, org=GARAGE.name), source=source)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            dash = dashboard(app)
            assert dash.view is not None and dash.view.users
            return calls, dash.snapshot
    finally:
        UsersTable.set_rows = original  # type: ignore[method-assign]


async def test_a_load_that_finds_the_stored_data_unchanged_does_not_fill_the_table_again() -> None:
    source = StoreLike(DemoDataset())
    calls, shown = await run_store_like(source)
    assert source.loads == 1
    assert calls == 1
    assert shown.data_version == "v1"


async def test_a_load_that_brings_new_data_fills_the_table_again() -> None:
    source = StoreLike(DemoDataset(), changed=True)
    calls, shown = await run_store_like(source)
    assert calls >= 2
    assert shown.data_version == "v2"


def test_same_data_needs_a_known_version_and_an_equal_key() -> None:
    snap = Snapshot(GARAGE, [], date(2026, 10, 27), date(2026, 11, 23), None, data_version="a")
    assert same_data(snap, dataclasses.replace(snap))
    assert not same_data(snap, dataclasses.replace(snap, data_version="b"))
    assert not same_data(snap, dataclasses.replace(snap, last_day=date(2026, 11, 22)))
    assert not same_data(snap, dataclasses.replace(snap, missing_days=(date(2026, 11, 1),)))
    unknown = dataclasses.replace(snap, data_version=None)
    assert not same_data(unknown, dataclasses.replace(unknown))
    assert not same_data(snap, object())


async def test_the_table_gets_the_views_ready_made_columns_computed_once() -> None:
    from copilot_tui.ui.widgets.users import COMPUTED_KEYS

    given: list[Any] = []
    original = UsersTable.set_rows

    def spying(self: UsersTable, rows: Any, values: Any = None) -> None:
        given.append(values)
        original(self, rows, values)

    UsersTable.set_rows = spying  # type: ignore[method-assign, assignment]
    try:
        app = CopilotApp(LaunchOptions(demo=True, org=GARAGE.name), source=DemoSource(DemoDataset()))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            view = dashboard(app).view
            assert view is not None and view.previous_totals is not None  # the comparison has been applied
    finally:
        UsersTable.set_rows = original  # type: ignore[method-assign]
    assert len(given) == 1 and all(given[0][key] is view.user_values[key] for key in COMPUTED_KEYS)
    assert set(COMPUTED_KEYS) <= set(view.user_values)  # users held as columns give every column the table shows
    for key, values in view.user_values.items():
        assert values == [getattr(u, key) for u in view.users]


async def test_a_second_demo_start_reads_the_kept_report_files(app_dirs: dict[str, Path], monkeypatch: Any) -> None:
    """``--demo`` keeps what it generated under the data dir; the next start generates nothing and shows the same."""
    from copilot_tui import locations

    first = CopilotApp(LaunchOptions(demo=True, org=GARAGE.name))
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = dashboard(first).view
    assert shown is not None and locations.demo_cache_file().exists()

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"the demo made a report file again: {args}")

    monkeypatch.setattr(DemoDataset, "iter_ndjson", refuse)
    second = CopilotApp(LaunchOptions(demo=True, org=GARAGE.name))
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        again = dashboard(second).view
    assert again is not None
    assert (again.totals, again.users, again.series) == (shown.totals, shown.users, shown.series)
