"""Report files as GitHub serves them, read from disk instead of the API: what each file is, and its lines by scope
and day.

A report file is what one download link of a report endpoint brings: NDJSON, one JSON object a line (an organization
or enterprise report is often one very long line), plain or gzip, whatever its name says (``.json`` files hold
NDJSON too). What a file is comes from its content, never its name, told from its first line that is a JSON object:

- an organization or enterprise report: a flat day record (``day`` with the scope's id or day figures; 1-day) or a
  window holding ``day_totals`` (28-day; GitHub's own example holds two enterprises' windows in one file);
- a users report: ``user_id`` with ``day`` (28-day when its lines carry ``report_start_day``);
- a user-teams report: ``user_id`` with ``team_id`` or ``slug``.

A users or user-teams file is one report of one scope: the enterprise its lines name (``enterprise_id``) when they
name no organization or several, else the organization most of them name (``organization_id``); each line belongs
to its own ``day`` (a 28-day users report holds many). In an organization/enterprise file each day record names its
own scope (GitHub's own 28-day example holds two enterprises' windows in one file). Nothing is judged here: the line
rule (:mod:`copilot_tui.metrics.linerule`) judges each line where it is decoded, as for a report from the API. A
line that cannot be placed (not JSON, no day) stays with its file's main day, where the rule then names it by file
and line number.

When several files hold the same scope, kind and day, the 1-day files count (all of them, as the parts of one
report), else the 28-day window that ends last (all its parts); the others' lines of that day are left out, and
said (:meth:`OpenedFiles.left_out`).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from copilot_tui.metrics import linerule
from copilot_tui.metrics.linerule import LineError
from copilot_tui.metrics.model import DayTotals, LineProblem
from copilot_tui.metrics.parse import ReportPart, iter_lines, parse_org_report
from copilot_tui.scope import ScopeKind

TOTALS = "totals"
USERS = "users"
TEAMS = "user-teams"
KIND_NAMES = {TOTALS: "organization/enterprise", USERS: "users", TEAMS: "user-teams"}

#: Lines looked at for the first JSON object before a file is called something other than a report.
HEAD_LINES = 20
_BLOCK = 1 << 20
#: Fields a flat organization/enterprise day record carries (any one, with ``day``, makes a 1-day totals line).
_TOTALS_FIELDS = frozenset(
    {
        "organization_id",
        "enterprise_id",
        "daily_active_users",
        "weekly_active_users",
        "monthly_active_users",
        "totals_by_feature",
        "user_initiated_interaction_count",
    }
)


class ReportFilesError(Exception):
    """The files cannot be opened as reports; the message says which and why."""


class ScopeRef(NamedTuple):
    """A scope as report files name it: by its id (the files never carry an organization's login). A named tuple:
    every line's place holds one, and it is hashed often."""

    kind: ScopeKind
    id: str

    def __str__(self) -> str:
        return f"{'organization' if self.kind == 'org' else 'enterprise'} {self.id}"


@dataclass(frozen=True, slots=True)
class NotAReport:
    """A path given that holds no report, and why."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name} {self.reason}"


Key = tuple[ScopeRef, date]


@dataclass(eq=False)
class ReportFile:
    """One report file: its kind, its 28-day window (None for a 1-day report) and where each line belongs."""

    path: Path
    name: str
    kind: str
    window: tuple[date, date] | None
    stamp: tuple[int, int]
    """Size and modification time when read: a file changed since is refused, its line places being stale."""
    keys: list[Key | None] = field(default_factory=list)
    """Users and user-teams files: the scope and day of each line (None: blank)."""
    damage: tuple[LineProblem, ...] = ()
    """What broke reading the file itself (a damaged gzip stream), with the line it happened on."""
    totals_problems: tuple[LineProblem, ...] = ()
    """Organization/enterprise files: the lines the parser skipped (users lines are judged when decoded)."""
    totals: dict[Key, DayTotals] = field(default_factory=dict)
    """Organization/enterprise files: the day records, by scope and day (the first of a day counts)."""
    home: ScopeRef | None = None
    """The scope most of the file's lines name: lines that name none belong to it."""
    _held: set[Key] | None = field(default=None, repr=False)

    @property
    def problems(self) -> tuple[LineProblem, ...]:
        return (*self.damage, *self.totals_problems)

    @property
    def held(self) -> set[Key]:
        """The scopes and days the file holds lines of."""
        if self._held is None:
            self._held = set(self.totals) if self.kind == TOTALS else {k for k in self.keys if k is not None}
        return self._held

    def describe(self) -> str:
        span = "28-day" if self.window is not None else "1-day"
        return f"{self.name}: {KIND_NAMES[self.kind]} report ({span})"


@dataclass
class OpenedFiles:
    """The report files found among the paths given, and the paths that hold none."""

    files: list[ReportFile]
    not_reports: list[NotAReport]

    def refs(self) -> list[ScopeRef]:
        found = {ref for f in self.files for ref, _day in f.held}
        return sorted(found)

    def days(self, ref: ScopeRef, kind: str | None = None) -> list[date]:
        return sorted({d for f in self.files if kind in (None, f.kind) for r, d in f.held if r == ref})

    def chosen(self, ref: ScopeRef, kind: str) -> dict[date, list[ReportFile]]:
        """Per day, the files whose lines of ``ref`` count: the 1-day files, else the last-ending 28-day window's."""
        candidates: dict[date, list[ReportFile]] = {}
        for f in self.files:
            if f.kind == kind:
                for r, d in sorted(f.held):
                    if r == ref:
                        candidates.setdefault(d, []).append(f)
        picked: dict[date, list[ReportFile]] = {}
        for day, files in candidates.items():
            one_day = [f for f in files if f.window is None]
            if one_day:
                picked[day] = one_day
            else:
                newest = max(f.window for f in files if f.window is not None)
                picked[day] = [f for f in files if f.window == newest]
        return dict(sorted(picked.items()))

    def left_out(self, ref: ScopeRef) -> list[str]:
        """A sentence for each file whose lines of some days do not count, another file holding those days."""
        sentences = []
        for kind in (TOTALS, USERS, TEAMS):
            chosen = self.chosen(ref, kind)
            for f in self.files:
                if f.kind != kind:
                    continue
                dropped = sorted(d for r, d in f.held if r == ref and f not in chosen.get(d, ()))
                if dropped:
                    others = sorted({o.name for d in dropped for o in chosen[d]})
                    who = f"{others[0]} holds" if len(others) == 1 else f"{len(others)} other files hold"
                    sentences.append(
                        f"{f.name}: its {KIND_NAMES[kind]} lines of {_days_text(dropped)} are left out: {who} those "
                        "days too (1-day reports count before 28-day ones, a later 28-day window before an earlier one)."
                    )
        return sentences

    def parts(self, ref: ScopeRef, kind: str, days: Iterable[date]) -> list[ReportPart]:
        """One part per file holding the lines of ``ref`` on ``days`` that count, in the order the paths were
        given; its other lines blank, so each line keeps its number in the file."""
        wanted = set(days)
        chosen = {d: fs for d, fs in self.chosen(ref, kind).items() if d in wanted}
        files = [f for f in self.files if any(f in fs for fs in chosen.values())]
        parts: list[ReportPart] = []
        for f in files:
            keys = {(ref, d) for d, fs in chosen.items() if f in fs}
            parts.append((f.name, _select(f, read_lines(f), keys)))
        return parts

    def day_parts(self, ref: ScopeRef, kind: str, days: Sequence[date]) -> Iterator[tuple[date, list[ReportPart]]]:
        """The parts of each of ``days`` (see :meth:`parts`), each file read once for them all."""
        chosen = self.chosen(ref, kind)
        last_use = {id(f): i for i, day in enumerate(days) for f in chosen.get(day, ())}
        lines: dict[int, list[bytes]] = {}
        for i, day in enumerate(days):
            parts: list[ReportPart] = []
            for f in chosen.get(day, ()):
                if id(f) not in lines:
                    lines[id(f)] = read_lines(f)
                parts.append((f.name, _select(f, lines[id(f)], {(ref, day)})))
                if last_use[id(f)] == i:  # a 28-day report's parts hold days in a row: one part in memory at a time
                    del lines[id(f)]
            yield day, parts

    def problems(self, ref: ScopeRef) -> list[LineProblem]:
        """What broke reading the files of ``ref`` themselves (the lines are judged where they are decoded)."""
        return [p for f in self.files if f.home == ref or any(r == ref for r, _ in f.held) for p in f.problems]


def _days_text(days: Sequence[date]) -> str:
    if len(days) == 1:
        return days[0].isoformat()
    return f"{len(days)} days from {days[0]} to {days[-1]}"


def _select(f: ReportFile, lines: list[bytes], keys: set[Key]) -> bytes:
    if len(lines) != len(f.keys):
        raise ReportFilesError(f"{f.name} changed since it was opened: open it again.")
    return b"\n".join(line if k in keys else b"" for line, k in zip(lines, f.keys, strict=True)) + b"\n"


# ------------------------------------------------------------------------------------------------------- reading


def expand(paths: Iterable[Path]) -> list[Path]:
    """The files the paths name: a file itself, a directory's files below it (hidden ones left out), in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        yield from iter(lambda: f.read(_BLOCK), b"")


def _stamp(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def read_lines(f: ReportFile) -> list[bytes]:
    """A file's lines (plain: gunzipped, without a byte order mark), up to damage in a gzip stream."""
    if _stamp(f.path) != f.stamp:
        raise ReportFilesError(f"{f.name} changed since it was opened: open it again.")
    lines: list[bytes] = []
    try:
        lines.extend(iter_lines(_chunks(f.path)))
    except LineError:
        pass  # said when the file was first read (ReportFile.problems)
    except OSError as exc:
        raise ReportFilesError(f"{f.name} cannot be read any more ({exc.strerror or exc}).") from None
    return lines


def identify(path: Path, name: str | None = None) -> tuple[str, tuple[date, date] | None] | NotAReport:
    """A file's report kind and 28-day window from its first lines, or why it is not a report."""
    name = name or str(path)
    try:
        if not path.exists():
            return NotAReport(name, "does not exist.")
        if path.is_dir():
            return NotAReport(name, "is a directory.")
        first: dict[str, Any] | None = None
        failure = ""
        looked = 0
        try:
            for line in iter_lines(_chunks(path)):
                if not line.strip():
                    continue
                looked += 1
                try:
                    first = linerule.loads(line)
                except LineError as exc:
                    failure = failure or str(exc)
                else:
                    break
                if looked >= HEAD_LINES:
                    break
        except LineError as exc:
            return NotAReport(name, f"is a damaged gzip file ({exc}).")
    except OSError as exc:
        return NotAReport(name, f"cannot be read ({exc.strerror or exc}).")
    if first is None:
        if not looked:
            return NotAReport(name, "is empty: no report line in it.")
        if _one_document(path):
            return NotAReport(
                name,
                "holds one JSON document spread over several lines: a report file holds one JSON object a line, as "
                "GitHub serves it (open the file as it was downloaded, not a reformatted copy).",
            )
        return NotAReport(name, f"is not a Copilot usage metrics report: its first lines are not JSON ({failure}).")
    return _kind(first, name)


def _one_document(path: Path) -> bool:
    try:
        data = b"".join(linerule.plain_chunks(_chunks(path)))
        return isinstance(orjson.loads(data), dict | list)
    except (orjson.JSONDecodeError, LineError, OSError):
        return False


def _kind(obj: dict[str, Any], name: str) -> tuple[str, tuple[date, date] | None] | NotAReport:
    window = _window(obj)
    if "download_links" in obj:
        return NotAReport(
            name,
            "is the API's answer naming a report's download links, not the report: download the files its "
            "download_links point to (they expire within minutes) and open those.",
        )
    if "day_totals" in obj:
        return TOTALS, window
    if "user_id" in obj:
        if "team_id" in obj or "slug" in obj:
            return TEAMS, None
        return USERS, window
    if "day" in obj and _TOTALS_FIELDS & obj.keys():
        return TOTALS, None
    return NotAReport(
        name,
        "is JSON but not a Copilot usage metrics report: its first object has none of the fields a report line "
        "has (day_totals, user_id, or day with an organization_id or enterprise_id).",
    )


def _window(obj: dict[str, Any]) -> tuple[date, date] | None:
    try:
        return linerule.day(obj.get("report_start_day")), linerule.day(obj.get("report_end_day"))
    except LineError:
        return None


def _ref_of_totals(d: DayTotals) -> ScopeRef | None:
    if d.organization_id:
        return ScopeRef("org", d.organization_id)
    if d.enterprise_id:
        return ScopeRef("enterprise", d.enterprise_id)
    return None


_HOME = object()


def read_file(path: Path, name: str, kind: str, window: tuple[date, date] | None) -> ReportFile:
    """Read a report file whose kind is known: where each line belongs (users, user-teams) or its day records."""
    f = ReportFile(path, name, kind, window, _stamp(path))
    read = 0

    def lines() -> Iterator[bytes]:  # streamed: a users report is not held whole to be placed
        nonlocal read
        try:
            for line in iter_lines(_chunks(path)):
                read += 1
                yield line
        except LineError as exc:  # as the parser says it: the lines read before the damage stand
            f.damage = (LineProblem(name, read + 1, str(exc)),)

    if kind == TOTALS:
        _read_totals(f, list(lines()))
    else:
        _place_lines(f, lines())
    return f


def _read_totals(f: ReportFile, lines: list[bytes], fallback: ScopeRef | None = None) -> None:
    report = parse_org_report([(f.name, b"\n".join(lines) + b"\n")])
    refs: Counter[ScopeRef] = Counter(r for d in report.days if (r := _ref_of_totals(d)) is not None)
    f.home = refs.most_common(1)[0][0] if refs else fallback
    f.totals, f._held = {}, None
    f.totals_problems = report.problems
    for d in report.days:
        ref = _ref_of_totals(d) or f.home
        if ref is not None:
            f.totals.setdefault((ref, d.day), d)


def _place_lines(f: ReportFile, lines: Iterable[bytes], fallback: ScopeRef | None = None) -> None:
    """A users or user-teams file belongs to one scope (a report is of one organization or enterprise) and each of
    its lines to its own day."""
    raw: list[Any] = []
    orgs: Counter[str] = Counter()
    enterprises: Counter[str] = Counter()
    days: Counter[date] = Counter()
    for line in lines:
        if not line.strip():
            raw.append(None)
            continue
        try:
            obj = linerule.loads(line)
        except LineError:
            raw.append(_HOME)
            continue
        if obj is None:
            raw.append(None)
            continue
        for ids, key in ((orgs, "organization_id"), (enterprises, "enterprise_id")):
            value = obj.get(key)
            if value is not None and value != "":
                ids[str(value)] += 1
        try:
            day: date | None = linerule.day(obj.get("day"))
        except LineError:
            day = None
        if day is not None:
            days[day] += 1
        raw.append(_HOME if day is None else day)
    f.home = _file_scope(orgs, enterprises) or fallback
    home_day = max(days, key=lambda d: (days[d], d)) if days else None
    keys: list[Key | None] = []
    for item in raw:
        day = home_day if item is _HOME else item
        keys.append(None if item is None or f.home is None or day is None else (f.home, day))
    f.keys, f._held = keys, None


def _file_scope(orgs: Counter[str], enterprises: Counter[str]) -> ScopeRef | None:
    """The scope a users or user-teams file is of: the enterprise its lines name when they name no organization or
    several, else the organization most of them name."""
    if enterprises and len(orgs) != 1:
        return ScopeRef("enterprise", enterprises.most_common(1)[0][0])
    if orgs:
        return ScopeRef("org", orgs.most_common(1)[0][0])
    return None


def open_report_files(paths: Sequence[Path], *, fallback: ScopeRef | None = None) -> OpenedFiles:
    """Read the report files among ``paths`` (directories walked); ``ReportFilesError`` when none holds a report.

    A file whose lines name no scope at all belongs to the one scope the other files name, else to ``fallback``."""
    files: list[ReportFile] = []
    not_reports: list[NotAReport] = []
    given = [p for p in paths if not p.exists()]
    not_reports += [NotAReport(str(p), "does not exist.") for p in given]
    for path in expand(p for p in paths if p.exists()):
        name = str(path)
        found = identify(path, name)
        if isinstance(found, NotAReport):
            not_reports.append(found)
            continue
        try:
            files.append(read_file(path, name, *found))
        except OSError as exc:
            not_reports.append(NotAReport(name, f"cannot be read ({exc.strerror or exc})."))
    named = {f.home for f in files if f.home is not None}
    orphan_home = next(iter(named)) if len(named) == 1 else fallback or ScopeRef("org", "no-id")
    for f in files:
        if f.home is None and not f.held:
            _adopt(f, orphan_home)
    if not any(f.held for f in files):
        why = "; ".join(str(n) for n in not_reports) or "no report line in them"
        raise ReportFilesError(f"no Copilot usage metrics report in {_paths_text(paths)}: {why}")
    return OpenedFiles(files, not_reports)


def _adopt(f: ReportFile, ref: ScopeRef) -> None:
    """Give a file that names no scope the one it belongs to (its lines are placed again with it)."""
    if f.kind == TOTALS:
        _read_totals(f, read_lines(f), ref)
    else:
        _place_lines(f, read_lines(f), ref)


def _paths_text(paths: Sequence[Path]) -> str:
    names = [str(p) for p in paths]
    return names[0] if len(names) == 1 else f"{len(names)} paths"
