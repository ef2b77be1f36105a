"""Parallel fetches storing the first days of a scope at once must all land (no "database is locked")."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

from copilot_tui.scope import Scope
from copilot_tui.store import Store


def test_threads_opening_a_new_scope_at_once_all_store(tmp_path: Path) -> None:
    scope = Scope("org", "octo-race")
    first = date(2026, 3, 1)
    for attempt in range(20):
        with Store("github.com", tmp_path / f"root{attempt}") as store:
            start = threading.Barrier(8)

            def put(i: int, store: Store = store, start: threading.Barrier = start) -> None:
                if i < 8:
                    start.wait()
                store.put_report(scope, "users-1-day", first + timedelta(days=i), [("p", b'{"user_id": 1}\n')])

            with ThreadPoolExecutor(max_workers=8) as pool:
                list(pool.map(put, range(16)))
            assert len(store.held(scope, "users-1-day")) == 16
