"""The parallel fold starts its workers from inside a Textual app, whose sys.stderr has no file descriptor."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys

    class Capture:  # what a running Textual app puts in sys.stderr (textual.app._PrintCapture)
        def write(self, text): return len(text)
        def flush(self): pass
        def isatty(self): return True
        def fileno(self): return -1

    from copilot_tui.metrics.aggregate import aggregate_users
    from copilot_tui.metrics.demo import DemoDataset
    from copilot_tui.metrics.derive import Period

    ds = DemoDataset(days=8)
    period = Period.last(5, ds.last_day)
    parts = [
        (d.isoformat(), b"".join(ds.iter_ndjson("org", ds.orgs[1].login, "users-1-day", d)))
        for d in period.each_day()
    ]
    alone = aggregate_users(parts, period, workers=0)
    held, sys.stderr = sys.stderr, Capture()
    try:
        split = aggregate_users(parts, period, workers=1, parallel_bytes=1)
    finally:
        sys.stderr = held
    assert split == alone and len(split.users) > 100
    print("same", len(split.users))
    """
)


def test_workers_start_when_stderr_is_a_textual_capture() -> None:
    # a fresh interpreter: multiprocessing starts its resource tracker once per process, and that start is what
    # needs stderr's descriptor
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("same ")
