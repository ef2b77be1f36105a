"""The facts road (``copilot_tui.facts``): ingest against the decode-only floor, and a period as a query.

    python -m benchmarks.facts MEASURE USERS [--days 28] [--period 28] [--count 1]

MEASUREs, each printing one JSON line (seconds, peak RSS):

- ``prepare``: facts of ``--days`` days for USERS users under /tmp/copilot-tui-bench/facts-USERS: the first two days
  ingested from stamped demo lines (:mod:`benchmarks.data`, every user active every day), the other days copies of
  those two with the day rewritten (a year at 50k users would be 55 GB of NDJSON to ingest: the query reads the
  same rows either way);
- ``blocks``: the blocks of every day held made anew, as the sync that stored the days makes them;
- ``query``: a fresh process answers the last ``--period`` days with ``Facts.aggregate`` (DuckDB imported
  included) and counts its users as the dashboard does (``period_users``), as the app does after its first paint:
  from the period's rollup an earlier read kept; ``--fresh``: from a copy of the facts without blocks (the road
  before blocks were made at sync: a period's first open made them); ``--blocks-only``: the road before kept
  periods, the period rolled up from its blocks and every user's summary made whole; ``--days-only``: the road
  before the blocks, every day's facts read (no block read or made);
- ``ingest``: the last ``--count`` days of a users report of USERS users (stamped lines, one file a day) ingested
  into a scratch directory; ``floor``: the same files split and decoded with orjson (the decode-only floor); both
  with the CPU seconds of every thread besides the wall clock (DuckDB uses every core, the floor one);
- ``refresh``: the last ``--count`` days stored anew into a copy of the facts and the blocks holding them made
  (``--at-read``: left to the first read, the road before), then the last 28 and 365 days read; every step's
  seconds and CPU seconds;
- ``fold``: the road before, ``metrics.aggregate`` folding the raw files of the last ``--period`` days in one
  process (what a period cost before the facts).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.data import day_lines, file_chunks, line_pool, write_users_report
from benchmarks.launch import END_DAY, WORK, peak_rss_mb


def cpu_seconds() -> float:
    """CPU seconds of this process so far, every thread (DuckDB's too): on a shared machine a fairer figure than
    the wall clock."""
    import resource

    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def facts_dir(users: int) -> Path:
    return WORK / f"facts-{users}"


def prepare(users: int, days: int) -> dict[str, float]:
    from copilot_tui.facts import Facts, connect

    facts = Facts(facts_dir(users))
    held = facts.held()
    wanted = [END_DAY - timedelta(days=days - 1 - i) for i in range(days)]
    con = connect()
    pool = None
    seeds: list[Path] = []
    for i in range(2):
        day = END_DAY - timedelta(days=i)
        if day not in held:
            pool = pool or line_pool()
            facts.ingest(day, "bench", [("bench", b"".join(day_lines(pool, users, day, i)))], con)
        seeds.append(facts.path(day, "bench"))
    for i, day in enumerate(reversed(wanted)):
        if day in held or i < 2:
            continue
        out = facts.path(day, "bench")
        tmp = out.with_name(f".{out.name}.tmp")
        con.execute(
            f"COPY (SELECT * REPLACE (DATE '{day.isoformat()}' AS day) FROM read_parquet('{seeds[i % 2]}'))"
            f" TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)"
        )
        os.replace(tmp, out)
    size = sum(p.stat().st_size for p in facts.dir.glob("*.parquet"))
    return {"seconds": 0.0, "bytes": size, "peak_rss_mb": peak_rss_mb()}


def blocks(users: int) -> dict[str, float]:
    """The blocks of every day held made anew, as the sync that stored them makes them (``Facts.make_blocks``):
    the blocks kept are dropped first."""
    from copilot_tui.facts import Facts

    facts = Facts(facts_dir(users))
    shutil.rmtree(facts.blocks, ignore_errors=True)
    started, before = time.perf_counter(), cpu_seconds()
    made = facts.make_blocks(facts.held())
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - before
    return {"seconds": seconds, "cpu_seconds": cpu, "blocks": made, "peak_rss_mb": peak_rss_mb()}


def refresh(users: int, count: int, at_read: bool = False) -> dict[str, float]:
    """The last ``count`` days stored anew in a copy of the facts (hard links: nothing is copied) and their
    blocks made as a sync makes them, then the last 28 and 365 days read; ``at_read``: the road before, the blocks
    left to the first read of each period."""
    from copilot_tui.facts import Facts, connect
    from copilot_tui.metrics.derive import Period

    paths = report_files(users, count)
    datas = [p.read_bytes() for p in paths]
    scratch = Path(tempfile.mkdtemp(prefix="facts-refresh-", dir=WORK))
    try:
        shutil.copytree(facts_dir(users), scratch / "facts", copy_function=os.link)
        facts = Facts(scratch / "facts")
        days = facts.held()
        changed = [END_DAY - timedelta(days=count - 1 - i) for i in range(count)]
        con = connect()
        figures: dict[str, float] = {}
        started, before = time.perf_counter(), cpu_seconds()
        for day, data in zip(changed, datas, strict=True):
            assert facts.ingest(day, "refreshed", [("bench", data)], con).fast
            days[day] = "refreshed"
        figures |= {"ingest_seconds": time.perf_counter() - started, "ingest_cpu_seconds": cpu_seconds() - before}
        started, before = time.perf_counter(), cpu_seconds()
        made = 0 if at_read else facts.make_blocks(days, among=changed, con=con)
        figures |= {"blocks_seconds": time.perf_counter() - started, "blocks_cpu_seconds": cpu_seconds() - before}
        for period_days in (28, 365):
            period = Period.last(period_days, END_DAY)
            started, before = time.perf_counter(), cpu_seconds()
            agg = facts.aggregate(period, {d: t for d, t in days.items() if d in period}, con)
            assert len(agg.users) == users
            figures |= {
                f"read{period_days}_seconds": time.perf_counter() - started,
                f"read{period_days}_cpu_seconds": cpu_seconds() - before,
            }
        con.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {
        "seconds": figures["ingest_seconds"] + figures["blocks_seconds"],
        "cpu_seconds": figures["ingest_cpu_seconds"] + figures["blocks_cpu_seconds"],
        "blocks": made,
        **figures,
        "peak_rss_mb": peak_rss_mb(),
    }


def query(
    users: int, period_days: int, fresh: bool = False, days_only: bool = False, blocks_only: bool = False
) -> dict[str, float]:
    root = facts_dir(users)
    scratch = None
    if fresh:  # a copy of the facts without their blocks (hard links): the kept blocks stay for the other runs
        scratch = Path(tempfile.mkdtemp(prefix="facts-fresh-", dir=WORK))
        shutil.copytree(root, scratch / "facts", copy_function=os.link, ignore=shutil.ignore_patterns("blocks-*"))
        root = scratch / "facts"
    try:
        started = time.perf_counter()
        from copilot_tui import facts as facts_module
        from copilot_tui.facts import Facts
        from copilot_tui.metrics.derive import Period, period_users

        if days_only:
            facts_module.BLOCK_LEVELS = 0
        if days_only or blocks_only:  # the roads before kept periods: none can be written there
            Facts.period_path = lambda *_: Path("/nonexistent/period.parquet")  # type: ignore[method-assign]
        facts = Facts(root)
        period = Period.last(period_days, END_DAY)
        days = {d: t for d, t in facts.held().items() if d in period}
        if len(days) != period_days:
            raise SystemExit(f"facts of {users} users hold {len(days)} of the {period_days} days: prepare first")
        agg = facts.aggregate(period, days)
        if days_only or blocks_only:
            for user in agg.users:  # the roads before made every user's summary whole
                user.features  # noqa: B018
        counted = period_users(agg.users)  # as the dashboard counts them
        seconds = time.perf_counter() - started
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    assert len(agg.users) == users and agg.lines == users * period_days and counted.active == users
    return {"seconds": seconds, "cpu_seconds": cpu_seconds(), "peak_rss_mb": peak_rss_mb(), "lines": agg.lines}


def report_files(users: int, count: int) -> list[Path]:
    files = write_users_report(WORK / "reports", users, count, END_DAY)
    return list(files.paths)


def ingest(users: int, count: int) -> dict[str, float]:
    from copilot_tui.facts import Facts, connect

    files = write_users_report(WORK / "reports", users, count, END_DAY)
    datas = [p.read_bytes() for p in files.paths]  # in memory, as a download is when it is stored
    scratch = Path(tempfile.mkdtemp(prefix="facts-ingest-", dir=WORK))
    try:
        facts = Facts(scratch)
        con = connect()
        started, before = time.perf_counter(), cpu_seconds()
        for day, data in zip(files.days, datas, strict=True):  # a line of another day than its report is skipped
            result = facts.ingest(day, "bench", [("bench", data)], con)
            assert result.fast and result.rows == users
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - before
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {"seconds": seconds, "cpu_seconds": cpu, "bytes": sum(map(len, datas)), "peak_rss_mb": peak_rss_mb()}


def floor(users: int, count: int) -> dict[str, float]:
    import orjson

    from copilot_tui.metrics.parse import iter_lines

    paths = report_files(users, count)
    datas = [p.read_bytes() for p in paths]
    loads = orjson.loads
    started, before = time.perf_counter(), cpu_seconds()
    for data in datas:
        for line in iter_lines(data):
            loads(line)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - before
    return {"seconds": seconds, "cpu_seconds": cpu, "bytes": sum(map(len, datas)), "peak_rss_mb": peak_rss_mb()}


def fold(users: int, period_days: int) -> dict[str, float]:
    from copilot_tui.metrics.aggregate import aggregate_users
    from copilot_tui.metrics.derive import Period

    paths = report_files(users, period_days)
    period = Period.last(period_days, END_DAY)
    started = time.perf_counter()
    before = cpu_seconds()
    agg = aggregate_users(((str(p), file_chunks(p)) for p in paths), period)
    seconds = time.perf_counter() - started
    assert len(agg.users) == users
    return {"seconds": seconds, "cpu_seconds": cpu_seconds() - before, "peak_rss_mb": peak_rss_mb()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.facts")
    parser.add_argument("measure", choices=("prepare", "blocks", "query", "ingest", "floor", "fold", "refresh"))
    parser.add_argument("users", type=int)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--period", type=int, default=28)
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="query: drop the kept blocks first")
    parser.add_argument("--days-only", action="store_true", help="query: read every day's facts, no blocks")
    parser.add_argument("--at-read", action="store_true", help="refresh: blocks left to the first read")
    parser.add_argument("--blocks-only", action="store_true", help="query: roll the period up from its blocks")
    args = parser.parse_args(argv)
    if args.measure == "prepare":
        result = prepare(args.users, args.days)
    elif args.measure == "blocks":
        result = blocks(args.users)
    elif args.measure == "refresh":
        result = refresh(args.users, args.count, args.at_read)
    elif args.measure == "query":
        result = query(args.users, args.period, args.fresh, args.days_only, args.blocks_only)
    elif args.measure in ("ingest", "floor"):
        result = (ingest if args.measure == "ingest" else floor)(args.users, args.count)
    else:
        result = fold(args.users, args.period)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
