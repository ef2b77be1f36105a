"""A users-report line decoded straight into the few fields the aggregate folds, with msgspec.

Decoding into typed structs skips every field the fold does not read (``totals_by_language_model``, token
averages, bookkeeping) without building it, and checks types in the same C pass: about 4 us a line
where a generic decode into dicts takes about 7 us. The schema is strict (a counter is a JSON integer, a flag
``true``/``false``/``null``, a list a list). A line that fails it is read again the slow way: decoded generically and
parsed by :func:`copilot_tui.metrics.parse.parse_user_day`, whose rules (``null`` counters count as absent, whole
floats as integers, names taken as strings) then decide; only what that parser refuses becomes a problem line, with
its message. So odd but valid lines fold exactly as the typed road reads them, and the common line never pays for it.

The line rule (:mod:`copilot_tui.metrics.linerule`) holds on both roads: the structs' constraints refuse what the
rule skips (a negative or too large count, a credit out of range), so such a line takes the slow road and is
skipped there with the rule's reason; every field the slow road checks is declared here, so the typed road never
accepts a line the slow road would skip. :func:`decode_line` is the one way in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

import msgspec

from copilot_tui.metrics import linerule
from copilot_tui.metrics.linerule import LineError
from copilot_tui.metrics.model import (
    ACTIVITY_FIELDS,
    USER_FLAG_FIELDS,
    Activity,
    LineProblem,
    UserDay,
    VersionSample,
)
from copilot_tui.metrics.parse import ReportPart, iter_lines, parse_user_day

Count = Annotated[int, msgspec.Meta(ge=0, le=linerule.MAX_COUNT)]
Amount = Annotated[float, msgspec.Meta(ge=0, le=linerule.MAX_AMOUNT)]
Id = Annotated[int, msgspec.Meta(ge=0, le=linerule.MAX_ID)]

_INT = "user_initiated_interaction_count"
_GEN = "code_generation_activity_count"
_ACC = "code_acceptance_activity_count"
_LOC = "loc_added_sum"


class IdeVersion(msgspec.Struct, gc=False):
    ide_version: str | None = None
    sampled_at: str | None = None


class CliVersion(msgspec.Struct, gc=False):
    cli_version: str | None = None
    sampled_at: str | None = None


class PluginVersion(msgspec.Struct, gc=False):
    """The Copilot plugin of an IDE (``plugin`` its name, often empty) and its version."""

    plugin: str | None = None
    plugin_version: str | None = None
    sampled_at: str | None = None


class TokenUsage(msgspec.Struct, gc=False):
    output_tokens_sum: Count | None = None
    prompt_tokens_sum: Count | None = None
    avg_tokens_per_request: Amount | None = None


class Cli(msgspec.Struct, gc=False):
    session_count: Count | None = None
    request_count: Count | None = None
    prompt_count: Count | None = None
    token_usage: TokenUsage | None = None
    last_known_cli_version: CliVersion | None = None


class Feature(msgspec.Struct, gc=False):
    """A ``totals_by_feature`` entry; the feature series sum the first four counters."""

    feature: str
    user_initiated_interaction_count: Count = 0
    code_generation_activity_count: Count = 0
    code_acceptance_activity_count: Count = 0
    loc_added_sum: Count = 0
    loc_suggested_to_add_sum: Count = 0
    loc_suggested_to_delete_sum: Count = 0
    loc_deleted_sum: Count = 0


class Ide(msgspec.Struct, gc=False):
    ide: str
    user_initiated_interaction_count: Count = 0
    code_generation_activity_count: Count = 0
    code_acceptance_activity_count: Count = 0
    loc_suggested_to_add_sum: Count = 0
    loc_suggested_to_delete_sum: Count = 0
    loc_added_sum: Count = 0
    loc_deleted_sum: Count = 0
    last_known_ide_version: IdeVersion | None = None
    last_known_plugin_version: PluginVersion | None = None


class LanguageFeature(msgspec.Struct, gc=False):
    language: str
    user_initiated_interaction_count: Count = 0
    code_generation_activity_count: Count = 0
    code_acceptance_activity_count: Count = 0
    loc_suggested_to_add_sum: Count = 0
    loc_suggested_to_delete_sum: Count = 0
    loc_added_sum: Count = 0
    loc_deleted_sum: Count = 0


class LanguageModel(msgspec.Struct, gc=False):
    """Not folded: declared so that the typed road checks its counters as the slow road does."""

    language: str
    model: str
    user_initiated_interaction_count: Count = 0
    code_generation_activity_count: Count = 0
    code_acceptance_activity_count: Count = 0
    loc_suggested_to_add_sum: Count = 0
    loc_suggested_to_delete_sum: Count = 0
    loc_added_sum: Count = 0
    loc_deleted_sum: Count = 0


class ModelFeature(msgspec.Struct, gc=False):
    model: str
    user_initiated_interaction_count: Count = 0
    code_generation_activity_count: Count = 0
    code_acceptance_activity_count: Count = 0
    loc_suggested_to_add_sum: Count = 0
    loc_suggested_to_delete_sum: Count = 0
    loc_added_sum: Count = 0
    loc_deleted_sum: Count = 0


class UserLine(msgspec.Struct, gc=False):
    """One users-report line as the aggregate reads it; an absent counter is 0, an absent flag ``None``.

    The field order is part of the contract: :data:`ACTIVITY` and :data:`FLAGS` slice
    ``msgspec.structs.astuple`` of a line. A decoded line has a valid ``day`` and its renamed flags under their new
    names too (``__post_init__``: the rule's checks that a type cannot say).
    """

    day: str
    user_id: Id
    user_login: str
    user_initiated_interaction_count: Count = 0
    code_generation_activity_count: Count = 0
    code_acceptance_activity_count: Count = 0
    loc_suggested_to_add_sum: Count = 0
    loc_suggested_to_delete_sum: Count = 0
    loc_added_sum: Count = 0
    loc_deleted_sum: Count = 0
    used_agent: bool | None = None
    used_chat: bool | None = None
    used_cli: bool | None = None
    used_copilot_coding_agent: bool | None = None
    used_copilot_cloud_agent: bool | None = None
    used_copilot_code_review_active: bool | None = None
    used_copilot_code_review_passive: bool | None = None
    ai_credits_used: Amount | None = None
    totals_by_cli: Cli | None = None
    totals_by_feature: tuple[Feature, ...] = ()
    totals_by_ide: tuple[Ide, ...] = ()
    totals_by_language_feature: tuple[LanguageFeature, ...] = ()
    totals_by_model_feature: tuple[ModelFeature, ...] = ()
    totals_by_language_model: tuple[LanguageModel, ...] = ()

    def __post_init__(self) -> None:
        if self.day not in _VALID_DAYS:
            _check_day(self.day)
        if self.used_copilot_coding_agent is not None and self.used_copilot_cloud_agent is not True:
            self.used_copilot_cloud_agent = self.used_copilot_coding_agent


assert linerule.RENAMED_FLAGS == (("used_copilot_coding_agent", "used_copilot_cloud_agent"),)

_VALID_DAYS: set[str] = set()


def _check_day(day: str) -> None:
    linerule.day(day)  # a ValueError: msgspec turns it into a ValidationError, and the slow road says why
    if len(_VALID_DAYS) > 4096:
        _VALID_DAYS.clear()
    _VALID_DAYS.add(day)


#: Slices of ``astuple(line)``.
ACTIVITY = slice(3, 10)
FLAGS = slice(10, 17)
#: ``astuple(line)[FOLDED]``: credits, CLI, and the feature, IDE, language and model entries.
FOLDED = slice(17, 23)

_strict = msgspec.json.Decoder(UserLine)
decode_strict = _strict.decode
"""The typed road alone: raises ``msgspec.DecodeError`` (or ``RecursionError``) for any line it does not take."""


def decode_line(line: bytes | memoryview) -> UserLine | None:
    """One users-report line by the line rule: the typed road, else the slow road; ``None`` for a blank line, a
    ``LineError`` with the reason for a line the rule skips."""
    try:
        return decode_strict(line)
    except (msgspec.DecodeError, RecursionError):
        return decode_user_line(line)


def check_users_report(parts: Iterable[ReportPart]) -> list[LineProblem]:
    """The lines of a users report the rule skips (a repeated user-day included), as the fold would name them: for
    `sync`, which stores reports without reading them."""
    problems: list[LineProblem] = []
    seen = linerule.FirstSeen()
    for source, data in parts:
        line_no = 0
        try:
            for line_no, raw in enumerate(iter_lines(data), start=1):
                try:
                    line = decode_line(raw)
                except LineError as exc:
                    problems.append(LineProblem(source, line_no, str(exc)))
                    continue
                if line is not None and not seen.first(line.user_id, line.day[:10]):
                    problems.append(LineProblem(source, line_no, linerule.repeat_reason(line.user_id, line.day[:10])))
        except LineError as exc:  # a damaged gzip part
            problems.append(LineProblem(source, line_no + 1, str(exc)))
    return problems


def decode_user_line(line: bytes | memoryview) -> UserLine | None:
    """The slow road for a line :func:`decode_strict` refused; ``None`` for a blank line, a ``LineError`` (with the
    sentence for the problem list) for a line the rule skips."""
    obj = linerule.loads(line)
    if obj is None:
        return None
    try:
        row = parse_user_day(obj)
    except KeyError as exc:
        raise LineError(f"required field {exc.args[0]!r} is missing") from None
    except (TypeError, ValueError) as exc:
        raise LineError(str(exc)[:120]) from None
    return line_from_row(row)


def line_from_row(row: UserDay) -> UserLine:
    """A typed-road row as the struct the fold reads (absent counters as 0)."""
    act = row.activity.get
    b = row.breakdowns
    cli = None
    if row.cli is not None:
        c = row.cli
        usage = c.token_usage
        version = c.last_known_cli_version
        cli = Cli(
            c.session_count,
            c.request_count,
            c.prompt_count,
            None if usage is None else TokenUsage(usage.output_tokens_sum, usage.prompt_tokens_sum),
            None if version is None else CliVersion(version.version, version.sampled_at),
        )
    fields: list[Any] = [
        row.day.isoformat(),
        row.user_id,
        row.user_login,
        *(act(name) for name in ACTIVITY_FIELDS),
        *(row.flag(name) for name in USER_FLAG_FIELDS),
        row.ai_credits_used,
        cli,
        tuple(
            Feature(f.feature, f.activity.get(_INT), f.activity.get(_GEN), f.activity.get(_ACC), f.activity.get(_LOC))
            for f in b.by_feature
        ),
        tuple(
            Ide(
                *_named(e.ide, e.activity), _ide_version(e.last_known_ide_version), _plugin(e.last_known_plugin_version)
            )  # type: ignore[call-arg]
            for e in b.by_ide
        ),
        tuple(LanguageFeature(*_named(e.language, e.activity)) for e in b.by_language_feature),
        tuple(ModelFeature(*_named(e.model, e.activity)) for e in b.by_model_feature),
        tuple(LanguageModel(e.language, *_named(e.model, e.activity)) for e in b.by_language_model),
    ]
    return UserLine(*fields)


def _named(name: str, activity: Activity) -> list[Any]:
    return [name, *(activity.get(field) for field in ACTIVITY_FIELDS)]


def _ide_version(version: VersionSample | None) -> IdeVersion | None:
    return None if version is None else IdeVersion(version.version, version.sampled_at)


def _plugin(version: VersionSample | None) -> PluginVersion | None:
    return None if version is None else PluginVersion(version.plugin, version.version, version.sampled_at)


assert UserLine.__struct_fields__[ACTIVITY] == ACTIVITY_FIELDS
assert UserLine.__struct_fields__[FLAGS] == USER_FLAG_FIELDS
