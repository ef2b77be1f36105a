"""The demo's periods and its export, one measure per child process.

    python -m benchmarks.demo periods [--rounds 2]
    python -m benchmarks.demo export [--fresh]
    python -m benchmarks.demo adoption [--rounds 2]

``periods``: a ``DemoSource`` as the app opens it (report files and facts kept under the benchmark's data directory
by an earlier run). For every org and the enterprise and each period (the last 28, 7, 90 and 120 days: the demo's
whole history), the first visit and a visit after the first (once every period of the scope was visited), each
with the comparison period the dashboard loads beside it: seconds to the users aggregates in hand, what the
dashboard paints from. Beside them, the road before the facts, in turns with them: the period's users aggregate
folded from the demo's report lines (``metrics.aggregate``, in this process), as every visit did.

``adoption``: for every org and the enterprise and each period, seconds to the adoption over time (the Adoption
tab's history of the period's users against every day before it) once the period and its comparison are loaded,
as the dashboard has them when the tab is opened: a fresh source on the kept files each round.

``export``: seconds of ``copilot-tui --demo export --enterprise octo-enterprise --last 120`` as a user runs it (a
fresh process), after a first run that kept the demo's files and facts; ``--fresh`` drops them first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.launch import env_for, peak_rss_mb

PERIODS = (28, 7, 90, 120)
EXPORT = ("--demo", "export", "--enterprise", "octo-enterprise", "--last", "120")


def kept_file() -> Path:
    return Path(env_for(None)["COPILOT_TUI_DATA_DIR"]) / "demo-reports.bin"


def periods(rounds: int) -> dict[str, dict[str, float]]:
    """Per scope and period (best of ``rounds``, each round a fresh source on the files and facts kept): ``first``,
    the first visit (``first_cpu`` its CPU seconds, every thread of this process) (the period and its comparison, the period of equal length before it, as the dashboard
    loads them); ``again``, a visit after the first, once every period of the scope has been visited; ``fold``,
    the road before (the period's lines folded, as every visit did), in turns with them."""
    from datetime import timedelta

    from copilot_tui.metrics.aggregate import aggregate_users
    from copilot_tui.sources.demo import DemoSource

    results: dict[str, dict[str, float]] = {}

    def keep(key: str, **figures: float) -> None:
        best = results.setdefault(key, figures)
        for name, value in figures.items():
            best[name] = min(best.get(name, value), value)

    async def visit(source: DemoSource, scope: object, days: int) -> tuple[float, float, Any]:
        started, cpu = time.perf_counter(), time.process_time()
        snap = await source.load(scope, days=days)  # type: ignore[arg-type]
        snap.users_aggregate()
        before = await source.load(scope, days=days, until=snap.first_day - timedelta(days=1))  # type: ignore[arg-type]
        before.users_aggregate()
        return time.perf_counter() - started, time.process_time() - cpu, snap

    async def run() -> None:
        for _ in range(rounds):
            source = DemoSource(keep_in=kept_file())
            scopes = await source.scopes()
            for scope in scopes:
                for days in PERIODS:
                    seconds, cpu, snap = await visit(source, scope, days)
                    parts = [(name, b"".join(chunks)) for name, chunks in snap.users_parts()]
                    started = time.perf_counter()
                    aggregate_users(parts, snap.period)
                    keep(f"{scope} {days}", first=seconds, first_cpu=cpu, fold=time.perf_counter() - started)
                for days in PERIODS:
                    seconds, cpu, _snap = await visit(source, scope, days)
                    keep(f"{scope} {days}", again=seconds, again_cpu=cpu)

    asyncio.run(run())
    return results


def adoption(rounds: int) -> dict[str, float]:
    """Per scope and period (best of ``rounds``): seconds of the period's adoption history, the period and its
    comparison loaded first (not timed)."""
    from datetime import timedelta

    from copilot_tui.metrics.adoption import DEFAULT_ENGAGED_DAYS
    from copilot_tui.sources.demo import DemoSource

    results: dict[str, float] = {}

    async def run() -> None:
        for _ in range(rounds):
            source = DemoSource(keep_in=kept_file())
            for scope in await source.scopes():
                for days in PERIODS:
                    snap = await source.load(scope, days=days)
                    snap.users_aggregate()
                    before = await source.load(scope, days=days, until=snap.first_day - timedelta(days=1))
                    before.users_aggregate()
                    started = time.perf_counter()
                    snap.user_history(DEFAULT_ENGAGED_DAYS)
                    seconds = time.perf_counter() - started
                    key = f"{scope} {days}"
                    results[key] = min(results.get(key, seconds), seconds)

    asyncio.run(run())
    return results


def export(fresh: bool) -> dict[str, float]:
    """One run of the demo export in a fresh process: seconds, its CPU seconds and peak RSS."""
    import resource

    if fresh:
        kept = kept_file()
        kept.unlink(missing_ok=True)
        shutil.rmtree(kept.with_name(kept.name + ".facts"), ignore_errors=True)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "copilot_tui", *EXPORT], capture_output=True, check=False, env=env_for(None)
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"demo export failed:\n{done.stderr.decode()[-4000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": after.ru_maxrss / 1024, "bytes": len(done.stdout)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.demo")
    parser.add_argument("measure", choices=("periods", "adoption", "export"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--fresh", action="store_true", help="export: drop the kept files and facts first")
    args = parser.parse_args(argv)
    if args.measure == "periods":
        result: dict[str, object] = {"periods": periods(max(1, args.rounds)), "peak_rss_mb": peak_rss_mb()}
    elif args.measure == "adoption":
        result = {"adoption": adoption(max(1, args.rounds)), "peak_rss_mb": peak_rss_mb()}
    else:
        result = dict(export(args.fresh))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
