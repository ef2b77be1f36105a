from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from copilot_tui.scope import Scope
from copilot_tui.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Store,
    StoreDamagedError,
    StoreError,
    StoreVersionError,
    damaged_files,
    host_key,
    hosts,
    store_root,
)

ORG = Scope("org", "Octo-Labs")
ENT = Scope("enterprise", "octo-enterprise")
DAY = date(2026, 3, 1)


def read_all(store: Store, scope: Scope, kind: str, days: list[date]) -> list[tuple[str, bytes]]:
    return [(name, b"".join(chunks)) for name, chunks in store.read_parts(scope, kind, days)]


def test_parts_come_back_byte_for_byte_in_order(store: Store) -> None:
    big = os.urandom(3 * 1024 * 1024)  # incompressible and larger than one read chunk
    parts = [("part-1.ndjson", b'{"a": 1}\n' * 5000), ("part-2.ndjson", big), ("part-3.ndjson", b"")]
    store.put_report(ORG, "users-1-day", DAY, parts)
    assert read_all(store, ORG, "users-1-day", [DAY]) == parts
    [held] = store.held(ORG)
    assert (held.kind, held.day, held.has_data, held.part_count) == ("users-1-day", DAY, True, 3)
    assert held.raw_bytes == sum(len(d) for _, d in parts)


def test_a_new_copy_replaces_the_old_one_whole(store: Store) -> None:
    store.put_report(ORG, "users-1-day", DAY, [("a", b"old-1\n"), ("b", b"old-2\n"), ("c", b"old-3\n")])
    store.put_report(ORG, "users-1-day", DAY, [("a", b"new\n")])
    assert read_all(store, ORG, "users-1-day", [DAY]) == [("a", b"new\n")]


def test_reads_only_the_days_and_kind_asked_for(store: Store) -> None:
    for n in range(1, 6):
        store.put_report(ORG, "users-1-day", date(2026, 3, n), [(f"u{n}", f"{n}\n".encode())])
        store.put_report(ORG, "organization-1-day", date(2026, 3, n), [(f"o{n}", b"x\n")])
    got = read_all(store, ORG, "users-1-day", [date(2026, 3, 4), date(2026, 3, 2)])
    assert got == [("u2", b"2\n"), ("u4", b"4\n")]
    assert [h.day for h in store.held(ORG, "users-1-day", date(2026, 3, 2), date(2026, 3, 3))] == [
        date(2026, 3, 2),
        date(2026, 3, 3),
    ]


def test_no_data_is_remembered_without_parts(store: Store) -> None:
    when = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    store.put_no_data(ORG, "users-1-day", DAY, when)
    [held] = store.held(ORG)
    assert not held.has_data
    assert held.fetched_at == when
    assert read_all(store, ORG, "users-1-day", [DAY]) == []


def test_files_are_private(store: Store) -> None:
    store.put_report(ORG, "users-1-day", DAY, [("a", b"login\n")])
    path = store.path_for(ORG)
    files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    assert {p.name[len(path.name) :] for p in files} >= {"", "-wal"}
    for p in files:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_an_existing_world_readable_file_is_made_private(tmp_path: Path) -> None:
    with Store("github.com", tmp_path) as s:
        s.put_report(ORG, "users-1-day", DAY, [("a", b"x\n")])
        path = s.path_for(ORG)
    os.chmod(path, 0o644)
    with Store("github.com", tmp_path) as s:
        s.held(ORG)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_scopes_are_listed_by_their_own_names_and_per_host(tmp_path: Path) -> None:
    with Store("github.com", tmp_path) as s:
        s.put_report(ORG, "users-1-day", DAY, [("a", b"x\n")])
        s.put_no_data(ENT, "enterprise-1-day", DAY)
    with Store("acme.ghe.com", tmp_path) as s:
        s.put_no_data(Scope("org", "acme"), "users-1-day", DAY)
    with Store("github.com", tmp_path) as s:
        assert s.scopes() == sorted([ENT, ORG])
        assert s.has(Scope("org", "octo-labs"))  # GitHub names are case-insensitive
    assert hosts(tmp_path) == ["acme.ghe.com", "github.com"]


def test_clear_removes_one_scope_and_keeps_the_others(store: Store) -> None:
    store.put_report(ORG, "users-1-day", DAY, [("a", b"x\n")])
    store.put_report(ENT, "users-1-day", DAY, [("a", b"y\n")])
    removed = store.clear(ORG)
    assert store.path_for(ORG) in removed
    assert not store.path_for(ORG).exists()
    assert store.scopes() == [ENT]
    assert store.held(ORG) == []
    assert read_all(store, ENT, "users-1-day", [DAY]) == [("a", b"y\n")]


def test_info_sums_per_kind(store: Store) -> None:
    store.put_report(ORG, "users-1-day", date(2026, 3, 1), [("a", b"abc\n")])
    store.put_no_data(ORG, "users-1-day", date(2026, 3, 3))
    store.put_report(ORG, "organization-1-day", date(2026, 3, 2), [("a", b"abcdef\n")])
    info = store.info(ORG)
    by_kind = {k.kind: k for k in info.kinds}
    users = by_kind["users-1-day"]
    assert (users.first_day, users.last_day, users.days, users.days_with_data) == (
        date(2026, 3, 1),
        date(2026, 3, 3),
        2,
        1,
    )
    assert by_kind["organization-1-day"].raw_bytes == len(b"abcdef\n")
    assert info.file_bytes > 0
    assert info.last_fetched_at is not None


def test_an_older_schema_is_migrated_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "github.com" / "org--octo-labs.sqlite3"
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[1])
    conn.execute("INSERT INTO meta VALUES ('scope_name', 'Octo-Labs')")
    conn.execute("INSERT INTO reports VALUES ('users-1-day', '2026-03-01', 1, '2026-03-02T08:00:00+00:00', 1)")
    conn.execute("INSERT INTO parts VALUES ('users-1-day', '2026-03-01', 0, 'a', 'raw', ?)", (b"v1 data\n",))
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    with Store("github.com", tmp_path) as s:
        [held] = s.held(ORG)
        assert read_all(s, ORG, "users-1-day", [held.day]) == [("a", b"v1 data\n")]
        assert held.stored_bytes == len(b"v1 data\n")
        assert s.scopes() == [ORG]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_a_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "github.com" / "org--octo-labs.sqlite3"
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with Store("github.com", tmp_path) as s, pytest.raises(StoreVersionError, match="newer copilot-tui"):
        s.held(ORG)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_moved_aside_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "github.com" / "org--octo-labs.sqlite3"
    path.parent.mkdir(parents=True)
    garbage = b"this is not SQLite at all " * 400
    path.write_bytes(garbage)
    with Store("github.com", tmp_path) as s:
        assert s.held(ORG) == []
        [notice] = s.take_notices()
        [moved] = damaged_files(tmp_path)
        assert str(moved) in notice and "damaged" in notice
        assert moved.read_bytes() == garbage
        s.put_report(ORG, "users-1-day", DAY, [("a", b"fresh\n")])
        assert read_all(s, ORG, "users-1-day", [DAY]) == [("a", b"fresh\n")]


def test_a_file_damaged_inside_is_moved_aside_when_read(tmp_path: Path) -> None:
    with Store("github.com", tmp_path) as s:
        for n in range(1, 29):
            s.put_report(ORG, "users-1-day", date(2026, 3, n), [("a", os.urandom(20_000))])
        path = s.path_for(ORG)
    assert not path.with_name(path.name + "-wal").exists() or path.with_name(path.name + "-wal").stat().st_size == 0
    size = path.stat().st_size
    with open(path, "r+b") as f:  # keep the header page, wreck every b-tree page after it
        page = 4096
        for offset in range(page, size, page):
            f.seek(offset)
            f.write(b"\xa5" * 64)
    with Store("github.com", tmp_path) as s:
        try:
            held = s.held(ORG)
            list(read_all(s, ORG, "users-1-day", [h.day for h in held]))
        except StoreDamagedError as exc:
            assert "moved to" in str(exc)
        notices = s.take_notices()
        assert len(notices) == 1
        assert "damaged" in notices[0]
        assert damaged_files(tmp_path)
        assert s.held(ORG) == []  # a fresh, working file took its place


def test_a_store_that_cannot_be_created_says_where(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the store's directory should be")
    with Store("github.com", blocker) as s, pytest.raises(StoreError, match="Cannot create the local store"):
        s.put_no_data(ORG, "users-1-day", DAY)


def test_a_scope_named_in_another_case_shares_its_file(store: Store) -> None:
    store.put_report(ORG, "users-1-day", DAY, [("a", b"x\n")])
    other = Scope("org", ORG.name.upper())
    assert [h.day for h in store.held(other)] == [DAY]
    store.put_no_data(other, "users-1-day", date(2026, 3, 2))
    assert len(store.held(ORG)) == 2


def test_store_root_follows_the_data_dir(private_data_dir: Path) -> None:
    assert store_root() == private_data_dir / "store"


@pytest.mark.parametrize(
    ("hostname", "api_url", "expected"),
    [
        (None, None, "github.com"),
        ("GitHub.com", None, "github.com"),
        ("acme.ghe.com", None, "acme.ghe.com"),
        (None, "https://api.github.com", "github.com"),
        (None, "https://api.acme.ghe.com/", "acme.ghe.com"),
        ("ignored.example", "http://127.0.0.1:8123", "127.0.0.1-8123"),
        (None, "https://ghes.example.com/api/v3", "ghes.example.com"),
        (None, "http://localhost:9/../../etc", "localhost-9-etc"),
    ],
)
def test_host_key(hostname: str | None, api_url: str | None, expected: str) -> None:
    assert host_key(hostname, api_url) == expected


def test_a_reader_never_sees_a_half_replaced_day(tmp_path: Path) -> None:
    """The app reading while `sync` writes: two stores on one directory, as two processes would have."""
    import threading

    def parts(gen: int) -> list[tuple[str, bytes]]:
        count = 1 + gen % 4
        return [(f"{gen}-{i}-of-{count}", f"{gen}\n".encode() * 20_000) for i in range(count)]

    with Store("github.com", tmp_path) as writer, Store("github.com", tmp_path) as reader:
        writer.put_report(ORG, "users-1-day", DAY, parts(0))
        stop = threading.Event()
        written = [0]

        def write() -> None:
            gen = 0
            while not stop.is_set() and gen < 400:
                gen += 1
                writer.put_report(ORG, "users-1-day", DAY, parts(gen))
                written[0] = gen

        thread = threading.Thread(target=write)
        thread.start()
        try:
            for _ in range(200):
                got = read_all(reader, ORG, "users-1-day", [DAY])
                gens = {name.split("-")[0] for name, _ in got}
                assert len(gens) == 1
                gen = int(gens.pop())
                assert len(got) == 1 + gen % 4
                assert all(data == f"{gen}\n".encode() * 20_000 for _, data in got)
        finally:
            stop.set()
            thread.join()
        assert written[0] > 0
