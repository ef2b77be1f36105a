"""The settings every command runs with, resolved once: flags > environment > config file > defaults.

``Settings`` is the one declaration of what can be set. Each field says in its metadata where it may come from
(``flag``, ``env``, ``file``); :func:`resolve_settings` walks the four layers in one loop and records, per field,
where the value it kept came from (``Settings.origins``), so ``copilot-tui config`` can say why a value is what it
is. The app and every subcommand (``auth``, ``sync``, ``export``, ``cache``) read hosts, orgs and the data mode from
here, and nowhere else: a ``hostname`` in the config file sends ``sync`` to the same host the app uses.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from copilot_tui.config import ConfigError, ConfigFile, State, read_config_file
from copilot_tui.metrics.adoption import DEFAULT_ENGAGED_DAYS
from copilot_tui.scope import Scope

Mode = Literal["demo", "live", "offline", "files"]
ENV_PREFIX = "COPILOT_TUI_"


def _spec(*, flag: str | None = None, env: bool = False, file: bool = False) -> dict[str, Any]:
    return {"flag": flag, "env": env, "file": file}


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """What to open and where from. ``origins`` maps a field to where its value came from (see ``origin``)."""

    hostname: str = field(default="github.com", metadata=_spec(flag="--hostname", env=True, file=True))
    """GitHub host: github.com, or SUBDOMAIN.ghe.com for GitHub Enterprise Cloud with data residency."""
    api_url: str | None = field(default=None, metadata=_spec(flag="--api-url", env=True, file=True))
    """REST API base URL, when it is not the hostname's own (GitHub Enterprise Server, a proxy, a test server)."""
    default_org: str | None = field(default=None, metadata=_spec(env=True, file=True))
    """The org opened (and exported) when no --org is given and none was opened before."""
    orgs: tuple[str, ...] = field(default=(), metadata=_spec(env=True, file=True))
    """Orgs offered in the org picker besides those the token can list (environment: comma-separated)."""
    enterprises: tuple[str, ...] = field(default=(), metadata=_spec(env=True, file=True))
    """Enterprises offered in the org picker: the API cannot list them for a token (environment: comma-separated)."""
    theme: str | None = field(default=None, metadata=_spec(env=True, file=True))
    """Textual theme name; when unset, the theme last picked in the app (or Textual's default)."""
    seat_price_business: float = field(default=19.0, metadata=_spec(env=True, file=True))
    """Monthly price of a Copilot Business seat, for the cost of idle seats (default: GitHub's list price in USD)."""
    seat_price_enterprise: float = field(default=39.0, metadata=_spec(env=True, file=True))
    """Monthly price of a Copilot Enterprise seat, for the cost of idle seats (default: GitHub's list price in USD)."""
    engaged_days: int = field(default=DEFAULT_ENGAGED_DAYS, metadata=_spec(env=True, file=True))
    """Days of the period a user must be active on to count as engaged (the adoption funnel)."""
    users_columns: tuple[str, ...] = field(default=(), metadata=_spec(env=True, file=True))
    """The users table's columns in order, by name (days_active) or header (Days); the columns last chosen in the
    app (c) win; none: every column."""
    anonymize: bool = field(default=False, metadata=_spec(flag="--anonymize", env=True, file=True))
    """Show and export stable pseudonyms (user-…, team-…) instead of logins and team names; n toggles it in the
    app."""
    org: str | None = field(default=None, metadata=_spec(flag="--org"))
    """The organization to open now (command line only)."""
    enterprise: str | None = field(default=None, metadata=_spec(flag="--enterprise"))
    """The enterprise to open now, instead of an organization (command line only)."""
    demo: bool = field(default=False, metadata=_spec(flag="--demo"))
    """Use the built-in demo dataset: no token, no network (command line only)."""
    offline: bool = field(default=False, metadata=_spec(flag="--offline"))
    """Use the local store only: no network at all (command line only)."""
    files: tuple[Path, ...] = field(default=(), metadata=_spec(flag="--from"))
    """Report files (or directories of them) to open instead of GitHub: no token, no network (``open``,
    ``export --from``; command line only)."""
    config_path: Path | None = field(default=None, compare=False)
    """The config file read (or looked for)."""
    config_error: ConfigError | None = field(default=None, compare=False)
    """Why the config file was not used (its settings then keep their defaults); None when it was fine or absent."""
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Where each value came from, for the fields not at their default."""

    @property
    def seat_prices(self) -> dict[str, float]:
        """Monthly price of a seat by the seats API's ``plan_type``."""
        return {"business": self.seat_price_business, "enterprise": self.seat_price_enterprise}

    @property
    def mode(self) -> Mode:
        if self.demo:
            return "demo"
        if self.files:
            return "files"
        return "offline" if self.offline else "live"

    @property
    def scope(self) -> Scope | None:
        """The scope named on the command line, if any."""
        if self.enterprise:
            return Scope("enterprise", self.enterprise)
        if self.org:
            return Scope("org", self.org)
        return None

    @property
    def resolved_api_url(self) -> str:
        """The base URL requests go to: ``api_url`` when set, else the hostname's API."""
        from copilot_tui.github.hosts import api_url_for_host

        return (self.api_url or api_url_for_host(self.hostname)).rstrip("/")

    @property
    def store_key(self) -> str:
        """The local store's directory for this host (``copilot_tui.store.host_key``)."""
        from copilot_tui.store import host_key

        return host_key(self.hostname, self.api_url)

    def origin(self, name: str) -> str:
        return self.origins.get(name, "default")

    def configured_scopes(self) -> list[Scope]:
        """The orgs, then the enterprises, the config lists for the picker."""
        return [Scope("org", o) for o in self.orgs] + [Scope("enterprise", e) for e in self.enterprises]

    def initial_scope(self, state: State) -> Scope | None:
        """What to open: the command line's scope, else the last one opened (kept apart for the demo), else the
        config's ``default_org`` (never for the demo, whose orgs are its own)."""
        if self.scope is not None:
            return self.scope
        if self.files:
            return None  # the files' own scopes: the first of them
        if self.demo:
            return parse_scope_key(state.demo_scope)
        return parse_scope_key(state.last_scope) or parse_scope_key(self.default_org)

    def with_changes(self, **changes: Any) -> Settings:
        from dataclasses import replace

        return replace(self, **changes)


FIELDS = {f.name: f for f in fields(Settings) if f.metadata}
"""The settable fields (``config_path``, ``config_error`` and ``origins`` are about the resolution itself)."""
FILE_KEYS = tuple(name for name, f in FIELDS.items() if f.metadata["file"])


def env_name(name: str) -> str:
    return ENV_PREFIX + name.upper()


def parse_scope_key(key: str | None) -> Scope | None:
    """``org`` or ``enterprise:NAME`` (how the state file remembers a scope) as a Scope."""
    if not key:
        return None
    if key.startswith("enterprise:"):
        return Scope("enterprise", key.split(":", 1)[1])
    return Scope("org", key)


def scope_key(scope: Scope) -> str:
    return scope.name if scope.kind == "org" else f"enterprise:{scope.name}"


class SettingsError(Exception):
    """Settings that contradict each other or cannot be used; the message says which and what to change."""


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def _from_env(name: str, value: str) -> Any:
    default = FIELDS[name].default
    if isinstance(default, bool):
        word = value.strip().lower()
        if word not in TRUE_WORDS + FALSE_WORDS:
            raise SettingsError(f"{env_name(name)} must be 1 or 0 (true/false, yes/no; it is {value!r}).")
        return word in TRUE_WORDS
    if isinstance(default, float):
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not number >= 0:
            raise SettingsError(f"{env_name(name)} must be a number of 0 or more (it is {value!r}).")
        return number
    if isinstance(default, int) and not isinstance(default, bool):
        try:
            whole = int(value)
        except ValueError:
            whole = 0
        if whole < 1:
            raise SettingsError(f"{env_name(name)} must be a whole number of 1 or more (it is {value!r}).")
        return whole
    if isinstance(default, tuple):
        return tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    return value.strip() or None


def resolve_settings(
    args: argparse.Namespace | Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> Settings:
    """The settings from the command line (``args``), the environment and the config file, in that order of
    precedence; a field none of them sets keeps its default.

    A broken config file does not stop the resolution: its values are left out and the error is kept in
    ``config_error`` for the caller to show (the app shows it and runs; a headless command stops)."""
    if environ is None:
        environ = os.environ
    if config_path is None:
        from copilot_tui import locations

        config_path = locations.config_file()
    given: Mapping[str, Any] = vars(args) if isinstance(args, argparse.Namespace) else dict(args or {})
    config_file: ConfigFile | None = None
    config_error: ConfigError | None = None
    try:
        config_file = read_config_file(config_path, {n: FIELDS[n].default for n in FILE_KEYS})
    except ConfigError as exc:
        config_error = exc

    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for name, f in FIELDS.items():
        spec = f.metadata
        if spec["file"] and config_file is not None and name in config_file.values:
            values[name] = config_file.values[name]
            origins[name] = f"config file, line {config_file.lines[name]}"
        if spec["env"] and environ.get(env_name(name)):
            values[name] = _from_env(name, environ[env_name(name)])
            origins[name] = f"environment {env_name(name)}"
        flag_value = given.get(name)
        if spec["flag"] and flag_value not in (None, False, [], ()):
            if isinstance(flag_value, list):
                flag_value = tuple(flag_value)
            values[name] = flag_value.strip() if isinstance(flag_value, str) else flag_value
            origins[name] = f"command line {spec['flag']}"
    if values.get("hostname") is None:
        values.pop("hostname", None)
        origins.pop("hostname", None)
    if values.get("hostname"):
        from copilot_tui.github.hosts import normalize_hostname

        values["hostname"] = normalize_hostname(values["hostname"])
    settings = Settings(**values, config_path=config_path, config_error=config_error, origins=origins)
    check(settings)
    return settings


def check(settings: Settings) -> None:
    """Refuse what contradicts itself, before anything starts."""
    if settings.org and settings.enterprise:
        raise SettingsError("--org and --enterprise name two things to open: give one of them.")
    if settings.demo and settings.offline:
        raise SettingsError("--demo and --offline are two data sources: give one of them.")
    if settings.files and (settings.demo or settings.offline):
        flag = "--demo" if settings.demo else "--offline"
        raise SettingsError(f"report files and {flag} are two data sources: give one of them.")
    _check_api_url(settings)


def _check_api_url(settings: Settings) -> None:
    """An API URL that may not receive a token (bad port, scheme or host; plain http to another machine) stops
    the app and every command before anything starts, naming where it came from."""
    from copilot_tui.github.hosts import ApiUrlError, api_url_for_host, check_api_url

    if settings.api_url:
        origin = settings.origin("api_url")
        what = {"command line --api-url": "--api-url", f"environment {env_name('api_url')}": env_name("api_url")}
        url, label, lead = settings.api_url, what.get(origin, f"api_url ({origin})"), ""
    else:
        url, label = api_url_for_host(settings.hostname), "The API URL"
        lead = f"hostname {settings.hostname!r} ({settings.origin('hostname')}): "
    try:
        check_api_url(url, what=label)
    except ApiUrlError as exc:
        raise SettingsError(f"{lead}{exc}") from None


def describe(settings: Settings) -> list[tuple[str, str, str]]:
    """``(name, value, origin)`` for every settable field, as ``copilot-tui config`` prints them."""
    rows = []
    for name in FIELDS:
        value = getattr(settings, name)
        if isinstance(value, tuple):
            shown = ", ".join(map(str, value)) if value else "(none)"
        elif value is None:
            shown = "(not set)"
        elif isinstance(value, bool):
            shown = "yes" if value else "no"
        else:
            shown = str(value)
        rows.append((name, shown, settings.origin(name)))
    return rows


__all__ = [
    "FIELDS",
    "FILE_KEYS",
    "Mode",
    "Settings",
    "SettingsError",
    "describe",
    "env_name",
    "parse_scope_key",
    "resolve_settings",
    "scope_key",
]
