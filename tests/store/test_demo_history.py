"""The demo's adoption over time: the figures of the raw lines (``tests.adoption_oracle``), made without building
a report for any day before the previous period (those days only say who was seen, which the demo knows cheaply)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from copilot_tui.metrics.demo import DEMO_ORGS, DemoDataset
from copilot_tui.metrics.derive import Period
from copilot_tui.scope import Scope
from copilot_tui.sources.demo import DemoSource
from tests.adoption_oracle import history_by_hand

SMALL = DemoDataset(orgs=DEMO_ORGS[:2], days=50)
SCOPES = [Scope("org", SMALL.orgs[1].login), Scope("enterprise", SMALL.enterprise)]


class CountingDataset(DemoDataset):
    """The small dataset, counting the users reports it builds by day."""

    def __init__(self) -> None:
        super().__init__(orgs=DEMO_ORGS[:2], days=50)
        self.built: list[date] = []

    def iter_ndjson(self, scope: str, entity: str, kind: str, day: date | None = None):  # type: ignore[no-untyped-def]
        if kind == "users-1-day" and day is not None:
            self.built.append(day)
        return super().iter_ndjson(scope, entity, kind, day)


def raw(scope: Scope, day: date) -> bytes:
    return b"".join(SMALL.iter_ndjson(scope.kind, scope.name, "users-1-day", day))


@pytest.mark.parametrize("scope", SCOPES, ids=str)
@pytest.mark.parametrize(("days", "until_back", "engaged_days"), [(7, 0, 2), (14, 0, 4), (7, 10, 3), (28, 0, 4)])
async def test_demo_history_is_the_raw_lines_own(scope: Scope, days: int, until_back: int, engaged_days: int) -> None:
    dataset = CountingDataset()
    source = DemoSource(dataset)
    until = dataset.last_day - timedelta(days=until_back)
    snap = await source.load(scope, days=days, until=until)
    history = snap.user_history(engaged_days)
    assert history is not None
    period = Period(snap.first_day, snap.last_day)
    expected = history_by_hand(lambda d: raw(scope, d), SMALL.first_day, period, engaged_days)
    assert {k: getattr(history, k) for k in expected} == expected
    assert history.first_day == SMALL.first_day
    assert history.days_before == (period.start - SMALL.first_day).days
    assert history.previous_days == min(days, (period.start - SMALL.first_day).days)
    assert min(dataset.built) >= period.previous().start, "a day before the previous period was built"
