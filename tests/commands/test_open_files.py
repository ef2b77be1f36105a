"""``export --from``: report files written by the fake GitHub, in every shape GitHub serves them, give the numbers
the live road gives for the same data, byte for byte; lines the rule skips are named as on the live road; a file
that is not a report is said."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from copilot_tui import cli
from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from copilot_tui.metrics.demo import DemoDataset, DemoOrg
from tests.commands.test_export import assert_export_equals, expected
from tests.conftest import HostileReport

ENTERPRISE = "hive"
TABLES = ("users", "totals", "daily", "features")


@pytest.fixture(scope="module")
def hub() -> Iterator[FakeGitHub]:
    # ant has the id of the org the hostile lines name (tests/data/users-report-lines.jsonl)
    dataset = DemoDataset(
        orgs=(DemoOrg("ant", "1001", 20, 2), DemoOrg("bee", "3002", 14, 2)), days=35, enterprise=ENTERPRISE
    )
    with FakeGitHub(dataset, parts_per_report=2) as fake:
        yield fake


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hub: FakeGitHub) -> Iterator[None]:
    for name in ("GH_TOKEN", "GITHUB_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "COPILOT_TUI_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COPILOT_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COPILOT_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    hub.reset()
    yield
    hub.reset()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["export", *args])
    out, err = capsys.readouterr()
    return code, out, err


def live(hub: FakeGitHub, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """The live road's export of the same data: GitHub (the fake) through a store of its own."""
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    try:
        code, out, err = run(capsys, "--api-url", hub.api_url, *args)
    finally:
        monkeypatch.delenv("GH_ENTERPRISE_TOKEN")
    assert code == 0, err
    return out


def days_back(hub: FakeGitHub, n: int) -> list[date]:
    return [hub.dataset.last_day - timedelta(days=i) for i in range(n)]


def write_daily(hub: FakeGitHub, into: Path, scope: str, entity: str, days: int = 28, **how: Any) -> None:
    totals = "organization-1-day" if scope == "org" else "enterprise-1-day"
    for day in days_back(hub, days):
        for kind in (totals, "users-1-day", "user-teams-1-day"):
            hub.write_report(into, scope, entity, kind, day, **how)


def assert_same_as_live(
    hub: FakeGitHub,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    files: Path,
    flag: str,
    name: str,
    tables: tuple[str, ...] = TABLES,
    period: tuple[str, ...] = (),
) -> None:
    for what in tables:
        code, out, err = run(capsys, "--from", str(files), flag, name, "--what", what, *period)
        assert code == 0, err
        expected_out = live(hub, capsys, monkeypatch, flag, name, "--what", what, *period)
        if flag == "--enterprise" and what in ("users", "teams"):
            # an enterprise user's (and team's) org comes from the seats API, which files do not hold: left
            # empty, and said
            assert "left empty" in err or "without their org" in err, err
            expected_out = without_organizations(expected_out, what)
        assert out == expected_out, what


def without_organizations(document: str, what: str) -> str:
    """A users or teams export as the files give it: every other column the same, the organization empty."""
    parsed = json.loads(document)
    assert any(row["organization"] for row in parsed[what]), "the live export should name the orgs"
    for row in parsed[what]:
        row["organization"] = None
    return json.dumps(parsed, indent=2) + "\n"


# ---- every shape: the live road's numbers, byte for byte --------------------------------------------------------


def test_one_day_files_of_an_org_export_what_the_live_road_does(
    hub: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_daily(hub, tmp_path / "reports", "org", "ant")
    assert_same_as_live(hub, capsys, monkeypatch, tmp_path / "reports", "--org", "ant", (*TABLES, "teams"))
    # and against the oracle computed from the raw lines
    code, out, err = run(capsys, "--from", str(tmp_path / "reports"), "--org", "ant")
    end = hub.dataset.last_day
    lines = hub.dataset.report_lines("org", "ant", "users-28-day") or []
    assert_export_equals(json.loads(out), expected("org", "ant", lines, end - timedelta(days=27), end, hub.dataset))
    assert err == ""


def test_drifted_files_gzip_parts_and_json_names_read_the_same(
    hub: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hub.faults.drift()  # ids as numbers, the renamed agent flag, null credits, a gzip first part, .json names
    write_daily(hub, tmp_path / "drifted", "org", "bee", days=7)
    names = sorted(p.name for p in (tmp_path / "drifted").iterdir())
    assert names and all(n.endswith(".json") for n in names)
    assert any((tmp_path / "drifted" / n).read_bytes()[:2] == b"\x1f\x8b" for n in names)
    assert_same_as_live(hub, capsys, monkeypatch, tmp_path / "drifted", "--org", "bee", period=("--last", "7"))


def test_gzip_files_read_the_same(
    hub: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_daily(hub, tmp_path / "gz", "org", "ant", days=5, gzip_files=True)
    assert all(p.name.endswith(".gz") for p in (tmp_path / "gz").iterdir())
    assert_same_as_live(hub, capsys, monkeypatch, tmp_path / "gz", "--org", "ant", ("users", "teams"), ("--last", "5"))


def test_28_day_files_give_the_28_days_the_live_road_shows(
    hub: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    into = tmp_path / "window"
    hub.write_report(into, "org", "bee", "organization-28-day")
    hub.write_report(into, "org", "bee", "users-28-day")
    totals = [p for p in into.iterdir() if "organization-28-day" in p.name]
    assert len(totals) == 1 and totals[0].read_bytes().count(b"\n") == 1  # one JSON object on one line
    assert_same_as_live(hub, capsys, monkeypatch, into, "--org", "bee")


def test_enterprise_files_1_day_and_28_day(
    hub: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_daily(hub, tmp_path / "daily", "enterprise", ENTERPRISE, days=6)
    assert_same_as_live(
        hub, capsys, monkeypatch, tmp_path / "daily", "--enterprise", ENTERPRISE, (*TABLES, "teams"), ("--last", "6")
    )
    hub.write_report(tmp_path / "window", "enterprise", ENTERPRISE, "enterprise-28-day", gzip_files=True)
    hub.write_report(tmp_path / "window", "enterprise", ENTERPRISE, "users-28-day")
    assert_same_as_live(hub, capsys, monkeypatch, tmp_path / "window", "--enterprise", ENTERPRISE)


def test_overlapping_files_count_each_day_once_and_say_so(
    hub: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "reports"
    hub.write_report(reports, "org", "ant", "users-28-day")
    hub.write_report(reports, "org", "ant", "organization-28-day")
    for day in days_back(hub, 3):
        hub.write_report(reports, "org", "ant", "users-1-day", day)
    code, out, err = run(capsys, "--from", str(reports), "--org", "ant", "--what", "users")
    assert code == 0, err
    assert out == live(hub, capsys, monkeypatch, "--org", "ant", "--what", "users")
    assert "ant-users-28-day-latest-2.ndjson: its users lines of 2 days from" in err, err
    assert "are left out: 3 other files hold those days too" in err


def test_without_a_name_the_scope_is_its_id(
    hub: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = tmp_path / "reports"
    write_daily(hub, reports, "org", "ant", days=2)
    code, out, err = run(capsys, "--from", str(reports), "--last", "2")
    assert code == 0, err
    assert json.loads(out)["scope"] == {"kind": "org", "name": "1001"}
    code, _, err = run(capsys, "--from", str(reports), "--enterprise", "hive", "--last", "2")
    assert code == 1 and "the files hold no enterprise to call 'hive'" in err and "organization 1001" in err


def test_files_of_two_orgs_export_the_first_and_name_the_other(
    hub: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = tmp_path / "reports"
    write_daily(hub, reports, "org", "ant", days=2)
    write_daily(hub, reports, "org", "bee", days=2)
    code, out, err = run(capsys, "--from", str(reports), "--last", "2")
    assert code == 0 and json.loads(out)["scope"]["name"] == "1001"
    assert "the files hold 2 scopes; exporting 1001 (also there: 3002)" in err
    code, out, err = run(capsys, "--from", str(reports), "--org", "3002", "--last", "2")
    assert code == 0 and json.loads(out)["scope"]["name"] == "3002"


# ---- lines the rule skips, files that are not reports -----------------------------------------------------------

NAMED = re.compile(r"^  (.*):(\d+): (.*)$")


def skipped(err: str) -> list[tuple[str, int, str]]:
    found = []
    for line in err.splitlines():
        m = NAMED.match(line)
        if m:
            found.append((m[1], int(m[2]), m[3]))
    return found


def test_skipped_lines_get_the_live_roads_rule_and_report(
    hub: FakeGitHub,
    hostile_report: HostileReport,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reports = tmp_path / "reports"
    day = hub.dataset.last_day
    lines = [c["line"].replace(hostile_report.day.isoformat(), day.isoformat()).encode() for c in hostile_report.cases]
    hub.faults.hostile_lines(lines, kind="users-1-day")
    written = hub.write_report(reports, "org", "ant", "users-1-day", day)
    period = ("--since", day.isoformat(), "--until", day.isoformat(), "--what", "users")
    code, from_files, err = run(capsys, "--from", str(reports), "--org", "ant", *period)
    assert code == 0, err
    assert f"skipped {len(hostile_report.skipped)} report line(s)" in err
    files_said = skipped(err)
    assert {name for name, _, _ in files_said} == {str(written[-1])}
    # the numbers are the lines' own in the file
    file_lines = written[-1].read_bytes().split(b"\n")
    for _, line_no, _ in files_said:
        assert file_lines[line_no - 1] in lines

    hub.faults.hostile_lines(lines, kind="users-1-day")
    hub.faults.hostile_lines(lines, kind="users-28-day")
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    code, from_api, live_err = run(capsys, "--api-url", hub.api_url, "--org", "ant", *period)
    assert code == 0, live_err
    assert from_files == from_api
    assert [(n, why) for _, n, why in files_said] == [(n, why) for _, n, why in skipped(live_err)]


def test_a_file_that_is_not_a_report_is_said_and_the_rest_opens(
    hub: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = tmp_path / "reports"
    write_daily(hub, reports, "org", "ant", days=1)
    (reports / "notes.txt").write_text("numbers for the board meeting\n")
    (reports / "answer.json").write_text('{"download_links": ["https://example.com/1.json"], "report_day": "x"}\n')
    (reports / "pretty.json").write_text(json.dumps({"day": "2026-01-01", "organization_id": "1"}, indent=2))
    (reports / "other.json").write_bytes(gzip.compress(b'{"name": "a"}\n'))
    (reports / "empty.ndjson").write_bytes(b"")
    code, out, err = run(capsys, "--from", str(reports), "--last", "1", "--what", "users")
    assert code == 0, err
    assert json.loads(out)["users"]
    assert f"{reports / 'notes.txt'} is not a Copilot usage metrics report: its first lines are not JSON" in err
    assert f"{reports / 'answer.json'} is the API's answer naming a report's download links" in err
    assert f"{reports / 'pretty.json'} holds one JSON document spread over several lines" in err
    assert f"{reports / 'other.json'} is JSON but not a Copilot usage metrics report" in err
    assert f"{reports / 'empty.ndjson'} is empty" in err


def test_no_report_at_all_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("hello\n")
    code, out, err = run(capsys, "--from", str(tmp_path / "notes.txt"), str(tmp_path / "missing.json"))
    assert code == 1 and out == ""
    assert "no Copilot usage metrics report in 2 paths" in err
    assert "missing.json does not exist" in err and "notes.txt is not a Copilot usage metrics report" in err


def test_files_and_another_source_contradict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["export", "--from", str(tmp_path), "--demo"])
    assert code == 2 and "report files and --demo are two data sources" in capsys.readouterr().err


def test_seats_are_not_in_report_files(hub: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reports = tmp_path / "reports"
    write_daily(hub, reports, "org", "ant", days=1)
    code, out, err = run(capsys, "--from", str(reports), "--what", "seats")
    assert code == 1 and out == "" and "report files do not hold them" in err


async def test_facts_of_the_files_stay_in_a_private_temporary_directory_apart_from_the_store(
    hub: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stat
    import tempfile

    from copilot_tui.scope import Scope
    from copilot_tui.sources.files import FileSource

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    write_daily(hub, tmp_path / "reports", "org", "ant", days=3)
    source = FileSource([tmp_path / "reports"], name=Scope("org", "ant"))
    snap = await source.load(Scope("org", "ant"), days=3)
    assert snap.users_aggregate().users
    (private,) = (tmp_path / "tmp").iterdir()
    assert private.name.startswith("copilot-tui-files-") and stat.S_IMODE(private.stat().st_mode) == 0o700
    day_files = [p for p in private.rglob("*.parquet") if not p.parent.name.startswith("blocks")]
    assert len(day_files) == 3 - len(snap.missing_days) > 0
    assert not (tmp_path / "data" / "store").exists()
    await source.aclose()
    assert list((tmp_path / "tmp").iterdir()) == []


def test_githubs_own_examples_open_two_enterprises_from_one_file(capsys: pytest.CaptureFixture[str]) -> None:
    """GitHub's documented example files: one 28-day file holding two enterprises' windows, one users line."""
    from tests.conftest import REFERENCE

    code, out, err = run(capsys, "--from", str(REFERENCE), "--enterprise", "1", "--since", "2025-10-01")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["scope"] == {"kind": "enterprise", "name": "1"}
    assert [(u["user_login"], u["code_generation_activity_count"]) for u in doc["users"]] == [("login1", 1)]
    (totals,) = doc["totals"]
    assert totals["daily_active_users"] == 2 and totals["days_with_data"] == 1
    assert f"{REFERENCE / 'report-line-shapes.json'} holds one JSON document spread over several lines" in err
    code, out, err = run(capsys, "--from", str(REFERENCE), "--enterprise", "2", "--since", "2025-10-01")
    assert code == 0, err
    assert json.loads(out)["users"] == [] and json.loads(out)["totals"][0]["days_with_data"] == 1


def test_a_damaged_gzip_file_keeps_the_lines_before_the_damage_and_says_where(
    hub: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from copilot_tui import report_files

    monkeypatch.setattr(report_files, "_BLOCK", 256)  # read in small blocks, as a file of many MB is
    day = hub.dataset.last_day
    whole, _ = hub.write_report(tmp_path / "reports", "org", "bee", "users-1-day", day, gzip_files=True)
    first = gzip.decompress(whole.read_bytes()).count(b"\n")
    whole.write_bytes(whole.read_bytes()[:-8] + bytes(8))  # the checksum at its end: found after its lines
    code, out, err = run(capsys, "--from", str(tmp_path / "reports"), "--org", "bee", "--last", "1")
    assert code == 0, err
    said = skipped(err)
    assert len(said) == 1 and said[0][0] == str(whole) and said[0][2].startswith("the gzip part is damaged")
    assert 1 < said[0][1] <= first + 1  # after the lines read before the damage
    assert json.loads(out)["users"]
    (whole.parent / "head.json.gz").write_bytes(whole.read_bytes()[:40] + bytes(64))  # damaged before a line
    code, out, err = run(capsys, "--from", str(tmp_path / "reports"), "--org", "bee", "--last", "1")
    assert code == 0 and f"{whole.parent / 'head.json.gz'} is a damaged gzip file" in err
