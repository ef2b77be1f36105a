"""``copilot-tui export --what versions`` and the users' version fields against the fake GitHub: the counts equal
the ones computed here from the fake's raw users-report lines."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

from copilot_tui.fakehub import FakeGitHub
from tests.commands.test_export import export
from tests.versions_expected import last_versions, newest, version_counts


def test_versions_table_counts_each_user_at_their_last_version(fakehub: FakeGitHub, tmp_path: Path) -> None:
    org = fakehub.dataset.orgs[1].login
    base = ("--api-url", fakehub.api_url, "--org", org, "--last", "28")
    result = export(*base, "--what", "versions", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["versions"]
    end = fakehub.dataset.last_day
    lines = [
        line
        for i in range(28)
        for line in fakehub.dataset.report_lines("org", org, "users-1-day", end - timedelta(days=i)) or []
    ]
    want = version_counts(lines)
    assert len({k[2] for k in want if k[:2] == ("vscode", "plugin")}) > 1, "the demo should spread versions"
    assert {(r["ide"], r["kind"], r["version"]): r["users"] for r in rows} == {k: len(v) for k, v in want.items()}
    for ide, kind in {(r["ide"], r["kind"]) for r in rows}:
        group = [r for r in rows if (r["ide"], r["kind"]) == (ide, kind)]
        top = newest(r["version"] for r in group)
        assert group[0]["version"] == top and group[0]["newest"] and group[0]["releases_behind"] == 0
        assert [r["releases_behind"] for r in group] == list(range(len(group)))
        total = sum(r["users"] for r in group)
        assert all(r["share"] == round(r["users"] / total, 4) for r in group)
    # the users table holds each user's versions, the most used IDE first
    users = json.loads(export(*base, "--what", "users", tmp=tmp_path).stdout)["users"]
    last = last_versions(lines)
    for user in users:
        for kind, field in (("ide", "ide_versions"), ("plugin", "plugin_versions")):
            mine = {ide: v for (uid, ide, k), v in last.items() if uid == user["user_id"] and k == kind and v}
            listed = dict(part.rsplit(" ", 1) for part in user[field].split("; ")) if user[field] else {}
            assert listed == mine, (user["user_login"], field)
            if listed:
                assert user[field].split(" ", 1)[0] == user["top_ide"]
    table = list(
        csv.DictReader(io.StringIO(export(*base, "--what", "versions", "--format", "csv", tmp=tmp_path).stdout))
    )
    assert [(t["ide"], t["version"], t["users"]) for t in table] == [
        (r["ide"], r["version"], str(r["users"])) for r in rows
    ]
