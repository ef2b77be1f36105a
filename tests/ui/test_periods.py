"""The periods offered and typed: presets, calendar months and quarters, "last N days", from/to pairs."""

from __future__ import annotations

from datetime import date

import pytest

from copilot_tui.scope import Scope
from copilot_tui.ui.periods import PeriodChoice, PeriodError, parse_period, period_choices

HELD = (date(2026, 7, 27), date(2026, 11, 23))


def test_choices_are_presets_then_quarters_then_months_cut_to_the_held_days() -> None:
    labels = [c.label for c in period_choices(HELD)]
    assert labels == [
        "last 7 days",
        "last 14 days",
        "last 28 days",
        "last 56 days",
        "last 90 days",
        "all 120 days held",
        "Q4 2026 (held 1 Oct to 23 Nov)",
        "Q3 2026 (held 27 Jul to 30 Sep)",
        "November 2026 (held 1 Nov to 23 Nov)",
        "October 2026",
        "September 2026",
        "August 2026",
        "July 2026 (held 27 Jul to 31 Jul)",
    ]
    october = next(c for c in period_choices(HELD) if c.label == "October 2026")
    assert october.bounds(HELD[1]) == (date(2026, 10, 1), date(2026, 10, 31))


def test_without_held_data_only_the_standard_presets() -> None:
    assert [c.days for c in period_choices(None)] == [7, 14, 28]


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("45", date(2026, 10, 10), date(2026, 11, 23), "last 45 days"),
        ("last 10 days", date(2026, 11, 14), date(2026, 11, 23), "last 10 days"),
        ("2026-10", date(2026, 10, 1), date(2026, 10, 31), "October 2026"),
        ("Oct 2026", date(2026, 10, 1), date(2026, 10, 31), "October 2026"),
        ("september 2026", date(2026, 9, 1), date(2026, 9, 30), "September 2026"),
        ("2026-Q4", date(2026, 10, 1), date(2026, 11, 23), "Q4 2026 (held 1 Oct to 23 Nov)"),
        ("2026-10-03..2026-10-20", date(2026, 10, 3), date(2026, 10, 20), ""),
        ("from 2026-10-03 to 2026-10-20", date(2026, 10, 3), date(2026, 10, 20), ""),
        ("2026-10-05", date(2026, 10, 5), date(2026, 10, 5), ""),
        ("2026", date(2026, 7, 27), date(2026, 11, 23), "2026 (held 27 Jul to 23 Nov)"),
        ("year 2026", date(2026, 7, 27), date(2026, 11, 23), "2026 (held 27 Jul to 23 Nov)"),
    ],
)
def test_typed_periods(text: str, start: date, end: date, label: str) -> None:
    choice = parse_period(text, HELD)
    assert choice.bounds(HELD[1]) == (start, end)
    assert choice.label == label


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Type a period"),
        ("soon", "is not a period"),
        ("2026-13", "a month is 1 to 12"),
        ("Smarch 2026", "is not a month"),
        ("2026-02-30..2026-03-01", "is not a date"),
        ("2026-10-20..2026-10-03", "put the earlier date first"),
        ("2026-12-01..2026-12-05", "The data ends on 2026-11-23"),
        ("200", "copilot-tui sync --org octo --since 2026-05-08"),
        ("2026-07-01..2026-07-31", "copilot-tui sync --org octo --since 2026-07-01"),
        ("2025-03", "The data held starts on 2026-07-27"),
    ],
)
def test_what_cannot_be_shown_is_said(text: str, says: str) -> None:
    with pytest.raises(PeriodError, match=says.replace(".", r"\.")):
        parse_period(text, HELD, Scope("org", "octo"))


def test_the_sync_hint_asks_only_for_days_github_still_serves() -> None:
    """A year typed as "2026" is no "last 2026 days"; a period reaching back further than GitHub keeps is offered
    the sync of what it still serves (a year back, never before its first report day), or told nothing is older."""
    with pytest.raises(PeriodError, match="copilot-tui sync --org octo --since 2025-11-24`"):
        parse_period("700", HELD, Scope("org", "octo"), today=date(2026, 11, 24))
    with pytest.raises(PeriodError, match="GitHub serves nothing older: its reports begin on 2025-10-10"):
        parse_period("2025-01", (date(2025, 10, 10), date(2026, 6, 1)), Scope("org", "octo"), today=date(2026, 6, 2))


def test_no_sync_is_offered_where_none_can_run() -> None:
    with pytest.raises(PeriodError, match="starts on 2026-07-27: nothing before it is at hand here") as said:
        parse_period("200", HELD, Scope("org", "octo"), can_sync=False)
    assert "sync" not in str(said.value)


def test_the_sync_hint_names_an_enterprise() -> None:
    with pytest.raises(PeriodError, match="--enterprise big"):
        parse_period("2025-01-01..2025-01-02", HELD, Scope("enterprise", "big"))


def test_a_preset_follows_the_newest_day() -> None:
    assert PeriodChoice.last(7).bounds(date(2026, 1, 10)) == (date(2026, 1, 4), date(2026, 1, 10))
