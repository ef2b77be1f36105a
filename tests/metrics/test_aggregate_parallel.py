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
    router = LineRouter(period, workers, parallel_bytes=1, fold=UsersAggregator)
    agg = UsersAggregator(period)
    with router:
        agg.add_parts(parts, router)
        router.finish(agg)
    assert router.started == workers
    split = agg.result()
    unread = [(p.source, p.line_no) for p in alone.problems if "again" not in p.message]
    assert unread == [("bad", 1), ("bad", 2), ("bad too", 2)]
    repeats = [(p.source, p.line_no) for p in alone.problems if "again" in p.message]
    last = parts[-2][0]
    assert repeats == [(last, 1), *(("again", n) for n in range(1, parts[-1][1].count(b"\n") + 1))]
    assert split == alone
    assert aggregate_users(parts, period, workers=workers, parallel_bytes=1) == alone


def test_a_small_report_starts_no_worker() -> None:
    ds = DemoDataset(days=5)
    period = Period.last(3, ds.last_day)
    parts = [
        (d.isoformat(), b"".join(ds.iter_ndjson("org", ds.orgs[1].login, "users-1-day", d))) for d in period.each_day()
    ]
    router = LineRouter(period, 1, fold=UsersAggregator)
    agg = UsersAggregator(period)
    with router:
        agg.add_parts(parts, router)
        router.finish(agg)
    assert router.started == 0
    assert agg.result() == aggregate_users(parts, period, workers=0)


def test_a_fold_merged_in_pieces_equals_one_fold() -> None:
    ds = DemoDataset(days=12)
    period = Period.last(8, ds.last_day)
    parts = [
        (d.isoformat(), b"".join(ds.iter_ndjson("org", ds.orgs[1].login, "users-1-day", d))) for d in period.each_day()
    ]
    whole = aggregate_users(parts, period, workers=0)
    # users split by id, except that the first user's last days land in the other fold (as a misrouted line would)
    first = whole.users[0].user_id
    mine, theirs = UsersAggregator(period), UsersAggregator(period)
    for day_index, (source, data) in enumerate(parts):
        for line_no, raw in enumerate(data.splitlines(), start=1):
            user_id = orjson.loads(raw)["user_id"]
            to_theirs = user_id % 3 == 0 if user_id != first else day_index >= 5
            (theirs if to_theirs else mine).add_numbered(source, [(line_no, raw)])
    pieces = list(theirs.export(users_per_piece=7))
    assert len(pieces) > 3 and pieces[0][0] == "totals"
    mine.merge(pieces)
    assert mine.result() == whole
