"""CLI in depth: the scope's and a user's CLI figures day by day, checked against the raw lines of the demo."""

from __future__ import annotations

from datetime import date

import orjson

from copilot_tui.metrics.cli import CLI_FIGURES, cli_series
from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.metrics.derive import Period, org_totals
from copilot_tui.metrics.parse import parse_org_report, parse_users_report

SMALL = DemoDataset(days=20)
ORG = SMALL.orgs[1].login
PERIOD = Period.last(14, SMALL.last_day)


def raw(kind: str, day: date) -> bytes:
    return b"".join(SMALL.iter_ndjson("org", ORG, kind, day))


def by_hand(line: dict[str, object], field: str) -> int:
    cli = line.get("totals_by_cli") or {}
    assert isinstance(cli, dict)
    if field.endswith("_tokens_sum"):
        return int((cli.get("token_usage") or {}).get(field) or 0)
    return int(cli.get(field) or 0)


def test_the_scopes_series_are_its_day_records_and_the_totals_their_sums() -> None:
    parts = [(d.isoformat(), raw("organization-1-day", d)) for d in PERIOD.each_day()]
    records = parse_org_report(parts).days
    series = cli_series(records, PERIOD.each_day(), users_field="daily_active_cli_users", users_total=123)
    lines = [orjson.loads(data) for _, data in parts]
    by_metric = {s.metric: s for s in series}
    assert by_metric["period_cli_users"].values == tuple(line["daily_active_cli_users"] for line in lines)
    assert by_metric["period_cli_users"].total == 123
    totals = org_totals(records, PERIOD)
    for key, _label, field in CLI_FIGURES:
        expected = tuple(by_hand(line, field) for line in lines)
        assert sum(expected) > 0, key  # a real check, not 0 == 0
        assert by_metric[key].values == expected and by_metric[key].total == sum(expected) == totals.cli[field]


def test_a_users_series_are_their_rows() -> None:
    parts = [(d.isoformat(), raw("users-1-day", d)) for d in PERIOD.each_day()]
    rows = parse_users_report(parts).rows
    lines = [orjson.loads(x) for _, data in parts for x in data.splitlines()]
    user_id = max((line for line in lines if line.get("totals_by_cli")), key=lambda x: by_hand(x, "request_count"))[
        "user_id"
    ]
    mine = {date.fromisoformat(line["day"]): line for line in lines if line["user_id"] == user_id}
    series = {s.metric: s for s in cli_series([r for r in rows if r.user_id == user_id], PERIOD.each_day())}
    assert "period_cli_users" not in series
    for key, _label, field in CLI_FIGURES:
        expected = tuple(by_hand(mine[d], field) if d in mine else 0 for d in PERIOD.each_day())
        assert series[key].values == expected and series[key].total == sum(expected)
    without = [r for r in rows if r.cli is None][:5]
    assert without and cli_series(without, PERIOD.each_day()) == []
