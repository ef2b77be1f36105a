"""A write of the facts that was killed leaves nothing behind for good: its temporary files (an ingest's inflated
report, its Parquet being written, a block being written) are removed by the next process that uses the facts."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from copilot_tui import facts as facts_module
from copilot_tui.facts import Facts
from copilot_tui.metrics.derive import Period

LINE = b'{"day":"2026-01-05","user_id":7,"user_login":"ada","code_generation_activity_count":3}\n'
DAY = date(2026, 1, 5)


def dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


@pytest.mark.skipif(os.name == "nt", reason="no signal 0 to ask whether a process runs")
@pytest.mark.parametrize("use", ["ingest", "aggregate"])
def test_temporaries_of_killed_writes_are_removed(tmp_path: Path, use: str, monkeypatch: pytest.MonkeyPatch) -> None:
    facts = Facts(tmp_path / "facts")
    facts.ingest(DAY, "tok", [("users", LINE)])
    facts.blocks.mkdir()
    dead, live = dead_pid(), os.getpid()
    gone = [
        facts.dir / f".2026-01-05.{dead}.ab_12cd3.ndjson",
        facts.dir / f".2026-01-05.{dead}.ab_12cd3.parquet.tmp",
        facts.blocks / f".2026-01-04.1.k3y.parquet.{dead}.140.tmp",
        facts.dir / ".2026-01-05.xx82we39.ndjson",  # named without its process: removed when a day old
    ]
    kept = [
        facts.dir / f".2026-01-05.{live}.ab_12cd3.ndjson",
        facts.blocks / f".2026-01-04.1.k3y.parquet.{live}.140.tmp",
        facts.dir / ".2026-01-06.yy82we39.ndjson",  # without its process, but new: perhaps being written
    ]
    for path in gone + kept:
        path.write_bytes(b"x")
    day_old = time.time() - 2 * 86400
    os.utime(gone[-1], (day_old, day_old))
    monkeypatch.setattr(facts_module, "_TEMPS_SWEPT", set())  # as a process started after the killed one
    if use == "ingest":
        facts.ingest(date(2026, 1, 6), "tok", [("users", LINE.replace(b"01-05", b"01-06"))])
    else:
        facts.aggregate(Period(DAY, date(2026, 1, 6)), {DAY: "tok"})
    assert [p.name for p in gone if p.exists()] == []
    assert [p.name for p in kept if p.exists()] == [p.name for p in kept]
    assert facts.held()[DAY] == "tok"


def test_an_ingest_names_its_temporaries_for_its_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    facts = Facts(tmp_path / "facts")
    seen: list[str] = []

    def parts():  # noqa: ANN202
        seen.extend(p.name for p in facts.dir.iterdir())
        yield ("users", LINE)

    facts.ingest(DAY, "tok", parts())
    (name,) = seen
    assert name.startswith(f".2026-01-05.{os.getpid()}.") and name.endswith(".ndjson")
    assert facts_module._TEMP.match(name)


def test_blocks_of_an_older_blocks_version_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of an older BLOCKS_VERSION are never read again: the first period of a process removes them; a newer
    version's are left to the app that made them."""
    monkeypatch.setattr(facts_module, "BLOCKS_VERSION", 2)
    facts = Facts(tmp_path / "facts")
    facts.ingest(DAY, "tok", [("users", LINE)])
    for version in (1, 3):
        (facts.dir / f"blocks-v{version}").mkdir()
        (facts.dir / f"blocks-v{version}" / "2026-01-04.1.k3y.parquet").write_bytes(b"x")
    monkeypatch.setattr(facts_module, "_TEMPS_SWEPT", set())
    facts.aggregate(Period(DAY, date(2026, 1, 6)), {DAY: "tok"})
    assert not (facts.dir / "blocks-v1").exists() and (facts.dir / "blocks-v3").exists()
