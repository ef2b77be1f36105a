"""``copilot-tui cache info`` / ``cache clear`` over a store filled through the store's own API."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from copilot_tui import cli
from copilot_tui.scope import Scope
from copilot_tui.scope_lock import ScopeLock
from copilot_tui.store import Store, damaged_files, store_root

LABS = Scope("org", "Octo-Labs")
GARAGE = Scope("org", "octo-garage")
ENT = Scope("enterprise", "octo-enterprise")
FIRST = date(2026, 2, 1)


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COPILOT_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("COPILOT_TUI_API_URL", raising=False)
    return tmp_path / "data"


def fill(host: str, scope: Scope, days: int, *, quiet: int = 0) -> None:
    with Store(host, store_root()) as store:
        for i in range(days):
            store.put_report(scope, "users-1-day", FIRST + timedelta(days=i), [("p", b'{"user_login": "x"}\n' * 50)])
        for i in range(quiet):
            store.put_no_data(scope, "users-1-day", FIRST + timedelta(days=days + i))


def scopes_on(host: str) -> list[Scope]:
    with Store(host, store_root()) as store:
        return store.scopes()


def test_info_on_an_empty_store_says_how_to_fill_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert str(store_root()) in out
    assert "Nothing stored yet" in out


def test_info_lists_hosts_scopes_and_day_ranges(capsys: pytest.CaptureFixture[str]) -> None:
    fill("github.com", LABS, 10, quiet=2)
    fill("github.com", ENT, 3)
    fill("acme.ghe.com", GARAGE, 1)
    assert cli.main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert "github.com" in out and "acme.ghe.com" in out
    assert "Octo-Labs" in out and "octo-enterprise (enterprise)" in out
    last_labs = FIRST + timedelta(days=11)
    assert f"{FIRST} .. {last_labs}  12 days, 2 without data" in out
    assert "Total:" in out


def test_info_for_one_host(capsys: pytest.CaptureFixture[str]) -> None:
    fill("github.com", LABS, 1)
    fill("acme.ghe.com", GARAGE, 1)
    assert cli.main(["cache", "info", "--hostname", "acme.ghe.com"]) == 0
    out = capsys.readouterr().out
    assert "octo-garage" in out and "Octo-Labs" not in out


def test_clear_one_org_keeps_the_rest(capsys: pytest.CaptureFixture[str]) -> None:
    fill("github.com", LABS, 2)
    fill("github.com", GARAGE, 2)
    fill("acme.ghe.com", LABS, 2)
    assert cli.main(["cache", "clear", "--org", "octo-labs"]) == 0
    out = capsys.readouterr().out
    assert out.count("Cleared") == 2 and "Freed" in out
    assert scopes_on("github.com") == [GARAGE]
    assert scopes_on("acme.ghe.com") == []


def test_clear_one_org_on_one_host(capsys: pytest.CaptureFixture[str]) -> None:
    fill("github.com", LABS, 2)
    fill("acme.ghe.com", LABS, 2)
    assert cli.main(["cache", "clear", "--org", "octo-labs", "--hostname", "acme.ghe.com"]) == 0
    assert scopes_on("github.com") == [LABS]
    assert scopes_on("acme.ghe.com") == []


def test_clear_everything_including_damaged_files(capsys: pytest.CaptureFixture[str]) -> None:
    fill("github.com", LABS, 2)
    fill("github.com", ENT, 2)
    broken = store_root() / "github.com" / "org--broken.sqlite3"
    broken.write_bytes(b"not a database" * 300)
    with Store("github.com", store_root()) as store:
        store.held(Scope("org", "broken"))
    assert damaged_files()
    assert cli.main(["cache", "info"]) == 0
    assert "Damaged files moved aside" in capsys.readouterr().out

    assert cli.main(["cache", "clear", "--all"]) == 0
    out = capsys.readouterr().out
    assert "Removed damaged file" in out
    assert scopes_on("github.com") == []
    assert damaged_files() == []
    assert cli.main(["cache", "clear", "--all"]) == 0
    assert "already empty" in capsys.readouterr().out


def test_clear_an_org_that_is_not_held(capsys: pytest.CaptureFixture[str]) -> None:
    fill("github.com", LABS, 1)
    assert cli.main(["cache", "clear", "--enterprise", "nobody"]) == 0
    assert "holds nothing for nobody (enterprise)" in capsys.readouterr().out
    assert scopes_on("github.com") == [LABS]


def test_cache_without_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["cache"]) == 2
    assert "info" in capsys.readouterr().err


def test_clear_needs_a_target_or_all(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["cache", "clear"]) == 2
    assert "--all" in capsys.readouterr().err


def test_info_for_one_org_and_for_one_not_held(capsys: pytest.CaptureFixture[str]) -> None:
    fill("github.com", LABS, 2)
    fill("github.com", GARAGE, 2)
    assert cli.main(["cache", "info", "--org", "octo-labs"]) == 0
    out = capsys.readouterr().out
    assert "Octo-Labs" in out and "octo-garage" not in out
    assert cli.main(["cache", "info", "--org", "nope"]) == 1
    assert "Nothing stored for nope" in capsys.readouterr().out


def test_clear_all_removes_the_demos_kept_files_and_one_org_does_not(
    private_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from copilot_tui import locations

    fill("github.com", LABS, 2)
    kept = locations.demo_cache_file()
    kept.write_bytes(b"demo files")
    assert cli.main(["cache", "clear", "--org", "octo-labs"]) == 0
    assert kept.exists()
    assert cli.main(["cache", "clear", "--all"]) == 0
    assert not kept.exists()
    assert "demo" in capsys.readouterr().out


def lock_file(host: str, scope: Scope) -> Path:
    with Store(host, store_root()) as store:
        return ScopeLock(store.path_for(scope)).path


def fetched_once(host: str, scope: Scope) -> Path:
    """The lock a fetch leaves beside the store file when it is done (free, the file kept)."""
    with Store(host, store_root()) as store:
        lock = ScopeLock(store.path_for(scope))
    assert lock.try_acquire()
    lock.release()
    assert lock.path.exists()
    return lock.path


def test_clear_removes_the_scopes_lock_file(capsys: pytest.CaptureFixture[str]) -> None:
    fill("github.com", LABS, 2)
    fill("github.com", GARAGE, 2)
    labs, garage = fetched_once("github.com", LABS), fetched_once("github.com", GARAGE)
    assert cli.main(["cache", "clear", "--org", "octo-labs"]) == 0
    assert not labs.exists() and garage.exists()
    assert cli.main(["cache", "clear", "--all"]) == 0
    assert not garage.exists()
    assert list((store_root() / "github.com").iterdir()) == []


def test_clear_all_removes_a_lock_left_without_its_store_file(capsys: pytest.CaptureFixture[str]) -> None:
    fill("github.com", LABS, 1)
    stray = fetched_once("github.com", GARAGE)
    assert cli.main(["cache", "clear", "--all"]) == 0
    assert not stray.exists()
    assert cli.main(["cache", "clear", "--all"]) == 0
    assert "already empty" in capsys.readouterr().out


def test_clear_of_a_scope_being_fetched_keeps_it_and_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    fill("github.com", LABS, 2)
    fill("github.com", GARAGE, 2)
    with Store("github.com", store_root()) as store:
        fetching = ScopeLock(store.path_for(LABS))
    assert fetching.try_acquire()
    try:
        assert cli.main(["cache", "clear", "--all"]) == 1
        captured = capsys.readouterr()
        assert "Octo-Labs" not in captured.out and "Cleared octo-garage" in captured.out
        assert "Not cleared Octo-Labs on github.com: a copilot-tui is fetching it now" in captured.err
        assert scopes_on("github.com") == [LABS] and fetching.path.exists()
    finally:
        fetching.release()
    assert cli.main(["cache", "clear", "--org", "octo-labs"]) == 0
    assert scopes_on("github.com") == [] and not fetching.path.exists()
