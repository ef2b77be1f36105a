"""The local store: every report file the app has downloaded, so it starts from disk and works offline.

Layout: one SQLite file per host and per organization or enterprise, ``<data dir>/store/<host>/<kind>--<name>.sqlite3``.
One file per scope keeps a big enterprise from slowing a small org, lets ``cache clear --org`` free the space at
once (a file is unlinked; a row delete in a shared file would leave the space to a VACUUM), and limits what a
damaged file takes with it.

Each file holds the raw NDJSON parts of the reports, zlib-compressed (report lines repeat their keys, so they shrink
about tenfold), keyed by report kind and day, with the time each was fetched; a day that answered "no data" (204)
is remembered too. Raw parts, not parsed rows, are kept so a better parser later reads old downloads again.

Safety: WAL journal, and every write is one transaction, so a kill at any moment leaves the last committed state
readable. Files are created 0600 in a 0700 directory (they hold logins). A file SQLite calls damaged is renamed
aside (``*.damaged-<time>``), never deleted, and a notice says where it went.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from copilot_tui.block_index import block_checksum, block_offsets, blocks_of, compress_indexed, inflate_block
from copilot_tui.metrics.linerule import plain_part
from copilot_tui.scope import Scope, ScopeKind

SCHEMA_VERSION = 5

#: Forward migrations, by the version they lead to. A file at version N runs N+1.. in order, in one transaction.
MIGRATIONS: dict[int, str] = {
    1: """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE reports (
            kind TEXT NOT NULL,
            day TEXT NOT NULL,
            has_data INTEGER NOT NULL,
            fetched_at TEXT NOT NULL,
            part_count INTEGER NOT NULL,
            PRIMARY KEY (kind, day)
        ) WITHOUT ROWID;
        CREATE TABLE parts (
            kind TEXT NOT NULL,
            day TEXT NOT NULL,
            seq INTEGER NOT NULL,
            name TEXT NOT NULL,
            codec TEXT NOT NULL,
            data BLOB NOT NULL,
            UNIQUE (kind, day, seq)
        );
    """,
    # v2: sizes per report, so `cache info` need not read every blob.
    2: """
        ALTER TABLE reports ADD COLUMN raw_bytes INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE reports ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
        UPDATE reports SET stored_bytes = (
            SELECT coalesce(sum(length(data)), 0) FROM parts WHERE parts.kind = reports.kind AND parts.day = reports.day
        );
        UPDATE reports SET raw_bytes = stored_bytes;
    """,
    # v3: numbers computed from the reports (the dashboard's users aggregate), so a start paints without reading
    # every report again; each row says which version of the data it was computed from.
    3: """
        CREATE TABLE computed (
            key TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            created_at TEXT NOT NULL,
            data BLOB NOT NULL
        );
    """,
}

MIGRATIONS[4] = """
    CREATE TABLE part_index (
        kind TEXT NOT NULL,
        day TEXT NOT NULL,
        seq INTEGER NOT NULL,
        blocks BLOB NOT NULL,
        user_ids BLOB NOT NULL,
        user_blocks BLOB NOT NULL,
        PRIMARY KEY (kind, day, seq)
    );
"""
# v4: where each user's lines sit in a users report part, so one user's rows are read without inflating the rest
# (the format: ``copilot_tui.block_index``).

MIGRATIONS[5] = """
    ALTER TABLE parts ADD COLUMN checksum INTEGER;
    ALTER TABLE part_index ADD COLUMN block_checksums BLOB;
    ALTER TABLE computed ADD COLUMN checksum INTEGER;
"""
# v5: a CRC-32 of every stored blob (of each block of an indexed part too, as a uint32 array), checked whenever it is
# read: damage inside a blob that still inflates (or a block, inflated without the stream's own check) is caught,
# never read as numbers. Rows stored before carry NULL and are checked by inflating (zlib's own check) only.

#: Computed rows kept per scope (periods looked at recently); older ones are dropped when a new one is saved.
COMPUTED_KEEP = 8

_COMPRESS_LEVEL = 6
_READ_CHUNK = 1 << 20
_CORRUPTION_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
STORE_SUFFIX = ".sqlite3"
"""The ending of a store file's name (one per scope and host)."""


class StoreError(Exception):
    """A store problem, with a message a person can act on."""


class StoreDamagedError(StoreError):
    """The file was damaged and has been moved aside; a fresh, empty one takes its place."""


class StoreVersionError(StoreError):
    """The file was written by a newer copilot-tui; it is left untouched."""


@dataclass(frozen=True, slots=True)
class HeldReport:
    """What the store holds for one report kind on one day."""

    kind: str
    day: date
    has_data: bool
    fetched_at: datetime
    part_count: int
    raw_bytes: int
    stored_bytes: int


@dataclass(frozen=True, slots=True)
class KindInfo:
    kind: str
    first_day: date
    last_day: date
    days: int
    days_with_data: int
    raw_bytes: int
    stored_bytes: int


@dataclass(frozen=True, slots=True)
class ScopeInfo:
    host: str
    scope: Scope
    path: Path
    file_bytes: int
    kinds: tuple[KindInfo, ...]
    last_fetched_at: datetime | None


# ------------------------------------------------------------------------------------------------------- locations


def store_root() -> Path:
    """``<data dir>/store``; the data dir honours ``COPILOT_TUI_DATA_DIR``."""
    from copilot_tui import locations

    return locations.data_dir() / "store"


def host_key(hostname: str | None = None, api_url: str | None = None) -> str:
    """A directory name for the host the data came from: ``github.com``, ``acme.ghe.com``, ``127.0.0.1-8080``.

    ``--api-url`` wins over ``--hostname`` (it is where requests really go); ``api.`` is dropped so that
    ``https://api.acme.ghe.com`` and ``--hostname acme.ghe.com`` share one store.
    """
    if api_url:
        parts = urlsplit(api_url if "://" in api_url else f"https://{api_url}")
        host = (parts.hostname or "unknown").lower()
        host = {"api.github.com": "github.com"}.get(host, host)
        if host.startswith("api.") and host.endswith(".ghe.com"):
            host = host[4:]
        if parts.port:
            host = f"{host}-{parts.port}"
        path = parts.path.strip("/")
        if path and path != "api/v3":
            host = f"{host}-{path}"
    else:
        host = (hostname or "github.com").lower()
    return _safe(host)


def _safe(text: str) -> str:
    cleaned = re.sub(r"(?:[^A-Za-z0-9._-]|\.{2,})+", "-", text)
    cleaned = re.sub(r"-{2,}", "-", cleaned).strip("-.")
    return cleaned or "unknown"


def _file_name(scope: Scope) -> str:
    return f"{scope.kind}--{_safe(scope.name.lower())}{STORE_SUFFIX}"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


# ------------------------------------------------------------------------------------------------------- one file


class _ScopeDb:
    """One scope's SQLite file; a single write connection guarded by a lock, reads on their own connections."""

    def __init__(self, path: Path, host: str, scope: Scope, notify: Callable[[str], None]) -> None:
        self.path = path
        self.host = host
        self.scope = scope
        self._notify = notify
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._open()

    # opening, damage and migrations -------------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self._conn = self._connect()
            self._migrate(self._conn)
            self._conn.execute("SELECT count(*) FROM reports").fetchone()
        except OSError as exc:
            self.close()
            raise StoreError(f"Cannot create the local store {self.path}: {exc.strerror or exc}.") from exc
        except _SQLITE_ERRORS as exc:
            if not _is_corruption(exc):
                self.close()
                raise self._unusable(exc) from exc
            message = self._move_aside(exc)
            self._notify(message)
            self._conn = self._connect()
            self._migrate(self._conn)

    def _connect(self) -> sqlite3.Connection:
        _create_private(self.path)
        return sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Refuse a newer file before changing a byte of it; then switch to WAL and bring the schema up to date."""
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            conn.close()
            self._conn = None
            raise StoreVersionError(
                f"The local store {self.path} was written by a newer copilot-tui (schema {version}, this one "
                f"knows {SCHEMA_VERSION}); upgrade copilot-tui, or clear it with 'copilot-tui cache clear --all'."
            )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        if version == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[target]):
                    conn.execute(statement)
            if version == 0:
                conn.executemany(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("host", self.host),
                        ("scope_kind", self.scope.kind),
                        ("scope_name", self.scope.name),
                        ("created_at", _iso(_utc_now())),
                    ],
                )
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _move_aside(self, exc: Exception) -> str:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        stamp = _utc_now().strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
        os.replace(self.path, target)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                os.replace(side, target.with_name(target.name + suffix))
        reason = "its schema is damaged" if isinstance(exc, UnicodeDecodeError) else str(exc)
        reason = reason if len(reason) <= 120 else reason[:117] + "..."
        return (
            f"The local store for {self.scope} was damaged ({reason}); it was moved to {target} and a fresh one "
            f"started. Its data will be downloaded again; delete the moved file once you no longer need it."
        )

    @contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        """Run a statement group; on damage, move the file aside, start fresh and say so."""
        with self._lock:
            if self._conn is None:
                self._open()
            assert self._conn is not None
            try:
                yield self._conn
            except _SQLITE_ERRORS as exc:
                if not _is_corruption(exc):
                    raise self._unusable(exc) from exc
                self._damaged(exc)

    def _unusable(self, exc: Exception) -> StoreError:
        hint = ""
        text = str(exc).lower()
        if "full" in text:
            hint = " The disk is full: free some space, or clear old data with 'copilot-tui cache clear --org ORG'."
        elif "locked" in text or "busy" in text:
            hint = " Another copilot-tui is busy with it; try again when it is done."
        elif "readonly" in text or "permission" in text:
            hint = " Check that you may write to it."
        return StoreError(f"Cannot use the local store {self.path}: {exc}.{hint}")

    def _damaged(self, exc: Exception) -> NoReturn:
        with self._lock:
            message = self._move_aside(exc)
            self._notify(message)
            self._conn = self._connect()
            self._migrate(self._conn)
        raise StoreDamagedError(message) from exc

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # writes ------------------------------------------------------------------------------------------------

    def put(self, kind: str, day: date, parts: Sequence[tuple[str, bytes]] | None, fetched_at: datetime) -> None:
        indexed = kind.startswith("users-")
        compressed: list[tuple[str, bytes, int]] = []
        indexes = []
        for seq, (name, data) in enumerate(parts or ()):
            with suppress(ValueError):  # a damaged gzip part is kept as it came; its reader names it
                data = plain_part(data)  # a gzip part is kept inflated: the index and every reader see NDJSON
            if indexed:
                blob, index = compress_indexed(data, _COMPRESS_LEVEL)
                indexes.append((seq, *index))
            else:
                blob = zlib.compress(data, _COMPRESS_LEVEL)
            compressed.append((name, blob, len(data)))
        with self._guard() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                key = (kind, day.isoformat())
                conn.execute("DELETE FROM parts WHERE kind = ? AND day = ?", key)
                conn.execute("DELETE FROM part_index WHERE kind = ? AND day = ?", key)
                conn.executemany(
                    "INSERT INTO parts (kind, day, seq, name, codec, data, checksum) VALUES (?, ?, ?, ?, 'zlib', ?, ?)",
                    [(*key, seq, name, blob, zlib.crc32(blob)) for seq, (name, blob, _raw) in enumerate(compressed)],
                )
                conn.executemany(
                    "INSERT INTO part_index (kind, day, seq, blocks, user_ids, user_blocks, block_checksums)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(*key, *index) for index in indexes],
                )
                conn.execute(
                    "INSERT OR REPLACE INTO reports (kind, day, has_data, fetched_at, part_count, raw_bytes,"
                    " stored_bytes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        *key,
                        int(parts is not None),
                        _iso(fetched_at),
                        len(compressed),
                        sum(raw for _n, _b, raw in compressed),
                        sum(len(blob) for _n, blob, _r in compressed),
                    ),
                )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def put_computed(self, key: str, version: str, data: bytes) -> None:
        with self._guard() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "INSERT OR REPLACE INTO computed (key, version, created_at, data, checksum) VALUES (?, ?, ?, ?, ?)",
                    (key, version, _iso(_utc_now()), data, zlib.crc32(data)),
                )
                conn.execute(
                    "DELETE FROM computed WHERE key NOT IN"
                    " (SELECT key FROM computed ORDER BY created_at DESC, rowid DESC LIMIT ?)",
                    (COMPUTED_KEEP,),
                )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    # reads -------------------------------------------------------------------------------------------------

    def get_computed(self, key: str, version: str) -> bytes | None:
        with self._guard() as conn:
            row = conn.execute("SELECT version, data, checksum FROM computed WHERE key = ?", (key,)).fetchone()
        if row is None or row[0] != version:
            return None
        data = bytes(row[1])
        if row[2] is not None and zlib.crc32(data) != row[2]:
            self._damaged(_Mismatch(f"a saved computation ({key}) does not match its checksum"))
        return data

    def held(self, kind: str | None, start: date | None, end: date | None) -> list[HeldReport]:
        sql = "SELECT kind, day, has_data, fetched_at, part_count, raw_bytes, stored_bytes FROM reports WHERE 1=1"
        args: list[Any] = []
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        if start is not None:
            sql += " AND day >= ?"
            args.append(start.isoformat())
        if end is not None:
            sql += " AND day <= ?"
            args.append(end.isoformat())
        with self._guard() as conn:
            rows = conn.execute(sql + " ORDER BY kind, day", args).fetchall()
        try:
            return [
                HeldReport(k, date.fromisoformat(d), bool(h), datetime.fromisoformat(f), int(p), int(r), int(s))
                for k, d, h, f, p, r, s in rows
            ]
        except (TypeError, ValueError) as exc:  # a row SQLite reads but whose values are garbage
            self._damaged(_Mismatch(f"a report row cannot be read: {exc}"))

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A separate connection holding one read transaction: a concurrent write (the app refreshing while `sync`
        runs) never shows a half-replaced day. Damage found while reading moves the file aside, as anywhere else."""
        with self._lock:
            if self._conn is None:
                self._open()
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        damage: Exception | None = None
        try:
            conn.execute("BEGIN")
            yield conn
            conn.execute("COMMIT")
        except _SQLITE_ERRORS as exc:
            if not _is_corruption(exc):
                raise self._unusable(exc) from exc
            damage = exc
        finally:
            conn.close()
        if damage is not None:
            self._damaged(damage)

    def read_parts(self, kind: str, days: Iterable[date]) -> Iterator[tuple[str, Iterator[bytes]]]:
        """Stream the stored parts of ``kind`` for ``days``, decompressed in chunks, from one consistent snapshot.

        A separate connection holds a read transaction for the whole stream, so a concurrent write (the app
        refreshing while `sync` runs) never shows a half-replaced day.
        """
        wanted = sorted({d.isoformat() for d in days})
        if not wanted:
            return
        with self._reading() as conn:
            rows: list[tuple[int, str, int, str, str, int | None]] = []
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                marks = ",".join("?" * len(chunk))
                rows += conn.execute(
                    f"SELECT rowid, day, seq, name, codec, checksum FROM parts WHERE kind = ? AND day IN ({marks})",
                    [kind, *chunk],
                ).fetchall()
            rows.sort(key=lambda r: (r[1], r[2]))
            for rowid, _day, _seq, name, codec, checksum in rows:
                yield name, self._guarded_chunks(conn, rowid, codec, checksum)

    def read_user_blocks(self, kind: str, days: Iterable[date], user_id: int) -> Iterator[tuple[str, list[bytes]]]:
        """Like :meth:`read_parts`, but of each indexed part only the blocks holding ``user_id``'s lines (inflated);
        a part stored before the index existed comes whole."""
        wanted = sorted({d.isoformat() for d in days})
        if not wanted:
            return
        with self._reading() as conn:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    "SELECT p.rowid, p.name, p.codec, p.checksum, x.blocks, x.user_ids, x.user_blocks,"
                    " x.block_checksums FROM parts p"
                    " LEFT JOIN part_index x ON x.kind = p.kind AND x.day = p.day AND x.seq = p.seq"
                    f" WHERE p.kind = ? AND p.day IN ({marks}) ORDER BY p.day, p.seq",
                    [kind, *chunk],
                ).fetchall()
                for rowid, name, codec, checksum, blocks, user_ids, user_blocks, block_sums in rows:
                    if blocks is None or codec != "zlib":
                        yield name, list(self._guarded_chunks(conn, rowid, codec, checksum))
                        continue
                    picked = blocks_of(user_id, user_ids, user_blocks)
                    if picked:
                        yield name, [self._guarded_block(conn, rowid, blocks, b, block_sums) for b in picked]

    def _guarded_block(
        self, conn: sqlite3.Connection, rowid: int, blocks: bytes, block: int, block_sums: bytes | None
    ) -> bytes:
        offsets = block_offsets(blocks)
        try:
            with conn.blobopen("parts", "data", rowid, readonly=True) as blob:
                blob.seek(offsets[block])
                data = blob.read(offsets[block + 1] - offsets[block])
            if block_sums is not None and zlib.crc32(data) != block_checksum(block_sums, block):
                raise _Mismatch(f"block {block} of a stored report does not match its checksum")
            return inflate_block(data)
        except (*_SQLITE_ERRORS, zlib.error, _Mismatch, IndexError, ValueError) as exc:
            if isinstance(exc, sqlite3.DatabaseError) and not _is_corruption(exc):
                raise self._unusable(exc) from exc
            conn.close()
            self._damaged(exc)

    def _guarded_chunks(
        self, conn: sqlite3.Connection, rowid: int, codec: str, checksum: int | None = None
    ) -> Iterator[bytes]:
        try:
            yield from _blob_chunks(conn, rowid, codec, checksum)
        except (*_SQLITE_ERRORS, zlib.error, _Mismatch) as exc:
            if isinstance(exc, sqlite3.DatabaseError) and not _is_corruption(exc):
                raise self._unusable(exc) from exc
            conn.close()
            self._damaged(exc)

    def verify(self, start: date | None, end: date | None) -> None:
        """Check the file's structure and every blob held for ``start..end`` against its checksum (a blob stored
        before checksums is inflated instead); damage moves the file aside (``StoreDamagedError``)."""
        with self._reading() as conn:
            found = conn.execute("PRAGMA quick_check").fetchall()
            if found != [("ok",)]:
                problem = "; ".join(str(row[0]) for row in found[:3])
                conn.close()
                self._damaged(_Mismatch(f"the file's structure is damaged: {problem}"))
            rows = conn.execute(
                "SELECT rowid, codec, checksum FROM parts WHERE day >= ? AND day <= ?",
                ((start or date.min).isoformat(), (end or date.max).isoformat()),
            ).fetchall()
            for rowid, codec, checksum in rows:
                for _ in self._guarded_chunks(conn, rowid, "raw" if checksum is not None else codec, checksum):
                    pass

    def info(self) -> ScopeInfo:
        with self._guard() as conn:
            rows = conn.execute(
                "SELECT kind, min(day), max(day), count(*), sum(has_data), sum(raw_bytes), sum(stored_bytes)"
                " FROM reports GROUP BY kind ORDER BY kind"
            ).fetchall()
            last = conn.execute("SELECT max(fetched_at) FROM reports").fetchone()[0]
        size = sum(
            p.stat().st_size
            for p in (self.path, *(self.path.with_name(self.path.name + s) for s in ("-wal",)))
            if p.exists()
        )
        return ScopeInfo(
            host=self.host,
            scope=self.scope,
            path=self.path,
            file_bytes=size,
            kinds=tuple(
                KindInfo(k, date.fromisoformat(a), date.fromisoformat(b), n, int(h or 0), int(r or 0), int(s or 0))
                for k, a, b, n, h, r, s in rows
            ),
            last_fetched_at=datetime.fromisoformat(last) if last else None,
        )


class _Mismatch(Exception):
    """Stored bytes that do not match their checksum, or a stored value that cannot be what was written."""


def _blob_chunks(conn: sqlite3.Connection, rowid: int, codec: str, checksum: int | None = None) -> Iterator[bytes]:
    """A stored blob's content in chunks; a ``_Mismatch`` at its end when it does not match ``checksum``, a
    ``zlib.error`` when it does not inflate (or ends early). The chunks already handed out are the caller's to
    drop: it learns of the damage before it is done."""
    decompress = zlib.decompressobj() if codec == "zlib" else None
    crc = 0
    with conn.blobopen("parts", "data", rowid, readonly=True) as blob:
        while True:
            chunk = blob.read(_READ_CHUNK)
            if not chunk:
                break
            crc = zlib.crc32(chunk, crc)
            if decompress is None:
                yield chunk
                continue
            out = decompress.decompress(chunk)
            if out:
                yield out
    if checksum is not None and crc != checksum:
        raise _Mismatch("a stored report does not match its checksum")
    if decompress is not None:
        tail = decompress.flush()
        if not decompress.eof:
            raise zlib.error("a stored report ends early")
        if tail:
            yield tail


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


#: What reading a damaged file may raise: SQLite's errors, and Python's sqlite3 failing to decode an error message
#: that quotes damaged schema text.
_SQLITE_ERRORS = (sqlite3.DatabaseError, UnicodeDecodeError)
#: Messages that mean the file changed under the store: its schema, its tables and its text are the store's own.
_DAMAGE_TEXTS = ("could not decode", "malformed", "no such column", "no such table", "not a database")


def _is_corruption(exc: Exception) -> bool:
    if isinstance(exc, UnicodeDecodeError):
        return True
    text = str(exc).lower()
    if any(t in text for t in _DAMAGE_TEXTS):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in _CORRUPTION_CODES


def _create_private(path: Path) -> None:
    path.parent.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.parent.mkdir(exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)


# ------------------------------------------------------------------------------------------------------- the store


class Store:
    """The reports held for one host: every organization and enterprise the app has opened there.

    Thread-safe: the sources call it from worker threads. ``notices`` collects sentences for the user (a damaged
    file moved aside); ``take_notices()`` hands them over once.
    """

    def __init__(self, host: str = "github.com", root: Path | None = None) -> None:
        self.host = _safe(host)
        self.root = root if root is not None else store_root()
        self.dir = self.root / self.host
        self._dbs: dict[Path, _ScopeDb] = {}
        self._lock = threading.Lock()
        self._open_lock = threading.Lock()
        self._notices: list[str] = []

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def notices(self) -> list[str]:
        return list(self._notices)

    def take_notices(self) -> list[str]:
        with self._lock:
            taken, self._notices = self._notices, []
        return taken

    def _note(self, message: str) -> None:
        with self._lock:
            self._notices.append(message)

    def path_for(self, scope: Scope) -> Path:
        return self.dir / _file_name(scope)

    def _db(self, scope: Scope) -> _ScopeDb:
        path = self.path_for(scope)
        with self._lock:
            db = self._dbs.get(path)
        if db is None:
            # one opening at a time: two threads opening a new file at once would both switch it to WAL and
            # migrate it, and the loser gets "database is locked" (seen when parallel fetches store the first day)
            with self._open_lock:
                with self._lock:
                    db = self._dbs.get(path)
                if db is None:
                    db = _ScopeDb(path, self.host, scope, self._note)
                    with self._lock:
                        self._dbs[path] = db
        return db

    def has(self, scope: Scope) -> bool:
        path = self.path_for(scope)
        return path in self._dbs or path.exists()

    def scopes(self) -> list[Scope]:
        """Every scope with a store file on this host, by the name it was opened with."""
        found: list[Scope] = []
        if not self.dir.is_dir():
            return found
        for path in sorted(self.dir.glob(f"*{STORE_SUFFIX}")):
            scope = _scope_from_file(path)
            if scope is not None:
                found.append(scope)
        return sorted(found)

    def put_report(
        self, scope: Scope, kind: str, day: date, parts: Sequence[tuple[str, bytes]], fetched_at: datetime | None = None
    ) -> None:
        """Replace what is held for ``kind`` on ``day`` with ``parts`` (the raw NDJSON files), atomically."""
        self._put(scope, kind, day, list(parts), fetched_at or _utc_now())

    def _put(
        self, scope: Scope, kind: str, day: date, parts: list[tuple[str, bytes]] | None, fetched_at: datetime
    ) -> None:
        try:
            self._db(scope).put(kind, day, parts, fetched_at)
        except StoreDamagedError:
            # The damaged file is already aside and a fresh one open: the new data belongs there.
            self._db(scope).put(kind, day, parts, fetched_at)

    def put_no_data(self, scope: Scope, kind: str, day: date, fetched_at: datetime | None = None) -> None:
        """Remember that GitHub had no report for ``kind`` on ``day`` (204), so it is not asked again needlessly."""
        self._put(scope, kind, day, None, fetched_at or _utc_now())

    def held(
        self, scope: Scope, kind: str | None = None, start: date | None = None, end: date | None = None
    ) -> list[HeldReport]:
        if not self.has(scope):
            return []
        return self._db(scope).held(kind, start, end)

    def put_computed(self, scope: Scope, key: str, version: str, data: bytes) -> None:
        """Keep ``data`` computed from the reports under ``key``, for the data ``version`` it was computed from."""
        self._db(scope).put_computed(key, version, data)

    def get_computed(self, scope: Scope, key: str, version: str) -> bytes | None:
        """What :meth:`put_computed` kept under ``key``, or None when absent or computed from another ``version``."""
        if not self.has(scope):
            return None
        return self._db(scope).get_computed(key, version)

    def read_parts(self, scope: Scope, kind: str, days: Iterable[date]) -> Iterator[tuple[str, Iterator[bytes]]]:
        """The held parts of ``kind`` on ``days`` as parser input: ``(name, chunks of NDJSON)``, never all in memory."""
        if not self.has(scope):
            return iter(())
        return self._db(scope).read_parts(kind, days)

    def read_user_blocks(
        self, scope: Scope, kind: str, days: Iterable[date], user_id: int
    ) -> Iterator[tuple[str, list[bytes]]]:
        """Parser input holding at least every line of ``user_id`` in ``kind`` on ``days`` (and few others)."""
        if not self.has(scope):
            return iter(())
        return self._db(scope).read_user_blocks(kind, days, user_id)

    def verify(self, scope: Scope, start: date | None = None, end: date | None = None) -> None:
        """Read what is held for ``scope`` from ``start`` to ``end`` (default: all) and check it: the file's
        structure, every blob against its checksum. Raises ``StoreDamagedError`` (the file moved aside, a notice
        saying so) on damage; the next fetch fills the fresh file."""
        if self.has(scope):
            self._db(scope).verify(start, end)

    def info(self, scope: Scope) -> ScopeInfo:
        return self._db(scope).info()

    def clear(self, scope: Scope) -> list[Path]:
        """Delete what is held for ``scope``; returns the files removed."""
        with self._lock:
            db = self._dbs.pop(self.path_for(scope), None)
        if db is not None:
            db.close()
        path = self.path_for(scope)
        removed = []
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if p.exists():
                p.unlink()
                removed.append(p)
        return removed

    def close(self) -> None:
        with self._lock:
            dbs, self._dbs = list(self._dbs.values()), {}
        for db in dbs:
            db.close()


def _scope_from_file(path: Path) -> Scope | None:
    """The scope a store file belongs to, by its meta row, or by its file name when the file cannot say."""
    stem = path.name[: -len(STORE_SUFFIX)]
    kind, sep, name = stem.partition("--")
    if not sep or kind not in ("org", "enterprise"):
        return None
    scope_kind: ScopeKind = "org" if kind == "org" else "enterprise"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'scope_name'").fetchone()
        finally:
            conn.close()
        if row and row[0].lower() == name:
            return Scope(scope_kind, row[0])
    except sqlite3.Error:
        pass
    return Scope(scope_kind, name)


def human_size(n: float) -> str:
    """Bytes as people read them: ``812 B``, ``4.2 MB``."""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def hosts(root: Path | None = None) -> list[str]:
    """The hosts with a store directory."""
    base = root if root is not None else store_root()
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if p.is_dir())


def damaged_files(root: Path | None = None) -> list[Path]:
    """Files moved aside as damaged, for `cache info` to point at."""
    base = root if root is not None else store_root()
    if not base.is_dir():
        return []
    return sorted(p for p in base.glob("*/*.damaged-*") if not p.name.endswith(("-wal", "-shm")))
