"""The demo's periods and its export, one measure per child process.

    python -m benchmarks.demo periods [--rounds 2]
    python -m benchmarks.demo export [--fresh]

``periods``: one ``DemoSource`` as the app opens it (report files and facts kept under the benchmark's data
directory by an earlier run). For every org and the enterprise, the first visit (the last 28 days) and then other
periods (7, 90 and 120 days, the demo's whole history; a period never asked for by this source): seconds from ``load`` to the users
aggregate in hand, what the dashboard paints from. Beside each, the road before the facts, in turns with it: the
same period's users aggregate folded from the demo's report lines (``metrics.aggregate``, in this process).

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

from benchmarks.launch import env_for, peak_rss_mb

PERIODS = (7, 90, 120)
EXPORT = ("--demo", "export", "--enterprise", "octo-enterprise", "--last", "120")


def kept_file() -> Path:
    return Path(env_for(None)["COPILOT_TUI_DATA_DIR"]) / "demo-reports.bin"


def periods(rounds: int) -> dict[str, dict[str, float]]:
    """Per scope and period: ``facts`` (load + users aggregate, best of ``rounds``, each round a period not seen
    before by a fresh source) and ``fold`` (the road before, best of ``rounds``, in turns with it)."""
    from copilot_tui.metrics.aggregate import aggregate_users
    from copilot_tui.source import DemoSource

    results: dict[str, dict[str, float]] = {}

    async def visit(source: DemoSource, scope: object, days: int) -> tuple[float, object]:
        started = time.perf_counter()
        snap = await source.load(scope, days=days)  # type: ignore[arg-type]
        snap.users_aggregate()
        return time.perf_counter() - started, snap

    async def run() -> None:
        for _ in range(rounds):
            source = DemoSource(keep_in=kept_file())
            for scope in await source.scopes():
                first, _snap = await visit(source, scope, 28)
                key = f"{scope} 28 first"
                results.setdefault(key, {"facts": first, "fold": 0.0})
                results[key]["facts"] = min(results[key]["facts"], first)
                for days in PERIODS:
                    seconds, snap = await visit(source, scope, days)
                    parts = [(name, b"".join(chunks)) for name, chunks in snap.users_parts()]  # type: ignore[attr-defined]
                    started = time.perf_counter()
                    aggregate_users(parts, snap.period)  # type: ignore[attr-defined]
                    fold = time.perf_counter() - started
                    key = f"{scope} {days}"
                    best = results.setdefault(key, {"facts": seconds, "fold": fold})
                    best["facts"], best["fold"] = min(best["facts"], seconds), min(best["fold"], fold)
            del source

    asyncio.run(run())
    return results


def export(fresh: bool) -> dict[str, float]:
    """One run of the demo export in a fresh process: seconds and its peak RSS (the child's ``ru_maxrss``)."""
    import resource

    if fresh:
        kept = kept_file()
        kept.unlink(missing_ok=True)
        shutil.rmtree(kept.with_name(kept.name + ".facts"), ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "copilot_tui", *EXPORT], capture_output=True, check=False, env=env_for(None)
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"demo export failed:\n{done.stderr.decode()[-4000:]}")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "peak_rss_mb": rss, "bytes": len(done.stdout)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.demo")
    parser.add_argument("measure", choices=("periods", "export"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--fresh", action="store_true", help="export: drop the kept files and facts first")
    args = parser.parse_args(argv)
    if args.measure == "periods":
        result: dict[str, object] = {"periods": periods(max(1, args.rounds)), "peak_rss_mb": peak_rss_mb()}
    else:
        result = dict(export(args.fresh))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
