"""The files and answers the fake GitHub serves follow GitHub's shapes (``tests/data/reference/report-line-shapes.json``)
line for line: every key of every line is a key of its shape, and every value has the shape's type."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from github_helpers import MakeClient

from copilot_tui.fakehub import OWNER_TOKEN, FakeGitHub
from copilot_tui.github.client import ENTERPRISE_REPORT_KINDS, ORG_REPORT_KINDS, report_path
from copilot_tui.scope import Scope

DAY_RECORD = "organization-1-day / enterprise-1-day: one flat day record per line (enterprise: enterprise_id only)"
WINDOW = "organization-28-day / enterprise-28-day: one line holding the window"
USERS = "users-1-day / users-28-day: one flat row per user per day"
TEAMS = "user-teams-1-day: one row per (user, team)"
ANSWER = "report endpoint answer (JSON, not NDJSON)"
SHAPE_OF_KIND = {
    "organization-1-day": DAY_RECORD,
    "enterprise-1-day": DAY_RECORD,
    "organization-28-day": WINDOW,
    "enterprise-28-day": WINDOW,
    "users-1-day": USERS,
    "users-28-day": USERS,
    "user-teams-1-day": TEAMS,
}


@pytest.fixture(scope="module")
def shapes(line_shapes: dict[str, Any], reference: Callable[[str], Path]) -> dict[str, Any]:
    """The reference shapes, where the user shape also admits the keys of GitHub's own documented user row
    (``docs-example.users-1-day.ndjson``): that row carries ``last_known_ide_version`` and
    ``last_known_plugin_version`` in ``totals_by_ide``, which the shape file leaves out."""
    data = dict(line_shapes)
    example = orjson.loads(reference("docs-example.users-1-day.ndjson").read_bytes().splitlines()[0])
    data[USERS] = merged(data[USERS], shape_of(example))
    return data


def shape_of(value: Any) -> Any:
    """A documented example turned into a shape: values become their type's placeholder."""
    if isinstance(value, dict):
        return {k: shape_of(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape_of(value[0])] if value else []
    if isinstance(value, bool):
        return "<boolean>"
    return "<number>" if isinstance(value, int | float) else "<string>"


def merged(shape: Any, extra: Any) -> Any:
    """``shape`` with the keys only ``extra`` has; where both have a key, ``shape`` decides."""
    if isinstance(shape, dict) and isinstance(extra, dict):
        return {**extra, **{k: merged(v, extra[k]) if k in extra else v for k, v in shape.items()}}
    if isinstance(shape, list) and isinstance(extra, list) and shape and extra:
        return [merged(shape[0], extra[0])]
    return shape


def placeholder_type(placeholder: str) -> str:
    return placeholder.split(">", 1)[0].lstrip("<")


def mismatches(value: Any, shape: Any, where: str, shapes: dict[str, Any]) -> list[str]:
    """Where ``value`` strays from ``shape``: keys the shape lacks, values of another type."""
    if isinstance(shape, str):
        kind = placeholder_type(shape)
        if kind.startswith("a day record"):
            return mismatches(value, shapes[DAY_RECORD], where, shapes)
        ok = {
            "string": isinstance(value, str),
            "date": isinstance(value, str),
            "uri": isinstance(value, str),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
        }.get(kind)
        if ok is None:
            return [f"{where}: the shape has an unknown placeholder {shape!r}"]
        return [] if ok else [f"{where}: {value!r} is not a {kind}"]
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f"{where}: {type(value).__name__} where the shape has a list"]
        return [p for i, item in enumerate(value) for p in mismatches(item, shape[0], f"{where}[{i}]", shapes)]
    if not isinstance(value, dict):
        return [f"{where}: {type(value).__name__} where the shape has an object"]
    keys: dict[str, Any] = {}
    for key, sub in shape.items():
        for alias in key.split(" or "):
            keys[alias] = sub
    problems = []
    for key, item in value.items():
        if key not in keys:
            problems.append(f"{where}.{key}: not in the shape")
        else:
            problems.extend(mismatches(item, keys[key], f"{where}.{key}", shapes))
    return problems


def served_lines(report: Any) -> list[dict[str, Any]]:
    return [orjson.loads(line) for _, data in report.parts for line in data.splitlines() if line.strip()]


CASES = [(Scope("org", "widgets"), k) for k in ORG_REPORT_KINDS] + [
    (Scope("enterprise", "acme-ent"), k) for k in ENTERPRISE_REPORT_KINDS
]


@pytest.mark.parametrize(("scope", "kind"), CASES, ids=lambda v: str(v))
async def test_served_report_lines_follow_the_shapes(
    make_client: MakeClient, hub: FakeGitHub, shapes: dict[str, Any], scope: Scope, kind: str
) -> None:
    client = make_client()
    days = [hub.dataset.last_day - timedelta(days=n) for n in range(3)] if kind.endswith("-1-day") else [None]
    checked = 0
    for day in days:
        report = await client.fetch_report(scope, kind, day)
        assert report is not None
        for number, line in enumerate(served_lines(report), start=1):
            assert mismatches(line, shapes[SHAPE_OF_KIND[kind]], f"{kind} line {number}", shapes) == []
            checked += 1
    assert checked > 0


async def test_the_demo_orgs_of_the_shared_fake_follow_the_shapes(fakehub: FakeGitHub, shapes: dict[str, Any]) -> None:
    from copilot_tui.github.client import GitHubClient

    org = Scope("org", fakehub.dataset.orgs[0].login)
    async with GitHubClient(OWNER_TOKEN, api_url=fakehub.api_url) as client:
        for kind in ORG_REPORT_KINDS:
            day = fakehub.dataset.last_day if kind.endswith("-1-day") else None
            report = await client.fetch_report(org, kind, day)
            assert report is not None
            lines = served_lines(report)
            assert len(report.parts) == min(2, len(lines))
            for number, line in enumerate(lines, start=1):
                assert mismatches(line, shapes[SHAPE_OF_KIND[kind]], f"{kind} line {number}", shapes) == []


@pytest.mark.parametrize("kind", ["users-1-day", "organization-28-day"])
def test_report_answers_follow_the_documented_body(hub: FakeGitHub, shapes: dict[str, Any], kind: str) -> None:
    scope = Scope("org", "acme")
    params = {"day": hub.dataset.last_day.isoformat()} if kind.endswith("-1-day") else None
    answer = httpx.get(
        hub.api_url + report_path(scope, kind), params=params, headers={"Authorization": f"Bearer {OWNER_TOKEN}"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert mismatches(body, shapes[ANSWER], "answer", shapes) == []
    expected_keys = (
        {"download_links", "report_day"} if params else {"download_links", "report_start_day", "report_end_day"}
    )
    assert set(body) == expected_keys
    assert all(link.startswith(hub.download_url + "/") for link in body["download_links"])


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/orgs/nobody/copilot/metrics/reports/users-28-day/latest", 404),
        ("/orgs/acme/copilot/metrics/reports/users-1-day?day=2025-01-01", 422),
        ("/orgs/acme/copilot/metrics/reports/users-1-day?day=yesterday", 400),
    ],
)
def test_error_answers_carry_githubs_error_body(hub: FakeGitHub, path: str, status: int) -> None:
    answer = httpx.get(hub.api_url + path, headers={"Authorization": f"Bearer {OWNER_TOKEN}"})
    assert answer.status_code == status
    body = answer.json()
    assert set(body) == {"message", "documentation_url", "status"}
    assert body["status"] == str(status)
    assert body["documentation_url"].startswith("https://docs.github.com/")


def test_shape_checker_catches_strays(shapes: dict[str, Any]) -> None:
    """The checker itself: a stray key, a wrong type and a wrong nested type are all reported; the keys of GitHub's
    documented row pass."""
    ide = {"ide": 3, "last_known_ide_version": {"ide_version": "1.0", "sampled_at": "2026-01-01T00:00:00Z"}}
    line = {"day": "2026-01-01", "user_id": "7", "surprise": 1, "totals_by_ide": [ide], "used_cli": True}
    problems = mismatches(line, shapes[USERS], "line", shapes)
    assert sorted(problems) == sorted(
        [
            "line.user_id: '7' is not a number",
            "line.surprise: not in the shape",
            "line.totals_by_ide[0].ide: 3 is not a string",
        ]
    )


def test_unsupported_api_version_is_refused_like_github(hub: FakeGitHub) -> None:
    answer = httpx.get(
        hub.api_url + "/user", headers={"Authorization": f"Bearer {OWNER_TOKEN}", "X-GitHub-Api-Version": "1999-01-01"}
    )
    assert answer.status_code == 400
    assert "1999-01-01" in answer.json()["message"]


def test_download_port_refuses_tampered_links_and_authorization_headers(hub: FakeGitHub) -> None:
    headers = {"Authorization": f"Bearer {OWNER_TOKEN}"}
    body = httpx.get(hub.api_url + report_path(Scope("org", "acme"), "users-28-day"), headers=headers).json()
    link = body["download_links"][0]
    assert httpx.get(link).status_code == 200
    assert httpx.get(link.replace("sig=", "sig=0")).status_code == 403
    assert httpx.get(link, headers=headers).status_code == 400
