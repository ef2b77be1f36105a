"""``copilot_tui.licenses``: seats from the demo, the live client (the fake GitHub) or nowhere (offline)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from copilot_tui import licenses
from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from copilot_tui.github.client import GitHubClient
from copilot_tui.metrics.demo import DemoDataset, DemoOrg
from copilot_tui.metrics.seats import Seat
from copilot_tui.scope import Scope


def seat(login: str, last: date | None, pending: date | None = None) -> Seat:
    when = datetime(last.year, last.month, last.day, 12) if last else None
    return Seat(login, None, "business", None, when, None, pending)


def test_counted_breakdown_splits_on_the_cycle() -> None:
    today = date(2026, 3, 31)
    seats = [
        seat("a", today - timedelta(days=30)),
        seat("b", today - timedelta(days=31)),
        seat("c", None, pending=today),
        seat("d", today),
    ]
    assert licenses.count_breakdown(seats, today) == {
        "total": 4,
        "pending_cancellation": 1,
        "active_this_cycle": 2,
        "inactive_this_cycle": 2,
    }


def small() -> DemoDataset:
    return DemoDataset(orgs=(DemoOrg("ant", "3001", 12, 2), DemoOrg("bee", "3002", 9, 2)), days=20, enterprise="hive")


def test_demo_enterprise_seats_span_its_orgs_and_name_them() -> None:
    dataset = small()
    report = licenses.demo_seats(dataset, Scope("enterprise", "hive"))
    assert len(report.seats) == 21 and report.counted
    assert report.today == dataset.last_day + timedelta(days=1)
    assert {report.organization_of[s["assignee"]["id"]] for s in dataset.seats(dataset.orgs[1])} == {"bee"}
    with pytest.raises(licenses.SeatsUnavailableError):
        licenses.demo_seats(dataset, Scope("org", "nope"))


async def test_each_source_answers_for_its_seats(tmp_path: Any) -> None:
    from copilot_tui.sources.demo import DemoSource
    from copilot_tui.sources.offline import OfflineSource
    from copilot_tui.store import Store

    dataset = small()
    report = await licenses.load_seats(DemoSource(dataset), Scope("org", "ant"))
    assert [s.login for s in report.seats] == [s["assignee"]["login"] for s in dataset.seats(dataset.orgs[0])]
    offline = OfflineSource(Store("github.com", tmp_path))
    with pytest.raises(licenses.SeatsUnavailableError, match="offline"):
        await licenses.load_seats(offline, Scope("org", "ant"))
    await offline.aclose()


async def test_live_org_seats_use_the_billing_breakdown(fakehub: FakeGitHub) -> None:
    org = fakehub.dataset.orgs[0]
    async with GitHubClient(OWNER_TOKEN, api_url=fakehub.api_url) as client:
        report = await licenses.live_seats(client, Scope("org", org.login))
    dataset: Any = fakehub.dataset
    raw = dataset.seats(org)
    assert not report.counted
    assert report.breakdown["total"] == len(raw) == len(report.seats)
    assert report.breakdown["pending_cancellation"] == sum(1 for s in raw if s["pending_cancellation_date"])
