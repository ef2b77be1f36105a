"""Streaming parser for the Copilot usage metrics NDJSON report files.

A report is one or more parts (``download_links`` is a list); each part is NDJSON, one JSON object per line. Parsing
several parts gives one report. A line that cannot be read is counted and named (file and line number) and the
parse goes on: one bad line must not cost the user the other 10,000.

Field definitions: docs.github.com, Copilot > Reference > Copilot usage metrics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from typing import Any, TypeVar

from copilot_tui.metrics import linerule
from copilot_tui.metrics.linerule import LineError
from copilot_tui.metrics.model import (
    ACTIVE_USER_FIELDS,
    ACTIVITY_FIELDS,
    ADOPTION_PHASE_FIELDS,
    BOOKKEEPING_FIELDS,
    EMPTY,
    PULL_REQUEST_FIELDS,
    USER_FLAG_FIELDS,
    Activity,
    AdoptionPhase,
    Breakdowns,
    CliTotals,
    CommentTypeSuggestions,
    DayTotals,
    FeatureTotals,
    IdeTotals,
    LanguageFeatureTotals,
    LanguageModelTotals,
    LineProblem,
    ModelFeatureTotals,
    OrgReport,
    PullRequests,
    TokenUsage,
    UserDay,
    UsersReport,
    UserTeam,
    UserTeamsReport,
    VersionSample,
)

#: A report part: a name for messages (the file name) and its content, whole or as chunks/lines of bytes.
ReportPart = tuple[str, "bytes | str | Iterable[bytes]"]

T = TypeVar("T")


# ---------------------------------------------------------------------------------------------------------- lines


def iter_lines(data: bytes | str | Iterable[bytes]) -> Iterator[bytes]:
    """Yield the lines of NDJSON content without needing it as one string.

    ``data`` may be whole bytes, or any iterable of byte chunks (a file, an HTTP stream): chunks need not end on
    line boundaries. A last line with no newline is still yielded (a truncated file then fails to decode there).
    A gzip part is inflated and a byte order mark at its start dropped (:mod:`copilot_tui.metrics.linerule`).
    """
    if isinstance(data, str):
        data = data.encode()
    if isinstance(data, bytes | bytearray | memoryview):
        buf = linerule.plain_part(bytes(data))
        start = 0
        while True:
            end = buf.find(b"\n", start)
            if end < 0:
                if start < len(buf):
                    yield buf[start:]
                return
            yield buf[start:end]
            start = end + 1
    pending = b""
    for chunk in linerule.plain_chunks(data):
        if pending:
            chunk = pending + chunk
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                break
            yield chunk[start:end]
            start = end + 1
        pending = chunk[start:]
    if pending:
        yield pending


def iter_records(parts: Iterable[ReportPart], problems: list[LineProblem]) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """Decode every line of every part; yield ``(source, line_no, object)`` and note the lines that fail."""
    for source, data in parts:
        line_no = 0
        try:
            for line_no, line in enumerate(iter_lines(data), start=1):
                try:
                    obj = linerule.loads(line)
                except LineError as exc:
                    problems.append(LineProblem(source, line_no, str(exc)))
                    continue
                if obj is not None:
                    yield source, line_no, obj
        except LineError as exc:  # a damaged gzip part: what was read of it stands
            problems.append(LineProblem(source, line_no + 1, str(exc)))


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 80 else text[:77] + "..."


def _convert_each(
    parts: Iterable[ReportPart], convert: Callable[[dict[str, Any]], T], problems: list[LineProblem]
) -> Iterator[tuple[str, int, T]]:
    for source, line_no, obj in iter_records(parts, problems):
        try:
            yield source, line_no, convert(obj)
        except (LineError, KeyError, TypeError, ValueError) as exc:
            problems.append(LineProblem(source, line_no, _describe(exc)))


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"required field {exc.args[0]!r} is missing"
    return _short(exc)


# ---------------------------------------------------------------------------------------------------------- values


def _int(value: Any, name: str) -> int:
    number = linerule.count(value, name)
    if number is None:
        raise LineError(f"{name} should be a whole number, got None")
    return number


def _opt_int(obj: Mapping[str, Any], name: str) -> int | None:
    return linerule.count(obj.get(name), name)


def _opt_num(obj: Mapping[str, Any], name: str) -> int | float | None:
    return linerule.amount(obj.get(name), name)


_day = linerule.day


def _opt_day(obj: Mapping[str, Any], name: str) -> date | None:
    """A bookkeeping day (``report_start_day``); one that cannot be read is left out, not held against the line."""
    try:
        return linerule.day(obj.get(name), name)
    except LineError:
        return None


def _opt_str(obj: Mapping[str, Any], name: str) -> str | None:
    value = obj.get(name)
    return None if value is None else str(value)


def _list(obj: Mapping[str, Any], name: str) -> list[Any]:
    value = obj.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise LineError(f"{name} should be a list, got {linerule.kind_of(value)}")
    return value


def _dict(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LineError(f"{name} should be an object, got {linerule.kind_of(value)}")
    return value


def _extra(obj: Mapping[str, Any], known: frozenset[str]) -> Mapping[str, Any]:
    """Keys we do not model yet, kept so that new GitHub fields survive a round trip (unless nested deeper than a
    report line ever is)."""
    unknown = {k: v for k, v in obj.items() if k not in known and k not in BOOKKEEPING_FIELDS and linerule.shallow(v)}
    return unknown or EMPTY


def _activity(obj: Mapping[str, Any]) -> Activity:
    return Activity(*(_opt_int(obj, name) for name in ACTIVITY_FIELDS))


_ACTIVITY_KEYS = frozenset(ACTIVITY_FIELDS)


def _version(obj: Any, key: str, name: str) -> VersionSample | None:
    if obj is None:
        return None
    obj = _dict(obj, name)
    return VersionSample(
        version=str(obj.get(key) or ""), sampled_at=_opt_str(obj, "sampled_at"), plugin=_opt_str(obj, "plugin")
    )


# ---------------------------------------------------------------------------------------------------------- pieces

_FEATURE_KEYS = _ACTIVITY_KEYS | {"feature"}
_IDE_KEYS = _ACTIVITY_KEYS | {"ide", "last_known_ide_version", "last_known_plugin_version"}
_LANG_FEATURE_KEYS = _ACTIVITY_KEYS | {"language", "feature"}
_LANG_MODEL_KEYS = _ACTIVITY_KEYS | {"language", "model"}
_MODEL_FEATURE_KEYS = _ACTIVITY_KEYS | {"model", "feature"}


def _entries(obj: Mapping[str, Any], name: str) -> Iterator[dict[str, Any]]:
    for entry in _list(obj, name):
        yield _dict(entry, f"an entry of {name}")


_name = linerule.text


def _breakdowns(obj: Mapping[str, Any]) -> Breakdowns:
    return Breakdowns(
        by_feature=tuple(
            FeatureTotals(_name(e["feature"], "feature"), _activity(e), _extra(e, _FEATURE_KEYS))
            for e in _entries(obj, "totals_by_feature")
        ),
        by_ide=tuple(
            IdeTotals(
                _name(e["ide"], "ide"),
                _activity(e),
                _version(e.get("last_known_ide_version"), "ide_version", "last_known_ide_version"),
                _version(e.get("last_known_plugin_version"), "plugin_version", "last_known_plugin_version"),
                _extra(e, _IDE_KEYS),
            )
            for e in _entries(obj, "totals_by_ide")
        ),
        by_language_feature=tuple(
            LanguageFeatureTotals(
                _name(e["language"], "language"),
                _name(e["feature"], "feature"),
                _activity(e),
                _extra(e, _LANG_FEATURE_KEYS),
            )
            for e in _entries(obj, "totals_by_language_feature")
        ),
        by_language_model=tuple(
            LanguageModelTotals(
                _name(e["language"], "language"), _name(e["model"], "model"), _activity(e), _extra(e, _LANG_MODEL_KEYS)
            )
            for e in _entries(obj, "totals_by_language_model")
        ),
        by_model_feature=tuple(
            ModelFeatureTotals(
                _name(e["model"], "model"), _name(e["feature"], "feature"), _activity(e), _extra(e, _MODEL_FEATURE_KEYS)
            )
            for e in _entries(obj, "totals_by_model_feature")
        ),
    )


_TOKEN_KEYS = frozenset({"output_tokens_sum", "prompt_tokens_sum", "avg_tokens_per_request"})
_CLI_KEYS = frozenset({"session_count", "request_count", "prompt_count", "token_usage", "last_known_cli_version"})


def _cli(value: Any) -> CliTotals | None:
    if value is None:
        return None
    obj = _dict(value, "totals_by_cli")
    usage = obj.get("token_usage")
    token_usage = None
    if usage is not None:
        usage = _dict(usage, "token_usage")
        avg = _opt_num(usage, "avg_tokens_per_request")
        token_usage = TokenUsage(
            _opt_int(usage, "output_tokens_sum"),
            _opt_int(usage, "prompt_tokens_sum"),
            None if avg is None else float(avg),
            _extra(usage, _TOKEN_KEYS),
        )
    return CliTotals(
        session_count=_opt_int(obj, "session_count"),
        request_count=_opt_int(obj, "request_count"),
        prompt_count=_opt_int(obj, "prompt_count"),
        token_usage=token_usage,
        last_known_cli_version=_version(obj.get("last_known_cli_version"), "cli_version", "last_known_cli_version"),
        extra=_extra(obj, _CLI_KEYS),
    )


_PR_KEYS = frozenset(PULL_REQUEST_FIELDS) | {"copilot_suggestions_by_comment_type"}
_COMMENT_KEYS = frozenset({"comment_type", "total_copilot_suggestions", "total_copilot_applied_suggestions"})


def _pull_requests(value: Any) -> PullRequests | None:
    if value is None:
        return None
    obj = _dict(value, "pull_requests")
    values: dict[str, int | float] = {}
    for name in PULL_REQUEST_FIELDS:
        number = _opt_num(obj, name)
        if number is not None:
            values[name] = number
    by_type = tuple(
        CommentTypeSuggestions(
            str(e["comment_type"]),
            _opt_int(e, "total_copilot_suggestions"),
            _opt_int(e, "total_copilot_applied_suggestions"),
            _extra(e, _COMMENT_KEYS),
        )
        for e in _list(obj, "copilot_suggestions_by_comment_type")
    )
    return PullRequests(values, by_type, _extra(obj, _PR_KEYS))


_PHASE_KEYS = frozenset(ADOPTION_PHASE_FIELDS) | {"phase"}


def _phases(obj: Mapping[str, Any]) -> tuple[AdoptionPhase, ...]:
    phases = []
    for entry in _list(obj, "totals_by_ai_adoption_phase"):
        entry = _dict(entry, "totals_by_ai_adoption_phase")
        values: dict[str, int | float] = {}
        for name in ADOPTION_PHASE_FIELDS:
            number = _opt_num(entry, name)
            if number is not None:
                values[name] = number
        phases.append(AdoptionPhase(str(entry.get("phase", "")), values, _extra(entry, _PHASE_KEYS)))
    return tuple(phases)


_BREAKDOWN_KEYS = frozenset(
    {
        "totals_by_feature",
        "totals_by_ide",
        "totals_by_language_feature",
        "totals_by_language_model",
        "totals_by_model_feature",
    }
)

# ---------------------------------------------------------------------------------------------------------- records

_DAY_KEYS = (
    _ACTIVITY_KEYS
    | _BREAKDOWN_KEYS
    | frozenset(ACTIVE_USER_FIELDS)
    | {"day", "organization_id", "enterprise_id", "pull_requests", "totals_by_cli", "totals_by_ai_adoption_phase"}
)


def parse_day_totals(obj: Mapping[str, Any]) -> DayTotals:
    """One organization/enterprise day record (a 1-day line or an entry of ``day_totals``)."""
    active: dict[str, int] = {}
    for name in ACTIVE_USER_FIELDS:
        value = obj.get(name)
        if value is not None:
            active[name] = _int(value, name)
    return DayTotals(
        day=_day(obj["day"], "day"),
        organization_id=_opt_str(obj, "organization_id"),
        enterprise_id=_opt_str(obj, "enterprise_id"),
        active_users=active,
        activity=_activity(obj),
        breakdowns=_breakdowns(obj),
        pull_requests=_pull_requests(obj.get("pull_requests")),
        cli=_cli(obj.get("totals_by_cli")),
        adoption_phases=_phases(obj),
        extra=_extra(obj, _DAY_KEYS),
    )


_USER_KEYS = (
    _ACTIVITY_KEYS
    | _BREAKDOWN_KEYS
    | frozenset(USER_FLAG_FIELDS)
    | {
        "day",
        "user_id",
        "user_login",
        "organization_id",
        "enterprise_id",
        "totals_by_cli",
        "ai_credits_used",
        "report_start_day",
        "report_end_day",
    }
)


def parse_user_day(obj: Mapping[str, Any]) -> UserDay:
    """One users-report line (1-day or 28-day)."""
    flags: dict[str, bool] = {}
    for name in USER_FLAG_FIELDS:
        value = linerule.flag(obj.get(name), name)
        if value is not None:
            flags[name] = value
    linerule.merge_renamed(flags)
    credits = _opt_num(obj, "ai_credits_used")
    return UserDay(
        day=_day(obj["day"], "day"),
        user_id=linerule.identifier(obj["user_id"], "user_id"),
        user_login=_name(obj["user_login"], "user_login"),
        organization_id=_opt_str(obj, "organization_id"),
        enterprise_id=_opt_str(obj, "enterprise_id"),
        activity=_activity(obj),
        breakdowns=_breakdowns(obj),
        flags=flags or EMPTY,
        cli=_cli(obj.get("totals_by_cli")),
        ai_credits_used=None if credits is None else float(credits),
        report_start_day=_opt_day(obj, "report_start_day"),
        report_end_day=_opt_day(obj, "report_end_day"),
        extra=_extra(obj, _USER_KEYS),
    )


_TEAM_KEYS = frozenset({"day", "user_id", "user_login", "team_id", "slug", "organization_id", "enterprise_id"})


def parse_user_team(obj: Mapping[str, Any]) -> UserTeam:
    """One user-teams-report line: a user's membership of one team on one day."""
    return UserTeam(
        day=_day(obj["day"], "day"),
        user_id=linerule.identifier(obj["user_id"], "user_id"),
        user_login=_name(obj["user_login"], "user_login"),
        team_id=linerule.identifier(obj["team_id"], "team_id"),
        slug=_name(obj["slug"], "slug"),
        organization_id=_opt_str(obj, "organization_id"),
        enterprise_id=_opt_str(obj, "enterprise_id"),
        extra=_extra(obj, _TEAM_KEYS),
    )


# ---------------------------------------------------------------------------------------------------------- reports


def parse_users_report(parts: Iterable[ReportPart]) -> UsersReport:
    """A users-1-day or users-28-day report (all its parts) as user-day rows plus the lines that failed; a user and
    day seen again is skipped (the first line read counts)."""
    problems: list[LineProblem] = []
    seen = linerule.FirstSeen()
    rows = []
    for source, line_no, row in _convert_each(parts, parse_user_day, problems):
        if seen.first(row.user_id, row.day):
            rows.append(row)
        else:
            problems.append(LineProblem(source, line_no, linerule.repeat_reason(row.user_id, row.day)))
    return UsersReport(tuple(rows), tuple(problems))


def parse_user_teams_report(parts: Iterable[ReportPart]) -> UserTeamsReport:
    problems: list[LineProblem] = []
    rows = tuple(row for _source, _line_no, row in _convert_each(parts, parse_user_team, problems))
    return UserTeamsReport(rows, tuple(problems))


_WINDOW_KEYS = frozenset(
    {"report_start_day", "report_end_day", "day_totals", "organization_id", "enterprise_id", "created_at"}
)


def parse_org_report(parts: Iterable[ReportPart]) -> OrgReport:
    """An organization or enterprise report, 1-day (flat day lines) or 28-day (one line with ``day_totals``).

    A 28-day entry that fails is reported on its file line with its index in ``day_totals``; the other days of
    that window survive.
    """
    problems: list[LineProblem] = []
    days: list[DayTotals] = []
    start: date | None = None
    end: date | None = None
    created_at: str | None = None
    extra: dict[str, Any] = {}
    for source, line_no, obj in iter_records(parts, problems):
        try:
            if "day_totals" in obj:
                line_start = _opt_day(obj, "report_start_day")
                line_end = _opt_day(obj, "report_end_day")
                start = line_start if start is None or (line_start and line_start < start) else start
                end = line_end if end is None or (line_end and line_end > end) else end
                created_at = _opt_str(obj, "created_at") or created_at
                extra.update(_extra(obj, _WINDOW_KEYS))
                inherited: dict[str, Any] = {k: obj[k] for k in ("organization_id", "enterprise_id") if k in obj}
                for index, entry in enumerate(_list(obj, "day_totals")):
                    try:
                        entry = _dict(entry, "day_totals entry")
                        days.append(parse_day_totals({**inherited, **entry}))
                    except (LineError, KeyError, TypeError, ValueError) as exc:
                        problems.append(LineProblem(source, line_no, f"day_totals[{index}]: {_describe(exc)}"))
            else:
                days.append(parse_day_totals(obj))
        except (LineError, KeyError, TypeError, ValueError) as exc:
            problems.append(LineProblem(source, line_no, _describe(exc)))
    days.sort(key=lambda d: d.day)
    return OrgReport(tuple(days), start, end, created_at, tuple(problems), extra)
