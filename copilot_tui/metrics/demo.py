"""A deterministic demo dataset in exactly GitHub's report shapes.

Three organizations of different sizes in one enterprise, 120 days: a weekday/weekend rhythm, adoption growing over
time, a long tail of light users, licensed users who never use Copilot, several IDEs, languages and models, agent
mode and CLI use rising. Organization day records are built by summing the user rows of that day, so the additive
fields agree exactly, as they do in GitHub's own reports.

Everything derives from ``seed``: the same arguments give the same lines, byte for byte, on any machine. A day's
rows are made on demand (nothing is held for days nobody asks for), so the same generator scales to benchmarks.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from copilot_tui.metrics.model import ACTIVE_USER_FIELDS, ACTIVITY_FIELDS

DEMO_END_DAY = date(2026, 11, 23)
DEMO_DAYS = 120

ORG_KINDS = ("organization-1-day", "organization-28-day", "users-1-day", "users-28-day", "user-teams-1-day")
ENTERPRISE_KINDS = ("enterprise-1-day", "enterprise-28-day", "users-1-day", "users-28-day", "user-teams-1-day")


@dataclass(frozen=True, slots=True)
class DemoOrg:
    login: str
    org_id: str
    size: int
    teams: int


DEMO_ORGS: tuple[DemoOrg, ...] = (
    DemoOrg("octo-garage", "1001", 40, 3),
    DemoOrg("octo-labs", "1002", 400, 12),
    DemoOrg("octo-corp", "1003", 4000, 40),
)
DEMO_ENTERPRISE = "octo-enterprise"
DEMO_ENTERPRISE_ID = "501"

_FIRST = [
    "ada",
    "alan",
    "grace",
    "linus",
    "margaret",
    "ken",
    "dennis",
    "barbara",
    "edsger",
    "donald",
    "frances",
    "john",
    "radia",
    "guido",
    "bjarne",
    "anders",
    "yukihiro",
    "james",
    "sophie",
    "hedy",
    "katherine",
    "tim",
    "vint",
    "whitfield",
    "shafi",
    "leslie",
    "niklaus",
    "robin",
    "fran",
    "lynn",
    "mary",
    "annie",
    "evelyn",
    "jean",
]
_LAST = [
    "lovelace",
    "turing",
    "hopper",
    "torvalds",
    "hamilton",
    "thompson",
    "ritchie",
    "liskov",
    "dijkstra",
    "knuth",
    "allen",
    "backus",
    "perlman",
    "rossum",
    "stroustrup",
    "hejlsberg",
    "matsumoto",
    "gosling",
    "wilson",
    "lamarr",
    "johnson",
    "berners",
    "cerf",
    "diffie",
    "goldwasser",
    "lamport",
    "wirth",
    "milner",
    "spence",
    "conway",
    "keller",
    "kernighan",
    "boole",
]

_IDES = (("vscode", 55), ("intellij", 18), ("visualstudio", 12), ("neovim", 5), ("xcode", 4), ("eclipse", 6))
_IDE_VERSIONS = {
    "vscode": ("1.104.2", "copilot-chat", "0.31.5"),
    "intellij": ("2025.2.3", "copilot-intellij", "1.5.58"),
    "visualstudio": ("17.14.16", "copilot-vs", "17.14.1219"),
    "neovim": ("0.11.4", "copilot.vim", "1.54.0"),
    "xcode": ("26.0.1", "copilot-xcode", "0.44.0"),
    "eclipse": ("4.37", "copilot-eclipse", "0.12.0"),
}
"""Per IDE: the newest IDE version, the Copilot plugin's name and its newest version."""
_OLDER_VERSIONS = {
    "vscode": (("1.103.2", "1.102.3", "1.99.3"), ("0.30.3", "0.29.1", "0.27.2")),
    "intellij": (("2025.2.1", "2025.1.4", "2024.3.6"), ("1.5.57", "1.5.53", "1.5.45")),
    "visualstudio": (("17.14.13", "17.13.7", "17.12.9"), ("17.14.1091", "17.13.412", "17.12.311")),
    "neovim": (("0.11.3", "0.10.4", "0.9.5"), ("1.53.0", "1.51.0", "1.43.0")),
    "xcode": (("26.0", "16.4", "16.2"), ("0.43.0", "0.41.0", "0.38.0")),
    "eclipse": (("4.36", "4.35", "4.34"), ("0.11.0", "0.10.0", "0.8.0")),
}
"""Per IDE: older IDE and plugin versions, newest first: some users lag behind (``DemoDataset.versions``)."""
_LAGS, _LAG_WEIGHTS = (0, 1, 2, 3), (60, 24, 11, 5)
"""How many releases behind a user runs, and how often."""
_LANGUAGES = (
    ("typescript", 22),
    ("python", 20),
    ("java", 12),
    ("go", 8),
    ("javascript", 10),
    ("csharp", 8),
    ("rust", 4),
    ("ruby", 3),
    ("kotlin", 3),
    ("swift", 2),
    ("sql", 3),
    ("markdown", 3),
    ("shell", 2),
)
_COMPLETION_MODEL = "gpt-4.1-copilot"
_CHAT_MODELS_EARLY = (("gpt-4.1", 40), ("claude-sonnet-4", 30), ("gpt-5-mini", 20), ("gemini-2.5-pro", 10))
_CHAT_MODELS_LATE = (("claude-sonnet-4.5", 35), ("gpt-5-mini", 25), ("gpt-5.1", 20), ("claude-opus-4.5", 10))
_TEAM_WORDS = [
    "platform",
    "payments",
    "mobile-ios",
    "mobile-android",
    "web-frontend",
    "data-eng",
    "ml-infra",
    "security",
    "sre",
    "identity",
    "search",
    "checkout",
    "growth",
    "billing",
    "devex",
    "api-gateway",
    "storage",
    "observability",
    "design-systems",
    "release",
]
_COMMENT_TYPES = ("bug", "security", "performance", "readability", "maintainability")
_CLI_VERSIONS = ("0.0.339", "0.0.354", "1.0.2")


def _weighted(rng: random.Random, choices: Sequence[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


@dataclass(frozen=True, slots=True)
class Persona:
    """A demo user's habits: how often and how much they use Copilot, with what, from when."""

    index: int
    user_id: int
    login: str
    never_active: bool
    start: int
    weekday_p: float
    volume: float
    accept_rate: float
    ide: str
    second_ide: str
    languages: tuple[str, ...]
    agent_affinity: float
    cli_affinity: float
    review_affinity: float
    teams: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DayPlan:
    """What one user did on one day, decided cheaply so windows (weekly/monthly active) need no full rows."""

    features: tuple[str, ...]
    cli: bool
    review_active: bool
    review_passive: bool
    cloud_agent: bool
    seed: int

    @property
    def chat(self) -> bool:
        return any(f.startswith("chat_") for f in self.features)

    @property
    def agent(self) -> bool:
        return "chat_panel_agent_mode" in self.features or "agent_edit" in self.features


class DemoDataset:
    """The demo organizations and their enterprise, with report lines made on demand.

    ``report_lines(scope, entity, kind, day)`` gives the JSON objects of one report's lines exactly as GitHub's
    files hold them, or ``None`` for an unknown entity or a day outside the data.
    """

    def __init__(
        self,
        orgs: Sequence[DemoOrg] = DEMO_ORGS,
        end_day: date = DEMO_END_DAY,
        days: int = DEMO_DAYS,
        seed: int = 7,
        enterprise: str = DEMO_ENTERPRISE,
    ) -> None:
        self.orgs: tuple[DemoOrg, ...] = tuple(orgs)
        self.enterprise = enterprise
        self.last_day = end_day
        self.days = days
        self.first_day = end_day - timedelta(days=days - 1)
        self.seed = seed
        self._by_login = {o.login: o for o in self.orgs}
        self._personas: dict[str, tuple[Persona, ...]] = {}
        self._plans: dict[str, list[list[DayPlan | None]]] = {}
        self._rows_cache: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self._lags: dict[tuple[str, int], tuple[int, int, int]] = {}

    # ------------------------------------------------------------------------------------------------ lookups

    def org(self, login: str) -> DemoOrg | None:
        return self._by_login.get(login)

    def has_day(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def _index(self, day: date) -> int:
        return (day - self.first_day).days

    def personas(self, org: DemoOrg) -> tuple[Persona, ...]:
        if org.login not in self._personas:
            people = []
            seen: set[str] = set()
            for i in range(org.size):
                p = self._make_persona(org, i)
                if p.login in seen:  # logins are unique on GitHub
                    p = replace(p, login=f"{p.login}-{i}")
                seen.add(p.login)
                people.append(p)
            self._personas[org.login] = tuple(people)
        return self._personas[org.login]

    def plans(self, org: DemoOrg) -> list[list[DayPlan | None]]:
        """Per user, per day index: the day's plan, or None when the user did not use Copilot that day."""
        if org.login not in self._plans:
            self._plans[org.login] = [self._make_plans(org, p) for p in self.personas(org)]
        return self._plans[org.login]

    def team_slugs(self, org: DemoOrg) -> list[tuple[int, str]]:
        result = []
        for t in range(org.teams):
            word = _TEAM_WORDS[t % len(_TEAM_WORDS)]
            slug = word if t < len(_TEAM_WORDS) else f"{word}-{t // len(_TEAM_WORDS) + 1}"
            result.append((int(org.org_id) * 1000 + t + 1, slug))
        return result

    # ------------------------------------------------------------------------------------------------ people

    def _make_persona(self, org: DemoOrg, index: int) -> Persona:
        rng = random.Random(f"{self.seed}:{org.org_id}:persona:{index}")
        login = f"{rng.choice(_FIRST)}-{rng.choice(_LAST)}"
        if index >= len(_FIRST):
            login = f"{login}{index}"
        never_active = rng.random() < 0.08
        # adoption grows: a third start at once, the rest join over the first 80% of the range
        start = 0 if rng.random() < 0.35 else int(rng.random() ** 0.8 * self.days * 0.8)
        intensity = min(rng.paretovariate(1.6), 12.0)  # a long tail of light users, a few heavy ones
        weekday_p = min(0.95, 0.12 + 0.16 * intensity)
        ide = _weighted(rng, _IDES)
        second = _weighted(rng, _IDES)
        n_lang = rng.choice((1, 1, 2, 2, 3))
        languages = tuple(dict.fromkeys(_weighted(rng, _LANGUAGES) for _ in range(n_lang)))
        teams = [rng.randrange(org.teams)]
        if rng.random() < 0.25:
            teams.append(rng.randrange(org.teams))
        return Persona(
            index=index,
            user_id=int(org.org_id) * 100_000 + index + 1,
            login=login,
            never_active=never_active,
            start=start,
            weekday_p=weekday_p,
            volume=intensity,
            accept_rate=rng.uniform(0.18, 0.42),
            ide=ide,
            second_ide=second,
            languages=languages,
            agent_affinity=rng.random(),
            cli_affinity=rng.random() ** 2,
            review_affinity=rng.random(),
            teams=tuple(sorted(set(teams))),
        )

    def _make_plans(self, org: DemoOrg, p: Persona) -> list[DayPlan | None]:
        rng = random.Random(f"{self.seed}:{org.org_id}:plan:{p.index}")
        plans: list[DayPlan | None] = []
        for i in range(self.days):
            if not self._active(p, i, rng.random()):
                plans.append(None)
                continue
            progress = i / max(1, self.days - 1)  # 0 at the start of the range, 1 at the end
            features: list[str] = []
            if (p.ide != "neovim" or rng.random() < 0.9) and rng.random() < 0.92:
                features.append("code_completion")
            if rng.random() < 0.45:
                features.append("chat_panel_ask_mode")
            agent_p = p.agent_affinity * (0.15 + 0.6 * progress)
            if p.ide in ("vscode", "visualstudio", "intellij") and rng.random() < agent_p:
                features.append("chat_panel_agent_mode")
                if rng.random() < 0.6:
                    features.append("agent_edit")
            if rng.random() < 0.08:
                features.append("chat_panel_edit_mode")
            if rng.random() < 0.2:
                features.append("chat_inline")
            if rng.random() < 0.04 + 0.08 * progress * p.agent_affinity:
                features.append("chat_panel_plan_mode")
            if rng.random() < 0.015:
                features.append("chat_panel_custom_mode")
            cli = rng.random() < p.cli_affinity * (0.05 + 0.5 * progress)
            if not features and not cli:
                features.append("code_completion")
            plans.append(
                DayPlan(
                    features=tuple(features),
                    cli=cli,
                    review_active=rng.random() < 0.05 * p.review_affinity,
                    review_passive=rng.random() < 0.15 * p.review_affinity,
                    cloud_agent=rng.random() < 0.03 * p.agent_affinity * progress,
                    seed=rng.getrandbits(48),
                )
            )
        return plans

    def _active(self, p: Persona, i: int, draw: float) -> bool:
        """Whether ``p`` uses Copilot on day ``i``, given the day's first draw of its plan's generator."""
        if p.never_active or i < p.start:
            return False
        progress = i / max(1, self.days - 1)  # 0 at the start of the range, 1 at the end
        chance = p.weekday_p * (0.7 + 0.3 * progress)
        if (self.first_day + timedelta(days=i)).weekday() >= 5:
            chance *= 0.12
        return draw < chance

    def _first_active(self, org: DemoOrg, p: Persona) -> int | None:
        """The index of ``p``'s first day with a line, without making its plans: until that day the plan's
        generator draws once a day (:meth:`_make_plans`)."""
        if org.login in self._plans:
            return next((i for i, plan in enumerate(self._plans[org.login][p.index]) if plan is not None), None)
        rng = random.Random(f"{self.seed}:{org.org_id}:plan:{p.index}")
        return next((i for i in range(self.days) if self._active(p, i, rng.random())), None)

    def users_seen_before(self, scope: str, entity: str, day: date) -> frozenset[int]:
        """The ids of the users with a line in the users reports of ``scope`` before ``day``: what the days before
        a period tell its adoption over time, known without building those reports."""
        orgs = list(self.orgs) if scope == "enterprise" and entity == self.enterprise else []
        if scope == "org" and (org := self.org(entity)) is not None:
            orgs = [org]
        end = self._index(day)
        seen = set()
        for org in orgs:
            for p in self.personas(org):
                first = self._first_active(org, p)
                if first is not None and first < end:
                    seen.add(p.user_id)
        return frozenset(seen)

    def versions(self, org: DemoOrg, p: Persona, ide: str, i: int) -> tuple[str, str, str]:
        """The IDE version, plugin name and plugin version ``p`` runs on day ``i``: some lag a release or more
        behind and catch up by one on a day of their own (drawn apart from the plans: the usage stays as it is)."""
        key = (org.login, p.index)
        lags = self._lags.get(key)
        if lags is None:
            rng = random.Random(f"{self.seed}:{org.org_id}:versions:{p.index}")
            ide_lag, plugin_lag = rng.choices(_LAGS, weights=_LAG_WEIGHTS, k=2)
            lags = self._lags[key] = (ide_lag, plugin_lag, rng.randrange(self.days))
        ide_lag, plugin_lag, catch_up = lags
        if i >= catch_up:
            ide_lag, plugin_lag = max(0, ide_lag - 1), max(0, plugin_lag - 1)
        newest_ide, plugin, newest_plugin = _IDE_VERSIONS[ide]
        older_ide, older_plugin = _OLDER_VERSIONS[ide]
        return (
            older_ide[ide_lag - 1] if ide_lag else newest_ide,
            plugin,
            older_plugin[plugin_lag - 1] if plugin_lag else newest_plugin,
        )

    # ------------------------------------------------------------------------------------------------ user rows

    def user_rows(self, org: DemoOrg, day: date) -> list[dict[str, Any]]:
        """The users-1-day lines of ``org`` for ``day`` (organization scope), by user id."""
        i = self._index(day)
        if not 0 <= i < self.days:
            return []
        key = (org.login, i)
        cached = self._rows_cache.get(key)
        if cached is None:
            rows = []
            for persona, plan_list in zip(self.personas(org), self.plans(org), strict=True):
                plan = plan_list[i]
                if plan is not None:
                    rows.append(self._user_row(org, persona, plan, day, i))
            if len(self._rows_cache) > 256:
                self._rows_cache.clear()
            self._rows_cache[key] = cached = rows
        return cached

    def _user_row(self, org: DemoOrg, p: Persona, plan: DayPlan, day: date, i: int) -> dict[str, Any]:
        rng = random.Random(plan.seed)
        progress = i / max(1, self.days - 1)
        v = p.volume
        ide = p.ide if rng.random() < 0.9 else p.second_ide
        chat_models = _CHAT_MODELS_LATE if rng.random() < progress else _CHAT_MODELS_EARLY
        atoms: list[tuple[str, str, str, list[int]]] = []  # feature, language, model, the 7 counters
        for feature in plan.features:
            language = rng.choice(p.languages)
            model = _COMPLETION_MODEL if feature == "code_completion" else _weighted(rng, chat_models)
            atoms.append((feature, language, model, _counts(rng, feature, v, p.accept_rate)))
        row: dict[str, Any] = {
            "day": day.isoformat(),
            "organization_id": org.org_id,
            "user_id": p.user_id,
            "user_login": p.login,
        }
        total = [0] * 7
        for _, _, _, c in atoms:
            for k in range(7):
                total[k] += c[k]
        row.update(zip(ACTIVITY_FIELDS, total, strict=True))
        credits = sum(c[0] for f, _, m, c in atoms if f.startswith("chat_") and m not in ("gpt-4.1", "gpt-5-mini"))
        if credits:
            row["ai_credits_used"] = round(credits * rng.choice((0.33, 1.0, 1.0, 1.25)), 2)
        ide_ver, plugin, plugin_ver = self.versions(org, p, ide, i)
        stamp = f"{day.isoformat()}T{rng.randrange(7, 19):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}.000Z"
        row["totals_by_ide"] = (
            [
                {
                    "ide": ide,
                    **dict(zip(ACTIVITY_FIELDS, total, strict=True)),
                    "last_known_ide_version": {"ide_version": ide_ver, "sampled_at": stamp},
                    "last_known_plugin_version": {"plugin": plugin, "plugin_version": plugin_ver, "sampled_at": stamp},
                }
            ]
            if atoms
            else []
        )
        row["totals_by_feature"] = _group(atoms, lambda a: {"feature": a[0]}, with_interactions=True)
        row["totals_by_language_feature"] = _group(
            atoms, lambda a: {"language": a[1], "feature": a[0]}, with_interactions=False
        )
        row["totals_by_language_model"] = _group(
            [a for a in atoms if a[0] != "code_completion"] or atoms,
            lambda a: {"language": a[1], "model": a[2]},
            with_interactions=False,
        )
        row["totals_by_model_feature"] = _group(
            atoms, lambda a: {"model": a[2], "feature": a[0]}, with_interactions=True
        )
        row["used_agent"] = plan.agent
        row["used_chat"] = plan.chat
        row["used_cli"] = plan.cli
        row["used_copilot_coding_agent"] = plan.cloud_agent
        row["used_copilot_cloud_agent"] = plan.cloud_agent
        row["used_copilot_code_review_active"] = plan.review_active
        row["used_copilot_code_review_passive"] = plan.review_passive
        if plan.cli:
            sessions = 1 + int(rng.expovariate(1 / (0.6 * v)))
            requests = sessions * rng.randint(2, 9)
            prompts = sessions + rng.randint(0, requests)
            prompt_tokens = requests * rng.randint(1500, 6000)
            output_tokens = requests * rng.randint(200, 1400)
            row["totals_by_cli"] = {
                "session_count": sessions,
                "request_count": requests,
                "prompt_count": prompts,
                "token_usage": {
                    "output_tokens_sum": output_tokens,
                    "prompt_tokens_sum": prompt_tokens,
                    "avg_tokens_per_request": round((output_tokens + prompt_tokens) / requests, 1),
                },
                "last_known_cli_version": {
                    "sampled_at": stamp,
                    "cli_version": _CLI_VERSIONS[min(2, int(progress * 3))],
                },
            }
        return row

    # ------------------------------------------------------------------------------------------------ org days

    def org_day(self, org: DemoOrg, day: date) -> dict[str, Any] | None:
        """The organization-1-day line for ``day``: sums of that day's user rows, and the active-user windows."""
        if not self.has_day(day):
            return None
        record = self._sum_rows(self.user_rows(org, day), day)
        record["organization_id"] = org.org_id
        record.update(self._windows([org], day))
        self._add_pull_requests(record, org.org_id, day)
        return _order(record)

    def enterprise_day(self, day: date) -> dict[str, Any] | None:
        if not self.has_day(day):
            return None
        rows = [r for org in self.orgs for r in self.user_rows(org, day)]
        record = self._sum_rows(rows, day)
        record["enterprise_id"] = DEMO_ENTERPRISE_ID
        # the orgs' users are distinct, so the enterprise's windows and pull requests are the orgs' sums (medians
        # are not additive: the middle of the orgs'), as GitHub's are
        windows = [self._windows([org], day) for org in self.orgs]
        record.update({name: sum(w[name] for w in windows) for name in ACTIVE_USER_FIELDS})
        org_prs = []
        for org, w in zip(self.orgs, windows, strict=True):
            held: dict[str, Any] = {"daily_active_users": w["daily_active_users"]}
            self._add_pull_requests(held, org.org_id, day)
            if "pull_requests" in held:
                org_prs.append(held["pull_requests"])
        if org_prs:
            record["pull_requests"] = _sum_pull_requests(org_prs)
        return _order(record)

    def _sum_rows(self, rows: list[dict[str, Any]], day: date) -> dict[str, Any]:
        record: dict[str, Any] = {"day": day.isoformat()}
        for name in ACTIVITY_FIELDS:
            record[name] = sum(r[name] for r in rows)
        specs = (
            ("totals_by_ide", ("ide",), True),
            ("totals_by_feature", ("feature",), True),
            ("totals_by_language_feature", ("language", "feature"), False),
            ("totals_by_language_model", ("language", "model"), False),
            ("totals_by_model_feature", ("model", "feature"), True),
        )
        for list_name, keys, interactions in specs:
            sums: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0] * 7)
            for r in rows:
                for entry in r[list_name]:
                    slot = sums[tuple(entry[k] for k in keys)]
                    for n, field_name in enumerate(ACTIVITY_FIELDS):
                        slot[n] += entry.get(field_name, 0)
            record[list_name] = [
                {**dict(zip(keys, key, strict=True)), **_fields(counts, interactions)}
                for key, counts in sorted(sums.items())
            ]
        cli_rows = [r["totals_by_cli"] for r in rows if "totals_by_cli" in r]
        if cli_rows:
            requests = sum(c["request_count"] for c in cli_rows)
            out = sum(c["token_usage"]["output_tokens_sum"] for c in cli_rows)
            prompt = sum(c["token_usage"]["prompt_tokens_sum"] for c in cli_rows)
            record["totals_by_cli"] = {
                "session_count": sum(c["session_count"] for c in cli_rows),
                "request_count": requests,
                "prompt_count": sum(c["prompt_count"] for c in cli_rows),
                "token_usage": {
                    "output_tokens_sum": out,
                    "prompt_tokens_sum": prompt,
                    "avg_tokens_per_request": round((out + prompt) / requests, 1),
                },
            }
        return record

    def _windows(self, orgs: list[DemoOrg], day: date) -> dict[str, int]:
        """Active users over the 1-, 7- and 28-day windows ending ``day`` (only days inside the data count)."""
        i = self._index(day)
        counts: dict[str, int] = defaultdict(int)
        for org in orgs:
            for plans in self.plans(org):
                for width, prefix in ((1, "daily"), (7, "weekly"), (28, "monthly")):
                    window = [p for p in plans[max(0, i - width + 1) : i + 1] if p is not None]
                    if not window:
                        continue
                    counts[f"{prefix}_active_users"] += 1
                    if any(p.chat for p in window):
                        counts[f"{prefix}_active_chat_users"] += 1
                    if any(p.agent for p in window):
                        counts[f"{prefix}_active_agent_users"] += 1
                    if any(p.cli for p in window):
                        counts[f"{prefix}_active_cli_users"] += 1
                    if any(p.cloud_agent for p in window):
                        counts[f"{prefix}_active_copilot_cloud_agent_users"] += 1
                    if any(p.review_active for p in window):
                        counts[f"{prefix}_active_copilot_code_review_users"] += 1
                    if any(p.review_passive for p in window):
                        counts[f"{prefix}_passive_copilot_code_review_users"] += 1
        return {name: counts.get(name, 0) for name in ACTIVE_USER_FIELDS}

    def _add_pull_requests(self, record: dict[str, Any], entity_id: str, day: date) -> None:
        rng = random.Random(f"{self.seed}:{entity_id}:prs:{day.isoformat()}")
        dau = record["daily_active_users"]
        if not dau:
            return
        created = int(dau * rng.uniform(0.15, 0.35))
        by_copilot = int(created * rng.uniform(0.05, 0.2) * (0.5 + self._index(day) / self.days))
        reviewed = int(created * rng.uniform(0.8, 1.1))
        reviewed_by_copilot = int(reviewed * rng.uniform(0.2, 0.5))
        merged = int(created * rng.uniform(0.6, 0.9))
        by_type = []
        copilot_suggestions = 0
        copilot_applied = 0
        for ctype in _COMMENT_TYPES:
            s = int(reviewed_by_copilot * rng.uniform(0.1, 0.9))
            a = int(s * rng.uniform(0.2, 0.6))
            copilot_suggestions += s
            copilot_applied += a
            by_type.append(
                {"comment_type": ctype, "total_copilot_suggestions": s, "total_copilot_applied_suggestions": a}
            )
        suggestions = copilot_suggestions + int(reviewed * rng.uniform(0.5, 2.0))
        record["pull_requests"] = {
            "total_reviewed": reviewed,
            "total_created": created,
            "total_created_by_copilot": by_copilot,
            "total_reviewed_by_copilot": reviewed_by_copilot,
            "total_merged": merged,
            "median_minutes_to_merge": round(rng.uniform(60, 1800), 1),
            "total_suggestions": suggestions,
            "total_applied_suggestions": copilot_applied + int((suggestions - copilot_suggestions) * 0.4),
            "total_merged_created_by_copilot": int(by_copilot * rng.uniform(0.5, 0.9)),
            "median_minutes_to_merge_copilot_authored": round(rng.uniform(30, 900), 1),
            "total_copilot_suggestions": copilot_suggestions,
            "total_copilot_applied_suggestions": copilot_applied,
            "total_merged_reviewed_by_copilot": int(reviewed_by_copilot * rng.uniform(0.5, 0.9)),
            "copilot_suggestions_by_comment_type": by_type,
        }

    # ------------------------------------------------------------------------------------------------ teams, seats

    def team_rows(self, org: DemoOrg, day: date) -> list[dict[str, Any]]:
        """user-teams-1-day lines: every seated member of every team with at least five members."""
        if not self.has_day(day):
            return []
        slugs = self.team_slugs(org)
        members: dict[int, list[Persona]] = defaultdict(list)
        for p in self.personas(org):
            for t in p.teams:
                members[t].append(p)
        rows = []
        for t, people in sorted(members.items()):
            if len(people) < 5:
                continue
            team_id, slug = slugs[t]
            for p in people:
                rows.append(
                    {
                        "user_id": p.user_id,
                        "user_login": p.login,
                        "day": day.isoformat(),
                        "organization_id": org.org_id,
                        "team_id": team_id,
                        "slug": slug,
                    }
                )
        return rows

    def seats(self, org: DemoOrg) -> list[dict[str, Any]]:
        """Copilot seats of ``org`` as ``GET /orgs/{org}/copilot/billing/seats`` lists them (assignee trimmed)."""
        seats = []
        plans = self.plans(org)
        for p, plan_list in zip(self.personas(org), plans, strict=True):
            rng = random.Random(f"{self.seed}:{org.org_id}:seat:{p.index}")
            last = max((i for i, plan in enumerate(plan_list) if plan is not None), default=None)
            created = self.first_day + timedelta(days=min(p.start, self.days - 1)) - timedelta(days=rng.randint(1, 30))
            seat: dict[str, Any] = {
                "created_at": f"{created.isoformat()}T09:00:00Z",
                "updated_at": f"{created.isoformat()}T09:00:00Z",
                "pending_cancellation_date": None,
                "last_activity_at": None,
                "last_activity_editor": None,
                "plan_type": "business" if rng.random() < 0.8 else "enterprise",
                "assignee": {"login": p.login, "id": p.user_id, "type": "User"},
            }
            if last is not None:
                day = self.first_day + timedelta(days=last)
                ide, _, plugin_ver = self.versions(org, p, p.ide, last)
                seat["last_activity_at"] = f"{day.isoformat()}T{rng.randrange(8, 18):02d}:00:00Z"
                seat["last_activity_editor"] = f"{p.ide}/{ide}/copilot/{plugin_ver}"
            if rng.random() < 0.02:
                seat["pending_cancellation_date"] = (self.last_day + timedelta(days=rng.randint(3, 25))).isoformat()
            seats.append(seat)
        return seats

    # ------------------------------------------------------------------------------------------------ reports

    def report_lines(self, scope: str, entity: str, kind: str, day: date | None = None) -> list[dict[str, Any]] | None:
        """The lines of one report, as GitHub's files hold them, or ``None`` (unknown entity, no data that day).

        ``scope`` is ``"org"`` or ``"enterprise"``; 28-day kinds ignore ``day`` and give the latest window.
        """
        if scope == "org":
            org = self.org(entity)
            if org is None or kind not in ORG_KINDS:
                return None
            orgs = [org]
        elif scope == "enterprise":
            if entity != self.enterprise or kind not in ENTERPRISE_KINDS:
                return None
            orgs = list(self.orgs)
        else:
            return None
        if kind.endswith("28-day"):
            return self._window_report(scope, orgs, kind)
        if day is None or not self.has_day(day):
            return None
        if kind in ("organization-1-day", "enterprise-1-day"):
            record = self.org_day(orgs[0], day) if scope == "org" else self.enterprise_day(day)
            return [record] if record else None
        if kind == "users-1-day":
            return [self._scoped(r, scope) for org in orgs for r in self.user_rows(org, day)]
        return [self._scoped(r, scope) for org in orgs for r in self.team_rows(org, day)]

    def _scoped(self, row: dict[str, Any], scope: str) -> dict[str, Any]:
        if scope == "org":
            return row
        out = {k: v for k, v in row.items() if k != "organization_id"}
        out["enterprise_id"] = DEMO_ENTERPRISE_ID
        return _order(out)

    def _window_report(self, scope: str, orgs: list[DemoOrg], kind: str) -> list[dict[str, Any]]:
        end = self.last_day
        start = max(self.first_day, end - timedelta(days=27))
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        bounds = {"report_start_day": start.isoformat(), "report_end_day": end.isoformat()}
        if kind.startswith("users"):
            return [
                {**bounds, **self._scoped(r, scope)} for day in days for org in orgs for r in self.user_rows(org, day)
            ]
        if scope == "org":
            day_totals = [self.org_day(orgs[0], d) for d in days]
            ident = {"organization_id": orgs[0].org_id}
        else:
            day_totals = [self.enterprise_day(d) for d in days]
            ident = {"enterprise_id": DEMO_ENTERPRISE_ID}
        return [{**bounds, **ident, "created_at": f"{end.isoformat()}T06:00:00Z", "day_totals": day_totals}]

    def iter_ndjson(self, scope: str, entity: str, kind: str, day: date | None = None) -> Iterator[bytes]:
        """The report as NDJSON lines (bytes, newline-terminated), as a download would bring them."""
        for line in self.report_lines(scope, entity, kind, day) or ():
            yield orjson.dumps(line) + b"\n"

    def write_files(self, root: Path, days: int | None = None) -> list[Path]:
        """Write every org's and the enterprise's 1-day reports for the last ``days`` days under ``root``.

        Layout: ``root/<scope>/<entity>/<kind>/<YYYY-MM-DD>.ndjson`` (a user can inspect or replay them).
        """
        written = []
        count = days or self.days
        targets = [("org", o.login, ORG_KINDS) for o in self.orgs] + [("enterprise", self.enterprise, ENTERPRISE_KINDS)]
        for scope, entity, kinds in targets:
            for kind in kinds:
                if kind.endswith("28-day"):
                    continue
                for i in range(count):
                    day = self.last_day - timedelta(days=i)
                    path = root / scope / entity / kind / f"{day.isoformat()}.ndjson"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(b"".join(self.iter_ndjson(scope, entity, kind, day)))
                    written.append(path)
        return written


def _counts(rng: random.Random, feature: str, v: float, accept_rate: float) -> list[int]:
    """The seven counters of one feature for one user-day, in ``ACTIVITY_FIELDS`` order."""

    def amount(mean: float) -> int:
        return 1 + int(rng.expovariate(1 / max(0.5, mean)))

    if feature == "code_completion":
        gen = amount(10 * v)
        acc = min(gen, int(gen * accept_rate + rng.random()))
        per = rng.randint(2, 5)
        kept = rng.randint(1, per)  # short suggestions are accepted more often than long ones
        return [0, gen, acc, gen * per, 0, acc * kept, 0]
    if feature in ("chat_panel_agent_mode", "chat_panel_edit_mode"):
        k = amount(2.5 * v if feature.endswith("agent_mode") else 1.2 * v)
        gen = k * rng.randint(1, 3)
        acc = int(gen * rng.uniform(0.6, 0.95))
        per = rng.randint(8, 25)
        dele = rng.randint(0, 6)
        return [k, gen, acc, gen * per, gen * dele, acc * per, acc * dele]
    if feature == "agent_edit":
        gen = amount(3 * v)
        acc = int(gen * rng.uniform(0.7, 1.0))
        per = rng.randint(10, 30)
        return [0, gen, acc, gen * per, gen * 2, acc * per, acc * 2]
    if feature == "chat_panel_plan_mode":
        return [amount(1.5 * v), 0, 0, 0, 0, 0, 0]
    if feature == "chat_inline":
        k = amount(1.5 * v)
        acc = int(k * rng.uniform(0.3, 0.8))
        return [k, k, acc, k * 6, k, acc * 6, acc]
    # chat_panel_ask_mode, chat_panel_custom_mode and anything else conversational
    k = amount(2 * v)
    gen = int(k * rng.uniform(0.2, 1.0))
    acc = int(gen * rng.uniform(0.2, 0.7))
    per = rng.randint(4, 15)
    return [k, gen, acc, gen * per, 0, acc * per, 0]


def _sum_pull_requests(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Several orgs' ``pull_requests`` as one: counts summed, per comment type too; a median the orgs' middle one."""
    total: dict[str, Any] = {}
    for name, first in parts[0].items():
        values = [p[name] for p in parts]
        if name.startswith("total_"):
            total[name] = sum(values)
        elif name.startswith("median_"):
            total[name] = sorted(values)[len(values) // 2]
        elif name == "copilot_suggestions_by_comment_type":
            by_type: dict[str, dict[str, int]] = {}
            for entries in values:
                for e in entries:
                    slot = by_type.setdefault(e["comment_type"], dict.fromkeys(e, 0))
                    for key, value in e.items():
                        if key != "comment_type":
                            slot[key] += value
            total[name] = [
                {"comment_type": ctype, **{k: v for k, v in slot.items() if k != "comment_type"}}
                for ctype, slot in by_type.items()
            ]
        else:
            total[name] = first
    return total


def _fields(counts: list[int], with_interactions: bool) -> dict[str, int]:
    fields = dict(zip(ACTIVITY_FIELDS, counts, strict=True))
    if not with_interactions:
        del fields["user_initiated_interaction_count"]
    return fields


def _group(atoms: list[tuple[str, str, str, list[int]]], key: Any, with_interactions: bool) -> list[dict[str, Any]]:
    sums: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for atom in atoms:
        k = tuple(key(atom).items())
        slot = sums.setdefault(k, [0] * 7)
        for n in range(7):
            slot[n] += atom[3][n]
    return [{**dict(k), **_fields(c, with_interactions)} for k, c in sums.items()]


def _order(record: dict[str, Any]) -> dict[str, Any]:
    """Keys in a stable order (GitHub's files come sorted by key)."""
    return {k: record[k] for k in sorted(record)}


@lru_cache(maxsize=1)
def default_dataset() -> DemoDataset:
    """The demo everyone sees (``--demo``), shared within a process."""
    return DemoDataset()
