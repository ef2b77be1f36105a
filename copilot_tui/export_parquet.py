"""Exports as day-partitioned Parquet (``copilot-tui export --format parquet``): a directory other engines read as is.

The layout is Hive's, which DuckDB (``read_parquet('OUT/*/*.parquet', hive_partitioning = true)``), Spark, Trino
and BigQuery read as one table partitioned by day: ``OUT/day=YYYY-MM-DD/part-0.parquet``, one file a day holding
that day's rows without a ``day`` column (the directory names it).

- ``daily``: the daily totals series, the rows of ``--what daily`` in CSV and JSON (:func:`exports.table_of`);
- ``users-days``: one row a user and day with every counter the facts hold, the breakdowns as lists of entries
  (:func:`copilot_tui.facts.user_days_sql`), straight from the facts files.

The whole export is written into a 0700 temporary directory beside the output (``.NAME.*.partial``), its files
made 0600, and renamed to the output's name at the end: the output holds a whole export or is not there, so a
write that fails midway leaves nothing to refuse a second run, and nobody else can read a file (they hold logins).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from copilot_tui.exports import ExportData, table_of
from copilot_tui.facts import connect, user_days_sql
from copilot_tui.files import DIR_MODE, FILE_MODE, private_dir

PARQUET_WHATS = ("daily", "users-days")
PART_NAME = "part-0.parquet"


class ParquetExportError(Exception):
    """The output directory cannot take the export; the message says why."""


@dataclass(frozen=True, slots=True)
class ParquetWritten:
    """What an export wrote: the day directories (oldest first) and the rows in all of them."""

    days: tuple[date, ...]
    rows: int


def check_output(out: Path) -> None:
    """Refuse a file or a directory that holds anything already (an export never mixes with other files), saying
    what is in the way and what to do."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ParquetExportError(f"{out} is a file: name a new or empty directory for the Parquet files.")
    entries = sorted(p.name for p in out.iterdir())
    if entries:
        raise ParquetExportError(
            f"{out} is not empty: it holds {_describe_entries(entries)}. An export never mixes with other files: "
            f"name a new or empty directory, or remove {out} first to write this export there."
        )


def _describe_entries(names: list[str]) -> str:
    """What a directory holds in a few words: an earlier export's day directories by their range, else the first
    few names."""
    days = [n for n in names if n.startswith("day=")]
    if days and len(days) == len(names):
        span = days[0] if len(days) == 1 else f"{days[0]} to {days[-1]}"
        return f"an earlier Parquet export ({len(days)} day directories, {span})"
    shown = ", ".join(names[:3])
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return f"{len(names)} entr{'y' if len(names) == 1 else 'ies'}: {shown}{more}"


def write_parquet(
    what: str, data: ExportData, out: Path, facts: Callable[[], Mapping[date, Path]] | None
) -> ParquetWritten:
    """Write table ``what`` of ``data`` under ``out`` (see the module's layout); ``facts`` gives the facts file of
    each day of the period (the users-days rows)."""
    if what not in PARQUET_WHATS:
        raise ParquetExportError(f"--what {what} is not written as Parquet; choose {' or '.join(PARQUET_WHATS)}.")
    check_output(out)
    parent = private_dir(out.absolute().parent)
    partial = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=parent))
    try:
        os.chmod(partial, DIR_MODE)
        written = _write(what, data, partial, facts)
        try:
            os.replace(partial, out)
        except OSError:
            check_output(out)  # something came in the way meanwhile: say what
            raise
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return written


def _write(what: str, data: ExportData, out: Path, facts: Callable[[], Mapping[date, Path]] | None) -> ParquetWritten:
    """The export written under ``out``, a directory of its own."""
    con = connect()
    try:
        if what == "daily":
            return _write_daily(con, data, out)
        if facts is None:
            raise ParquetExportError("this source keeps no facts of its users reports to export.")
        files = {d: f for d, f in facts().items() if d in data.period}
        rows = 0
        for day, file in sorted(files.items()):
            rows += _copy(con, user_days_sql(str(file)), out, day)
        return ParquetWritten(tuple(sorted(files)), rows)
    finally:
        con.close()


def _write_daily(con: Any, data: ExportData, out: Path) -> ParquetWritten:
    rows, _ = table_of("daily", data)
    if not rows:
        return ParquetWritten((), 0)
    names = list(rows[0])
    types = {name: _sql_type(name, [r[name] for r in rows]) for name in names}
    types["day"] = "DATE"
    con.execute("CREATE TEMP TABLE daily (" + ", ".join(f'"{n}" {types[n]}' for n in names) + ")")
    con.executemany(
        f"INSERT INTO daily VALUES ({', '.join('?' for _ in names)})", [[r[n] for n in names] for r in rows]
    )
    days = [date.fromisoformat(r["day"]) for r in rows]
    for day in days:
        _copy(con, f"SELECT * EXCLUDE (day) FROM daily WHERE day = DATE '{day.isoformat()}'", out, day)
    return ParquetWritten(tuple(days), len(rows))


def _sql_type(name: str, values: Sequence[Any]) -> str:
    """A column's type from its values: whole numbers BIGINT, any fraction DOUBLE, text VARCHAR; a column of nulls
    only (a rate without a denominator every day) DOUBLE when it is a rate or an average, else BIGINT."""
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {bool} and kinds:
        return "BOOLEAN"
    if kinds == {int}:
        return "BIGINT"
    if kinds and kinds <= {int, float}:
        return "DOUBLE"
    if kinds:
        return "VARCHAR"
    return "DOUBLE" if "rate" in name or "average" in name else "BIGINT"


def _copy(con: Any, query: str, out: Path, day: date) -> int:
    """``query``'s rows as ``out/day=DAY/part-0.parquet``; how many."""
    folder = private_dir(out / f"day={day.isoformat()}")
    target = folder / PART_NAME
    tmp = folder / f".{PART_NAME}.tmp"
    try:
        quoted = str(tmp).replace("'", "''")
        (rows,) = con.execute(f"COPY ({query}) TO '{quoted}' (FORMAT parquet, COMPRESSION zstd)").fetchone()
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return int(rows)
