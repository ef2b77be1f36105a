"""``copilot-tui export --format parquet``: day-partitioned Parquet read back with DuckDB equals the JSON export of
the same period and the report's own lines, on every road (demo, live, offline, report files)."""

from __future__ import annotations

import json
import stat
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from copilot_tui.fakehub import FakeGitHub
from copilot_tui.metrics.demo import default_dataset
from tests.commands.test_export import ACTIVITY, daily_lines, export

FLAGS = ("used_agent", "used_chat", "used_cli")


def read_back(out: Path) -> list[dict[str, Any]]:
    """Every row under ``out`` as DuckDB reads a Hive-partitioned directory, ``day`` from the directory names."""
    con = duckdb.connect()
    cursor = con.execute(f"SELECT * FROM read_parquet('{out}/*/*.parquet', hive_partitioning = true) ORDER BY day")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def check_layout(out: Path, days: set[str]) -> None:
    """``out/day=YYYY-MM-DD/part-0.parquet`` for each day, directories 0700, files 0600, nothing else."""
    assert {p.name for p in out.iterdir()} == {f"day={d}" for d in days}
    for folder in out.iterdir():
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert [p.name for p in folder.iterdir()] == ["part-0.parquet"]
        assert stat.S_IMODE((folder / "part-0.parquet").stat().st_mode) == 0o600


def summed_by_user(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """The users-days rows summed per user as the users table sums a period."""
    users: dict[int, dict[str, Any]] = {}
    for row in rows:
        user = users.setdefault(
            row["user_id"],
            {"days_active": 0, "ai_credits_used": 0.0, **dict.fromkeys(ACTIVITY, 0), **dict.fromkeys(FLAGS, False)},
        )
        user["user_login"] = row["user_login"]
        user["days_active"] += 1
        user["last_active_day"] = row["day"].isoformat()
        user["ai_credits_used"] += row["ai_credits_used"] or 0.0
        for field in ACTIVITY:
            user[field] += row[field]
        for flag in FLAGS:
            user[flag] = user[flag] or bool(row[flag])
    for user in users.values():
        user["ai_credits_used"] = round(user["ai_credits_used"], 4)
    return users


def assert_users_days_match(out: Path, doc: dict[str, Any], lines: list[dict[str, Any]]) -> None:
    """The Parquet rows are the report's lines (one a user and day, every counter), and summed by user they are
    the JSON export's users table."""
    rows = read_back(out)
    check_layout(out, {r["day"].isoformat() for r in rows})
    assert len(rows) == len(lines) > 0
    by_key = {(r["user_id"], r["day"].isoformat()): r for r in rows}
    for line in lines:
        row = by_key[(int(line["user_id"]), line["day"][:10])]
        assert row["user_login"] == line["user_login"]
        assert {f: row[f] for f in ACTIVITY} == {f: line.get(f) or 0 for f in ACTIVITY}
        features = {e["feature"]: e["code_generation_activity_count"] for e in row["totals_by_feature"]}
        assert features == {
            e["feature"]: e.get("code_generation_activity_count") or 0 for e in line["totals_by_feature"]
        }
        ides = {e["ide"]: e["loc_added_sum"] for e in row["totals_by_ide"]}
        assert ides == {e["ide"]: e.get("loc_added_sum") or 0 for e in line.get("totals_by_ide", [])}
    summed = summed_by_user(rows)
    assert len(summed) == len(doc["users"])
    for user in doc["users"]:
        mine = summed[user["user_id"]]
        assert {k: user[k] for k in mine} == mine, user["user_login"]


def test_users_days_and_daily_of_the_demo_equal_its_json_export(tmp_path: Path) -> None:
    dataset = default_dataset()
    org = dataset.orgs[0].login
    end = dataset.last_day
    start = end - timedelta(days=6)
    base = ("--demo", "--org", org, "--last", "7")
    doc = json.loads(export(*base, "--what", "users", tmp=tmp_path, token=None).stdout)
    result = export(
        *base, "--what", "users-days", "--format", "parquet", "--output", str(tmp_path / "ud"), tmp=tmp_path, token=None
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert f"under {tmp_path / 'ud'}" in result.stderr
    assert_users_days_match(tmp_path / "ud", doc, daily_lines(dataset, "org", org, start, end))

    daily = json.loads(export(*base, "--what", "daily", tmp=tmp_path, token=None).stdout)["daily"]
    result = export(
        *base, "--what", "daily", "--format", "parquet", "--output", str(tmp_path / "daily"), tmp=tmp_path, token=None
    )
    assert result.returncode == 0, result.stderr
    rows = read_back(tmp_path / "daily")
    check_layout(tmp_path / "daily", {r["day"] for r in daily})
    assert len(rows) == len(daily) == 7
    for row, want in zip(rows, daily, strict=True):
        assert {**row, "day": row["day"].isoformat()} == want


@pytest.mark.parametrize("road", ["live", "offline", "files"])
def test_users_days_equal_the_json_export_on_every_road(fakehub: FakeGitHub, tmp_path: Path, road: str) -> None:
    org = fakehub.dataset.orgs[0].login
    end = fakehub.dataset.last_day
    start = end - timedelta(days=4)
    period = ("--org", org, "--since", start.isoformat(), "--until", end.isoformat())
    live = ("--api-url", fakehub.api_url, *period)
    if road == "files":
        for i in range(5):
            for kind in ("organization-1-day", "users-1-day"):
                fakehub.write_report(tmp_path / "reports", "org", org, kind, end - timedelta(days=i))
        base: tuple[str, ...] = ("--from", str(tmp_path / "reports"), *period)
    else:
        base = live if road == "live" else ("--offline", *live)
        if road == "offline":
            assert export(*live, "--what", "totals", tmp=tmp_path).returncode == 0  # the store filled
    doc = json.loads(export(*base, "--what", "users", tmp=tmp_path).stdout)
    result = export(
        *base, "--what", "users-days", "--format", "parquet", "--output", str(tmp_path / "out"), tmp=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert_users_days_match(tmp_path / "out", doc, daily_lines(fakehub.dataset, "org", org, start, end))


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--what", "daily"), "not a stream for stdout"),
        (("--what", "daily", "--output", "-"), "not a stream for stdout"),
        (("--what", "users", "--output", "OUT"), "Parquet holds --what daily or --what users-days"),
        (("--output", "OUT"), "Parquet needs --what"),
        (("--what", "daily", "--output", "FULL"), "is not empty: it holds 1 entry: keep.txt"),
    ],
)
def test_parquet_needs_a_new_or_empty_directory(tmp_path: Path, args: tuple[str, ...], says: str) -> None:
    (tmp_path / "FULL").mkdir()
    (tmp_path / "FULL" / "keep.txt").write_text("mine")
    argv = [str(tmp_path / a) if a in ("OUT", "FULL") else a for a in args]
    result = export("--demo", "--format", "parquet", *argv, tmp=tmp_path, token=None)
    assert result.returncode == 2 and says in result.stderr, result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "OUT").exists()
    assert [p.name for p in (tmp_path / "FULL").iterdir()] == ["keep.txt"]


def test_csv_and_json_refuse_parquet_only_options(tmp_path: Path) -> None:
    result = export("--demo", "--what", "users-days", "--format", "csv", tmp=tmp_path, token=None)
    assert result.returncode == 2 and "Parquet only" in result.stderr
    result = export("--demo", "--what", "daily", "--output", str(tmp_path / "x"), tmp=tmp_path, token=None)
    assert result.returncode == 2 and "goes with --format parquet" in result.stderr


def test_help_says_what_parquet_writes(tmp_path: Path) -> None:
    result = export("--help", tmp=tmp_path, token=None)
    text = " ".join(result.stdout.split())
    assert "parquet" in text and "--output DIR" in text and "users-days" in text
    assert "day=YYYY-MM-DD/part-0.parquet" in text


def test_a_write_failing_midway_leaves_nothing_and_the_rerun_writes_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A disk that fills at the third day: the export says so and leaves neither the output nor its temporary
    directory, so the same command run again writes every day."""
    from copilot_tui import export_parquet
    from copilot_tui.cli import main

    for name in ("config", "data", "log"):
        monkeypatch.setenv(f"COPILOT_TUI_{name.upper()}_DIR", str(tmp_path / name))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    real_copy = export_parquet._copy
    calls: list[str] = []

    def copy_until_full(con: Any, query: str, out: Path, day: Any) -> int:
        calls.append(str(out))
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_copy(con, query, out, day)

    monkeypatch.setattr(export_parquet, "_copy", copy_until_full)
    out = tmp_path / "exports" / "daily"
    argv = ["export", "--demo", "--last", "7", "--what", "daily", "--format", "parquet", "--output", str(out)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and f"nothing was left at {out}" in err
    assert len(calls) == 3 and all(c == calls[0] != str(out) for c in calls)  # into a directory beside out
    assert list((tmp_path / "exports").iterdir()) == []

    monkeypatch.setattr(export_parquet, "_copy", real_copy)
    assert main(argv) == 0, capsys.readouterr().err
    assert len(read_back(out)) == 7
    assert [p.name for p in (tmp_path / "exports").iterdir()] == ["daily"]


def test_a_second_export_into_the_same_directory_is_told_what_is_there(tmp_path: Path) -> None:
    out = tmp_path / "daily"
    args = ("--demo", "--last", "7", "--what", "daily", "--format", "parquet", "--output", str(out))
    assert export(*args, tmp=tmp_path, token=None).returncode == 0
    days = sorted(p.name for p in out.iterdir())
    result = export(*args, tmp=tmp_path, token=None)
    assert result.returncode == 2
    said = " ".join(result.stderr.split())
    assert (
        f"{out} is not empty: it holds an earlier Parquet export (7 day directories, {days[0]} to {days[-1]})" in said
    )
    assert f"or remove {out} first" in said
    assert sorted(p.name for p in out.iterdir()) == days
