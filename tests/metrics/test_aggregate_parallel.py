"""The fold split between processes gives the same aggregate as one process."""

from __future__ import annotations

import orjson
import pytest

from copilot_tui.metrics.aggregate import UsersAggregator, aggregate_users
from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.metrics.derive import Period
from copilot_tui.metrics.parallel import LineRouter


@pytest.mark.parametrize("workers", [1, 2])
def test_workers_fold_to_the_same_aggregate_as_one_process(workers: int) -> None:
    ds = DemoDataset(days=20)
    period = Period.last(10, ds.last_day)
    parts = [
        (d.isoformat(), b"".join(ds.iter_ndjson("org", ds.orgs[1].login, "users-1-day", d)))
        for d in Period.last(12, ds.last_day).each_day()
    ]
    # a bad line in a part and a user seen twice on a day, both on the workers' side and on this process's
    first_user = orjson.loads(parts[-1][1].split(b"\n")[0])
    bad_for_a_worker = orjson.dumps({"day": ds.last_day.isoformat(), "user_id": 63, "user_login": 5, "used_chat": 1})
    parts.insert(3, ("bad", b'{"day": "x", "user_id": 1}\n{oops\n' + orjson.dumps(first_user) + b"\n"))
    parts.insert(5, ("bad too", b"\n" + bad_for_a_worker + b"\n"))
    parts.append(("again", parts[-1][1]))
    alone = aggregate_users(parts, period, workers=0)
    router = LineRouter(period, workers, parallel_bytes=1)
    agg = UsersAggregator(period)
    with router:
        agg.add_parts(parts, router)
        router.finish(agg)
    assert router.started == workers
    split = agg.result()
    assert [(p.source, p.line_no) for p in alone.problems] == [("bad", 1), ("bad", 2), ("bad too", 2)]
    assert split == alone
    assert aggregate_users(parts, period, workers=workers, parallel_bytes=1) == alone


def test_a_small_report_starts_no_worker() -> None:
    ds = DemoDataset(days=5)
    period = Period.last(3, ds.last_day)
    parts = [
        (d.isoformat(), b"".join(ds.iter_ndjson("org", ds.orgs[1].login, "users-1-day", d))) for d in period.each_day()
    ]
    router = LineRouter(period, 1)
    agg = UsersAggregator(period)
    with router:
        agg.add_parts(parts, router)
        router.finish(agg)
    assert router.started == 0
    assert agg.result() == aggregate_users(parts, period, workers=0)
