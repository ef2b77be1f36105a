"""The users reports decoded once, when stored, into typed per-day facts; a period is a query over them.

Each stored users report (one day) is decoded into one Parquet file of flat rows: one a user-day (the activity
counters, the flags, AI credits, the CLI sums and last-known versions) and one per entry of its breakdowns by
feature, IDE, language and model (``kind`` and ``name`` beside the same counters). A period, a comparison period or
a user's days are then queries (DuckDB, in memory, one connection per query) over the files of its days: no JSON
is decoded again, and no list is unnested.

Layout: ``<root>/v<FACTS_VERSION>/<day>.<token>.parquet``, ``token`` naming the stored copy of the report it was
made from (so a day fetched again gets a new file and the old one is removed). A file is written under a temporary
name and renamed into place, so a reader in another process (the app while ``sync`` runs) sees a day whole or not
at all, and a kill loses at most the report being written. Lines that could not be read are kept beside it
(``<day>.<token>.problems.json``, written first). Files are 0600 in 0700 directories: they hold logins.

Blocks: a period is read through rollups of aligned blocks of days (2, 4, ... 256 days; :func:`pieces`), one row a
user and one a user's breakdown entry per block, so a year reads about six files of one row per user and entry
instead of 365 days of rows. Blocks are made when the data arrives (:func:`make_stored_blocks`, after `sync` or a
fetch stored its reports: every block holding a day stored anew, or completed by one), so opening a period only
reads; a read makes a block only where none was made (a store synced by an older version, the demo, report files).
Kept as ``blocks-v<BLOCKS_VERSION>/<first day>.<level>.<key>.parquet``, ``key`` naming the copies of the days it
holds, so a day stored anew makes only the blocks holding it again. Blocks are a cache: removing them loses
nothing.

Decoding: the report's lines are read by DuckDB with a declared schema. DuckDB is lenient where the app's rule is
not (it takes ``"12"`` or ``true`` for a counter, rounds ``3.5``), so that road is taken only for a report whose
every line the app's strict decoder (:func:`copilot_tui.metrics.userline.decode_strict`) accepts and that repeats
no user-day; any other report is decoded line by line by the app's own rule (the fold's: the strict decoder, then
the typed parser), its accepted lines written again in normal form and read by the same query. Both roads give the
same facts and the same skipped lines.

The raw reports stay in the store (:mod:`copilot_tui.store`): facts are rebuilt from them when missing or when
``FACTS_VERSION`` changes.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import msgspec
import orjson

from copilot_tui.files import private_dir, process_runs, write_private
from copilot_tui.metrics.adoption import UserHistory
from copilot_tui.metrics.aggregate import UsersAggregate
from copilot_tui.metrics.derive import (
    CLOUD_AGENT_FLAGS,
    CODE_COMPLETION,
    CODE_REVIEW_FLAG,
    FLAG_SERIES,
    BreakdownRow,
    FeatureSeries,
    Period,
    PeriodUsers,
)
from copilot_tui.metrics.linerule import CREDIT_UNITS, RENAMED_FLAGS, LineError, plain_chunks, plain_part, repeat_reason
from copilot_tui.metrics.model import ACTIVITY_FIELDS, USER_FLAG_FIELDS, LineProblem
from copilot_tui.metrics.parse import ReportPart, iter_lines
from copilot_tui.metrics.user_columns import CLI_NAMES, SHOWN, ColumnUsers, Details
from copilot_tui.metrics.userline import decode_line, decode_strict
from copilot_tui.scope import Scope
from copilot_tui.store import HeldReport, Store

log = logging.getLogger(__name__)

#: The report kind whose lines become facts.
USERS_KIND = "users-1-day"

#: Bumped whenever what a facts file holds changes: files of another version are ignored and made again.
FACTS_VERSION = 4

_ACT = ACTIVITY_FIELDS
_FLAGS = USER_FLAG_FIELDS
_SHORT = ("ui", "gen", "acc", "sadd", "sdel", "add", "del")  # the activity counters' column names, in order
#: Bumped whenever what a block file holds changes (blocks of another version are ignored).
BLOCKS_VERSION = 1

#: The breakdown kinds (a facts row's ``kind`` is the index): the list a line's entries are read into, and the
#: weight a user's Counter of that kind sums (a language counts its generations, the others generations and
#: interactions).
_KINDS = (("features", "ui + gen"), ("ides", "ui + gen"), ("languages", "gen"), ("models", "ui + gen"))
#: The report's list of each breakdown kind (``_KINDS``' order) and the field naming an entry.
_REPORT_LISTS = (
    ("totals_by_feature", "feature"),
    ("totals_by_ide", "ide"),
    ("totals_by_language_feature", "language"),
    ("totals_by_model_feature", "model"),
)
_VERSION_DIR = re.compile(r"^v(\d+)$")
_BLOCKS_DIR = re.compile(r"^blocks-v(\d+)$")
_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.([0-9A-Za-z_-]+)\.parquet$")
#: A temporary file of a write under way, named for its process: an ingest's inflated report and Parquet
#: (``.<day>.<pid>.<random>.ndjson`` / ``.parquet.tmp``), a block's (``.<block file>.<pid>.<thread>.tmp``).
_TEMP = re.compile(r"^\.(?:\d{4}-\d{2}-\d{2}\.(\d+)\.[^.]+\.(?:ndjson|parquet\.tmp)|.+\.parquet\.(\d+)\.\d+\.tmp)$")
#: A temporary file not named for its process is removed once it is this old (seconds).
_UNNAMED_TEMP_AGE = 86400


def _entry(name: str, extra: str = "") -> str:
    return f"STRUCT({name} VARCHAR, {', '.join(f'{a} BIGINT' for a in _ACT)}{extra})[]"


#: The schema DuckDB reads a users-report line with (fields not named here are skipped).
_COLUMNS: dict[str, str] = {
    "day": "VARCHAR",
    "user_id": "BIGINT",
    "user_login": "VARCHAR",
    **dict.fromkeys(_ACT, "BIGINT"),
    **dict.fromkeys(_FLAGS, "BOOLEAN"),
    "ai_credits_used": "DOUBLE",
    "totals_by_cli": "STRUCT(session_count BIGINT, request_count BIGINT, prompt_count BIGINT,"
    " token_usage STRUCT(output_tokens_sum BIGINT, prompt_tokens_sum BIGINT),"
    " last_known_cli_version STRUCT(cli_version VARCHAR, sampled_at VARCHAR))",
    "totals_by_feature": _entry("feature"),
    "totals_by_ide": _entry(
        "ide",
        ", last_known_ide_version STRUCT(ide_version VARCHAR, sampled_at VARCHAR),"
        " last_known_plugin_version STRUCT(plugin VARCHAR, plugin_version VARCHAR, sampled_at VARCHAR)",
    ),
    "totals_by_language_feature": _entry("language"),
    "totals_by_model_feature": _entry("model"),
}


def _flag(name: str) -> str:
    """A flag as the line rule reads it: a renamed flag's old spelling stands in for the new one unless that is
    true (``userline.UserLine.__post_init__``)."""
    for old, new in RENAMED_FLAGS:
        if name == new:
            return f"CASE WHEN {old} IS NOT NULL AND {new} IS NOT TRUE THEN {old} ELSE {new} END AS {new}"
    return name


#: One line as a facts row (absent counters 0, absent flags NULL, versions only where the line has one), its
#: breakdowns' lists as read (unnested into entry rows by ``_entries_sql``).
_PROJECTION = ", ".join(
    [
        "try_cast(left(day, 10) AS DATE) AS day",
        "user_id",
        "user_login",
        *(f"coalesce({a}, 0) AS {s}" for a, s in zip(_ACT, _SHORT, strict=True)),
        *(_flag(f) for f in _FLAGS),
        "ai_credits_used AS credits",
        "totals_by_cli.session_count AS cli_sessions",
        "totals_by_cli.request_count AS cli_requests",
        "totals_by_cli.prompt_count AS cli_prompts",
        "totals_by_cli.token_usage.output_tokens_sum AS cli_output_tokens",
        "totals_by_cli.token_usage.prompt_tokens_sum AS cli_prompt_tokens",
        "CASE WHEN totals_by_cli.last_known_cli_version IS NOT NULL"
        " THEN coalesce(totals_by_cli.last_known_cli_version.cli_version, '') END AS cli_version",
        "CASE WHEN totals_by_cli.last_known_cli_version IS NOT NULL"
        " THEN coalesce(totals_by_cli.last_known_cli_version.sampled_at, '') END AS cli_sampled",
        *(field for field, _name in _REPORT_LISTS),
    ]
)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _columns_sql() -> str:
    return "{" + ", ".join(f"{_sql_string(k)}: {_sql_string(v)}" for k, v in _COLUMNS.items()) + "}"


def connect(threads: int | None = None, memory_limit: str = "400MB") -> Any:
    """An in-memory DuckDB connection (imported here: importing the app never pays for it); the one
    :func:`warm_up` made, when it is ready."""
    global _spare
    if threads is None:
        with _spare_lock:
            spare, _spare = _spare, None
        if spare is not None:
            return spare
    import duckdb

    con = duckdb.connect(
        ":memory:",
        config={
            "memory_limit": memory_limit,
            "preserve_insertion_order": False,
            "temp_directory": _spill_dir(),
        },
    )
    con.execute("SET enable_progress_bar = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


_spill: str | None = None


def _spill_dir() -> str:
    """Where DuckDB spills what does not fit its memory limit: a 0700 directory of this process, removed at exit
    (DuckDB's default, ``.tmp`` in the working directory, would leave rows with logins wherever the app was
    started)."""
    global _spill
    with _spare_lock:
        if _spill is None:
            _spill = tempfile.mkdtemp(prefix="copilot-tui-duckdb-")
            atexit.register(shutil.rmtree, _spill, True)
        return _spill


_spare: Any = None
_spare_lock = threading.Lock()
_warming: threading.Thread | None = None


def warm_up() -> None:
    """Import DuckDB and open a connection in a background thread, once: a source calls this when it is made,
    so the first period's query (often before the first paint) does not wait for them (about 0.1-0.3 s)."""
    global _warming
    with _spare_lock:
        if _warming is not None:
            return
        _warming = threading.Thread(target=_warm, name="facts-warm-up", daemon=True)
    _warming.start()
    atexit.register(_join_warm_up)


def _join_warm_up() -> None:
    """Wait for the warm-up at exit: a daemon thread stopped inside DuckDB aborts the process ("exception not
    rethrown") after a command that finished before the warm-up did."""
    if _warming is not None:
        _warming.join(timeout=30)


def _warm() -> None:
    global _spare
    try:
        con = connect(threads=0)
        con.execute("SELECT 1").fetchall()
    except Exception as exc:  # the first query makes its own connection and says what is wrong
        log.debug("warming DuckDB up failed: %s", exc)
        return
    with _spare_lock:
        if _spare is None:
            _spare = con
            return
    con.close()


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What ingesting one report found: user-day rows kept, and the lines skipped (with where and why)."""

    rows: int
    problems: tuple[LineProblem, ...]
    fast: bool
    """Whether the report was read by DuckDB straight from its bytes (every line passed the strict decoder)."""


class Facts:
    """The facts of one scope's users reports: one Parquet file per day under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = root / f"v{FACTS_VERSION}"
        self.blocks = self.dir / f"blocks-v{BLOCKS_VERSION}"
        self._lock = threading.Lock()

    # reading the directory ----------------------------------------------------------------------------------

    def held(self) -> dict[date, str]:
        """Day -> token of every facts file present."""
        found: dict[date, str] = {}
        try:
            names = os.listdir(self.dir)
        except FileNotFoundError:
            return found
        for name in names:
            m = _FILE.match(name)
            if m is not None:
                found[date.fromisoformat(m[1])] = m[2]
        return found

    def path(self, day: date, token: str) -> Path:
        return self.dir / f"{day.isoformat()}.{token}.parquet"

    def files(self, days: Mapping[date, str]) -> dict[date, Path]:
        """The facts file of each of ``days`` (day -> token; every one must be held)."""
        return {d: self.path(d, t) for d, t in sorted(days.items())}

    def missing(self, wanted: Mapping[date, str]) -> list[date]:
        """The days of ``wanted`` (day -> token of the stored report) with no facts of that copy."""
        held = self.held()
        return sorted(d for d, token in wanted.items() if held.get(d) != token)

    # writing ------------------------------------------------------------------------------------------------

    def ingest(self, day: date, token: str, parts: Iterable[ReportPart], con: Any = None) -> IngestResult:
        """Decode a users report of ``day`` (all its parts) into its facts file, replacing any older one."""
        private_dir(self.dir)
        self._remove_leftovers()
        fd, raw_name = tempfile.mkstemp(prefix=f".{day.isoformat()}.{os.getpid()}.", suffix=".ndjson", dir=self.dir)
        raw = Path(raw_name)
        out = raw.with_suffix(".parquet.tmp")
        own = con is None
        con = con or connect()
        try:
            names: list[tuple[str, int]] = []  # (part name, lines) for the slow road's line numbers
            chunks: list[bytes] = []
            with os.fdopen(fd, "wb") as f:
                for source, data in parts:
                    count = 0
                    for chunk in _chunks(data):
                        count += chunk.count(b"\n")
                        f.write(chunk)
                        chunks.append(chunk)
                    if chunks and not chunks[-1].endswith(b"\n"):
                        f.write(b"\n")
                        chunks.append(b"\n")
                        count += 1
                    names.append((source, count))
            # DuckDB reads the file (without the GIL) while this thread checks every line with the strict rule
            copied: list[BaseException | None] = []
            reader = threading.Thread(target=_copy_into, args=(con, raw, out, copied), daemon=True)
            reader.start()
            strict_ok = _all_strict(chunks)
            del chunks
            reader.join()
            rows, fast = _user_days(con, out, day) if strict_ok and copied == [None] else (0, False)
            problems: tuple[LineProblem, ...] = ()
            if not fast:
                problems = _normalize(raw, names, day)
                copied.clear()
                _copy_into(con, raw, out, copied)
                if copied[0] is not None:
                    raise copied[0]
                rows = _user_days(con, out, day)[0]
            os.chmod(out, 0o600)
            with self._lock:
                side = self.dir / f"{day.isoformat()}.{token}.problems.json"
                if problems:
                    write_private(side, orjson.dumps([[p.source, p.line_no, p.message] for p in problems]))
                _put_in_place(out, self.path(day, token))
                self._drop_others(day, token)
            self._drop_old_versions()
            return IngestResult(rows, problems, fast)
        finally:
            raw.unlink(missing_ok=True)
            out.unlink(missing_ok=True)
            if own:
                con.close()

    def _drop_others(self, day: date, token: str) -> None:
        prefix = f"{day.isoformat()}."
        keep = {f"{prefix}{token}.parquet", f"{prefix}{token}.problems.json"}
        for name in os.listdir(self.dir):
            if name.startswith(prefix) and name not in keep and not name.endswith((".ndjson", ".tmp")):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.dir / name)

    def _drop_old_versions(self) -> None:
        """Remove the facts of older versions (``v1`` ... below ``FACTS_VERSION``) once this version's hold a day:
        nothing reads them again. A newer version's are left to the newer app that made them."""
        if self.root in _ROOTS_SWEPT:
            return
        _ROOTS_SWEPT.add(self.root)
        for old in old_versions(self.root):
            shutil.rmtree(old, ignore_errors=True)
            log.info("removed the facts of an older version: %s", old)

    def _remove_leftovers(self) -> None:
        """Remove, once a process, the blocks of an older ``BLOCKS_VERSION`` (never read again; a newer version's
        are left to the app that made them) and the temporary files of writes whose process was killed (an
        ingest's inflated report is as big as the report, and holds logins): those named for a process that no
        longer runs, and those not named for one that are a day old."""
        if self.dir in _TEMPS_SWEPT:
            return
        _TEMPS_SWEPT.add(self.dir)
        for old in _older_blocks(self.dir):
            shutil.rmtree(old, ignore_errors=True)
        if os.name == "nt":  # no signal 0 to ask whether a process runs
            return
        for directory in (self.dir, self.blocks):
            try:
                entries = list(os.scandir(directory))
            except OSError:
                continue
            for entry in entries:
                if not entry.name.startswith(".") or not entry.name.endswith((".ndjson", ".tmp")):
                    continue
                found = _TEMP.match(entry.name)
                try:
                    if found is not None:
                        if process_runs(int(found[1] or found[2])):
                            continue
                    elif entry.stat().st_mtime > time.time() - _UNNAMED_TEMP_AGE:
                        continue
                    os.unlink(entry.path)
                except OSError:
                    continue
                log.info("removed a temporary file of a killed write: %s", entry.path)

    def forget(self, days: Mapping[date, str]) -> None:
        """Remove the facts files of ``days`` (day -> token) and every block, so that they are made again."""
        with self._lock:
            for day, token in days.items():
                self.path(day, token).unlink(missing_ok=True)
            for name in self._held_blocks():
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.blocks / name)

    def problems(self, days: Mapping[date, str]) -> list[LineProblem]:
        found: list[LineProblem] = []
        for day in sorted(days):
            side = self.dir / f"{day.isoformat()}.{days[day]}.problems.json"
            try:
                data = side.read_bytes()
            except FileNotFoundError:
                continue
            found += (LineProblem(s, n, m) for s, n, m in orjson.loads(data))
        return found

    # queries ------------------------------------------------------------------------------------------------

    def aggregate(self, period: Period, days: Mapping[date, str], con: Any = None) -> UsersAggregate:
        """The users aggregate of ``period`` from the facts of ``days`` (day -> token; every one must be held):
        the period's rollup kept from an earlier read, else rolled up through the period's blocks (made here when
        missing) and kept. The users' breakdown Counters and versions are read from it when first asked for."""
        self._remove_leftovers()
        own = con is None
        con = con or connect()
        try:
            problems = tuple(self.problems(days))
            kept = self._period_file(period, days, con)
            if kept is None:
                return UsersAggregate(period, [], [], [], [], [], 0, problems)
            source, path = kept
            details = _Entries(self, period, days, path)
            agg = _aggregate(con, source, period, problems, details)
            if path is None:  # not kept: read now, while the connection holds the rollup
                details.read(con, source)
            return agg
        finally:
            if own:
                con.close()

    def period_path(self, period: Period, days: Mapping[date, str]) -> Path | None:
        """Where the rollup of ``period``'s facts of ``days`` is kept (None: no day of it held): named for the
        copies of the days it holds, so a day stored anew makes it again."""
        keys = [(first, level, _block_key(first, level, days)) for first, level in pieces(period)]
        if all(key is None for _f, _l, key in keys):
            return None
        key = report_token(period.start, period.end, *(f"{f}.{lv}={k}" for f, lv, k in keys if k is not None))
        return self.blocks / f"{_PERIOD_PREFIX}{period.start.isoformat()}.{period.end.isoformat()}.{key}.parquet"

    def _period_file(self, period: Period, days: Mapping[date, str], con: Any) -> tuple[str, Path | None] | None:
        """The period's rollup (:func:`_period_sql`) as a query source, with the path it is kept at: its kept
        file, else made now and kept for the next read (when it cannot be written, the temporary table ``p`` and
        no path); None when no day of the period is held."""
        path = self.period_path(period, days)
        if path is None:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # the newest read periods are the ones kept
            return f"read_parquet({_sql_string(str(path))})", path
        day_files, block_files = self._cover(period, days, con)
        _roll_up_into(con, "rolled", day_files, block_files)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            private_dir(self.blocks)
            con.execute(f"COPY ({_period_sql('rolled')}) TO {_sql_string(str(tmp))} (FORMAT parquet, COMPRESSION zstd)")
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except Exception as exc:  # a read-only or full disk: answered from a table, not kept
            log.debug("period %s not kept: %s", path.name, exc)
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            con.execute(f"CREATE OR REPLACE TEMP TABLE p AS {_period_sql('rolled')}")
            return "p", None
        finally:
            con.execute("DROP TABLE IF EXISTS rolled")
        self._drop_old_periods()
        return f"read_parquet({_sql_string(str(path))})", path

    def _drop_old_periods(self) -> None:
        """Keep the ``KEPT_PERIODS`` periods read last: a moving window leaves one behind every day."""
        found = []
        for name in self._held_blocks():
            if name.startswith(_PERIOD_PREFIX):
                with contextlib.suppress(OSError):
                    found.append((os.stat(self.blocks / name).st_mtime, name))
        for _mtime, name in sorted(found, reverse=True)[KEPT_PERIODS:]:
            with contextlib.suppress(OSError):
                os.unlink(self.blocks / name)

    # blocks -------------------------------------------------------------------------------------------------

    def block_path(self, first: date, level: int, key: str) -> Path:
        return self.blocks / f"{first.isoformat()}.{level}.{key}.parquet"

    def _held_blocks(self) -> set[str]:
        try:
            return set(os.listdir(self.blocks))
        except FileNotFoundError:
            return set()

    def _cover(self, period: Period, days: Mapping[date, str], con: Any) -> tuple[list[str], list[str]]:
        """The day files and block files that together hold ``period``'s facts of ``days``: a block of the period
        missing is made (from the blocks and days it holds) and kept for the next period that has it."""
        held = self._held_blocks()
        day_files: list[str] = []
        block_files: list[str] = []
        for first, level in pieces(period):
            key = _block_key(first, level, days)
            if key is None:
                continue
            if level == 0:
                day_files.append(str(self.path(first, days[first])))
                continue
            path = self.block_path(first, level, key)
            if path.name in held or self._make_block(first, level, days, held, con, path):
                block_files.append(str(path))
            else:
                more_days, more_blocks = self._sources(first, level, days, held)
                day_files += more_days
                block_files += more_blocks
        return day_files, block_files

    def _sources(
        self, first: date, level: int, days: Mapping[date, str], held: set[str]
    ) -> tuple[list[str], list[str]]:
        """The day files and the blocks already made that hold one block's facts: its halves, each the block
        made for it or its own halves again."""
        key = _block_key(first, level, days)
        if key is None:
            return [], []
        if level == 0:
            return [str(self.path(first, days[first]))], []
        path = self.block_path(first, level, key)
        if path.name in held:
            return [], [str(path)]
        half = timedelta(days=1 << (level - 1))
        a_days, a_blocks = self._sources(first, level - 1, days, held)
        b_days, b_blocks = self._sources(first + half, level - 1, days, held)
        return a_days + b_days, a_blocks + b_blocks

    def _make_block(
        self, first: date, level: int, days: Mapping[date, str], held: set[str], con: Any, path: Path
    ) -> bool:
        """Write one block's rollup (under a temporary name, renamed into place) from its two halves, each made
        first when it is a block of 4 days or more (so a block is never more than two blocks or four days of rows
        at once, whatever its length); False when it cannot be written (the period is then read from what the
        block holds)."""
        half = timedelta(days=1 << (level - 1))
        for start in (first, first + half):
            key = _block_key(start, level - 1, days)
            if level - 1 >= 2 and key is not None:
                made = self.block_path(start, level - 1, key)
                if made.name not in held:
                    self._make_block(start, level - 1, days, held, con, made)
        a_days, a_blocks = self._sources(first, level - 1, days, held)
        b_days, b_blocks = self._sources(first + half, level - 1, days, held)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            private_dir(self.blocks)
            alone = a_blocks + b_blocks
            if a_days or b_days or len(alone) != 1 or not _linked(Path(alone[0]), tmp):
                _roll_up_into(con, "block", a_days + b_days, alone)
                con.execute(f"COPY block TO {_sql_string(str(tmp))} (FORMAT parquet, COMPRESSION zstd)")
                con.execute("DROP TABLE block")
                os.chmod(tmp, 0o600)
            _put_in_place(tmp, path)
        except Exception as exc:  # a read-only or full disk: the period is answered without keeping the block
            log.debug("block %s not kept: %s", path.name, exc)
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            return False
        prefix = f"{first.isoformat()}.{level}."
        for name in held:
            if name.startswith(prefix) and name != path.name:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.blocks / name)
        held.add(path.name)
        return True

    def make_blocks(
        self, days: Mapping[date, str], last: date | None = None, among: Iterable[date] | None = None, con: Any = None
    ) -> int:
        """Make the blocks of ``days`` (day -> token of every day with users data; their facts held) not made yet,
        and how many were made: each aligned block that holds a day of ``among`` (default: of ``days``) and ends
        on ``last`` (default: the last of ``days``) or before, so that a period ending then is read without making
        one. The shortest first, each from its two halves; after a refresh only the blocks holding a day stored
        anew (their key names its copy) and those a new day completes are missing. A block holding a day whose
        facts are not held is left to the read."""
        among = sorted(days if among is None else set(among) & set(days))
        if not among:
            return 0
        self._remove_leftovers()
        last = last or max(days)
        held_days = self.held()
        lacking = {d for d, t in days.items() if held_days.get(d) != t}
        held = self._held_blocks()
        own = con is None
        made = 0
        try:
            for level in range(1, BLOCK_LEVELS + 1):
                size = 1 << level
                firsts = sorted({date.fromordinal(d.toordinal() - d.toordinal() % size) for d in among})
                for first in firsts:
                    if first + timedelta(days=size - 1) > last or any(
                        first <= d < first + timedelta(days=size) for d in lacking
                    ):
                        continue
                    key = _block_key(first, level, days)
                    assert key is not None  # it holds a day of ``among``
                    path = self.block_path(first, level, key)
                    if path.name in held:
                        continue
                    con = con or connect()
                    made += self._make_block(first, level, days, held, con, path)
        finally:
            if own and con is not None:
                con.close()
        return made

    def history(
        self,
        period: Period,
        days: Mapping[date, str],
        engaged_days: int,
        con: Any = None,
        *,
        seen_earlier: Iterable[int] | None = None,
    ) -> UserHistory:
        """``period``'s users against every day of ``days`` (day -> token; every one held) before it.

        ``seen_earlier``: the ids of the users with a line on a day of ``days`` before the previous period, when
        the caller knows them without the facts (the demo): then those days' facts are not read, nor need to be
        held."""
        first = period.previous().start if seen_earlier is not None else date.min
        files = [str(self.path(d, t)) for d, t in sorted(days.items()) if first <= d <= period.end]
        own = con is None
        con = con or connect()
        try:
            held = sorted(d for d in days if d <= period.end)
            return _history(con, files, period, held, engaged_days, seen_earlier)
        finally:
            if own:
                con.close()


def _put_in_place(made: Path, path: Path) -> None:
    """Rename the file just ``made`` to ``path``, unless a file is there already: it holds the same rows (a facts
    file or block is named for what it is made from), and replacing it while another process reads it would hand
    DuckDB, which opens a file more than once a query, the new file's bytes at the old one's offsets."""
    try:
        os.link(made, path)
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links
        os.replace(made, path)
        return
    os.unlink(made)


def _linked(source: Path, link: Path) -> bool:
    """Whether ``link`` was made a hard link of ``source``: a block one of whose halves holds no day has the rows
    of the other half (a rollup of a rollup is itself), so it is that file under a second name."""
    try:
        os.link(source, link)
    except OSError:
        return False
    return True


def _older_blocks(directory: Path) -> list[Path]:
    """The block directories in ``directory`` of versions older than ``BLOCKS_VERSION``."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return [
        directory / name
        for name in names
        if (m := _BLOCKS_DIR.match(name)) is not None and int(m[1]) < BLOCKS_VERSION and (directory / name).is_dir()
    ]


_ROOTS_SWEPT: set[Path] = set()
"""Facts roots whose older versions this process has removed already."""
_TEMPS_SWEPT: set[Path] = set()
"""Facts directories whose dead temporary files this process has removed already."""


def old_versions(root: Path) -> list[Path]:
    """The facts directories under ``root`` of versions older than ``FACTS_VERSION``."""
    try:
        names = os.listdir(root)
    except OSError:
        return []
    return sorted(
        root / name
        for name in names
        if (m := _VERSION_DIR.match(name)) is not None and int(m[1]) < FACTS_VERSION and (root / name).is_dir()
    )


def _chunks(data: bytes | str | Iterable[bytes]) -> Iterator[bytes]:
    """A part as plain NDJSON chunks: inflated when gzip, without a leading byte order mark (the line rule's)."""
    if isinstance(data, str):
        data = data.encode()
    if isinstance(data, bytes | bytearray | memoryview):
        yield plain_part(bytes(data))
    else:
        yield from plain_chunks(data)


def _all_strict(chunks: Sequence[bytes]) -> bool:
    """Whether every line passes the strict decoder; a blank line is passed over, as DuckDB and the slow road do
    (report files opened from disk hand over a day's lines with the other days' lines blank)."""
    decode = decode_strict
    try:
        for line in iter_lines(chunks):
            if line.strip():
                decode(line)
    except (msgspec.DecodeError, RecursionError):
        return False
    return True


#: A facts file's rows: one row a user-day (``kind`` NULL: the user's own figures) and one row per entry of its
#: breakdowns (``kind`` the index in ``_KINDS``, ``name`` the feature, IDE, language or model, the entry's
#: figures in the same activity columns). Flat columns, so a period's query never unnests a list.
_FLAT = (
    "day, user_id, NULL::UTINYINT AS kind, NULL::VARCHAR AS name, "
    + ", ".join(_SHORT)
    + ", NULL::VARCHAR AS version, NULL::VARCHAR AS sampled, NULL::VARCHAR AS plugin,"
    " NULL::VARCHAR AS plugin_sampled, NULL::VARCHAR AS plugin_name, user_login, "
    + ", ".join(_FLAGS)
    + ", credits, cli_sessions, cli_requests, cli_prompts, cli_output_tokens, cli_prompt_tokens, cli_version,"
    " cli_sampled FROM r"
)


def _entries_sql(k: int) -> str:
    """The entry rows of breakdown kind ``k``: the report's list unnested, absent counters 0 (a feature entry has
    four), an IDE's versions only where the entry has one."""
    field, name = _REPORT_LISTS[k]
    figures = ", ".join(
        f"coalesce(e.{a}, 0)" if field != "totals_by_feature" or s in ("ui", "gen", "acc", "add") else "0"
        for s, a in zip(_SHORT, _ACT, strict=True)
    )
    version = (
        "CASE WHEN e.last_known_ide_version IS NOT NULL THEN coalesce(e.last_known_ide_version.ide_version, '') END,"
        " coalesce(e.last_known_ide_version.sampled_at, ''),"
        " CASE WHEN e.last_known_plugin_version IS NOT NULL"
        " THEN coalesce(e.last_known_plugin_version.plugin_version, '') END,"
        " coalesce(e.last_known_plugin_version.sampled_at, ''), coalesce(e.last_known_plugin_version.plugin, '')"
        if field == "totals_by_ide"
        else "NULL, NULL, NULL, NULL, NULL"
    )
    rest = ", ".join(["NULL"] * (1 + len(_FLAGS) + 8))
    return (
        f"SELECT day, user_id, {k}::UTINYINT, e.{name}, {figures}, {version}, {rest}"
        f" FROM (SELECT day, user_id, unnest({field}) AS e FROM r)"
    )


def _copy_into(con: Any, raw: Path, out: Path, result: list[BaseException | None]) -> None:
    """Read ``raw``'s lines with the declared schema into the Parquet file ``out``; ``result`` gets the error."""
    try:
        entries = " UNION ALL ".join(_entries_sql(k) for k in range(len(_KINDS)))
        con.execute(
            f"COPY (WITH r AS MATERIALIZED (SELECT * FROM (SELECT {_PROJECTION} FROM read_json("
            f"{_sql_string(str(raw))}, format = 'newline_delimited', columns = {_columns_sql()}))"
            f" WHERE day IS NOT NULL AND user_id IS NOT NULL) SELECT {_FLAT} UNION ALL {entries})"
            f" TO {_sql_string(str(out))} (FORMAT parquet, COMPRESSION zstd)"
        )
        result.append(None)
    except Exception as exc:
        result.append(exc)


def _user_days(con: Any, out: Path, day: date) -> tuple[int, bool]:
    """The user-day rows of the facts file ``out`` of ``day``, and whether they are all of that day and no user
    is among them twice."""
    total, distinct, other_days = con.execute(
        f"SELECT count(*), count(DISTINCT (user_id, day)), count(*) FILTER (WHERE day <> DATE '{day.isoformat()}')"
        f" FROM read_parquet({_sql_string(str(out))}) WHERE kind IS NULL"
    ).fetchone()
    return int(total), total == distinct and not other_days


def other_day_reason(found: str, day: date) -> str:
    """Why a line dated another day than its report's is left out."""
    return f"dated {found}, in the users report of {day.isoformat()}: left out (a report holds its own day only)"


def _normalize(raw: Path, names: Sequence[tuple[str, int]], day: date) -> tuple[LineProblem, ...]:
    """Rewrite ``raw`` with the lines the app's rule accepts, in normal form; the lines it skips, with where.

    The rule is the fold's: the strict decoder, else the typed parser; a blank line is passed over; a user-day
    seen again counts once (the first line wins); a line of another day than the report's ``day`` is skipped."""
    problems: list[LineProblem] = []
    accepted: list[bytes] = []
    seen: set[tuple[int, str]] = set()
    encode = msgspec.json.encode
    with open(raw, "rb") as f:
        lines = iter_lines(iter(lambda: f.read(1 << 20), b""))
        for source, count in names:
            for line_no in range(1, count + 1):
                line = next(lines)
                try:
                    decoded = decode_line(line)
                except LineError as exc:
                    problems.append(LineProblem(source, line_no, str(exc)))
                    continue
                if decoded is None:
                    continue
                key = (decoded.user_id, decoded.day[:10])
                if key[1] != day.isoformat():
                    problems.append(LineProblem(source, line_no, other_day_reason(key[1], day)))
                    continue
                if key in seen:
                    problems.append(LineProblem(source, line_no, repeat_reason(*key)))
                    continue
                seen.add(key)
                accepted.append(encode(decoded))
    with open(raw, "wb") as f:
        for line in accepted:
            f.write(line)
            f.write(b"\n")
    return tuple(problems)


# ------------------------------------------------------------------------------------------------------- queries


def _files_sql(files: Sequence[str]) -> str:
    return "[" + ", ".join(_sql_string(f) for f in files) + "]"


_CLI_COLUMNS = ("cli_sessions", "cli_requests", "cli_prompts", "cli_output_tokens", "cli_prompt_tokens")


#: Rows of a query's result from which it is read through NumPy when NumPy is not imported yet (importing it is
#: about 0.15 s, more than reading a few thousand rows as tuples): a small org's first period paints without it.
NUMPY_ROWS = 20_000


def _columns(con: Any, sql: str) -> dict[str, list[Any]]:
    """A query's result as Python lists by column: through NumPy (far cheaper than a tuple per row at 50k users)
    unless the result is small and NumPy not imported yet. NumPy has no 128-bit integer: a sum must be cast to
    BIGINT, or its counts come back as floats."""
    if "numpy" not in sys.modules and con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0] < NUMPY_ROWS:
        result = con.execute(sql)
        names = [d[0] for d in result.description]
        columns = list(zip(*result.fetchall(), strict=True)) or [()] * len(names)
        return {name: list(values) for name, values in zip(names, columns, strict=True)}
    return {name: values.tolist() for name, values in con.execute(sql).fetchnumpy().items()}


def _credits_sql(column: str) -> str:
    """A sum of AI credits as the line rule adds them (:func:`copilot_tui.metrics.linerule.add_credits`): in
    millionths, exactly, whatever the order."""
    return f"coalesce(sum(floor({column} * {CREDIT_UNITS} + 0.5)::HUGEINT)::DOUBLE / {CREDIT_UNITS}, 0.0)"


#: The longest block a period is read through: 2**BLOCK_LEVELS days.
BLOCK_LEVELS = 8
#: Periods whose rollups are kept (the ones read last), and how their files are named in the blocks' directory.
KEPT_PERIODS = 8
_PERIOD_PREFIX = "p."
_SERIES_FEATURE, _SERIES_FLAG = 4, 5
_CLI_ORDER = "(cli_sampled, vday)"
_IDE_ORDER = "(sampled, vday)"
_PLUGIN_ORDER = "(plugin_sampled, pday)"


def pieces(period: Period) -> list[tuple[date, int]]:
    """``period`` as aligned blocks, each (first day, level): ``2**level`` days from a day whose ordinal is a
    multiple of ``2**level``, the longest that fit, so a year is about 16 blocks and a block is the same whatever
    period it is part of."""
    found: list[tuple[date, int]] = []
    p, end = period.start.toordinal(), period.end.toordinal()
    while p <= end:
        level = BLOCK_LEVELS
        while level and (p % (1 << level) or p + (1 << level) - 1 > end):
            level -= 1
        found.append((date.fromordinal(p), level))
        p += 1 << level
    return found


def _block_key(first: date, level: int, days: Mapping[date, str]) -> str | None:
    """What names a block's contents: the copies of its days held (None when it holds none)."""
    held = [(d, days[d]) for d in (first + timedelta(days=i) for i in range(1 << level)) if d in days]
    if not held:
        return None
    if level == 0:
        return held[0][1]
    return report_token(*(f"{d.isoformat()}={t}" for d, t in held))


#: A block file's and a period's rows (the rollup): one row a user (``kind`` NULL; ``day`` the last active day,
#: ``days`` the days active, ``vday`` the day of the CLI version kept), one per user and breakdown entry (``kind``
#: 0-3; for an IDE ``vday``/``pday`` the days of the IDE and plugin versions kept), and the daily series without a
#: user: per day and feature (``kind`` 4, ``days`` its users) and per day and flag (``kind`` 5, ``name`` the flag,
#: ``days`` users with it set, ``ui`` users reporting it, ``gen`` their CLI requests). Credits in exact millionths.
def _rows_of_days(files: Sequence[str]) -> str:
    """Rows of day files in the rollup's columns: a user-day is a user's rollup of one day. A file gives its own
    day's rows only (its name's day): a line of another day in a day's report is not that day's, nor the period's
    (as the fold, which passes over lines outside the period)."""
    src = (
        f"(SELECT * EXCLUDE (filename) FROM read_parquet({_files_sql(files)}, filename = true)"
        " WHERE day = left(parse_filename(filename), 10)::DATE)"
    )
    per_flag = " UNION ALL BY NAME ".join(
        f"SELECT day, {_SERIES_FLAG}::UTINYINT AS kind, {_sql_string(flag)} AS name,"
        f" count(*) FILTER (WHERE {flag}) AS days, count({flag}) AS ui,"
        f" coalesce(sum_no_overflow(cli_requests) FILTER (WHERE {flag}), 0)::BIGINT AS gen FROM {src}"
        " WHERE kind IS NULL GROUP BY day"
        for _name, flag in FLAG_SERIES
    )
    return (
        f"SELECT * EXCLUDE (credits), 1::BIGINT AS days, day AS vday, day AS pday,"
        f" floor(credits * {CREDIT_UNITS} + 0.5)::BIGINT AS credit_units FROM {src}"
        f" UNION ALL BY NAME SELECT day, {_SERIES_FEATURE}::UTINYINT AS kind, name, count(*) AS days, "
        + ", ".join(f"sum_no_overflow({c})::BIGINT AS {c}" for c in ("ui", "gen", "acc", "add"))
        + f" FROM {src} WHERE kind = 0 GROUP BY day, name UNION ALL BY NAME {per_flag}"
    )


def _rollup_parts() -> list[str]:
    """The rollup of rows ``b`` in the rollup's columns (day rows or blocks), as its four aggregations (users,
    IDE entries, other entries, series): merging rollups is a rollup again."""
    sums = ", ".join(f"sum_no_overflow({c})::BIGINT AS {c}" for c in _SHORT)
    cli = ", ".join(f"sum_no_overflow({c})::BIGINT AS {c}" for c in _CLI_COLUMNS)

    def latest(columns: Sequence[str], order: str, present: str) -> str:
        return ", ".join(f"arg_max({c}, {order}) FILTER (WHERE {present} IS NOT NULL) AS {c}" for c in columns)

    return [
        f"SELECT user_id, max(day) AS day, sum(days)::BIGINT AS days, {sums}, arg_max(user_login, day) AS user_login, "
        + ", ".join(f"bool_or({f}) AS {f}" for f in _FLAGS)
        + f", sum(credit_units)::BIGINT AS credit_units, {cli}, "
        + latest(("cli_version", "cli_sampled", "vday"), _CLI_ORDER, "cli_version")
        + " FROM b WHERE kind IS NULL GROUP BY user_id",
        f"SELECT user_id, 1::UTINYINT AS kind, name, {sums}, "
        + latest(("version", "sampled", "vday"), _IDE_ORDER, "version")
        + ", "
        + latest(("plugin", "plugin_sampled", "plugin_name", "pday"), _PLUGIN_ORDER, "plugin")
        + " FROM b WHERE kind = 1 GROUP BY user_id, name",
        f"SELECT user_id, kind, name, {sums} FROM b WHERE kind IN (0, 2, 3) GROUP BY user_id, kind, name",
        "SELECT day, kind, name, sum(days)::BIGINT AS days, "
        + ", ".join(f"sum_no_overflow({c})::BIGINT AS {c}" for c in ("ui", "gen", "acc", "add"))
        + f" FROM b WHERE kind >= {_SERIES_FEATURE} GROUP BY day, kind, name",
    ]


def _period_sql(table: str) -> str:
    """The rollup ``table`` of a period as kept: its user rows with the figures computed from a user's Counters
    and versions (``UserSummary``'s properties, ``metrics.user_columns.SHOWN``): the top name by weight (ties to
    the first name), each IDE's version with the most used IDE first, and whether a code-completion entry is
    there (``completion``)."""
    weight = " ".join(f"WHEN {k} THEN {w}" for k, (_c, w) in enumerate(_KINDS))
    w = f"(CASE kind {weight} END)"
    tops = ", ".join(
        f"arg_min(name, (-{w}, name)) FILTER (WHERE kind = {k}) AS {key}"
        for k, key in enumerate(("top_feature", "top_ide", "top_language", "top_model"))
    )
    texts = ", ".join(
        f"string_agg(name || ' ' || {c}, '; ' ORDER BY {w} DESC, name) FILTER (WHERE kind = 1 AND {c} <> '') AS {key}"
        for c, key in (("version", "ide_version_text"), ("plugin", "plugin_version_text"))
    )
    shown = (
        f"SELECT user_id, {tops}, {texts},"
        f" coalesce(bool_or(kind = 0 AND name = {_sql_string(CODE_COMPLETION)}), false) AS completion"
        f" FROM {table} WHERE kind <= 3 GROUP BY user_id"
    )
    return (
        f"SELECT {table}.*, s.* EXCLUDE (user_id) FROM {table} LEFT JOIN ({shown}) AS s"
        f" ON {table}.kind IS NULL AND s.user_id = {table}.user_id"
    )


def _roll_up_into(con: Any, table: str, day_files: Sequence[str], block_files: Sequence[str]) -> None:
    """The rollup of these day files and blocks into a temporary ``table``, one aggregation at a time (the four
    at once ran out of DuckDB's memory limit at 200k users)."""
    sources = []
    if day_files:
        sources.append(f"SELECT * FROM ({_rows_of_days(day_files)})")
    if block_files:
        sources.append(f"SELECT * FROM read_parquet({_files_sql(block_files)}, union_by_name = true)")
    rows = " UNION ALL BY NAME ".join(sources)
    parts = _rollup_parts()
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS WITH b AS ({rows}) {' UNION ALL BY NAME '.join(parts)} LIMIT 0"
    )
    for part in parts:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM (WITH b AS ({rows}) {part})")


class _Entries:
    """The loader of a period's users' breakdown entries and versions (:class:`~copilot_tui.metrics.user_columns.
    Details`): read from the kept rollup when first asked for (made again if it was dropped meanwhile), or at
    once (:meth:`read`) when it could not be kept."""

    def __init__(self, facts: Facts, period: Period, days: Mapping[date, str], path: Path | None) -> None:
        self.facts, self.period, self.days, self.path = facts, period, dict(days), path
        self.found: tuple[list[str], dict[str, Any], dict[str, Any]] | None = None
        self.details = Details(self.load)

    def read(self, con: Any, source: str) -> None:
        self.found = _entries(con, source)

    def load(self) -> tuple[list[str], dict[str, Any], dict[str, Any]]:
        if self.found is not None:
            return self.found
        con = connect()
        try:
            try:
                return _entries(con, f"read_parquet({_sql_string(str(self.path))})")
            except Exception as exc:  # dropped, replaced or damaged since: made again
                log.info("rollup of %s made again: %s", self.period, exc)
                if self.path is not None:
                    self.path.unlink(missing_ok=True)
            kept = self.facts._period_file(self.period, self.days, con)
            assert kept is not None
            return _entries(con, kept[0])
        finally:
            con.close()


def _entries(con: Any, source: str) -> tuple[list[str], dict[str, Any], dict[str, Any]]:
    """Every user's breakdown entries (names as indexes into the list of names) and IDE/plugin versions of the
    rollup ``source``, as NumPy arrays sorted by user id."""
    weight = " ".join(f"WHEN {k} THEN {w}" for k, (_c, w) in enumerate(_KINDS))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE e AS SELECT user_id, kind, name, (CASE kind {weight} END)::BIGINT AS weight,"
        f" version, sampled, plugin, plugin_sampled, plugin_name FROM {source} WHERE kind <= 3"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE n AS SELECT name, (row_number() OVER (ORDER BY name) - 1)::INTEGER AS i"
        " FROM (SELECT DISTINCT name FROM e)"
    )
    names = [n for (n,) in con.execute("SELECT name FROM n ORDER BY i").fetchall()]
    entries = con.execute(
        "SELECT user_id, kind, i AS name, weight FROM e JOIN n USING (name) ORDER BY user_id"
    ).fetchnumpy()
    versions = con.execute(
        "SELECT user_id, name AS ide, version, sampled, plugin, plugin_sampled, plugin_name FROM e"
        " WHERE kind = 1 AND (version IS NOT NULL OR plugin IS NOT NULL) ORDER BY user_id"
    ).fetchnumpy()
    con.execute("DROP TABLE e; DROP TABLE n")
    return names, entries, versions  # NULL: masked, None in tolist()


def _aggregate(
    con: Any, source: str, period: Period, problems: tuple[LineProblem, ...], entries: _Entries
) -> UsersAggregate:
    """The users aggregate of ``period`` from its rollup ``source`` (a table or a kept file): the breakdowns and
    series summed, the users as columns (:class:`~copilot_tui.metrics.user_columns.ColumnUsers`), the figures
    the users table shows of every user as the rollup holds them (:func:`_period_sql`)."""
    day_list = tuple(period.each_day())
    first = f"DATE '{period.start.isoformat()}'"
    breakdowns: list[list[BreakdownRow]] = [[], [], [], []]
    for kind, name, user_count, *figures in con.execute(
        "SELECT kind, name, count(*), "
        + ", ".join(f"sum_no_overflow({c})::BIGINT" for c in _SHORT)
        + f" FROM {source} WHERE kind BETWEEN 1 AND 3 GROUP BY kind, name"
    ).fetchall():
        breakdowns[kind].append(BreakdownRow(name, user_count, dict(zip(_ACT, figures, strict=True))))
    for rows in breakdowns:
        rows.sort(key=lambda r: (-(r.activity[_ACT[1]] + r.activity[_ACT[0]]), r.name))
    u = _columns(
        con,
        f"SELECT u.user_id, u.user_login, u.days AS days_active, date_diff('day', {first}, u.day) AS last, "
        + ", ".join(f"u.{s} AS {a}" for s, a in zip(_SHORT, _ACT, strict=True))
        + f", coalesce(u.credit_units::DOUBLE / {CREDIT_UNITS}, 0.0) AS ai_credits_used, "
        + ", ".join(f"u.{f}" for f in _FLAGS)
        + ", "
        + ", ".join(f"u.{c} AS {n}" for c, n in zip(_CLI_COLUMNS, CLI_NAMES, strict=True))
        + ", u.cli_version, u.cli_sampled, "
        + ", ".join(SHOWN)
        + ", completion"
        f" FROM {source} AS u WHERE u.kind IS NULL ORDER BY lower(u.user_login), u.user_id",
    )
    u["last_active_day"] = [day_list[i] for i in u.pop("last")]
    users = ColumnUsers(u, entries.details)
    lines = sum(u["days_active"])
    series = _series(con, source, day_list, first)
    return UsersAggregate(period, users, series, breakdowns[1], breakdowns[2], breakdowns[3], lines, problems)


def _series(con: Any, source: str, days: tuple[date, ...], first: str) -> list[FeatureSeries]:
    n = len(days)
    by_feature: dict[str, list[list[int]]] = {}
    for i, name, ui, gen, acc, add, users in con.execute(
        f"SELECT date_diff('day', {first}, day), name, ui, gen, acc, add, days FROM {source}"
        f" WHERE kind = {_SERIES_FEATURE}"
    ).fetchall():
        columns = by_feature.get(name)
        if columns is None:
            columns = by_feature[name] = [[0] * n for _ in range(5)]
        for column, value in zip(columns, (ui, gen, acc, add, users), strict=True):
            column[i] = value
    series = [FeatureSeries(name, days, *(tuple(c) for c in columns)) for name, columns in by_feature.items()]  # type: ignore[arg-type]
    per_flag: dict[str, list[tuple[int, int, int, int]]] = {}
    for i, flag, with_flag, reported, requests in con.execute(
        f"SELECT date_diff('day', {first}, day), name, days, ui, gen FROM {source} WHERE kind = {_SERIES_FLAG}"
    ).fetchall():
        per_flag.setdefault(flag, []).append((i, with_flag, reported, requests))
    zeros = (0,) * n
    for name, flag in FLAG_SERIES:
        users = [0] * n
        requests = [0] * n
        carried = False
        for i, with_flag, reported, cli_requests in per_flag.get(flag, ()):
            users[i] = with_flag
            carried = carried or reported > 0
            requests[i] = cli_requests
        if carried:
            series.append(
                FeatureSeries(
                    name, days, tuple(requests) if flag == "used_cli" else zeros, zeros, zeros, zeros, tuple(users)
                )
            )
    series.sort(key=lambda s: (-sum(s.users), s.feature))
    return series


def _history(
    con: Any,
    files: Sequence[str],
    period: Period,
    held: Sequence[date],
    engaged_days: int,
    seen_earlier: Iterable[int] | None = None,
) -> UserHistory:
    previous = period.previous()
    counts = (0,) * 7
    if files:
        start, before = f"DATE '{period.start.isoformat()}'", f"DATE '{previous.start.isoformat()}'"
        earlier = f"count(*) FILTER (WHERE day < {before}) > 0"
        if seen_earlier is not None:
            earlier += " OR list_contains($seen, user_id)"
        counts = con.execute(
            "WITH per AS (SELECT user_id,"
            f" count(*) FILTER (WHERE day >= {start}) AS now,"
            f" coalesce(bool_or(used_agent) FILTER (WHERE day >= {start}), false) AS agent,"
            f" count(*) FILTER (WHERE day >= {before} AND day < {start}) > 0 AS prev,"
            f" {earlier} AS earlier"
            f" FROM read_parquet({_files_sql(files)}) WHERE kind IS NULL AND day <= DATE '{period.end.isoformat()}' GROUP BY user_id)"
            " SELECT count(*) FILTER (WHERE now > 0), count(*) FILTER (WHERE now > 0 AND NOT prev AND NOT earlier),"
            " count(*) FILTER (WHERE now > 0 AND NOT prev AND earlier), count(*) FILTER (WHERE now > 0 AND prev),"
            " count(*) FILTER (WHERE now = 0 AND prev),"
            f" count(*) FILTER (WHERE now >= {int(engaged_days)}),"
            f" count(*) FILTER (WHERE now >= {int(engaged_days)} AND agent) FROM per",
            {"seen": sorted(seen_earlier)} if seen_earlier is not None else None,
        ).fetchone()
    active, new, returning, retained, lapsed, engaged, engaged_agent = counts
    return UserHistory(
        period=period,
        engaged_days=engaged_days,
        first_day=held[0] if held else None,
        days_before=sum(1 for d in held if d < period.start),
        previous_days=sum(1 for d in held if d in previous),
        active=active,
        new=new,
        returning=returning,
        retained=retained,
        lapsed=lapsed,
        engaged=engaged,
        engaged_agent=engaged_agent,
    )


def bucket_users(files: Mapping[date, Path], cuts: Sequence[Period]) -> list[PeriodUsers | None]:
    """Each of ``cuts``' distinct users (a period of the charts, ``metrics.trends.buckets``) from the facts
    ``files`` (day -> file): what :func:`~copilot_tui.metrics.derive.period_users` counts over a whole period,
    counted per bucket in one query. A bucket none of whose days has a users report is None (not known), not
    zero: GitHub sends a day's org totals before its users report."""
    out: list[PeriodUsers | None] = [
        PeriodUsers(0, 0, 0, 0, 0, 0) if any(d in c for d in files) else None for c in cuts
    ]
    chosen = [str(f) for d, f in sorted(files.items()) if any(d in c for c in cuts)]
    if not chosen:
        return out
    values = ", ".join(f"({i}, DATE '{c.start.isoformat()}', DATE '{c.end.isoformat()}')" for i, c in enumerate(cuts))
    cloud = " OR ".join(f"coalesce({f}, false)" for f in CLOUD_AGENT_FLAGS)
    sql = (
        f"WITH c(b, s, e) AS (VALUES {values}),"
        f" f AS (SELECT c.b, r.* FROM read_parquet({_files_sql(chosen)}) AS r JOIN c ON r.day BETWEEN c.s AND c.e),"
        " u AS (SELECT b, user_id, coalesce(bool_or(used_agent), false) AS agent,"
        " coalesce(bool_or(used_chat), false) AS chat, coalesce(bool_or(used_cli), false) AS cli,"
        f" coalesce(bool_or({CODE_REVIEW_FLAG}), false) AS review, bool_or({cloud}) AS cloud,"
        f" {_credits_sql('credits')} AS credits FROM f WHERE kind IS NULL GROUP BY b, user_id),"
        f" cc AS (SELECT DISTINCT b, user_id FROM f WHERE kind = 0 AND name = '{CODE_COMPLETION}')"
        " SELECT b, count(*), count(*) FILTER (WHERE agent), count(*) FILTER (WHERE chat),"
        " count(*) FILTER (WHERE cli), count(*) FILTER (WHERE review), count(*) FILTER (WHERE cloud),"
        " sum(credits), count(cc.user_id) FILTER (WHERE NOT (agent OR chat OR cli))"
        " FROM u LEFT JOIN cc USING (b, user_id) GROUP BY b"
    )
    con = connect()
    try:
        for b, active, agent, chat, cli, review, cloud_users, credits, only in con.execute(sql).fetchall():
            out[b] = PeriodUsers(active, agent, chat, cli, review, cloud_users, credits, only)
    finally:
        con.close()
    return out


def user_days_sql(file: str) -> str:
    """A query of one facts file's users as rows of the ``users-days`` export: one a user, the API's field names,
    every counter the facts hold (the breakdowns as lists of entries, as a report line holds them), ordered by
    login."""
    counters = ", ".join(f"{a}: {s}" for s, a in zip(_SHORT, _ACT, strict=True))
    lists = []
    for k, (column, _w) in enumerate(_KINDS):
        field, name = _REPORT_LISTS[k]
        entry = f"{name}: name, " + (
            ", ".join(f"{a}: {s}" for s, a in zip(_SHORT, _ACT, strict=True) if s in ("ui", "gen", "acc", "add"))
            if column == "features"
            else counters
        )
        if column == "ides":
            entry += (
                ", last_known_ide_version: nullif(version, ''), last_known_ide_version_sampled_at: nullif(sampled, ''),"
                " last_known_plugin: nullif(plugin_name, ''), last_known_plugin_version: nullif(plugin, ''),"
                " last_known_plugin_version_sampled_at: nullif(plugin_sampled, '')"
            )
        lists.append(f"list({{{entry}}} ORDER BY name) FILTER (WHERE kind = {k}) AS {field}")
    cli = ", ".join(f"u.{c} AS totals_by_cli_{n}" for c, n in zip(_CLI_COLUMNS, CLI_NAMES, strict=True))
    return (
        f"WITH f AS (SELECT * FROM read_parquet({_sql_string(file)})),"
        f" e AS (SELECT user_id, {', '.join(lists)} FROM f WHERE kind IS NOT NULL GROUP BY user_id)"
        " SELECT u.user_id, u.user_login, "
        + ", ".join(f"u.{s} AS {a}" for s, a in zip(_SHORT, _ACT, strict=True))
        + ", "
        + ", ".join(f"u.{f}" for f in _FLAGS)
        + f", u.credits AS ai_credits_used, {cli}, nullif(u.cli_version, '') AS totals_by_cli_last_known_cli_version,"
        " nullif(u.cli_sampled, '') AS totals_by_cli_last_known_cli_version_sampled_at, "
        + ", ".join(f"coalesce(e.{field}, []) AS {field}" for field, _n in _REPORT_LISTS)
        + " FROM f AS u LEFT JOIN e USING (user_id) WHERE u.kind IS NULL ORDER BY lower(u.user_login), u.user_id"
    )


def report_token(*values: object) -> str:
    """A file-name-safe token naming one stored copy of a report (from what identifies it in the store)."""
    import hashlib

    digest = hashlib.sha1(f"{FACTS_VERSION}|{'|'.join(map(str, values))}".encode(), usedforsecurity=False)
    return digest.hexdigest()[:16]


# ------------------------------------------------------------------------------------------------------- the store


def facts_for(store: Store, scope: Scope) -> Facts:
    """The facts of ``scope``'s users reports held in ``store``: a directory beside its SQLite file."""
    path = store.path_for(scope)
    return Facts(path.with_name(path.name.rsplit(".", 1)[0] + ".facts"))


def token_of(held: HeldReport) -> str:
    """The token of a stored copy of a report: a new download of the day gets a new one."""
    return report_token(held.fetched_at.isoformat(), held.part_count, held.raw_bytes)


def ingest_stored(store: Store, scope: Scope, day: date, parts: Sequence[tuple[str, bytes]]) -> IngestResult | None:
    """Decode a users report just stored (``parts`` as stored) into its facts, and what that found; None when
    they were not made: a failure is logged, never raised (the report is safe in the store and its facts are
    made again when a period needs them)."""
    try:
        (held,) = store.held(scope, USERS_KIND, day, day)
        if held.has_data:
            return facts_for(store, scope).ingest(day, token_of(held), parts)
    except Exception as exc:
        log.warning("facts of %s %s not made now (made when needed): %s", scope, day, exc)
    return None


def make_stored_blocks(store: Store, scope: Scope, start: date | None = None, end: date | None = None) -> int:
    """Make the blocks holding a day of ``start..end`` that ``scope``'s stored users facts lack
    (:meth:`Facts.make_blocks`), up to the newest day the store holds data for (where a period the app opens
    ends), and how many were made: called once a fetch of those days has stored its reports, so that opening a
    period only reads. A failure is logged, never raised (blocks are a cache: a read makes what it misses)."""
    try:
        held = store.held(scope)
        last = max((h.day for h in held if h.has_data), default=None)
        wanted = {h.day: token_of(h) for h in held if h.kind == USERS_KIND and h.has_data}
        if last is None or not wanted:
            return 0
        among = [d for d in wanted if (start is None or d >= start) and (end is None or d <= end)]
        return facts_for(store, scope).make_blocks(wanted, last, among)
    except Exception as exc:
        log.warning("blocks of %s not made now (made when read): %s", scope, exc)
        return 0


def stored_facts(store: Store, scope: Scope, period: Period, held: Iterable[HeldReport]) -> dict[date, Path]:
    """The facts file of each day of ``period`` that the reports ``held`` have users data for, made first where
    missing (for an export of the facts themselves)."""
    wanted = {h.day: token_of(h) for h in held if h.kind == USERS_KIND and h.has_data and h.day in period}
    facts = facts_for(store, scope)
    missing = facts.missing(wanted)
    if missing:
        con = connect()
        try:
            for day in missing:
                facts.ingest(day, wanted[day], store.read_parts(scope, USERS_KIND, [day]), con)
        finally:
            con.close()
    return facts.files(wanted)


def stored_history(store: Store, scope: Scope, period: Period, engaged_days: int) -> UserHistory:
    """``period``'s users against every day the store holds before it (their facts made first where missing)."""
    held = store.held(scope, USERS_KIND, end=period.end)
    wanted = {h.day: token_of(h) for h in held if h.has_data}
    facts = facts_for(store, scope)
    con = connect()
    try:
        for day in facts.missing(wanted):
            facts.ingest(day, wanted[day], store.read_parts(scope, USERS_KIND, [day]), con)
        return facts.history(period, wanted, engaged_days, con)
    finally:
        con.close()


def stored_aggregate(store: Store, scope: Scope, period: Period, held: Iterable[HeldReport]) -> UsersAggregate:
    """The users aggregate of ``period`` from the facts of the reports ``held`` (the store's list for the period):
    the days whose facts are missing or of another copy are decoded from the store first."""
    wanted = {h.day: token_of(h) for h in held if h.kind == USERS_KIND and h.has_data and h.day in period}
    facts = facts_for(store, scope)
    con = connect()
    try:
        for day in facts.missing(wanted):
            facts.ingest(day, wanted[day], store.read_parts(scope, USERS_KIND, [day]), con)
        try:
            return facts.aggregate(period, wanted, con)
        except OSError:
            raise
        except Exception as exc:  # a file replaced by another process while read, or a damaged one
            log.info("facts of %s changed while read, read again: %s", scope, exc)
        try:  # listed afresh: another process's new block or day file is read as it now stands
            return facts.aggregate(period, wanted, con)
        except OSError:
            raise
        except Exception as exc:  # damaged: made again from the stored reports, the source of truth
            log.warning("facts of %s could not be read, made again from the stored reports: %s", scope, exc)
            facts.forget(wanted)
            for day in sorted(wanted):
                facts.ingest(day, wanted[day], store.read_parts(scope, USERS_KIND, [day]), con)
            return facts.aggregate(period, wanted, con)
    finally:
        con.close()
