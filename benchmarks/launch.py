"""Launch to painted dashboard: a cold ``copilot-tui --offline`` process on a store of N users x 28 days, or --demo.

    python -m benchmarks.launch demo
    python -m benchmarks.launch store USERS [--fresh]
    python -m benchmarks.launch hello

The parent measures from just before it starts the child process (so interpreter start-up and every import count)
to the moment the child has the dashboard's numbers applied and the screen painted after them (headless, 120x40,
``App.run_test``); the child then quits. ``store`` builds the store once under ``/tmp/copilot-tui-bench`` (users
reports stamped from demo lines, see :mod:`benchmarks.data`, plus the demo's organization report for the same
days), as ``copilot-tui sync`` would leave it. ``--fresh`` drops the kept period rollups and blocks first, so the
child rolls the period up from the reports' facts (the first start after new data; a sync decodes each report into
facts as it stores it); without it the child reads the period an earlier start kept (every other start). For ``demo``, ``--fresh`` drops the report files an earlier demo start kept (the first demo start).
``hello`` is the floor of any Textual app: one line of text and a footer, timed the same way. Children run with
Python's bytecode cache on (:func:`python_env`), as an installed app does. Each prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

WORK = Path(os.environ.get("COPILOT_TUI_BENCH_DIR", "/tmp/copilot-tui-bench"))
"""Where the benchmarks' data is made and kept (``COPILOT_TUI_BENCH_DIR``: another, for runs side by side)."""
END_DAY = date(2026, 11, 23)
SIZE = (120, 40)


def bench_org(users: int) -> str:
    return f"bench-{users}"


def python_env() -> dict[str, str]:
    """This environment with Python's bytecode cache on, as an installed app has it (pip compiles a package's
    modules when it installs them): a ``PYTHONDONTWRITEBYTECODE`` inherited from a sandbox or CI would make every
    child compile the app's modules again (about 0.16 s here). The first child writes the cache (``__pycache__``,
    ignored by git); :func:`warm_bytecode` runs it before anything is timed."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm_bytecode() -> None:
    """Import what a launch imports once, so no timed child pays for compiling it."""
    root = Path(__file__).resolve().parent.parent
    imports = "import copilot_tui.app, copilot_tui.sources.factory, copilot_tui.store, copilot_tui.metrics.demo, benchmarks.launch"
    subprocess.run([sys.executable, "-c", imports], check=True, cwd=root, env=python_env(), capture_output=True)


def env_for(users: int | None) -> dict[str, str]:
    base = WORK / (f"app-{users}" if users else "app-demo")
    env = python_env()
    for name in ("CONFIG", "DATA", "LOG"):
        env[f"COPILOT_TUI_{name}_DIR"] = str(base / name.lower())
    for name in ("GH_TOKEN", "GITHUB_TOKEN", "COPILOT_TUI_API_URL"):
        env.pop(name, None)
    return env


def build_store(users: int, days: int = 28) -> Path:
    """The store a sync of a ``users``-seat org would leave: one users report and one org report per day."""
    from benchmarks.data import file_chunks, write_users_report
    from copilot_tui.facts import ingest_stored
    from copilot_tui.metrics.demo import DemoDataset
    from copilot_tui.scope import Scope
    from copilot_tui.store import Store

    data_dir = Path(env_for(users)["COPILOT_TUI_DATA_DIR"])
    done = data_dir / f"built-{users}x{days}-facts"
    if done.exists():
        return data_dir
    files = write_users_report(WORK / "reports", users, days, END_DAY)
    demo = DemoDataset(end_day=END_DAY, days=days)
    scope = Scope("org", bench_org(users))
    fetched = datetime.combine(END_DAY + timedelta(days=5), datetime.min.time(), tzinfo=UTC)
    with Store("github.com", data_dir / "store") as store:
        for day, path in zip(files.days, files.paths, strict=True):
            org_lines = b"".join(demo.iter_ndjson("org", "octo-corp", "organization-1-day", day))
            store.put_report(scope, "organization-1-day", day, [("org.ndjson", org_lines)], fetched)
            parts = [(path.name, b"".join(file_chunks(path)))]
            store.put_report(scope, "users-1-day", day, parts, fetched)
            ingest_stored(store, scope, day, parts)  # as a sync does
            store.put_no_data(scope, "user-teams-1-day", day, fetched)
    done.write_text("ok")
    return data_dir


def drop_kept(users: int) -> None:
    """Remove the period rollups and blocks earlier starts kept (the facts of the days stay)."""
    from copilot_tui.facts import facts_for
    from copilot_tui.scope import Scope
    from copilot_tui.store import Store

    data_dir = Path(env_for(users)["COPILOT_TUI_DATA_DIR"])
    with Store("github.com", data_dir / "store") as store:
        shutil.rmtree(facts_for(store, Scope("org", bench_org(users))).blocks, ignore_errors=True)


async def hello_child() -> dict[str, float]:
    """The framework's floor: a Textual app of one line of text and a footer, painted the same way."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    class Hello(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")
            yield Footer()

    app = Hello()
    async with app.run_test(size=SIZE):
        refreshed = asyncio.Event()
        app.call_after_refresh(refreshed.set)
        await refreshed.wait()
        painted = time.time()
    return {"painted_at": painted, "users": 0, "peak_rss_mb": peak_rss_mb()}


async def child(mode: str, users: int | None) -> dict[str, float]:
    if mode == "hello":
        return await hello_child()
    from copilot_tui.app import CopilotApp, LaunchOptions

    clock = datetime.combine(END_DAY + timedelta(days=1), datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    if mode == "demo":
        app = CopilotApp(LaunchOptions(demo=True))
    else:
        app = CopilotApp(LaunchOptions(offline=True, org=bench_org(users or 0)), clock=lambda: clock)
    async with app.run_test(size=SIZE):
        while True:
            dash = app._dashboard()  # type: ignore[attr-defined]  # noqa: SLF001
            if dash is not None and dash.view is not None:
                break
            await asyncio.sleep(0.002)
        # the moment the screen has been refreshed with the numbers (not Pilot.pause(), which waits until the
        # process is idle: that would add the comparison with the previous period, computed after the paint)
        refreshed = asyncio.Event()
        app.call_after_refresh(refreshed.set)
        await refreshed.wait()
        painted = time.time()
        shown = len(dash.view.users)
    return {
        "painted_at": painted,
        "users": shown,
        "peak_rss_mb": peak_rss_mb(),
    }


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM: unlike ``ru_maxrss`` it does not carry over the parent's across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def drill(users: int) -> dict[str, float]:
    """One user's rows from the store (the drill-down), timed in this process."""
    from benchmarks.data import FIRST_USER_ID
    from copilot_tui.scope import Scope
    from copilot_tui.sources.stored import snapshot_from_store
    from copilot_tui.store import Store

    data_dir = Path(env_for(users)["COPILOT_TUI_DATA_DIR"])
    with Store("github.com", data_dir / "store") as store:
        snap = snapshot_from_store(store, Scope("org", bench_org(users)), END_DAY - timedelta(days=27), END_DAY)
        started = time.perf_counter()
        rows = snap.user_days(FIRST_USER_ID + users // 2)
        seconds = time.perf_counter() - started
    assert len(rows) == 28
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def run(mode: str, users: int | None = None, fresh: bool = False) -> dict[str, float]:
    """Start the child and time it; returns seconds to painted, users shown and the child's peak RSS."""
    root = Path(__file__).resolve().parent.parent
    if mode == "store":
        assert users
        # in a child: building it here would leave this process's memory in the measured child's figures
        prepare = [sys.executable, "-m", "benchmarks.launch", "--prepare", *(["--fresh"] if fresh else []), "store"]
        subprocess.run([*prepare, str(users)], check=True, cwd=root, env=env_for(users))
    if mode == "demo" and fresh:  # the first demo start: no report files kept from an earlier one
        kept = Path(env_for(None)["COPILOT_TUI_DATA_DIR"]) / "demo-reports.bin"
        kept.unlink(missing_ok=True)
        shutil.rmtree(kept.with_name(kept.name + ".facts"), ignore_errors=True)
    command = [sys.executable, "-m", "benchmarks.launch", "--child", mode] + ([str(users)] if users else [])
    started = time.time()
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=root, env=env_for(users))
    if done.returncode != 0:
        raise SystemExit(f"launch child failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["seconds"] = result.pop("painted_at") - started
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.launch")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("mode", choices=("demo", "store", "drill", "hello"))
    parser.add_argument("users", type=int, nargs="?")
    parser.add_argument("--fresh", action="store_true", help="drop the kept periods and blocks first")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(asyncio.run(child(args.mode, args.users))))
        return 0
    if args.mode == "drill":
        print(json.dumps(drill(args.users)))
        return 0
    if args.prepare:
        build_store(args.users)
        if args.fresh:
            drop_kept(args.users)
        return 0
    print(json.dumps(run(args.mode, args.users, args.fresh)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
