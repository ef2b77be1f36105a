"""A process killed with SIGKILL while writing leaves a store that opens and holds its last committed state."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest

from copilot_tui.scope import Scope
from copilot_tui.store import Store

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

SCOPE = Scope("org", "octo-labs")
FIRST_DAY = date(2026, 3, 1)
DAYS = 4

WRITER = textwrap.dedent(
    """
    import json, os, sys, time
    from datetime import date, timedelta
    from pathlib import Path
    from copilot_tui.scope import Scope
    from copilot_tui.store import Store

    root, pause_at = Path(sys.argv[1]), int(sys.argv[2])
    scope = Scope("org", "octo-labs")
    store = Store("github.com", root)
    state = {"gen": 0, "inserts": 0}

    def trace(statement):
        # Stop inside the transaction of generation `pause_at`, after its first part went in: the parent kills here.
        if statement.startswith("INSERT INTO parts") and state["gen"] == pause_at:
            state["inserts"] += 1
            if state["inserts"] == 2:
                print("inside", state["gen"], flush=True)
                time.sleep(60)

    store.put_no_data(scope, "users-1-day", date(2026, 1, 1))
    store._db(scope)._conn.set_trace_callback(trace)
    gen = 0
    while True:
        gen += 1
        state["gen"] = gen
        day = date(2026, 3, 1) + timedelta(days=gen % 4)
        count = 2 + gen % 3
        parts = []
        for i in range(count):
            line = json.dumps({"gen": gen, "part": i, "of": count, "pad": os.urandom(64).hex()}).encode() + b"\\n"
            parts.append((f"gen{gen}-part{i}", line * 3000))
        store.put_report(scope, "users-1-day", day, parts)
        print("committed", gen, day.isoformat(), flush=True)
    """
)


def run_writer_and_kill(root: Path, pause_at: int | None, kill_after: int) -> list[tuple[int, str]]:
    """Start the writer, kill it inside transaction ``pause_at`` (or after ``kill_after`` commits if None)."""
    script = root / "writer.py"
    script.write_text(WRITER)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(root / "store"), str(pause_at or 0)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    committed: list[tuple[int, str]] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            words = line.split()
            if words[0] == "committed":
                committed.append((int(words[1]), words[2]))
                if pause_at is None and len(committed) >= kill_after:
                    break
            elif words[0] == "inside":
                break
        else:
            pytest.fail(f"writer ended early with {proc.wait()}")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return committed


def check_consistent(root: Path, committed: list[tuple[int, str]]) -> dict[date, int]:
    """Every held day is one whole generation; each day holds at least the last generation reported committed."""
    held_gen: dict[date, int] = {}
    with Store("github.com", root / "store") as store:
        held = store.held(SCOPE, "users-1-day", FIRST_DAY, FIRST_DAY + timedelta(days=DAYS))
        for report in held:
            parts = [(name, b"".join(chunks)) for name, chunks in store.read_parts(SCOPE, "users-1-day", [report.day])]
            assert len(parts) == report.part_count
            gens = set()
            for index, (name, data) in enumerate(parts):
                lines = data.splitlines()
                assert len(lines) == 3000, name
                records = set(lines)
                assert len(records) == 1, name
                record = json.loads(records.pop())
                assert (record["part"], record["of"]) == (index, report.part_count)
                gens.add(record["gen"])
            assert len(gens) == 1
            held_gen[report.day] = gens.pop()
        assert store.take_notices() == []
        assert [h.has_data for h in store.held(SCOPE, "users-1-day", date(2026, 1, 1), date(2026, 1, 1))] == [False]
    for gen, day in committed:
        assert held_gen[date.fromisoformat(day)] >= gen
    return held_gen


def test_killed_inside_a_transaction_keeps_the_last_committed_state(tmp_path: Path) -> None:
    committed = run_writer_and_kill(tmp_path, pause_at=7, kill_after=0)
    held = check_consistent(tmp_path, committed)
    assert 7 not in held.values()
    assert max(held.values()) == 6


@pytest.mark.parametrize("kill_after", [1, 5, 12])
def test_killed_at_any_moment_keeps_a_readable_store(tmp_path: Path, kill_after: int) -> None:
    committed = run_writer_and_kill(tmp_path, pause_at=None, kill_after=kill_after)
    check_consistent(tmp_path, committed)
