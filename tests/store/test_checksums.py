"""Stored blobs carry a CRC-32 that every read checks: a change that still inflates is damage all the same."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import orjson
import pytest

from copilot_tui.scope import Scope
from copilot_tui.store import Store, StoreDamagedError

SCOPE = Scope("org", "sums")
DAY = date(2026, 3, 2)
WHEN = datetime(2026, 3, 10, tzinfo=UTC)


def _lines(n: int) -> bytes:
    return b"".join(
        orjson.dumps({"day": DAY.isoformat(), "user_id": i, "user_login": f"u{i}", "loc_added_sum": i}) + b"\n"
        for i in range(n)
    )


def _flip_a_byte(path: Path, kind: str) -> None:
    """Change one byte of a stored blob into a deflate 'stored' block's literal: it still inflates, wrongly."""
    conn = sqlite3.connect(path)
    rowid, data = conn.execute("SELECT rowid, data FROM parts WHERE kind = ?", (kind,)).fetchone()
    data = bytearray(data)
    data[len(data) // 2] ^= 0x01
    conn.execute("UPDATE parts SET data = ? WHERE rowid = ?", (bytes(data), rowid))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", ["users-1-day", "organization-1-day"])
def test_a_changed_blob_is_damage_when_read_whole(tmp_path: Path, kind: str) -> None:
    store = Store("example.test", root=tmp_path)
    store.put_report(SCOPE, kind, DAY, [("p", _lines(200))], WHEN)
    store.close()
    _flip_a_byte(store.path_for(SCOPE), kind)
    store = Store("example.test", root=tmp_path)
    with pytest.raises(StoreDamagedError):
        for _name, chunks in store.read_parts(SCOPE, kind, [DAY]):
            b"".join(chunks)
    assert "was damaged" in store.take_notices()[0]
    assert list(tmp_path.glob("*/*.damaged-*")) and store.held(SCOPE) == []


def test_a_changed_block_is_damage_when_one_users_lines_are_read(tmp_path: Path) -> None:
    store = Store("example.test", root=tmp_path)
    store.put_report(SCOPE, "users-1-day", DAY, [("p", _lines(200))], WHEN)
    store.close()
    _flip_a_byte(store.path_for(SCOPE), "users-1-day")
    store = Store("example.test", root=tmp_path)
    with pytest.raises(StoreDamagedError):
        list(store.read_user_blocks(SCOPE, "users-1-day", [DAY], 100))


def test_verify_reads_everything_held(tmp_path: Path) -> None:
    store = Store("example.test", root=tmp_path)
    store.put_report(SCOPE, "user-teams-1-day", DAY, [("p", _lines(50))], WHEN)
    store.verify(SCOPE)  # intact: nothing to say
    store.close()
    _flip_a_byte(store.path_for(SCOPE), "user-teams-1-day")
    store = Store("example.test", root=tmp_path)
    with pytest.raises(StoreDamagedError):
        store.verify(SCOPE)


def test_a_saved_computation_that_changed_is_damage(tmp_path: Path) -> None:
    store = Store("example.test", root=tmp_path)
    store.put_computed(SCOPE, "k", "v1", b"x" * 1000)
    store.close()
    conn = sqlite3.connect(store.path_for(SCOPE))
    conn.execute("UPDATE computed SET data = ? WHERE key = 'k'", (b"y" + b"x" * 999,))
    conn.commit()
    conn.close()
    store = Store("example.test", root=tmp_path)
    with pytest.raises(StoreDamagedError):
        store.get_computed(SCOPE, "k", "v1")
