"""copilot-tui at enterprise scale (issue 8): every figure beside a baseline measured in the same run and its target.

    python -m benchmarks [--check] [--sizes 10000,50000,200000] [--launch-users 50000] [--only SECTION,...]
                         [--rounds 2]

Sections (``--only``): ``throughput``, ``launch``, ``table``, ``downloads``, ``facts``. Each measure runs in a fresh child
process, so its peak RSS is its own and nothing is warm that a real start would not have warm.

- throughput: a users report of N users x 28 days (every user active every day, about 3 KB a line) is written once
  under /tmp/copilot-tui-bench by stamping new ids and logins into a pool of generated demo lines at the byte level
  (:mod:`benchmarks.data`: the demo generator itself would take an hour for 200k x 28). Baseline: splitting the
  lines and decoding each into dicts with the faster of orjson and msgspec's generic decoder (the floor), both
  measured in the run, in turns with the app's road, ``--rounds`` times each (best kept). Measured: the app's road (``metrics.aggregate``, with its worker processes on a machine of
  several cores; their peak RSS is added to the parent's), the same in one process, and, without a target, the
  decode alone into the fold's msgspec structs; at the sizes of ``--typed-sizes`` also the road before it (typed
  rows for every user-day, summed by ``metrics.derive``).
- launch: seconds from starting a process to the dashboard painted, for ``copilot-tui --offline`` on a store of
  ``--launch-users`` users x 28 days (as a sync leaves it), when the saved aggregate is current (every start but the
  first after new data) and when it must be computed from the reports; and for ``--demo``, with the report files an
  earlier demo start kept and at a first start (files generated). Baselines: the same interpreter importing the app
  and exiting, and a Textual app of one line and a footer painted the same way (the framework's floor). Children run
  with Python's bytecode cache on, as an installed app has it. Also the drill-down: one user's 28 rows read from
  that store. (The stamped lines repeat, so they compress about 25x where real reports compress about 10x: reading
  the store costs a little less here than it would with real data.)
- table: ``benchmarks/table.py`` (the users table's own benchmark) on the app's ``UserSummary`` rows, the computed
  columns given ready-made as the dashboard does: load, sort and filter at each size.
- facts: :mod:`benchmarks.facts`: at each of ``--facts-users`` sizes, the last 28, 90 and 365 days answered from
  per-day facts by a fresh process (time and peak RSS); ingest of three daily users reports against the decode-only
  floor (in turns); a refresh of 1 and of 3 days; and the fold it replaces for 28 days, side by side.
- downloads: 8 users reports of 4 parts each from the fake GitHub (in this process, its downloads answering after
  50 ms like a remote host), one part at a time vs the client's defaults with three reports at once (as a load).

Peak RSS is reported for every child: the aggregate at each size is the dashboard's data at that size.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZES = (10_000, 50_000, 200_000)
TARGET_AGGREGATE_VS_FLOOR = 2.0
TARGET_LAUNCH_S = 1.0
TARGET_DEMO_LAUNCH_S = 0.5
TARGET_SORT_FILTER_MS = 100.0
TARGET_RSS_MB = 1024.0
TARGET_QUERY_S = 1.0
TARGET_INGEST_VS_FLOOR = 1.5
TARGET_FACTS_RSS_MB = 500.0


@dataclass(slots=True)
class Row:
    section: str
    what: str
    value: str
    baseline: str
    target: str
    ok: bool | None

    @property
    def mark(self) -> str:
        return "" if self.ok is None else ("yes" if self.ok else "NO")


def child_json(args: Sequence[str]) -> dict[str, float]:
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child {' '.join(args)} failed:\n{done.stderr[-4000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def load_average() -> str:
    try:
        return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


# ------------------------------------------------------------------------------------------------------- sections


def throughput(sizes: Sequence[int], typed_sizes: set[int], rounds: int = 2) -> list[Row]:
    """``rounds``: the floors and the app's road are each measured this many times, in turns, and the best of each
    kept (the same for both sides of the ratio: one slow pass of either, on a shared machine, should not decide)."""
    rows = []
    for users in sizes:
        note(f"throughput: {users:,} users x 28 days (writing the report files once) ...")
        child_json(["-m", "benchmarks.throughput", "prepare", str(users)])
        runs: dict[str, list[dict[str, float]]] = {"orjson": [], "msgspec": [], "fast": []}
        for _ in range(rounds):
            for name, measure in (("orjson", "floor"), ("msgspec", "floor-msgspec"), ("fast", "fast")):
                runs[name].append(child_json(["-m", "benchmarks.throughput", measure, str(users)]))
        floors = {name: min(runs[name], key=lambda r: r["seconds"]) for name in ("orjson", "msgspec")}
        decoder, floor = min(floors.items(), key=lambda kv: kv[1]["seconds"])
        fast = min(runs["fast"], key=lambda r: r["seconds"])
        structs = child_json(["-m", "benchmarks.throughput", "structs", str(users)])
        alone = child_json(["-m", "benchmarks.throughput", "fast-alone", str(users)])
        mb = floor["bytes"] / 1e6
        lines = floor["lines"]
        label = f"{users // 1000}k users x 28 d ({lines / 1e6:.2f}M lines, {mb / 1000:.1f} GB)"
        ratio = fast["seconds"] / floor["seconds"]
        others = ", ".join(f"{name} {mb / f['seconds']:.0f}" for name, f in floors.items() if name != decoder)
        base = (
            f"decode only ({decoder}, the faster generic decoder; {others}) "
            f"{mb / floor['seconds']:.0f} MB/s, {lines / floor['seconds'] / 1000:.0f}k rows/s"
        )
        workers_rss = fast["workers_peak_rss_mb"]
        rows.append(
            Row(
                "parse+aggregate",
                label,
                f"{mb / fast['seconds']:.0f} MB/s, {lines / fast['seconds'] / 1000:.0f}k rows/s ({ratio:.2f}x)"
                + (" with worker processes" if workers_rss else " in one process")
                + (f"; best of {rounds}" if rounds > 1 else ""),
                base,
                f"<= {TARGET_AGGREGATE_VS_FLOOR:.0f}x floor",
                ratio <= TARGET_AGGREGATE_VS_FLOOR,
            )
        )
        rows.append(
            Row(
                "parse+aggregate",
                f"{users // 1000}k users: in one process (no workers)",
                f"{mb / alone['seconds']:.0f} MB/s ({alone['seconds'] / floor['seconds']:.2f}x), "
                f"{alone['peak_rss_mb']:.0f} MB RSS",
                base,
                "",
                None,
            )
        )
        rows.append(
            Row(
                "decode",
                f"{users // 1000}k users: typed decode only (msgspec into the fold's structs)",
                f"{mb / structs['seconds']:.0f} MB/s ({structs['seconds'] / floor['seconds']:.2f}x)",
                base,
                "",
                None,
            )
        )
        total_rss = fast["peak_rss_mb"] + workers_rss
        rows.append(
            Row(
                "peak RSS",
                f"{users // 1000}k users: aggregate"
                + (
                    f" (this process {fast['peak_rss_mb']:.0f} + workers and resource tracker {workers_rss:.0f})"
                    if workers_rss
                    else ""
                ),
                f"{total_rss:.0f} MB",
                f"decode only {floor['peak_rss_mb']:.0f} MB",
                f"< {TARGET_RSS_MB:.0f} MB",
                total_rss < TARGET_RSS_MB,
            )
        )
        if users in typed_sizes:
            typed = child_json(["-m", "benchmarks.throughput", "typed", str(users)])
            rows.append(
                Row(
                    "parse+aggregate",
                    f"{users // 1000}k users: typed rows + derive (before)",
                    f"{mb / typed['seconds']:.0f} MB/s ({typed['seconds'] / floor['seconds']:.2f}x), "
                    f"{typed['peak_rss_mb']:.0f} MB RSS",
                    base,
                    "",
                    None,
                )
            )
    return rows


def facts(users_list: Sequence[int], rounds: int = 2) -> list[Row]:
    """The facts road: a period as a query (at each size, periods up to a year), ingest against the decode-only
    floor (in turns, best of ``rounds``), a refresh of 1 and 3 days, and the fold it replaces side by side."""
    rows = []
    for users in users_list:
        note(f"facts: {users:,} users x 365 days of facts (made once) ...")
        made = child_json(["-m", "benchmarks.facts", "prepare", str(users), "--days", "365"])
        for period in (28, 90, 365):
            got = min(
                (
                    child_json(["-m", "benchmarks.facts", "query", str(users), "--period", str(period)])
                    for _ in range(rounds)
                ),
                key=lambda r: r["seconds"],
            )
            rows.append(
                Row(
                    "facts",
                    f"{users // 1000}k users x {period} d: period queried (fresh process; best of {rounds})",
                    f"{got['seconds']:.2f} s, {got['peak_rss_mb']:.0f} MB",
                    f"facts of a year {made['bytes'] / 1e6:.0f} MB",
                    f"< {TARGET_QUERY_S:.0f} s, < {TARGET_FACTS_RSS_MB:.0f} MB",
                    got["seconds"] < TARGET_QUERY_S and got["peak_rss_mb"] < TARGET_FACTS_RSS_MB,
                )
            )
    users = min(users_list)
    note(f"facts: ingest of {users:,}-user reports against the floor, the fold before ...")
    runs: dict[str, list[dict[str, float]]] = {"floor": [], "ingest": [], "ingest1": []}
    for _ in range(rounds):
        runs["floor"].append(child_json(["-m", "benchmarks.facts", "floor", str(users), "--count", "3"]))
        runs["ingest"].append(child_json(["-m", "benchmarks.facts", "ingest", str(users), "--count", "3"]))
        runs["ingest1"].append(child_json(["-m", "benchmarks.facts", "ingest", str(users), "--count", "1"]))
    best = {name: min(r, key=lambda x: x["seconds"]) for name, r in runs.items()}
    mb = best["floor"]["bytes"] / 1e6
    ratio = best["ingest"]["seconds"] / best["floor"]["seconds"]
    rows.append(
        Row(
            "facts",
            f"{users // 1000}k users: ingest of 3 daily reports ({mb:.0f} MB; best of {rounds})",
            f"{mb / best['ingest']['seconds']:.0f} MB/s ({ratio:.2f}x), {best['ingest']['peak_rss_mb']:.0f} MB",
            f"decode only (orjson) {mb / best['floor']['seconds']:.0f} MB/s",
            f"<= {TARGET_INGEST_VS_FLOOR}x floor",
            ratio <= TARGET_INGEST_VS_FLOOR,
        )
    )
    one, three = best["ingest1"]["seconds"], best["ingest"]["seconds"]
    rows.append(
        Row(
            "facts",
            f"{users // 1000}k users: refresh of 1 day / 3 days (ingest; the period is then a query)",
            f"{one:.2f} s / {three:.2f} s",
            "",
            "3 days <= 4x 1 day",
            three <= 4 * one,
        )
    )
    old = child_json(["-m", "benchmarks.facts", "fold", str(users), "--period", "28"])
    query28 = child_json(["-m", "benchmarks.facts", "query", str(users), "--period", "28"])
    rows.append(
        Row(
            "facts",
            f"{users // 1000}k users x 28 d: the fold before (one process) vs the query",
            f"query {query28['seconds']:.2f} s, {query28['peak_rss_mb']:.0f} MB",
            f"fold {old['seconds']:.2f} s, {old['peak_rss_mb']:.0f} MB",
            "",
            None,
        )
    )
    return rows


def launch(users: int) -> list[Row]:
    from benchmarks import launch as launch_bench

    note(f"launch: building the store of {users:,} users x 28 days once (about a minute per 50k) ...")
    rows = []
    note("launch: cold processes ...")
    launch_bench.warm_bytecode()
    fresh = launch_bench.run("store", users, fresh=True)
    saved = [launch_bench.run("store", users) for _ in range(3)]
    best = min(saved, key=lambda r: r["seconds"])
    demo_first = min((launch_bench.run("demo", fresh=True) for _ in range(3)), key=lambda r: r["seconds"])
    demo = [launch_bench.run("demo") for _ in range(5)]
    demo_best = min(demo, key=lambda r: r["seconds"])
    hello = min(launch_bench.run("hello")["seconds"] for _ in range(5))
    bare = min(child_seconds(["-c", "import copilot_tui.app"]) for _ in range(5))
    base = f"python + imports alone {bare:.2f} s; Textual hello world painted {hello:.2f} s"
    rows.append(
        Row(
            "launch",
            f"{users // 1000}k users from the store, saved aggregate current (best of 3)",
            f"{best['seconds']:.2f} s, {best['peak_rss_mb']:.0f} MB",
            base,
            f"< {TARGET_LAUNCH_S:.1f} s",
            best["seconds"] < TARGET_LAUNCH_S,
        )
    )
    rows.append(
        Row(
            "launch",
            f"{users // 1000}k users from the store, aggregate computed (first start after new data)",
            f"{fresh['seconds']:.2f} s, {fresh['peak_rss_mb']:.0f} MB",
            base,
            "",
            None,
        )
    )
    drilled = child_json(["-m", "benchmarks.launch", "drill", str(users)])
    rows.append(
        Row(
            "drill-down",
            f"{users // 1000}k users: one user's 28 rows from the store",
            f"{drilled['seconds']:.2f} s",
            "",
            "",
            None,
        )
    )
    rows.append(
        Row(
            "launch",
            "demo (octo-garage, report files kept by an earlier start; best of 5)",
            f"{demo_best['seconds']:.2f} s, {demo_best['peak_rss_mb']:.0f} MB",
            base,
            f"< {TARGET_DEMO_LAUNCH_S:.1f} s",
            demo_best["seconds"] < TARGET_DEMO_LAUNCH_S,
        )
    )
    rows.append(
        Row(
            "launch",
            "demo, first start (report files generated, none kept yet; best of 3)",
            f"{demo_first['seconds']:.2f} s, {demo_first['peak_rss_mb']:.0f} MB",
            base,
            "",
            None,
        )
    )
    return rows


def child_seconds(args: Sequence[str]) -> float:
    from benchmarks.launch import python_env

    started = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, cwd=ROOT, capture_output=True, env=python_env())
    return time.perf_counter() - started


def table(sizes: Sequence[int]) -> list[Row]:
    from benchmarks import table as table_bench

    rows = []
    for users in sizes:
        note(f"table: {users:,} rows ...")
        # the app's road: UserSummary rows with the computed columns read once in the view's worker thread
        figures = table_bench.run_child(users, False, "summary-values")
        for key, label, floor_key in (
            ("values_ms", "computed columns read in the view's worker (off the UI thread)", None),
            ("load_ms", "load", None),
            ("sort_cold_ms", "sort, new column (worst of 5)", "floor_sort_ms"),
            ("sort_cached_ms", "sort, column sorted before", "floor_sort_ms"),
            ("sort_flip_ms", "sort, reverse order", None),
            ("filter_first_ms", "filter, first keystroke", "floor_filter_ms"),
            ("filter_key_ms", "filter, worst keystroke of 3", "floor_filter_ms"),
            ("filter_sorted_ms", "filter, then sort a new column", None),
        ):
            if key not in figures:
                continue
            value = figures[key]
            target = None if key in ("load_ms", "values_ms") else TARGET_SORT_FILTER_MS
            base = f"bare Python {figures[floor_key]:.0f} ms" if floor_key and floor_key in figures else ""
            rows.append(
                Row(
                    "users table",
                    f"{users // 1000}k rows: {label}",
                    f"{value:.0f} ms",
                    base,
                    f"< {target:.0f} ms" if target else "",
                    None if target is None else value < target,
                )
            )
        rows.append(
            Row("peak RSS", f"{users // 1000}k rows: table process", f"{figures['peak_rss_mb']:.0f} MB", "", "", None)
        )
    return rows


def downloads() -> list[Row]:
    note("downloads: fake GitHub ...")
    result = asyncio.run(_downloads())
    return [
        Row(
            "downloads",
            f"{result['reports']} reports x {result['parts']} parts, 50 ms a download: client defaults, 3 at once",
            f"{result['concurrent']:.2f} s",
            f"one part at a time {result['sequential']:.2f} s",
            "",
            None,
        )
    ]


async def _downloads() -> dict[str, float]:
    from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
    from copilot_tui.github.client import GitHubClient
    from copilot_tui.metrics.demo import DemoDataset
    from copilot_tui.scope import Scope

    dataset = DemoDataset(days=20)
    scope = Scope("org", dataset.orgs[1].login)
    days = [dataset.last_day - __import__("datetime").timedelta(days=i) for i in range(8)]
    parts = 4
    with FakeGitHub(dataset, parts_per_report=parts) as hub:

        async def fetch_all(max_downloads: int, at_once: int) -> float:
            hub.faults.clear()
            hub.faults.slow_responses(10_000, seconds=0.05, target="download")
            async with GitHubClient(OWNER_TOKEN, api_url=hub.api_url, max_concurrent_downloads=max_downloads) as c:
                gate = asyncio.Semaphore(at_once)

                async def one(day: object) -> None:
                    async with gate:
                        got = await c.fetch_report(scope, "users-1-day", day)  # type: ignore[arg-type]
                        assert got is not None and len(got.parts) == parts

                started = time.perf_counter()
                await asyncio.gather(*(one(d) for d in days))
                return time.perf_counter() - started

        await fetch_all(4, 3)  # warm: the fake generates each report once per request either way
        sequential = min([await fetch_all(1, 1) for _ in range(2)])
        concurrent = min([await fetch_all(4, 3) for _ in range(2)])
    return {"reports": len(days), "parts": parts, "sequential": sequential, "concurrent": concurrent}


# ------------------------------------------------------------------------------------------------------- report


def render(rows: Sequence[Row]) -> str:
    widths = [max(len(getattr(r, f)) for r in rows) for f in ("section", "what", "value", "baseline", "target")]
    header = ("section", "measure", "value", "baseline (same run)", "target")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  ok"
    out = [line, "-" * len(line)]
    for r in rows:
        cells = (r.section, r.what, r.value, r.baseline, r.target)
        out.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + "  " + r.mark)
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="users (and table rows), comma-separated")
    parser.add_argument("--launch-users", type=int, default=50_000, help="users in the launch benchmark's store")
    parser.add_argument("--typed-sizes", default="10000", help="sizes at which to run the typed road too ('' none)")
    parser.add_argument("--only", default="", help="sections to run: throughput,launch,table,downloads,facts")
    parser.add_argument("--facts-users", default="50000,200000", help="facts: users, comma-separated")
    parser.add_argument(
        "--rounds", type=int, default=2, help="throughput: passes of the floors and of the app's road (best kept)"
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    typed = {int(s) for s in args.typed_sizes.split(",") if s.strip()}
    only = {s.strip() for s in args.only.split(",") if s.strip()} or {
        "throughput",
        "launch",
        "table",
        "downloads",
        "facts",
    }
    started = time.time()
    before = load_average()
    rows: list[Row] = []
    if "throughput" in only:
        rows += throughput(sizes, typed, max(1, args.rounds))
    if "launch" in only:
        rows += launch(args.launch_users)
    if "table" in only:
        rows += table(sizes)
    if "downloads" in only:
        rows += downloads()
    if "facts" in only:
        rows += facts([int(s) for s in args.facts_users.split(",") if s.strip()], max(1, args.rounds))
    print(f"copilot-tui benchmarks, {os.cpu_count()} CPUs; {before} at start, {load_average()} at the end")
    print(f"(took {time.time() - started:.0f} s; the machine may be shared: see the load averages)\n")
    print(render(rows))
    missed = [r for r in rows if r.ok is False]
    if missed:
        print(
            "\nTargets missed:\n  "
            + "\n  ".join(f"{r.section}: {r.what}: {r.value} (target {r.target})" for r in missed)
        )
    else:
        print("\nAll targets met.")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
