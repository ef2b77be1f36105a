"""The fast road for large users reports: fold decoded lines straight into per-user summaries.

A 28-day users report for 200,000 users is millions of lines of about 2 KB. Building a typed record per line and
keeping them all would cost gigabytes; this folds each decoded line into :class:`UserSummary` objects and per-day
feature counters for one period, and keeps nothing else. The numbers are the ones :mod:`copilot_tui.metrics.derive`
defines (a test checks the two roads agree on the demo data); only the way of getting there differs.

Lines are read by the line rule (:mod:`copilot_tui.metrics.linerule`): a line it skips is named in ``problems``, and
a user-day seen twice is counted once (the first line wins; the repeat is named too)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import add, attrgetter
from typing import Any

import msgspec
from msgspec.structs import astuple

from copilot_tui.metrics.derive import FLAG_SERIES, BreakdownRow, FeatureSeries, Period, UserSummary
from copilot_tui.metrics.gcpause import gc_paused
from copilot_tui.metrics.linerule import LineError, add_credits, repeat_reason
from copilot_tui.metrics.model import ACTIVITY_FIELDS, USER_FLAG_FIELDS, LineProblem, VersionSample
from copilot_tui.metrics.parse import ReportPart, iter_lines
from copilot_tui.metrics.userline import (
    ACTIVITY,
    FLAGS,
    FOLDED,
    Cli,
    Feature,
    Ide,
    LanguageFeature,
    ModelFeature,
    UserLine,
    decode_strict,
    decode_user_line,
)

_GEN = "code_generation_activity_count"
_INT = "user_initiated_interaction_count"
_ACC = "code_acceptance_activity_count"
_LOC = "loc_added_sum"
_FEATURE_FIGURES = attrgetter(_INT, _GEN, _ACC, _LOC)
_ACTIVITY_OF = attrgetter(*ACTIVITY_FIELDS)
#: Lines folded between two flushes of the buckets (about 1.5 MB of entries: small enough to stay in cache).
_FLUSH_LINES = 2048
_CLI_COUNTS = ("session_count", "request_count", "prompt_count")
_TOKEN_SUMS = ("output_tokens_sum", "prompt_tokens_sum")
_CLI_FLAG = USER_FLAG_FIELDS.index("used_cli")
_BITS = 2
_MASK = 4


@dataclass(frozen=True, slots=True)
class UsersAggregate:
    period: Period
    users: Sequence[UserSummary]
    series: list[FeatureSeries]
    by_ide: list[BreakdownRow]
    by_language: list[BreakdownRow]
    by_model: list[BreakdownRow]
    lines: int
    problems: tuple[LineProblem, ...]


class UsersAggregator:
    """Fold users-report lines for one period; call :meth:`add_parts` as parts arrive, then :meth:`result`.

    The inner loop is the app's hottest code (millions of lines). Lines are decoded into msgspec structs holding
    only the fields folded (:mod:`copilot_tui.metrics.userline`) and read as one tuple (``astuple``); per-user sums
    of several fields are taken with ``map(operator.add, ...)`` in one C-level pass and kept in plain lists turned
    into the summary's dicts once at the end; breakdown entries are only put in a bucket per name and summed
    column by column in C every ``_FLUSH_LINES`` lines; a line's seven flags are remembered as one small id of their
    combination (a few dozen exist), counted per day.
    """

    def __init__(self, period: Period) -> None:
        self.period = period
        self._days = {d.isoformat(): i for i, d in enumerate(period.each_day())}
        self._n = len(self._days)
        # user id -> [summary, activity sums, bitmask of flag combinations seen, IDE versions, bitmask of days
        # counted]: one lookup a line (at 200k users five separate dicts cost a cache miss each)
        self._state: dict[int, list[Any]] = {}
        self._combos: dict[tuple[bool | None, ...], int] = {}
        self._combo_days: dict[int, int] = {}  # combination id * days + day index -> lines
        self._cli_requests = [0] * self._n
        self._features: list[dict[str, list[int]]] = [{} for _ in range(self._n)]
        self._by_ide: dict[str, list[int]] = {}
        self._by_language: dict[str, list[int]] = {}
        self._by_model: dict[str, list[int]] = {}
        self._feature_buckets: list[defaultdict[str, list[Feature]]] = [defaultdict(list) for _ in range(self._n)]
        self._ide_buckets: defaultdict[str, list[Ide]] = defaultdict(list)
        self._language_buckets: defaultdict[str, list[LanguageFeature]] = defaultdict(list)
        self._model_buckets: defaultdict[str, list[ModelFeature]] = defaultdict(list)
        self._pending = 0
        self._names: dict[str, str] = {}
        self._stamps: dict[str, str] = {}
        self.lines = 0
        self.problems: list[LineProblem] = []

    def add_parts(self, parts: Iterable[ReportPart]) -> None:
        """Fold every line of ``parts``."""
        with gc_paused():
            for source, data in parts:
                self.add_numbered(source, enumerate(iter_lines(data), start=1))

    def add_numbered(self, source: str, numbered: Iterable[tuple[int, bytes | memoryview]]) -> None:
        """Fold raw lines of one part, each with its line number (for the problems)."""
        decode = decode_strict
        add = self.add_line
        for line_no, raw in numbered:
            try:
                line = decode(raw)
            except (msgspec.DecodeError, RecursionError):
                try:
                    slow = decode_user_line(raw)
                except LineError as exc:
                    self.problems.append(LineProblem(source, line_no, str(exc)))
                    continue
                if slow is None:
                    continue
                line = slow
            if not add(line):
                self.problems.append(LineProblem(source, line_no, repeat_reason(line.user_id, line.day[:10])))

    def add_line(self, line: UserLine) -> bool:
        """Fold one decoded users-report line (lines outside the period are passed over); False when it repeats a
        user-day already folded (it is not folded again)."""
        t = astuple(line)
        i = self._days.get(t[0])
        if i is None:
            i = self._days.get(t[0][:10])  # a date-time
            if i is None:
                return True
        user_id = t[1]
        bit = 1 << i
        state = self._state.get(user_id)
        mask = 0 if state is None else state[_MASK]
        if mask & bit:
            return False
        flags = t[FLAGS]
        combo = self._combos.get(flags)
        if combo is None:
            combo = self._new_combo(flags)
        # IDE -> (version, sampled at); None -> the CLI's; (IDE,) -> its plugin's (version, sampled at, plugin)
        versions: dict[Any, tuple[Any, ...]]
        if state is None:
            s = _new_summary(user_id, t[2])
            versions = {}
            self._state[user_id] = [s, list(t[ACTIVITY]), 1 << combo, versions, bit]
        else:
            s, sums, bits, versions, _ = state
            sums[:] = map(add, sums, t[ACTIVITY])
            state[_BITS] = bits | 1 << combo
            state[_MASK] = mask | bit
            if bit > mask:
                s.user_login = t[2]
        key = combo * self._n + i
        self._combo_days[key] = self._combo_days.get(key, 0) + 1
        credits, cli, feature_entries, ide_entries, language_entries, model_entries = t[FOLDED]
        if credits:
            s.ai_credits_used = add_credits(s.ai_credits_used, credits)
        if cli is not None:
            self._add_cli(s, versions, cli, i, flags[_CLI_FLAG])
        # The period-wide sums by feature, IDE, language and model are taken later, a bucket at a time, in C
        # (:meth:`_flush`): here each entry is only put in its name's bucket.
        features = s.features
        feature_buckets = self._feature_buckets[i]
        # A name is kept once for all users (each line decodes it afresh; 60 bytes a user and name otherwise).
        names = self._names
        for e in feature_entries:
            name = names.setdefault(e.feature, e.feature)
            features[name] += e.user_initiated_interaction_count + e.code_generation_activity_count
            feature_buckets[name].append(e)
        ides = s.ides
        buckets: defaultdict[str, list[Any]] = self._ide_buckets
        for e in ide_entries:
            name = names.setdefault(e.ide, e.ide)
            ides[name] += e.user_initiated_interaction_count + e.code_generation_activity_count
            buckets[name].append(e)
            version = e.last_known_ide_version
            if version is not None:
                sampled = version.sampled_at or ""
                held = versions.get(name)
                if held is None or sampled >= held[1]:
                    versions[name] = (
                        names.setdefault(version.ide_version or "", version.ide_version or ""),
                        self._stamp(sampled),
                    )
            plugin = e.last_known_plugin_version
            if plugin is not None:
                sampled = plugin.sampled_at or ""
                held = versions.get((name,))
                if held is None or sampled >= held[1]:
                    versions[(name,)] = (
                        names.setdefault(plugin.plugin_version or "", plugin.plugin_version or ""),
                        self._stamp(sampled),
                        plugin.plugin or None,
                    )
        languages = s.languages
        buckets = self._language_buckets
        for e in language_entries:
            name = names.setdefault(e.language, e.language)
            languages[name] += e.code_generation_activity_count
            buckets[name].append(e)
        models = s.models
        buckets = self._model_buckets
        for e in model_entries:
            name = names.setdefault(e.model, e.model)
            models[name] += e.user_initiated_interaction_count + e.code_generation_activity_count
            buckets[name].append(e)
        self._pending += 1
        if self._pending >= _FLUSH_LINES:
            self._flush()
        return True

    def _flush(self) -> None:
        """Add the buckets' entries to the sums (columns summed in C) and empty them."""
        self._pending = 0
        for i, buckets in enumerate(self._feature_buckets):
            day_features = self._features[i]
            for name, bucket in buckets.items():
                taken = [*map(sum, zip(*map(_FEATURE_FIGURES, bucket), strict=True)), len(bucket)]
                slots = day_features.get(name)
                day_features[name] = taken if slots is None else list(map(add, slots, taken))
            buckets.clear()
        kinds: tuple[tuple[defaultdict[str, list[Any]], dict[str, list[int]]], ...] = (
            (self._ide_buckets, self._by_ide),
            (self._language_buckets, self._by_language),
            (self._model_buckets, self._by_model),
        )
        for buckets, sums in kinds:
            for name, bucket in buckets.items():
                taken = list(map(sum, zip(*map(_ACTIVITY_OF, bucket), strict=True)))
                slots = sums.get(name)
                sums[name] = taken if slots is None else list(map(add, slots, taken))
            buckets.clear()

    def _new_combo(self, flags: tuple[Any, ...]) -> int:
        combo = self._combos[flags] = len(self._combos)
        return combo

    def _add_cli(
        self, s: UserSummary, versions: dict[Any, tuple[Any, ...]], cli: Cli, i: int, used_cli: bool | None
    ) -> None:
        sums = s.cli
        for name, value in zip(_CLI_COUNTS, astuple(cli), strict=False):
            if value is not None:
                sums[name] = sums.get(name, 0) + value
        if used_cli:
            self._cli_requests[i] += cli.request_count or 0
        usage = cli.token_usage
        if usage is not None:
            for name, value in zip(_TOKEN_SUMS, astuple(usage), strict=False):
                if value is not None:
                    sums[name] = sums.get(name, 0) + value
        version = cli.last_known_cli_version
        if version is not None:
            sampled = version.sampled_at or ""
            held = versions.get(None)
            if held is None or sampled >= held[1]:
                versions[None] = (
                    self._names.setdefault(version.cli_version or "", version.cli_version or ""),
                    self._stamp(sampled),
                )

    def _stamp(self, sampled: str) -> str:
        """A ``sampled_at`` kept once for the users who share it; the cache is bounded, as every user may have
        their own (names and versions are few and kept in ``_names`` for good)."""
        stamps = self._stamps
        if len(stamps) >= 4096:
            stamps.clear()
        return stamps.setdefault(sampled, sampled)

    def result(self) -> UsersAggregate:
        with gc_paused():
            return self._result()

    def _result(self) -> UsersAggregate:
        self._flush()
        days: tuple[date, ...] = tuple(self.period.each_day())
        n = self._n
        by_feature: dict[str, list[list[int]]] = {}
        for i, day_features in enumerate(self._features):
            for name, slots in day_features.items():
                columns = by_feature.get(name)
                if columns is None:
                    columns = by_feature[name] = [[0] * n for _ in range(5)]
                for column, value in zip(columns, slots, strict=True):
                    column[i] = value
        series = [FeatureSeries(name, days, *(tuple(c) for c in columns)) for name, columns in by_feature.items()]  # type: ignore[arg-type]
        series += self._flag_series(days)
        series.sort(key=lambda s: (-sum(s.users), s.feature))
        combos = list(self._combos)
        self.lines = 0
        for state in self._state.values():
            s, sums, bits, versions, mask = state
            state[1] = None  # the list goes as its dict comes (at 200k users, 45 MB less at the peak)
            s.days_active = mask.bit_count()
            self.lines += s.days_active
            s.last_active_day = days[mask.bit_length() - 1]
            s.activity = dict(zip(ACTIVITY_FIELDS, sums, strict=True))
            flags: dict[str, bool] = {}
            for index, combo_values in enumerate(combos):
                if bits >> index & 1:
                    for name, flag_value in zip(USER_FLAG_FIELDS, combo_values, strict=True):
                        if flag_value:
                            flags[name] = True
                        elif flag_value is not None:
                            flags.setdefault(name, False)
            s.flags = {name: flags[name] for name in USER_FLAG_FIELDS if name in flags}
            cli_version = versions.pop(None, None)
            if cli_version is not None:
                s.cli_version = VersionSample(cli_version[0], cli_version[1] or None)
            s.ide_versions = {}
            s.plugin_versions = {}
            for key, (v, at, *plugin) in versions.items():
                if isinstance(key, tuple):
                    s.plugin_versions[key[0]] = VersionSample(v, at or None, plugin[0])
                else:
                    s.ide_versions[key] = VersionSample(v, at or None)
        users = sorted((state[0] for state in self._state.values()), key=lambda s: s.user_login.lower())
        return UsersAggregate(
            self.period,
            users,
            series,
            _breakdown(self._by_ide, users, "ides"),
            _breakdown(self._by_language, users, "languages"),
            _breakdown(self._by_model, users, "models"),
            self.lines,
            tuple(self.problems),
        )

    def _flag_series(self, days: tuple[date, ...]) -> list[FeatureSeries]:
        n = self._n
        combos = list(self._combos)
        zeros = (0,) * n
        result = []
        for name, flag in FLAG_SERIES:
            index = USER_FLAG_FIELDS.index(flag)
            users = [0] * n
            carried = False
            for key, count in self._combo_days.items():
                value = combos[key // n][index]
                if value is not None:
                    carried = True
                    if value:
                        users[key % n] += count
            if carried:
                requests = tuple(self._cli_requests) if flag == "used_cli" else zeros
                result.append(FeatureSeries(name, days, requests, zeros, zeros, zeros, tuple(users)))
        return result


def _breakdown(sums: dict[str, list[int]], users: list[UserSummary], attr: str) -> list[BreakdownRow]:
    """Rows as ``derive.breakdown`` makes them; a user counts for a name when their summary names it at all."""
    counts: dict[str, int] = dict.fromkeys(sums, 0)
    for s in users:
        for name in getattr(s, attr):
            counts[name] += 1
    rows = [
        BreakdownRow(name, counts[name], dict(zip(ACTIVITY_FIELDS, slots, strict=True))) for name, slots in sums.items()
    ]
    rows.sort(key=lambda r: (-(r.activity[_GEN] + r.activity[_INT]), r.name))
    return rows


_make_summary = UserSummary.__new__


def _new_summary(user_id: int, login: str) -> UserSummary:
    """A summary with only what the fold fills (``activity``, ``flags`` and the versions are made at the end):
    the dataclass's __init__ would make eight containers, three of them only to be replaced."""
    s = _make_summary(UserSummary)
    s.user_id = user_id
    s.user_login = login
    s.days_active = 0
    s.last_active_day = None
    s.ai_credits_used = 0.0
    s.cli = {}
    s.features = Counter()
    s.ides = Counter()
    s.languages = Counter()
    s.models = Counter()
    s.cli_version = None
    return s


def aggregate_users(parts: Iterable[ReportPart], period: Period) -> UsersAggregate:
    """Fold a users report (all parts) into per-user summaries and feature series for ``period``."""
    agg = UsersAggregator(period)
    agg.add_parts(parts)
    return agg.result()
