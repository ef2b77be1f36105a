"""The periods the dashboard can show: presets, calendar months and quarters, "last N days", a from/to pair.

Pure (no Textual) so the picker, the dashboard and the tests read one definition. A choice is ``days`` days ending
on ``until`` (``None``: the newest day the data holds), the two arguments every source's ``load`` takes.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from copilot_tui.scope import Scope

STANDARD_PERIODS = (7, 14, 28)
LONGER_PERIODS = (56, 90, 180, 365)


@dataclass(frozen=True, slots=True)
class PeriodChoice:
    label: str
    """How the status bar and the picker name it ("last 28 days", "October 2026"); empty for a from/to pair,
    whose dates say it all."""
    days: int
    until: date | None = None
    """The last day; ``None`` follows the newest day held (a preset moves on as new days arrive)."""

    def bounds(self, newest: date) -> tuple[date, date]:
        end = self.until or newest
        return end - timedelta(days=self.days - 1), end

    @classmethod
    def last(cls, days: int) -> PeriodChoice:
        return cls(f"last {days} days", days)

    @classmethod
    def between(cls, start: date, end: date, label: str = "") -> PeriodChoice:
        return cls(label, (end - start).days + 1, end)


def period_choices(held: tuple[date, date] | None) -> list[PeriodChoice]:
    """7, 14 and 28 days always; longer ranges, "all held", then calendar quarters and months, newest first, only
    where the held data fills them (a month the data holds in part is cut to the held days and says so)."""
    covered = (held[1] - held[0]).days + 1 if held else 0
    days = [*STANDARD_PERIODS, *(d for d in LONGER_PERIODS if d <= covered)]
    choices = [PeriodChoice.last(d) for d in days]
    if covered > days[-1]:
        choices.append(PeriodChoice(f"all {covered} days held", covered))
    if held is None:
        return choices
    choices += [c for c in (_clip(*quarter(y, q), held) for y, q in _quarters(*held)) if c is not None]
    choices += [c for c in (_clip(*month(y, m), held) for y, m in _months(*held)) if c is not None]
    return choices


def month(year: int, number: int) -> tuple[date, date, str]:
    last = calendar.monthrange(year, number)[1]
    return date(year, number, 1), date(year, number, last), f"{calendar.month_name[number]} {year}"


def quarter(year: int, number: int) -> tuple[date, date, str]:
    first = 3 * (number - 1) + 1
    return date(year, first, 1), month(year, first + 2)[1], f"Q{number} {year}"


def _months(start: date, end: date) -> list[tuple[int, int]]:
    out = []
    y, m = end.year, end.month
    while (y, m) >= (start.year, start.month):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out


def _quarters(start: date, end: date) -> list[tuple[int, int]]:
    return list(dict.fromkeys((y, (m - 1) // 3 + 1) for y, m in _months(start, end)))


def _clip(start: date, end: date, label: str, held: tuple[date, date]) -> PeriodChoice | None:
    first, last = max(start, held[0]), min(end, held[1])
    if last < first:
        return None
    if (first, last) != (start, end):
        label = f"{label} (held {first.day} {calendar.month_abbr[first.month]} to {last.day} {calendar.month_abbr[last.month]})"
    return PeriodChoice.between(first, last, label)


_DAY = r"(\d{4}-\d{1,2}-\d{1,2})"
_RANGE = re.compile(rf"^(?:from\s+)?{_DAY}\s*(?:\.\.|to|–|—|-|\s)\s*{_DAY}$")
_LAST = re.compile(r"^(?:last\s+)?(\d+)(?:\s*d(?:ays?)?)?$")
_MONTH_NUM = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(?:(\d{4})\s*-?\s*q([1-4])|q([1-4])\s*-?\s*(\d{4}))$")
_MONTH_NAME = re.compile(r"^([a-z]+)\s+(\d{4})$")
_YEAR = re.compile(r"^(?:year\s+)?(20\d\d)$")
"""A calendar year: four digits from 2000 on read as a year, never as that many days."""

EXAMPLES = "45, 2026-10, Oct 2026, 2026-Q3, 2026, 2026-10-01..2026-10-20"


class PeriodError(ValueError):
    """A typed period that cannot be read or lies outside the held data; the message is the sentence to show."""


def parse_period(
    text: str,
    held: tuple[date, date] | None,
    scope: Scope | None = None,
    *,
    today: date | None = None,
    can_sync: bool = True,
) -> PeriodChoice:
    """The period typed in the picker, checked against the held days; :class:`PeriodError` says what is wrong.
    ``today`` (UTC, by default now) bounds the days a sync could still fetch; without ``can_sync`` (the demo,
    report files) no sync is offered."""
    t = " ".join(text.strip().lower().split())
    if not t:
        raise PeriodError(f"Type a period, e.g. {EXAMPLES}.")
    if m := _YEAR.match(t):
        year = int(m[1])
        choice = PeriodChoice.between(date(year, 1, 1), date(year, 12, 31), str(year))
    elif m := _LAST.match(t):
        days = int(m[1])
        if days < 1:
            raise PeriodError("A period has at least 1 day.")
        choice = PeriodChoice.last(days)
    elif m := _RANGE.match(t):
        start, end = _date(m[1]), _date(m[2])
        if end < start:
            raise PeriodError(f"{end.isoformat()} comes before {start.isoformat()}: put the earlier date first.")
        choice = PeriodChoice.between(start, end)
    elif m := _MONTH_NUM.match(t):
        choice = _month_choice(int(m[1]), int(m[2]), text)
    elif m := _MONTH_NAME.match(t):
        names = {n.lower(): i for i, n in enumerate(calendar.month_name) if n}
        names |= {n.lower(): i for i, n in enumerate(calendar.month_abbr) if n}
        if m[1] not in names:
            raise PeriodError(f"{text.strip()!r} is not a month; try e.g. {EXAMPLES}.")
        choice = _month_choice(int(m[2]), names[m[1]], text)
    elif m := _QUARTER.match(t):
        year, number = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
        start, end, label = quarter(year, number)
        choice = PeriodChoice.between(start, end, label)
    elif re.fullmatch(_DAY, t):
        day = _date(t)
        choice = PeriodChoice.between(day, day)
    else:
        raise PeriodError(f"{text.strip()!r} is not a period; try e.g. {EXAMPLES}.")
    return within(choice, held, scope, today=today, can_sync=can_sync)


def within(
    choice: PeriodChoice,
    held: tuple[date, date] | None,
    scope: Scope | None = None,
    *,
    today: date | None = None,
    can_sync: bool = True,
) -> PeriodChoice:
    """``choice`` when the held data reaches it, a month, quarter or year cut to the held days, else a sentence
    that says what is held and what ``copilot-tui sync`` would add (never days GitHub no longer serves)."""
    if held is None:
        return choice
    first, last = held
    start, end = choice.bounds(last)
    if start > last:
        raise PeriodError(f"The data ends on {last.isoformat()}: there is nothing from {start.isoformat()} on yet.")
    if end < first or (start < first and (choice.label == "" or choice.until is None)):
        if not can_sync:
            raise PeriodError(f"The data held starts on {first.isoformat()}: nothing before it is at hand here.")
        from copilot_tui.sources.planning import earliest_day  # only on this path: the store's modules

        now = datetime.now(UTC) if today is None else datetime.combine(today, time(12), UTC)
        earliest = earliest_day(now)
        if earliest >= first:
            raise PeriodError(
                f"The data held starts on {first.isoformat()}, and GitHub serves nothing older: its reports begin "
                f"on {earliest.isoformat()} (at most a year back)."
            )
        raise PeriodError(
            f"The data held starts on {first.isoformat()}; `{sync_command(scope, max(start, earliest))}` fetches "
            "the days before it (GitHub keeps about a year)."
        )
    if start < first or end > last:  # a named month or quarter the data holds in part
        clipped = _clip(start, end, choice.label, held)
        assert clipped is not None
        return clipped
    return choice


def sync_command(scope: Scope | None, since: date) -> str:
    """The command that fetches history from ``since``: what a period before the held days needs."""
    flag = "--org ORG" if scope is None else f"--{scope.kind} {scope.name}"
    return f"copilot-tui sync {flag} --since {since.isoformat()}"


def _month_choice(year: int, number: int, text: str) -> PeriodChoice:
    if not 1 <= number <= 12:
        raise PeriodError(f"{text.strip()!r}: a month is 1 to 12.")
    start, end, label = month(year, number)
    return PeriodChoice.between(start, end, label)


def _date(text: str) -> date:
    try:
        return date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        raise PeriodError(f"{text} is not a date (YYYY-MM-DD).") from None
