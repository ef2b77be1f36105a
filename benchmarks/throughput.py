"""Parse + aggregate throughput of a users report against the decode-only floor, one measure per child process.

    python -m benchmarks.throughput MEASURE USERS [--days 28]

MEASURE is ``floor`` (split the lines and decode each with orjson into dicts) or ``floor-msgspec`` (the same with
msgspec's generic decoder): the floor is the faster of the two, the fastest generic decoder installed; ``structs``
(decode each line with msgspec into the app's ``UserLine`` structs, which hold only the fields the fold reads: shown
beside the floor, no target), ``fast`` (the app's road: ``metrics.aggregate`` folding each line into the users'
summaries, series and breakdowns, no rows kept; on a machine with more than one core it folds in worker processes
too; ``fast-alone`` is the same in this process only) or ``typed`` (the road before: every line parsed into a ``UserDay`` and summed by ``metrics.derive``, all rows
held). Each prints one JSON line: seconds, lines, bytes, the process's peak RSS and its helper processes' (the
largest child's peak times the workers the fold starts, with one worker their sum, plus multiprocessing's resource
tracker). The report files come from :mod:`benchmarks.data` (stamped demo lines, one file per day).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import date
from pathlib import Path

import msgspec
import orjson

from benchmarks.data import file_chunks, write_users_report
from copilot_tui.metrics.parse import iter_lines

WORK = Path("/tmp/copilot-tui-bench")
END_DAY = date(2026, 11, 23)


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM: unlike ``ru_maxrss`` it does not carry over the parent's across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def tracker_peak_rss_mb() -> float:
    """The peak RSS of the resource tracker process that multiprocessing starts with the first 'spawn' worker
    (about 14 MB; it lives as long as this process, so it is never among the children waited for)."""
    from multiprocessing import resource_tracker

    pid = getattr(resource_tracker._resource_tracker, "_pid", None)
    if pid is None:
        return 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(what: str, users: int, days: int) -> dict[str, float]:
    from copilot_tui.metrics.derive import Period

    files = write_users_report(WORK / "reports", users, days, END_DAY)
    period = Period(files.days[0], files.days[-1])
    start_rss = peak_rss_mb()
    workers = 0
    t0 = time.perf_counter()
    if what in ("floor", "floor-msgspec", "structs"):
        if what == "floor":
            loads = orjson.loads
        elif what == "floor-msgspec":
            loads = msgspec.json.Decoder().decode
        else:
            from copilot_tui.metrics.userline import decode_strict as loads
        n = 0
        for path in files.paths:
            for line in iter_lines(file_chunks(path)):
                loads(line)
                n += 1
        assert n == files.lines
    elif what in ("fast", "fast-alone"):
        from copilot_tui.metrics.aggregate import aggregate_users
        from copilot_tui.metrics.parallel import default_workers

        workers = default_workers() if what == "fast" else 0
        agg = aggregate_users(((str(p), file_chunks(p)) for p in files.paths), period, workers=workers)
        assert agg.lines == files.lines and len(agg.users) == users and not agg.problems
    elif what == "typed":
        from copilot_tui.metrics.derive import breakdown, feature_series, summarize_users
        from copilot_tui.metrics.parse import parse_users_report

        rows = parse_users_report([(str(p), file_chunks(p)) for p in files.paths]).rows
        summaries = summarize_users(rows, period)
        feature_series(rows, period)
        for by in ("ide", "language", "model"):
            breakdown(rows, period, by)  # type: ignore[arg-type]
        assert len(rows) == files.lines and len(summaries) == users
    else:
        raise SystemExit(f"unknown measure {what!r}")
    seconds = time.perf_counter() - t0
    largest_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux; 0 if none ran
    helpers = largest_child * workers + tracker_peak_rss_mb() if largest_child else 0.0
    return {
        "seconds": seconds,
        "lines": files.lines,
        "bytes": files.bytes,
        "peak_rss_mb": peak_rss_mb(),
        "start_rss_mb": start_rss,
        "workers_peak_rss_mb": helpers,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.throughput")
    parser.add_argument(
        "measure", choices=("floor", "floor-msgspec", "structs", "fast", "fast-alone", "typed", "prepare")
    )
    parser.add_argument("users", type=int)
    parser.add_argument("--days", type=int, default=28)
    args = parser.parse_args(argv)
    if args.measure == "prepare":
        files = write_users_report(WORK / "reports", args.users, args.days, END_DAY)
        print(json.dumps({"bytes": files.bytes, "lines": files.lines}))
        return 0
    print(json.dumps(measure(args.measure, args.users, args.days)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
