"""The store is checked, not trusted: random bytes written into the middle of a store file made from the fake GitHub
are found when the file is read, the file is moved aside, ``export --offline`` fails instead of printing what is
left (zeros), and the next ``sync`` fetches the days again."""

from __future__ import annotations

import random
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from copilot_tui import cli
from copilot_tui.fakehub import FakeGitHub

ORG = "octo-garage"


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COPILOT_TUI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def store_file(data_dir: Path) -> Path:
    (path,) = (data_dir / "store").glob(f"*/org--{ORG}.sqlite3")
    return path


def report_page_middle(path: Path) -> int:
    """The offset of the middle of a page holding stored report bytes (the ``parts`` table's data): the middle of
    the file may be an index page, whose damage SQLite's quick check does not see, depending on the data's size."""
    with sqlite3.connect(path) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [p for (p,) in conn.execute("SELECT pageno FROM dbstat WHERE name = 'parts' ORDER BY pageno")]
    conn.close()
    return (pages[len(pages) // 2] - 1) * size + size // 2


def export_offline(capsys: pytest.CaptureFixture[str], since: str, until: str) -> tuple[int, str, str]:
    code = cli.main(["export", "--offline", "--org", ORG, "--since", since, "--until", until])
    out, err = capsys.readouterr()
    return code, out, err


def test_damage_in_the_middle_is_found_never_exported_and_fetched_again(
    fakehub_env: FakeGitHub, private_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    until = fakehub_env.today - timedelta(days=1)
    since = (until - timedelta(days=5)).isoformat()
    until_text = until.isoformat()
    assert cli.main(["sync", "--org", ORG, "--since", since, "--until", until_text]) == 0
    capsys.readouterr()
    path = store_file(private_data_dir)
    assert not path.with_name(path.name + "-wal").exists() or path.with_name(path.name + "-wal").stat().st_size == 0
    pristine = tmp_path / "pristine"  # before any export saves its computation: each export below reads the parts
    shutil.copytree(private_data_dir, pristine)
    code, baseline, _ = export_offline(capsys, since, until_text)
    assert code == 0 and '"users"' in baseline

    rng = random.Random(16)
    size = path.stat().st_size
    found = 0
    for where in [i / 20 for i in range(4, 20)]:
        shutil.rmtree(private_data_dir)
        shutil.copytree(pristine, private_data_dir)
        with path.open("r+b") as f:
            f.seek(int(size * where))
            f.write(rng.randbytes(64))
        code, out, err = export_offline(capsys, since, until_text)
        if code == 0:  # bytes the data never uses (free space): what is read is what was written
            assert out == baseline, where
            continue
        found += 1
        assert code == 1 and out == "", where
        assert "damaged" in err and "Nothing was exported" in err, err
        assert list(path.parent.glob(f"{path.name}.damaged-*")), "moved aside"

        # sync fetches the days again (never "already up to date"), and the store then answers as before
        fakehub_env.reset()
        assert cli.main(["sync", "--org", ORG, "--since", since, "--until", until_text]) == 0
        sync_out, sync_err = capsys.readouterr()
        assert "already up to date" not in sync_out and "fetched 18 reports" in sync_out, sync_out
        assert export_offline(capsys, since, until_text)[:2] == (0, baseline)
    # an export reads the users numbers from the facts made when the reports were stored, not the reports' bytes:
    # damage there is found by the next sync (below) or when the facts are made again
    assert found >= 1


def test_damaged_facts_are_made_again_from_the_stored_reports(
    fakehub_env: FakeGitHub, private_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    until = (fakehub_env.today - timedelta(days=1)).isoformat()
    since = (fakehub_env.today - timedelta(days=4)).isoformat()
    assert cli.main(["sync", "--org", ORG, "--since", since, "--until", until]) == 0
    capsys.readouterr()
    pristine = tmp_path / "pristine"  # before the export saves its computation: the next export reads the facts
    shutil.copytree(private_data_dir, pristine)
    code, baseline, _ = export_offline(capsys, since, until)
    assert code == 0 and '"users"' in baseline
    shutil.rmtree(private_data_dir)
    shutil.copytree(pristine, private_data_dir)
    facts = sorted(store_file(private_data_dir).parent.glob("*.facts/*/*.parquet"))
    assert len(facts) == 4
    data = bytearray(facts[1].read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = random.Random(7).randbytes(64)
    facts[1].write_bytes(bytes(data))
    facts[2].write_bytes(b"")
    assert export_offline(capsys, since, until)[:2] == (0, baseline)


def test_sync_finds_damage_the_app_has_not_read_yet(
    fakehub_env: FakeGitHub, private_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    until = (fakehub_env.today - timedelta(days=1)).isoformat()
    since = (fakehub_env.today - timedelta(days=4)).isoformat()
    assert cli.main(["sync", "--org", ORG, "--since", since, "--until", until]) == 0
    capsys.readouterr()
    path = store_file(private_data_dir)
    data = bytearray(path.read_bytes())
    middle = report_page_middle(path)
    data[middle : middle + 64] = random.Random(4).randbytes(64)
    path.write_bytes(bytes(data))
    fakehub_env.reset()
    assert cli.main(["sync", "--org", ORG, "--since", since, "--until", until]) == 0
    out, err = capsys.readouterr()
    assert "damaged" in err and "already up to date" not in out
    assert "fetched 12 reports" in out


def test_a_damaged_kept_period_is_made_again_and_exports_the_same(
    fakehub_env: FakeGitHub, private_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The rollup a period's first read keeps beside the facts is checked too: its data damaged, it is made
    again from the facts, and the export prints what it printed before (never what is left of the file)."""
    until = (fakehub_env.today - timedelta(days=1)).isoformat()
    since = (fakehub_env.today - timedelta(days=3)).isoformat()
    assert cli.main(["sync", "--org", ORG, "--since", since, "--until", until]) == 0
    capsys.readouterr()
    code, before, _ = export_offline(capsys, since, until)  # reads the period and keeps its rollup
    assert code == 0 and before
    kept = list(private_data_dir.rglob("p.*.parquet"))
    assert kept, "the period's rollup should be kept beside the blocks"
    damaged = {}
    for path in kept:
        data = bytearray(path.read_bytes())
        start, end = 4, len(data) * 3 // 4  # every column chunk; the footer stays, so the file still opens
        data[start:end] = random.Random(7).randbytes(end - start)
        path.write_bytes(bytes(data))
        damaged[path] = bytes(data)
    code, after, err = export_offline(capsys, since, until)
    assert (code, after) == (0, before), err
    assert all(not path.exists() or path.read_bytes() != data for path, data in damaged.items())
